/**
 * The peak of a plan without running it: the max over its moves of each move's moments (memory.ts),
 * each shifted by what the enclosing moves hold (proofs/chain-dp.md, "Memory of each move": a chain
 * move at s holds `xbar_{s+1}` over its sub-segment, a leaf at j holds `x_j` over its right part). The
 * evaluator's peak of `planSchedule(view, plan)` is `fixedBytes + x_0 +` this, with byte sizes.
 *
 * A leaf's sweep moments are read as one range maximum (a sparse table, O(L log L) to build, O(1) a
 * query), so a plan costs O(plan nodes) however many forwards its sweeps make: revolve judges its
 * snapshot counts this way without building their schedules.
 */
import type { SizeArrays } from "./memory.js";
import { chainNeed } from "./memory.js";
import type { ChainPlan } from "./plan.js";

/** Range maxima of `x_k + x_{k+1} + o_f[k]` (a sweep's forward of stage k > s, less delta_{t+1}). */
export class SweepMaxima {
  private readonly levels: Float64Array[];

  constructor(
    private readonly sizes: SizeArrays,
    length: number,
  ) {
    const first = new Float64Array(length);
    for (let k = 0; k < length; k++)
      first[k] = (sizes.x[k] as number) + (sizes.x[k + 1] as number) + (sizes.of[k] as number);
    this.levels = [first];
    for (let width = 1; 2 * width <= length; width *= 2) {
      const below = this.levels[this.levels.length - 1] as Float64Array;
      const level = new Float64Array(length - 2 * width + 1);
      for (let k = 0; k < level.length; k++)
        level[k] = Math.max(below[k] as number, below[k + width] as number);
      this.levels.push(level);
    }
  }

  /** max over s <= k < j of sweepNeed(s, t, k) (memory.ts), for s < j. */
  sweep(s: number, t: number, j: number): number {
    const { x, of, delta } = this.sizes;
    let most = (x[s + 1] as number) + (of[s] as number);
    if (j - 1 > s) {
      const from = s + 1;
      const level = 31 - Math.clz32(j - from);
      const row = this.levels[level] as Float64Array;
      most = Math.max(most, row[from] as number, row[j - (1 << level)] as number);
    }
    return (delta[t + 1] as number) + most;
  }
}

/**
 * The largest moment of `plan` for segment (0, L-1), in the unit of `sizes`, not counting `a_0` and
 * fixedBytes. O(plan nodes), a loop over an explicit stack.
 */
export function planNeed(sizes: SizeArrays, plan: ChainPlan, length: number, maxima?: SweepMaxima): number {
  const sweeps = maxima ?? new SweepMaxima(sizes, length);
  // each entry: a plan node, the end t of its segment, and what the enclosing moves hold
  const stack: { readonly node: ChainPlan; readonly t: number; readonly held: number }[] = [
    { node: plan, t: length - 1, held: 0 },
  ];
  let most = 0;
  while (stack.length > 0) {
    const { node, t, held } = stack.pop() as { node: ChainPlan; t: number; held: number };
    if (node.kind === "chain") {
      most = Math.max(most, held + chainNeed(sizes, node.s, t));
      if (node.rest !== undefined)
        stack.push({ node: node.rest, t, held: held + (sizes.xbar[node.s + 1] as number) });
      continue;
    }
    most = Math.max(most, held + sweeps.sweep(node.s, t, node.j));
    stack.push(
      { node: node.right, t, held: held + (sizes.x[node.j] as number) },
      { node: node.left, t: node.j - 1, held },
    );
  }
  return most;
}
