/**
 * The spine table's shape (solvers/pofo/spine.ts fills it): the types the fill and the read-back share,
 * where each state (s, m, p, q) sits in the flat table, and the reads of a stored value.
 */
import { InternalError } from "../../src/errors.js";
import type { ChainView } from "../chain/chain-view.js";
import type { ChainSizes } from "../chain/discretize.js";
import type { TimeTable } from "../chain/table.js";
import type { ChainLink } from "./link.js";

/** How the prefetch a state carries is placed: none to carry, before its backward, or after it. */
export type PrefetchMode = "none" | "overlap" | "serial";

/**
 * What a move does with its checkpoint `a_s`: keeps it, or copies it to the host and frees it at the
 * end of its own forward (`now`) or of a later move's (`lagged`: the copy stays pending).
 */
export type CopyAction = "keep" | "now" | "lagged";

/** Everything the fill and the read-back read. */
export interface SpineInputs {
  readonly view: ChainView;
  readonly sizes: ChainSizes;
  readonly link: ChainLink;
  readonly rotor: TimeTable;
  /** M: the largest m any state can have (the activation budget in slots). */
  readonly maxSlots: number;
}

/** The filled spine table. */
export interface SpineTable extends SpineInputs {
  /** Q(s, m, p, q) at values[(rowBase(s) + rowIn(s, p, q)) (M + 1) + m]. */
  readonly values: Float64Array;
  /** Entries stored, and candidate moves compared. */
  readonly counters: { readonly entries: number; readonly candidates: number };
}

/**
 * The first row of the states at s. Stage s has 3 s + 1 rows: (p, none) for p in {none, 0..s-1}, then
 * (q, q) and (none, q) for q < s; this is their sum over s' < s.
 */
export function rowBase(s: number): number {
  return (3 * s * (s - 1)) / 2 + s;
}

/** The row of (p, q) among those of s (see {@link rowsAt}). */
export function rowIn(s: number, p: number, q: number): number {
  if (q < 0) return p + 1;
  return p === q ? s + 1 + q : 2 * s + 1 + q;
}

/** The entries a spine table of L stages and M slots holds. */
export function spineEntries(L: number, maxSlots: number): number {
  return rowBase(L) * (maxSlots + 1);
}

/** The best move of one state, as the read-back needs it. */
export interface SpineChoice {
  readonly timeMs: number;
  readonly kind: "chain" | "leaf";
  /** The leaf's j (s + 1 for a chain move). */
  readonly j: number;
  readonly copy: CopyAction;
  /** Whether the pending copy (of the state's q) is freed at the end of this move's forward. */
  readonly frees: boolean;
  readonly mode: PrefetchMode;
}

/** Infinity: the value of a state no move can serve. */
export const INF = Number.POSITIVE_INFINITY;

/** Q(s, m, p, q) from a table filled at least for every s' >= s. */
export function spineValue(
  inputs: SpineInputs,
  values: Float64Array,
  s: number,
  m: number,
  p: number,
  q: number,
): number {
  if (m < 0) return INF;
  if (m > inputs.maxSlots)
    throw new InternalError(`pofo: state (${s}, ${m}) above the ${inputs.maxSlots} slots`);
  return values[(rowBase(s) + rowIn(s, p, q)) * (inputs.maxSlots + 1) + m] as number;
}

/** The rest's time from `next` (none: -1, the spine ends and costs 0). */
export function restValue(
  inputs: SpineInputs,
  values: Float64Array,
  next: number,
  m: number,
  p: number,
  q: number,
): number {
  return next < 0 ? 0 : spineValue(inputs, values, next, m, p, q);
}

/** The slots a state's backward part has: m, plus `a_q`'s when its copy is pending (q >= 0). */
export function backwardSlots(inputs: SpineInputs, m: number, q: number): number {
  return q >= 0 ? m + (inputs.sizes.x[q] as number) : m;
}
