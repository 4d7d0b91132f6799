/**
 * The time table of chain-dp over the stored class (proofs/chain-dp.md, "Stored forms"): rotor's
 * persistent recurrence where each move may also hold its segment's start `a_s` in a stored form while
 * it waits for the part it does not read (a chain move's sub-segment, a leaf's right part):
 *
 *   C(m, s, t) = min( chain:        u_f[s] + u_b[s] + C(m - xbar_{s+1}, s+1, t)
 *                     chain, mode:  (u_f[s] + u_b[s] + c) + C(m + x_s - st - xbar_{s+1}, s+1, t)
 *                     leaf j:       (sweep + C(m - x_j, j, t)) + C(m, s, j-1)
 *                     leaf j, mode: ((sweep + c) + C(m + r_s - st - x_j, j, t)) + C(m, s, j-1) )
 *
 * each move only where its own moments fit m (`storedMoveNeeds`), `st` the stored form's slots and `c`
 * its convert plus expand time, `r_s` what freeing `a_s` gives back (`StoredChain.release`: x_s in
 * bytes); ordered by (time, forwards). The budget of a segment counts everything but its start, as in
 * table.ts, so a stored wait gives the part it waits for `r_s - st` more. A
 * segment starting at s is read only at m <= cap(s) = budgetSlots - x_s (everything the caller holds
 * is non-negative), and every part of a move read at such an m is read within its own cap: the table
 * keeps m in [0, cap(s)] per segment. Candidates are scanned in one fixed order (chain, its modes, then
 * j ascending, each leaf then its modes) by one function that the fill and the read-back share, so the
 * read-back recomputes each value with the same float operations.
 *
 * O(L^3 * S * (modes + 1)) time, 12 bytes per entry, sum over s of (L - s)(cap(s) + 1) entries; no
 * pruning (the stored class is planned on block chains, tens of stages).
 */
import { InternalError } from "../../src/errors.js";
import type { StorageMode } from "../../src/instance/types.js";
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import type { ChainView } from "./chain-view.js";
import type { ChainSizes } from "./discretize.js";
import { chainNeed, sweepNeed } from "./memory.js";
import type { StoredOption } from "./stored-options.js";

/** A stored form in the unit of the table: its slots and the time one wait in it adds. */
export interface SlotOption {
  readonly mode: StorageMode;
  /** Slots of `s:v_k` (at most x_k - 1: forms as large as the activation are left out). */
  readonly st: number;
  readonly ms: number;
}

/** What the recurrence reads: the chain, its sizes in one unit, and the stored forms in that unit. */
export interface StoredChain {
  readonly view: ChainView;
  readonly sizes: ChainSizes;
  /**
   * release[k]: what freeing `a_k` gives back, in this unit, whether or not its tape stays resident:
   * `xbar_k - units(tape_k)` (at most x_k; x_k exactly in bytes). A segment start reached by a chain move
   * holds `a_k` and its tape in the xbar_k units its caller reserved, rounded up together, so freeing
   * `a_k` alone may free less than x_k units (proofs/chain-dp.md, "Slot rounding of stored bytes").
   */
  readonly release: ArrayLike<number>;
  /** options[k]: the forms `a_k` may wait in as a segment start, smaller than release[k] in this unit. */
  readonly options: readonly (readonly SlotOption[])[];
}

/** The filled table. */
export interface StoredTable {
  readonly chain: StoredChain;
  /** cap[s] = budgetSlots - x_s: the largest budget a segment starting at s is read at (-1: none). */
  readonly cap: Int32Array;
  /** Entries of segment (s, t) at base[s*L + t] + m, m in [0, cap[s]]. */
  readonly base: Int32Array;
  readonly time: Float64Array;
  readonly forwards: Int32Array;
  readonly counters: { readonly entries: number; readonly candidates: number };
}

/** A move of a segment at a budget, with the budgets of its parts. */
export type StoredMove =
  | { readonly kind: "chain"; readonly mode?: StorageMode; readonly restM?: number }
  | {
      readonly kind: "leaf";
      readonly j: number;
      readonly mode?: StorageMode;
      readonly rightM: number;
      readonly leftM: number;
    };

