/**
 * What the chain family allocates, stated before it allocates: every table of chain-dp is
 * sized here first and refused with an InputError (code `option`) when it would pass the caps, never
 * left to a RangeError or an out-of-memory crash.
 *
 * Sizes, per pair of stages (L^2 indices, the upper triangle used): the edges (feasibility.ts) 28 bytes
 * (need, its copy by end and full as float64, choice as int32); the time table (table.ts) 48 more (last, base and coarse
 * base as int32, byEnd 3 x int32, least and leastByEnd as float64, need and full clamped to int32).
 * Per table entry 12 bytes (time float64, forwards int32), plus 8 per coarse entry (one per 64 budgets
 * of a segment, and one more per segment).
 */
import { InputError } from "../../src/errors.js";
import type { Objective } from "../../src/optimality.js";

/**
 * Cap on the bytes chain-dp's tables may take: 4 GiB. The tables are typed arrays outside the V8 heap,
 * so the cap is ours: it keeps one solve within an 8 GB machine beside its process, and leaves room on
 * a shared one (the 24 GiB machine of bench/results runs several jobs). L = 1,000 at S = 500 takes
 * 2.3 GB (bench/results/chain-dp.md).
 */
export const MEMORY_CAP_BYTES = 4 * 2 ** 30;
/** Table entries are addressed by int32 offsets (Pools.base): at most 2^31 - 1 of them. */
export const MAX_TABLE_ENTRIES = 2 ** 31 - 1;
/** Bytes per pair of stages of the edges tables (need, need by end, full: float64; choice: int32). */
export const EDGE_BYTES_PER_PAIR = 28;
/** Bytes per pair of stages of the time table's own index tables, on top of the edges. */
export const TABLE_BYTES_PER_PAIR = 48;
/** Bytes per table entry (time float64 + forwards int32). */
export const ENTRY_BYTES = 12;
/** Bytes per coarse entry (float64). */
export const COARSE_ENTRY_BYTES = 8;
/**
 * Cap on the instructions of an emitted schedule: 2^23 (8.4 million). A schedule takes about 90 bytes
 * an instruction as objects (measured), its text form in the result about as much again, so this keeps
 * both within Node's default heap (4 GiB here); emitting and checking one takes seconds.
 */
export const MAX_SCHEDULE_INSTRUCTIONS = 2 ** 23;

/**
 * Cap on the instructions of the schedule a `timeout` answer carries (the best plan known when the
 * limit passed), emitted after the limit: 200,000, about 0.3 s to emit, evaluate and format on the
 * loaded 2-core machine of bench/results (1 million took 2 s), so the overrun stays small.
 */
export const FALLBACK_INSTRUCTIONS = 200_000;

const GIB = 2 ** 30;

/** Bytes of the L^2 index tables a solve of `objective` allocates (time: edges and table; memory: edges). */
export function pairTableBytes(length: number, objective: Objective): number {
  const perPair = objective === "time" ? EDGE_BYTES_PER_PAIR + TABLE_BYTES_PER_PAIR : EDGE_BYTES_PER_PAIR;
  return perPair * length * length;
}

/** Bytes of a time table of `entries` entries and `coarseEntries` coarse entries over L stages, index tables included. */
export function timeTableBytes(length: number, entries: number, coarseEntries: number): number {
  return pairTableBytes(length, "time") + ENTRY_BYTES * entries + COARSE_ENTRY_BYTES * coarseEntries;
}

/** The most bytes a time table of S slots over L stages can take (every segment holding M + 1 <= S + 1 entries). */
function worstTableBytes(length: number, slots: number): number {
  const segments = (length * (length + 1)) / 2;
  return timeTableBytes(length, segments * (slots + 1), segments * (Math.floor(slots / 64) + 2));
}

/** The largest slot count whose time table over L stages surely fits the caps, 0 when not even one slot does. */
export function slotsThatFit(length: number): number {
  const segments = (length * (length + 1)) / 2;
  const fits = (slots: number) =>
    worstTableBytes(length, slots) <= MEMORY_CAP_BYTES && segments * (slots + 1) <= MAX_TABLE_ENTRIES;
  if (!fits(1)) return 0;
  let low = 1;
  let high = 2;
  while (fits(high)) high *= 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** The longest chain whose tables for `objective` fit the cap (for time, with at least one slot). */
export function longestChain(objective: Objective): number {
  const fits = (length: number) =>
    objective === "time" ? slotsThatFit(length) >= 1 : pairTableBytes(length, "memory") <= MEMORY_CAP_BYTES;
  let low = 1;
  let high = 2;
  while (fits(high)) high *= 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}

/** The refusal of a chain of `length` stages, too long for the tables of `objective`. */
function chainTooLong(length: number, objective: Objective, instanceName: string): InputError {
  const perPair = objective === "time" ? EDGE_BYTES_PER_PAIR + TABLE_BYTES_PER_PAIR : EDGE_BYTES_PER_PAIR;
  return new InputError(
    "chain-dp",
    [
      {
        code: "option",
        path: "nodes",
        expected: `a chain of at most ${longestChain(objective)} stages for the ${objective} objective (its tables take ${perPair} bytes per pair of stages, and chain-dp's cap is ${gib(MEMORY_CAP_BYTES)})`,
        received: `${length} stages (${gib(pairTableBytes(length, objective))} of tables)`,
      },
    ],
    instanceName,
  );
}

/**
 * Refuses a chain too long for the tables of `objective`, before anything is allocated.
 * @throws InputError (code `option`, path `nodes`) naming the longest chain that fits
 */
export function requireChainFits(length: number, objective: Objective, instanceName: string): void {
  if (length > longestChain(objective)) throw chainTooLong(length, objective, instanceName);
}

/**
 * Refuses a time table that would pass the caps, before its entries are allocated.
 * @param slots the slot count asked for (S)
 * @throws InputError (code `option`, path `slots`) saying how many slots surely fit, or (path `nodes`)
 *   when not even one does
 */
export function requireTableFits(
  length: number,
  entries: number,
  coarseEntries: number,
  slots: number,
  instanceName: string,
): void {
  const bytes = timeTableBytes(length, entries, coarseEntries);
  if (bytes <= MEMORY_CAP_BYTES && entries <= MAX_TABLE_ENTRIES) return;
  const fewer = slotsThatFit(length);
  if (fewer < 1) throw chainTooLong(length, "time", instanceName);
  throw new InputError(
    "chain-dp",
    [
      {
        code: "option",
        path: "slots",
        expected: `at most ${fewer} slots for a chain of ${length} stages (a table that surely fits chain-dp's cap of ${gib(
          MEMORY_CAP_BYTES,
        )} and ${MAX_TABLE_ENTRIES} entries)`,
        received: `${slots} (a table of ${entries} entries, ${gib(bytes)})`,
      },
    ],
    instanceName,
  );
}

/**
 * Refuses a schedule too long to emit.
 * @param path the option that sets its length (`budget` for chain-dp and revolve, `extra.snapshots`)
 * @throws InputError (code `option`) when `instructions` exceeds MAX_SCHEDULE_INSTRUCTIONS
 */
export function requireScheduleFits(
  site: string,
  instructions: number,
  path: string,
  what: string,
  instanceName: string,
): void {
  if (instructions <= MAX_SCHEDULE_INSTRUCTIONS) return;
  throw new InputError(
    site,
    [
      {
        code: "option",
        path,
        expected: `${what} whose schedule has at most ${MAX_SCHEDULE_INSTRUCTIONS} instructions`,
        received: `one whose schedule has ${instructions}`,
      },
    ],
    instanceName,
  );
}
