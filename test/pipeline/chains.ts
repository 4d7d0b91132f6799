/** Small chains for the pipeline tests, built through the public constructors. */
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { stageStateBytes } from "../../src/pipeline/evaluate.js";
import { type PipelineProblemOptions, pipelineProblem } from "../../src/pipeline/problem.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import type { PipelinePlan, PipelineProblem } from "../../src/pipeline/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";

/** One layer of a test chain. */
export interface Layer {
  readonly fwd: number;
  readonly bwd: number;
  readonly bytes: number;
  readonly tapeBytes?: number;
}

/** A chain: input (`bytes` of the first layer's input), then the layers, the last one the loss. */
export function chain(layers: readonly Layer[], fixedBytes = 0, inputBytes = 100): Instance {
  const nodes = [{ id: "x", fwd: 0, bwd: 0, bytes: inputBytes, recomputable: false }];
  layers.forEach((layer, i) => {
    nodes.push({ id: `l${i}`, ...layer, inputs: [i === 0 ? "x" : `l${i - 1}`] } as never);
  });
  return parseInstance({ format: "remat-instance/1", name: "test-chain", source: "test", fixedBytes, nodes });
}

/** `count` identical layers. */
export function uniformChain(count: number, layer: Layer, fixedBytes = 0): Instance {
  return chain(
    Array.from({ length: count }, () => layer),
    fixedBytes,
  );
}

/** A problem with defaults for the tests (free link, state split by time). */
export function problem(instance: Instance, options: Partial<PipelineProblemOptions> = {}): PipelineProblem {
  return pipelineProblem(instance, {
    devices: 2,
    memory: "none",
    microbatches: 4,
    schedule: "1f1b",
    ...options,
  });
}

/** The plan cutting after the given node indices, every stage running store-all. */
export function storeAllPlan(p: PipelineProblem, cuts: readonly number[]): PipelinePlan {
  const L = p.instance.nodes.length - 1;
  const ends = [...cuts, L];
  let first = 1;
  return {
    stages: ends.map((last) => {
      const sub = stageInstance(p.instance, first, last, stageStateBytes(p, { first, last }));
      const stage = { first, last, schedule: storeAllSchedule(sub) };
      first = last + 1;
      return stage;
    }),
  };
}