/**
 * The chain of the recurrence in the unit of `sizes` (`toSlots` converts bytes to it): `release` from
 * the view's tapes, and the stored forms that free something (st < release).
 */
export function storedChain(
  view: ChainView,
  sizes: ChainSizes,
  options: readonly (readonly StoredOption[])[],
  toSlots: (bytes: number) => number,
): StoredChain {
  const release = Float64Array.from({ length: view.length }, (_, k) =>
    k === 0
      ? (sizes.x[0] as number)
      : (sizes.xbar[k] as number) - toSlots((view.xbar[k] as number) - (view.x[k] as number)),
  );
  return {
    view,
    sizes,
    release,
    options: options.map((list, k) =>
      list
        .map((option) => ({ mode: option.mode, st: toSlots(option.bytes), ms: option.ms }))
        .filter((option) => option.st < (release[k] as number)),
    ),
  };
}

/** The number of entries of the table of `chain` at `budgetSlots` (before anything is allocated). */
export function storedTableEntries(chain: StoredChain, budgetSlots: number): number {
  const L = chain.view.length;
  let entries = 0;
  for (let s = 0; s < L; s++) {
    const cap = budgetSlots - (chain.sizes.x[s] as number);
    if (cap >= 0) entries += (L - s) * (cap + 1);
  }
  return entries;
}

/**
 * Fills the table for an activation budget of `budgetSlots` (the input included: the top call reads
 * (0, L-1) at cap[0] = budgetSlots - x_0). The caller checks its size first.
 * @throws TimeLimitReached when `deadline` passes (checked before every segment, phase "stored table")
 */
export function fillStoredTable(
  chain: StoredChain,
  budgetSlots: number,
  deadline: Deadline = NO_DEADLINE,
): StoredTable {
  const L = chain.view.length;
  const cap = new Int32Array(L);
  const base = new Int32Array(L * L);
  let at = 0;
  for (let s = 0; s < L; s++) {
    cap[s] = Math.max(-1, budgetSlots - (chain.sizes.x[s] as number));
    for (let t = s; t < L; t++) {
      base[s * L + t] = at;
      at += (cap[s] as number) + 1;
    }
  }
  const table = {
    chain,
    cap,
    base,
    time: new Float64Array(at).fill(Number.POSITIVE_INFINITY),
    forwards: new Int32Array(at),
    counters: { entries: at, candidates: 0 },
  };
  const best = { time: 0, forwards: 0, candidates: 0 };
  for (let d = 0; d < L; d++)
    for (let s = 0; s + d < L; s++) {
      deadline.check("stored table");
      const t = s + d;
      const p = base[s * L + t] as number;
      for (let m = 0; m <= (cap[s] as number); m++) {
        scanMoves(table, s, t, m, best);
        table.time[p + m] = best.time;
        table.forwards[p + m] = best.forwards;
      }
    }
  return { ...table, counters: { entries: at, candidates: best.candidates } };
}

/** The table's (time, forwards) of segment (s, t) at m; infinite below 0 slots. */
export function storedValue(
  table: Readable,
  s: number,
  t: number,
  m: number,
): { readonly time: number; readonly forwards: number } {
  if (m < 0) return { time: Number.POSITIVE_INFINITY, forwards: 0 };
  if (m > (table.cap[s] as number))
    throw new InternalError(`chain-dp: segment (${s}, ${t}) read at ${m} slots, above its cap`);
  const at = (table.base[s * table.chain.view.length + t] as number) + m;
  return { time: table.time[at] as number, forwards: table.forwards[at] as number };
}

/** The running best of a scan (written in place), and the candidates evaluated. */
interface Best {
  time: number;
  forwards: number;
  candidates: number;
}

/** The table as the scan reads it. */
type Readable = Pick<StoredTable, "chain" | "cap" | "base" | "time" | "forwards">;

/** One scan of segment (s, t) at m: `offer` takes each candidate and says whether it is the target. */
interface Scan {
  readonly table: Readable;
  readonly s: number;
  readonly t: number;
  readonly m: number;
  readonly offer: (time: number, forwards: number) => boolean;
}

/**
 * Every move of segment (s, t) whose own moments fit m, in the fixed order (see the file comment):
 * writes the least (time, forwards) into `best`; with `target`, returns the first move attaining it.
 */
