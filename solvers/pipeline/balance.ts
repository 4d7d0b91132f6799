/**
 * Contiguous min-max partitions of a weighted chain (the balancing baselines' cut, over the units of
 * src/pipeline/units.ts): elements 1..L into exactly S non-empty stages minimizing the largest stage
 * weight, element 0 counted with stage 0. An exact
 * O(S L^2) dynamic program over prefix sums; torchgpipe's `balance_by_time` / `balance_by_size` use
 * Bárány et al.'s block-partition heuristic on the same weights (kakaobrain/torchgpipe,
 * torchgpipe/balance/blockpartition.py), which this never does worse than. Ties go to the earliest cut.
 */
import type { Partition } from "./assemble.js";

/** The min-max partition of `weights` (indexed as the nodes, node 0 with stage 0) into `stages` stages. */
export function minMaxPartition(weights: readonly number[], stages: number): Partition {
  const L = weights.length - 1;
  const prefix = new Float64Array(L + 1);
  for (let v = 0; v <= L; v++) prefix[v] = (v > 0 ? (prefix[v - 1] as number) : 0) + (weights[v] as number);
  const sum = (a: number, e: number) => (prefix[e] as number) - (a > 0 ? (prefix[a - 1] as number) : 0);
  const best = Array.from({ length: stages }, () => new Float64Array(L + 1).fill(Number.POSITIVE_INFINITY));
  const from = Array.from({ length: stages }, () => new Int32Array(L + 1));
  for (let e = 1; e <= L; e++) (best[0] as Float64Array)[e] = sum(0, e);
  for (let s = 1; s < stages; s++)
    fillRow(best[s] as Float64Array, best[s - 1] as Float64Array, from[s] as Int32Array, s, L, sum);
  const ends: number[] = [];
  let e = L;
  for (let s = stages - 1; s >= 0; s--) {
    ends.push(e);
    e = s > 0 ? ((from[s] as Int32Array)[e] as number) - 1 : 0;
  }
  return ends.reverse();
}

/** Equal node counts: L nodes into S stages, the last L mod S stages one node longer. */
export function uniformPartition(L: number, stages: number): Partition {
  const base = Math.floor(L / stages);
  const longer = L % stages;
  const ends: number[] = [];
  let end = 0;
  for (let s = 0; s < stages; s++) {
    end += base + (s >= stages - longer ? 1 : 0);
    ends.push(end);
  }
  return ends;
}

/** Row s of the min-max table: best[s][e] = min over a of max(best[s-1][a-1], sum(a..e)). */
function fillRow(
  row: Float64Array,
  previous: Float64Array,
  from: Int32Array,
  s: number,
  L: number,
  sum: (a: number, e: number) => number,
): void {
  for (let e = s + 1; e <= L; e++)
    for (let a = s + 1; a <= e; a++) {
      const value = Math.max(previous[a - 1] as number, sum(a, e));
      if (value < (row[e] as number)) {
        row[e] = value;
        from[e] = a;
      }
    }
}
