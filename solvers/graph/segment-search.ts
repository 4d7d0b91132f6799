/**
 * Feng & Huang's threshold search (2021, section 3.2, Algorithm 1: the "accessibility graph" with a
 * max-term m) run on the chain of blocks between nested minimum lower sets
 * (lower-sets.ts) instead of on the nodes of a chain.
 *
 * Blocks: L_0 = {} < L_1 < ... < L_k < L_{k+1} = V. Choosing a subsequence of the L_i keeps the
 * union of their boundaries; between two chosen sets L_i < L_j the block L_j \ L_i is recomputed once.
 * Feng & Huang's memory model prices this as (kept bytes) + (largest recomputed block), so for each
 * max-term T the least kept bytes with every block <= T is a shortest path in the DAG of allowed
 * jumps, and min over T of (path + T) is their optimum. Here that model is only a guide: every
 * candidate it proposes is judged by the evaluator. O(k^2) per threshold, k^2 + T log T to pick them.
 */
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { LowerSet } from "./lower-sets.js";

/**
 * Kept sets proposed by the threshold search, one per distinct threshold tried.
 * @param beforeThreshold called before each threshold (a time-limit check; it may throw to stop)
 */
export function thresholdCandidates(
  g: InstanceGraph,
  sets: readonly LowerSet[],
  thresholdCount: number,
  beforeThreshold?: () => void,
): number[][] {
  const k = sets.length;
  // prefix[i] = bytes(L_i) for i = 0..k+1 (nested sets, so a block's bytes are a difference)
  const prefix = new Float64Array(k + 2);
  const boundaryBytes = new Float64Array(k + 1);
  let total = 0;
  for (let v = 0; v < g.size; v++) total += g.bytes[v] as number;
  sets.forEach((set, index) => {
    prefix[index + 1] = set.bytes;
    boundaryBytes[index + 1] = set.boundary.reduce((sum, v) => sum + (g.bytes[v] as number), 0);
  });
  prefix[k + 1] = total;

  const values: number[] = [];
  for (let i = 0; i <= k; i++)
    for (let j = i + 1; j <= k + 1; j++) values.push((prefix[j] as number) - (prefix[i] as number));
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const picks = new Set<number>();
  const count = Math.min(thresholdCount, distinct.length);
  for (let q = 0; q < count; q++)
    picks.add(distinct[Math.round((q * (distinct.length - 1)) / Math.max(1, count - 1))] as number);

  const result: number[][] = [];
  const seen = new Set<string>();
  for (const threshold of picks) {
    beforeThreshold?.();
    const chosen = cheapestPath(prefix, boundaryBytes, k, threshold);
    if (chosen === undefined) continue;
    const kept = [...new Set(chosen.flatMap((index) => (sets[index - 1] as LowerSet).boundary))].sort(
      (a, b) => a - b,
    );
    const key = kept.join(",");
    if (!seen.has(key)) {
      seen.add(key);
      result.push(kept);
    }
  }
  return result;
}

/**
 * Shortest path 0 -> k+1 over jumps i -> j with prefix[j] - prefix[i] <= threshold, paying
 * boundaryBytes[j] on landing at j <= k. Returns the chosen set indices (1-based), or undefined.
 */
function cheapestPath(
  prefix: Float64Array,
  boundaryBytes: Float64Array,
  k: number,
  threshold: number,
): number[] | undefined {
  const cost = new Float64Array(k + 2).fill(Number.POSITIVE_INFINITY);
  const parent = new Int32Array(k + 2).fill(-1);
  cost[0] = 0;
  for (let j = 1; j <= k + 1; j++) {
    const landing = j <= k ? (boundaryBytes[j] as number) : 0;
    for (let i = j - 1; i >= 0; i--) {
      if ((prefix[j] as number) - (prefix[i] as number) > threshold) break; // prefix is increasing
      const reached = (cost[i] as number) + landing;
      if (reached < (cost[j] as number)) {
        cost[j] = reached;
        parent[j] = i;
      }
    }
  }
  if (!Number.isFinite(cost[k + 1] as number)) return undefined;
  const chosen: number[] = [];
  for (let j = parent[k + 1] as number; j > 0; j = parent[j] as number) chosen.push(j);
  return chosen.reverse();
}