export function scanMoves(
  table: Readable,
  s: number,
  t: number,
  m: number,
  best: Best,
  target?: { readonly time: number; readonly forwards: number },
): StoredMove | undefined {
  best.time = Number.POSITIVE_INFINITY;
  best.forwards = 0;
  const offer = (time: number, forwards: number): boolean => {
    best.candidates++;
    if (time < best.time || (time === best.time && forwards < best.forwards)) {
      best.time = time;
      best.forwards = forwards;
    }
    return target !== undefined && time === target.time && forwards === target.forwards;
  };
  const scan: Scan = { table, s, t, m, offer };
  const chain = scanChain(scan);
  if (chain !== undefined || table.chain.view.recomputable[s] === 0) return chain;
  return scanLeaves(scan);
}

/** The chain moves of {@link scanMoves}: plain, then in each stored form. */
function scanChain({ table, s, t, m, offer }: Scan): StoredMove | undefined {
  const { view, sizes, options, release } = table.chain;
  const { xbar, delta } = sizes;
  const stageMs = (view.uf[s] as number) + (view.ub[s] as number);
  if (m < chainNeed(sizes, s, t)) return undefined;
  if (s === t) return offer(stageMs, 1) ? { kind: "chain" } : undefined;
  const xb = xbar[s + 1] as number;
  const rest = storedValue(table, s + 1, t, m - xb);
  if (offer(stageMs + rest.time, 1 + rest.forwards)) return { kind: "chain", restM: m - xb };
  for (const option of options[s] as readonly SlotOption[]) {
    const { st } = option;
    if (m < (delta[t + 1] as number) + xb + st || m < xb + (delta[s + 1] as number) + st) continue;
    const restM = m + (release[s] as number) - st - xb;
    const stored = storedValue(table, s + 1, t, restM);
    if (offer(stageMs + option.ms + stored.time, 1 + stored.forwards))
      return { kind: "chain", mode: option.mode, restM };
  }
  return undefined;
}

/** The leaf moves of {@link scanMoves}, j ascending, each plain then in each stored form. */
function scanLeaves(scan: Scan): StoredMove | undefined {
  const { table, s, t, m } = scan;
  const { view, sizes } = table.chain;
  if (m < sweepNeed(sizes, s, t, s)) return undefined;
  // the sweep's later forwards (k > s), which a stored wait shifts by st - x_s
  let later = Number.NEGATIVE_INFINITY;
  let sweepMs = 0;
  for (let j = s + 1; j <= t; j++) {
    if (j > s + 1) {
      if (view.recomputable[j - 1] === 0) break;
      later = Math.max(later, sweepNeed(sizes, s, t, j - 1));
    }
    sweepMs += view.uf[j - 1] as number;
    const move = scanLeaf(scan, j, sweepMs, later);
    if (move !== undefined) return move;
  }
  return undefined;
}

/** The leaf at j, plain then in each stored form; `later`: the sweep's moments past its first forward. */
function scanLeaf(
  { table, s, t, m, offer }: Scan,
  j: number,
  sweepMs: number,
  later: number,
): StoredMove | undefined {
  const { sizes, options, release } = table.chain;
  const { x, delta } = sizes;
  const r = release[s] as number;
  const left = storedValue(table, s, j - 1, m);
  if (m >= later) {
    const right = storedValue(table, j, t, m - (x[j] as number));
    if (offer(sweepMs + right.time + left.time, j - s + right.forwards + left.forwards))
      return { kind: "leaf", j, rightM: m - (x[j] as number), leftM: m };
  }
  for (const option of options[s] as readonly SlotOption[]) {
    const { st } = option;
    const fits =
      m >= (delta[t + 1] as number) + (x[s + 1] as number) + st &&
      m >= later + st - r &&
      m >= (delta[j] as number) + st;
    if (!fits) continue;
    const rightM = m + r - st - (x[j] as number);
    const right = storedValue(table, j, t, rightM);
    if (offer(sweepMs + option.ms + right.time + left.time, j - s + right.forwards + left.forwards))
      return { kind: "leaf", j, mode: option.mode, rightM, leftM: m };
  }
  return undefined;
}
