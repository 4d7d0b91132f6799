/**
 * Exhaustive searches over the plans of the layer model's variants (proofs/pipeline-complexity.md):
 * every assignment of layers to devices, every contiguous partition into P stages, and every contiguous
 * partition with every recomputed set. Each returns a plan meeting the target, or undefined.
 */
import { deviceCost, type LayerPipeline, meetsTarget, stagesOf } from "./layer-model.js";

/** A plan meeting the target among all `P^n` assignments of layers to devices (`device[l]`), or undefined. */
export function searchAssignments(problem: LayerPipeline): number[] | undefined {
  const n = problem.layers.length;
  const P = problem.devices;
  for (let code = 0; code < P ** n; code++) {
    const device = Array.from({ length: n }, (_, l) => Math.floor(code / P ** l) % P);
    const costs = Array.from({ length: P }, (_, d) =>
      deviceCost(
        problem,
        device.flatMap((e, l) => (e === d ? [l] : [])),
        problem.inFlight[d] as number,
      ),
    );
    if (meetsTarget(problem, costs)) return device;
  }
  return undefined;
}

/** Every list of stage starts of a contiguous partition of `n` layers into exactly `P` non-empty stages. */
export function contiguousPartitions(n: number, P: number): number[][] {
  const found: number[][] = [];
  const stack: number[][] = [[0]];
  while (stack.length > 0) {
    const starts = stack.pop() as number[];
    if (starts.length === P) {
      found.push(starts);
      continue;
    }
    const last = starts[starts.length - 1] as number;
    const remaining = P - starts.length;
    for (let next = last + 1; next <= n - remaining; next++) stack.push([...starts, next]);
  }
  return found;
}

/** The least period over contiguous partitions whose every stage fits memory (no recomputation), or Infinity. */
export function leastContiguousPeriod(problem: LayerPipeline): number {
  let best = Number.POSITIVE_INFINITY;
  for (const starts of contiguousPartitions(problem.layers.length, problem.devices)) {
    const costs = stagesOf(starts, problem.layers.length).map((stage, s) =>
      deviceCost(problem, stage, problem.inFlight[s] as number),
    );
    if (costs.every((c) => c.memoryBytes <= problem.memoryBytes))
      best = Math.min(best, Math.max(...costs.map((c) => c.loadMs)));
  }
  return best;
}

/** A plan (stage starts, recomputed layers) meeting the target, over every partition and every recomputed set. */
export function searchRecomputePlans(
  problem: LayerPipeline,
): { starts: number[]; recomputed: number[] } | undefined {
  const n = problem.layers.length;
  for (const starts of contiguousPartitions(n, problem.devices))
    for (let mask = 0; mask < 2 ** n; mask++) {
      const recomputed = new Set([...Array(n).keys()].filter((l) => Math.floor(mask / 2 ** l) % 2 === 1));
      const costs = stagesOf(starts, n).map((stage, s) =>
        deviceCost(problem, stage, problem.inFlight[s] as number, recomputed),
      );
      if (meetsTarget(problem, costs)) return { starts, recomputed: [...recomputed] };
    }
  return undefined;
}
