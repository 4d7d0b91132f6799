/**
 * The least peak of the stored class (proofs/chain-dp.md, "Stored forms"), exactly in bytes: the
 * min-max recurrence of feasibility.ts with the stored moves of stored-table.ts. A move fits m iff its
 * own moments fit and each part fits its budget (m plus a constant), so the least m of a segment is the
 * least over its moves of the max of its moments and of each part's least budget less that constant:
 *
 *   chain:        max(chainNeed, xbar_{s+1} + need(s+1, t))
 *   chain, mode:  max(chainNeed, delta_{t+1} + xbar_{s+1} + st, xbar_{s+1} + delta_{s+1} + st,
 *                     need(s+1, t) + xbar_{s+1} + st - x_s)   (x_s: `release`, exact in bytes)
 *   leaf j:       max(sweep(k <= j-1), x_j + need(j, t), need(s, j-1))
 *   leaf j, mode: max(sweep(k = s), delta_{t+1} + x_{s+1} + st, sweep(s < k < j) + st - x_s,
 *                     delta_j + st, need(j, t) + x_j + st - x_s, need(s, j-1))
 *
 * O(L^3 * (modes + 1)) time, 8 bytes per pair of stages plus the plan; ties to the first move in the
 * order of stored-table.ts.
 */
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import { chainNeed, sweepNeed } from "./memory.js";
import { buildPlan, type ChainPlan, type PlanStep } from "./plan.js";
import type { SlotOption, StoredChain } from "./stored-table.js";

/** need[s*L + t]: the least budget of segment (s, t) (everything but a_s), in the chain's unit. */
export interface StoredNeeds {
  readonly chain: StoredChain;
  readonly need: Float64Array;
}

/**
 * The least budget of every segment over the stored class.
 * @throws TimeLimitReached when `deadline` passes (checked per segment, phase "stored edges")
 */
export function storedNeeds(chain: StoredChain, deadline: Deadline = NO_DEADLINE): StoredNeeds {
  const L = chain.view.length;
  const need = new Float64Array(L * L);
  const needs = { chain, need };
  for (let d = 0; d < L; d++)
    for (let s = 0; s + d < L; s++) {
      deadline.check("stored edges");
      need[s * L + s + d] = bestNeed(needs, s, s + d).need;
    }
  return needs;
}

/** The move of a segment that attains its least budget. */
type NeedMove =
  | { readonly kind: "chain"; readonly mode?: SlotOption["mode"] }
  | { readonly kind: "leaf"; readonly j: number; readonly mode?: SlotOption["mode"] };

/** The least budget of (s, t) over its moves (parts read from `needs`), and the first move attaining it. */
function bestNeed(needs: StoredNeeds, s: number, t: number): { need: number; move: NeedMove } {
  const { view, sizes, options, release } = needs.chain;
  const { x, xbar, delta } = sizes;
  const r = release[s] as number;
  const L = view.length;
  const part = (a: number, b: number) => needs.need[a * L + b] as number;
  const chain = chainNeed(sizes, s, t);
  let best = { need: chain, move: { kind: "chain" } as NeedMove };
  const offer = (need: number, move: NeedMove) => {
    if (need < best.need) best = { need, move };
  };
  if (s === t) return best;
  const xb = xbar[s + 1] as number;
  best.need = Math.max(chain, xb + part(s + 1, t));
  const opts = options[s] as readonly SlotOption[];
  for (const { st, mode } of opts)
    offer(
      Math.max(
        chain,
        (delta[t + 1] as number) + xb + st,
        xb + (delta[s + 1] as number) + st,
        part(s + 1, t) + xb + st - r,
      ),
      { kind: "chain", mode },
    );
  if (view.recomputable[s] === 0) return best;
  const first = sweepNeed(sizes, s, t, s);
  let later = Number.NEGATIVE_INFINITY;
  for (let j = s + 1; j <= t; j++) {
    if (j > s + 1) {
      if (view.recomputable[j - 1] === 0) break;
      later = Math.max(later, sweepNeed(sizes, s, t, j - 1));
    }
    const right = part(j, t) + (x[j] as number);
    const left = part(s, j - 1);
    offer(Math.max(first, later, right, left), { kind: "leaf", j });
    for (const { st, mode } of opts)
      offer(
        Math.max(
          first,
          (delta[t + 1] as number) + (x[s + 1] as number) + st,
          later + st - r,
          (delta[j] as number) + st,
          right + st - r,
          left,
        ),
        { kind: "leaf", j, mode },
      );
  }
  return best;
}

/**
 * The arg-min plan of (0, L-1): at each segment the first move attaining its least budget, its parts
 * at theirs (a part then fits the budget its move gives it, which is at least its least budget).
 * @throws TimeLimitReached when `deadline` passes (checked at every move, phase "read-back")
 */
export function storedNeedPlan(needs: StoredNeeds, deadline: Deadline = NO_DEADLINE): ChainPlan {
  const L = needs.chain.view.length;
  return buildPlan<{ s: number; t: number }>(
    { s: 0, t: L - 1 },
    ({ s, t }): PlanStep<{ s: number; t: number }> => {
      deadline.check("read-back");
      const { move } = bestNeed(needs, s, t);
      const mode = move.mode === undefined ? {} : { mode: move.mode };
      if (move.kind === "chain")
        return s === t ? { kind: "chain", s, ...mode } : { kind: "chain", s, rest: { s: s + 1, t }, ...mode };
      return { kind: "leaf", s, j: move.j, right: { s: move.j, t }, left: { s, t: move.j - 1 }, ...mode };
    },
  );
}
