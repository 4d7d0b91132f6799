/**
 * pofo's table: rotor's persistent recurrence on the spine of the chain (the segments (s, L-1), which the
 * top-level forward pass walks through), extended with the offload of each spine checkpoint `a_s`
 * (proofs/pofo.md, "The recurrence"). The state is (s, m, p, q): the forward pass stands at stage s with
 * `a_s` just computed (not counted in m), m slots free for everything else, p the checkpoint whose
 * prefetch this state's move carries (the previous move's, when it went to the host) and q the
 * checkpoint whose copy is still running (pending; none, p, or an older one). With `C` rotor's table
 * (solvers/chain/table.ts), `d_k` one copy of `a_k`, W the move's forward time and `e_q` the forward
 * time since `a_q`'s copy began (prefix sums of u_f):
 *
 *   Q(s, m, p, q) = min over the move at s (chain, or a leaf at j), what it does with the copies, and,
 *                   when p is set, the prefetch mode, of  forward + Q(rest) + backward part:
 *     q pending:  free it at the forward's end, max(W, d_q - e_q), the rest gets x_q; or keep it pending
 *     q none:     keep a_s (W); copy it and free it at the forward's end (max(W, d_s), the rest gets x_s);
 *                 or copy it and leave it pending (W; the rest's q is s)
 *     backward:   chain u_b[s], leaf C(m', s, j-1), with the prefetch of a_p before it (overlap: max with
 *                 d_p, a_p's slots taken from m') or after it (serial: + d_p); m' is m plus a_q's slots
 *                 when q is pending (every pending copy is freed before any backward part runs)
 *
 * each under the memory conditions of moves.ts. Every copy starts on an idle channel and no stall
 * happens while a copy is pending but its own free, so the terms above are the evaluator's times
 * exactly (proofs/pofo.md, "Times are exact").
 *
 * Fill: s from L-1 down to 0 (Q(s) reads Q(j) for j > s); per (s, m, q) the move bodies (forward, copies,
 * rest) once, then per p the best move with its backward part. O(L^3 S) time, about 3 L^2 S / 2 entries.
 */
import type { Deadline } from "../../src/time-limit.js";
import type { ChainLink } from "./link.js";
import {
  type CopyAction,
  INF,
  rowBase,
  rowIn,
  type SpineChoice,
  type SpineInputs,
  type SpineTable,
  spineEntries,
  spineValue,
} from "./spine-layout.js";
import { combine, fillBodies, newBest, newBodies } from "./spine-moves.js";

const COPY_CODES: readonly CopyAction[] = ["keep", "now", "lagged"];

/** The (p, q) pairs of the states at s that can occur: pending and carried copies of offloadable checkpoints. */
function statePairs(link: ChainLink, s: number): [number, number][] {
  // grouped by q, so that each (s, m, q) fills its bodies once
  const pairs: [number, number][] = [[-1, -1]];
  for (let k = 0; k < s; k++) if (link.canOffload[k] === 1) pairs.push([k, -1]);
  for (let k = 0; k < s; k++) if (link.canOffload[k] === 1) pairs.push([k, k], [-1, k]);
  return pairs;
}

/**
 * Fills Q for every state. The caller checks the size first ({@link spineEntries}).
 * @throws TimeLimitReached when `deadline` passes (checked per (s, m))
 */
export function fillSpine(inputs: SpineInputs, deadline: Deadline): SpineTable {
  const L = inputs.view.length;
  const width = inputs.maxSlots + 1;
  const entries = spineEntries(L, inputs.maxSlots);
  const values = new Float64Array(entries).fill(INF);
  const bodies = newBodies(L);
  const best = newBest();
  let candidates = 0;
  for (let s = L - 1; s >= 0; s--) {
    const pairs = statePairs(inputs.link, s);
    // a state holds m + x_s (+ x_q when a_q's copy is pending) <= M (the root has m = M - x_0; every
    // move keeps it): larger m never occur
    const mTop = inputs.maxSlots - (inputs.sizes.x[s] as number);
    for (let m = 0; m <= mTop; m++) {
      deadline.check("spine fill");
      let bodiesOf = Number.NaN;
      for (const [p, q] of pairs) {
        // a pending copy's checkpoint is resident outside m too
        if (q >= 0 && m > mTop - (inputs.sizes.x[q] as number)) continue;
        if (q !== bodiesOf) {
          fillBodies(inputs, values, s, m, q, bodies);
          bodiesOf = q;
        }
        candidates += combine(inputs, values, bodies, p, best);
        values[(rowBase(s) + rowIn(s, p, q)) * width + m] = best.timeMs;
      }
    }
  }
  return { ...inputs, values, counters: { entries, candidates } };
}

/** The best move at (s, m, p, q) of a filled table (the fill's own computation, repeated for one state). */
export function spineChoice(table: SpineTable, s: number, m: number, p: number, q: number): SpineChoice {
  const bodies = newBodies(table.view.length);
  const best = newBest();
  fillBodies(table, table.values, s, m, q, bodies);
  combine(table, table.values, bodies, p, best);
  const { copy, ...rest } = best;
  return { ...rest, copy: COPY_CODES[copy] as CopyAction };
}

/** Q(s, m, p, q) of a filled table. */
export function spineAt(table: SpineTable, s: number, m: number, p: number, q: number): number {
  return spineValue(table, table.values, s, m, p, q);
}
