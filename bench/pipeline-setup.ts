/**
 * What the pipeline benches share (bench/pipeline.ts, bench/pipeline-elf.ts): a zoo setting's block- or
 * op-level instance with its exact per-node parameter state, and the least memory at which pipeline-dp
 * finds a plan, bisected to 1%.
 */
import { type SolvePipelineOptions, solvePipeline } from "../solvers/pipeline/solve.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import type { ZooConfig } from "../src/zoo/config.js";
import { generateInstance } from "../src/zoo/generate.js";
import { zooModel } from "../src/zoo/registry.js";

/** The options of a pipeline solve other than the solver and the memory. */
export type Base = Omit<SolvePipelineOptions, "solver" | "memory">;

/** The block- or op-level instance of a zoo setting and its exact per-node state bytes. */
export function zooChain(
  zoo: string,
  config: ZooConfig,
  level: "block" | "op" = "block",
): { instance: Instance; state: Record<string, number> } {
  const generated = generateInstance({ zoo, config, level });
  const instance = parseInstance(generated.document);
  const graph = zooModel(zoo).build(config);
  const params = new Map<string, number>();
  for (const op of graph.ops) {
    const node = level === "block" ? op.block : op.id;
    params.set(
      node,
      (params.get(node) ?? 0) + op.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0),
    );
  }
  const total = [...params.values()].reduce((a, b) => a + b, 0);
  const perParam = instance.fixedBytes / total;
  if (!Number.isInteger(perParam))
    throw new Error(`${zoo}: fixedBytes is not a whole number of bytes per parameter`);
  return {
    instance,
    state: Object.fromEntries(instance.nodes.map((n) => [n.id, (params.get(n.id) ?? 0) * perParam])),
  };
}
/** The least memory (to 1%) at which pipeline-dp with or without checkpointing finds a plan. */
export function leastMemory(instance: Instance, base: Base, checkpointing: boolean): number {
  const fits = (memory: number) =>
    solvePipeline(instance, { ...base, memory, solver: "pipeline-dp", checkpointing }).evaluation !== null;
  let hi = 1e9;
  while (!fits(hi)) hi *= 2;
  let lo = hi / 2;
  while (fits(lo)) {
    hi = lo;
    lo /= 2;
  }
  while (hi - lo > 0.01 * hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
