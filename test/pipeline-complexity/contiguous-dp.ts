/**
 * Theorem 1 of proofs/pipeline-complexity.md as code: the least period of a contiguous partition into
 * exactly P stages with every stage within memory, by the DP
 *   D[0][j] = L(0, j, 0) if stage 0 = layers 0..j fits, else Infinity;
 *   D[s][j] = min over i in s..j of max(D[s-1][i-1], L(i, j, s)), over fitting stages (i..j, s);
 * answer D[P-1][n-1]. O(n^2 P) after O(n) prefix sums.
 */
import type { LayerPipeline } from "./layer-model.js";

/** The least period (ms) over contiguous P-stage partitions that fit memory, or Infinity when none fits. */
export function contiguousPeriodDp(problem: LayerPipeline): number {
  const n = problem.layers.length;
  const P = problem.devices;
  const prefix = (pick: (l: number) => number): number[] => {
    const sums = [0];
    for (let l = 0; l < n; l++) sums.push((sums[l] as number) + pick(l));
    return sums;
  };
  const time = prefix((l) => problem.layers[l]?.timeMs ?? 0);
  const weight = prefix((l) => problem.layers[l]?.weightBytes ?? 0);
  const act = prefix((l) => problem.layers[l]?.activationBytes ?? 0);
  const range = (sums: number[], i: number, j: number): number =>
    (sums[j + 1] as number) - (sums[i] as number);
  /** L(i, j, s): the load of stage s = layers i..j, or Infinity when it does not fit. */
  const stageLoad = (i: number, j: number, s: number): number =>
    range(weight, i, j) + (problem.inFlight[s] as number) * range(act, i, j) <= problem.memoryBytes
      ? range(time, i, j)
      : Number.POSITIVE_INFINITY;
  let row = Array.from({ length: n }, (_, j) => stageLoad(0, j, 0));
  for (let s = 1; s < P; s++) {
    const next = Array.from({ length: n }, () => Number.POSITIVE_INFINITY);
    for (let j = s; j < n; j++)
      for (let i = s; i <= j; i++)
        next[j] = Math.min(next[j] as number, Math.max(row[i - 1] as number, stageLoad(i, j, s)));
    row = next;
  }
  return row[n - 1] as number;
}
