/**
 * The joint model's time rows (proofs/milp.md, "The joint model"): the stage grid's makespan with the
 * stalls that offloading and prefetching cause, as a lower bound on the evaluator's clock for every
 * rebuilt grid-offload schedule. Columns, all continuous in [0, H] ms:
 * - `tau[t]`, t = 0..T: the compute clock when stage `t`'s first instruction runs (`tau[T]`: compute ends);
 * - `off[i]` in [0, 1] for each prefetchable node: `O i` is issued right after the frontier `F i`;
 *   `o[i]`: when it starts on the device-to-host channel (offloads run in node order, their issue order);
 * - `w[s,i]` in [0, 1]: at least 1 when `a:i` was offloaded and kept into every stage `i+1..s`;
 * - `e[t,i]` per `P[t,i]` column, in stage then node order: the host-to-device channel's free time after it;
 * - `Z`, the objective: at least the compute's end and each channel's last transfer.
 * Rows: stages run in order (`tau[t+1] >= tau[t] + compute of stage t`); an offload starts after `F i`
 * and after the one before it; the first free after an offload waits for it (`tau[f+1] >= o[i] + d_i`
 * when `w[f,i] = 1` and `S[f+1,i] = 0`); a prefetch starts after its issue, the channel and its offload's
 * end; a prefetched tensor freed in its stage (not kept) waits for it, as does a backward reading it.
 * Size: O(stages x n) columns and rows.
 */
import { mayRetain } from "./grid.js";
import { addRow, type Build, FIXED_ONE, FIXED_ZERO } from "./model-rows.js";

/** Where the joint model's time and offload columns are. */
export interface JointColumns {
  /** Per node: the column of `off[i]`, -1 for nodes never prefetched. */
  readonly offload: Int32Array;
  /** The makespan column. */
  readonly makespan: number;
}

/** What the time rows need beyond the grid. */
export interface JointTimeSpec {
  /** Per node: the duration of one transfer of `a:i` (latency + bytes / bandwidth), ms. */
  readonly transferMs: Float64Array;
  /** Every time lies in [0, horizonMs] (an incumbent's makespan, or the sum of every op and transfer). */
  readonly horizonMs: number;
  /** Only solutions with makespan <= this (ms), when given. */
  readonly cutoffMs?: number;
  /**
   * The model's unit of time, ms (every time is divided by it, so that an instance with every time
   * scaled by k builds the same model up to rounding and the backend's absolute tolerances act alike).
   */
  readonly unitMs: number;
}

/** Stage `t`'s compute as terms on `R` and a constant (fixed forwards and the backward), ms. */
function stageCompute(b: Build, t: number, unit: number): { terms: [number, number][]; constant: number } {
  const { grid, columns } = b;
  const { n, g } = grid;
  const terms: [number, number][] = [];
  let constant = 0;
  for (let i = 0; i <= (grid.top[t] as number); i++) {
    const r = columns.compute[t * n + i] as number;
    if (r === FIXED_ONE) constant += (g.fwd[i] as number) / unit;
    else if (r !== FIXED_ZERO) terms.push([r, (g.fwd[i] as number) / unit]);
  }
  const w = grid.backwardOf[t] as number;
  if (w >= 0) constant += (g.bwd[w] as number) / unit;
  return { terms, constant };
}

/**
 * The largest transfer's duration over prefetchable nodes, ms (big-M is the horizon plus twice it).
 */
function largestTransfer(b: Build, spec: JointTimeSpec): number {
  let largest = 0;
  for (let i = 0; i < b.grid.n; i++) largest = Math.max(largest, spec.transferMs[i] as number);
  return largest;
}

/**
 * Adds the time columns and rows and the objective `Z` (in units of `unitMs`) to the joint model;
 * returns their columns.
 * Call after the `R`, `S` and `P` columns exist (model.ts).
 */
export function addTimeRows(b: Build, raw: JointTimeSpec): JointColumns {
  const { m, grid } = b;
  const unit = raw.unitMs;
  const spec: JointTimeSpec = {
    transferMs: raw.transferMs.map((ms) => ms / unit),
    horizonMs: raw.horizonMs / unit,
    ...(raw.cutoffMs === undefined ? {} : { cutoffMs: raw.cutoffMs / unit }),
    unitMs: 1,
  };
  const { stages } = grid;
  const horizon = spec.horizonMs;
  const big = horizon + 2 * largestTransfer(b, spec);
  const tau: number[] = [];
  for (let t = 0; t <= stages; t++) tau.push(m.addVariable(`tau${t}`, { upper: t === 0 ? 0 : horizon }));
  for (let t = 0; t < stages; t++) {
    const { terms, constant } = stageCompute(b, t, unit);
    const parts: [number, number][] = [
      [tau[t + 1] as number, 1],
      [tau[t] as number, -1],
      ...terms.map(([c, x]) => [c, -x] as [number, number]),
    ];
    addRow(b, `stage${t}`, parts, { lower: constant });
  }
  const makespan = m.addVariable("Z", { upper: horizon, objective: 1 });
  addRow(
    b,
    "zcompute",
    [
      [makespan, 1],
      [tau[stages] as number, -1],
    ],
    { lower: 0 },
  );
  const offload = addOffloads(b, spec, tau, makespan, big, unit);
  addPrefetches(b, spec, tau, offload, makespan, big, unit);
  if (spec.cutoffMs !== undefined)
    addRow(b, "cutoff", [[makespan, 1]], { upper: spec.cutoffMs + 1e-9 * Math.max(1, spec.cutoffMs) });
  return { offload: offload.off, makespan };
}

/** Whether node `i` has a `P` column in some stage. */
function prefetched(b: Build, i: number): boolean {
  const { grid, columns } = b;
  for (let t = i + 1; t < grid.stages; t++)
    if ((columns.prefetch[t * grid.n + i] as number) >= 0) return true;
  return false;
}

/**
 * Adds `off`, `o` and `w` for each prefetched node, the offload channel in node order, `off >= P`, and
 * the first free's wait; returns the columns of `off` and `o` by node (-1 where absent).
 */
function addOffloads(
  b: Build,
  spec: JointTimeSpec,
  tau: number[],
  makespan: number,
  big: number,
  unit: number,
): { off: Int32Array; start: Int32Array } {
  const { m, grid, columns } = b;
  const { n } = grid;
  const offload = new Int32Array(n).fill(-1);
  const starts = new Int32Array(n).fill(-1);
  let previous: { o: number; off: number; d: number } | undefined;
  for (let i = 0; i < n; i++) {
    if (!prefetched(b, i)) continue;
    const d = spec.transferMs[i] as number;
    const off = m.addVariable(`off${i}`, { upper: 1 });
    offload[i] = off;
    const o = m.addVariable(`o${i}`, { upper: spec.horizonMs });
    starts[i] = o;
    const { terms, constant } = stageCompute(b, i, unit);
    addRow(
      b,
      `oafter${i}`,
      [[o, 1], [tau[i] as number, -1], ...terms.map(([c, x]) => [c, -x] as [number, number])],
      {
        lower: constant,
      },
    );
    if (previous !== undefined)
      addRow(
        b,
        `ochan${i}`,
        [
          [o, 1],
          [previous.o, -1],
          [previous.off, -previous.d],
        ],
        { lower: 0 },
      );
    previous = { o, off, d };
    for (let t = i + 1; t < grid.stages; t++) {
      const p = columns.prefetch[t * n + i] as number;
      if (p >= 0)
        addRow(
          b,
          `offp${t}_${i}`,
          [
            [off, 1],
            [p, -1],
          ],
          { lower: 0 },
        );
    }
    addFreeWaits(b, tau, i, off, o, d, big);
  }
  if (previous !== undefined)
    addRow(
      b,
      "zoffload",
      [
        [makespan, 1],
        [previous.o, -1],
        [previous.off, -previous.d],
      ],
      { lower: 0 },
    );
  return { off: offload, start: starts };
}

/**
 * The first free of `a:i` after its offload waits for it: with `w[i] = off` and `w[s] >= w[s-1] + S[s,i]
 * - 1` (1 when offloaded and kept through stage `s`), `tau[f+1] >= o + d - big (1 - w[f]) - big S[f+1,i]`
 * for each stage `f` from `i` until `a:i` can no longer be kept.
 */
function addFreeWaits(
  b: Build,
  tau: number[],
  i: number,
  off: number,
  o: number,
  d: number,
  big: number,
): void {
  const { m, grid, columns } = b;
  const { n } = grid;
  let w = off;
  for (let f = i; f < grid.stages; f++) {
    const kept =
      f + 1 < grid.stages && mayRetain(grid, f + 1, i)
        ? (columns.retain[(f + 1) * n + i] as number)
        : FIXED_ZERO;
    addRow(
      b,
      `owait${f}_${i}`,
      [
        [tau[f + 1] as number, 1],
        [o, -1],
        [w, -big],
        [kept, big],
      ],
      { lower: d - big },
    );
    if (kept < 0) return;
    const next = m.addVariable(`w${f + 1}_${i}`, { upper: 1 });
    addRow(
      b,
      `wchain${f + 1}_${i}`,
      [
        [next, 1],
        [w, -1],
        [kept, -1],
      ],
      { lower: -1 },
    );
    w = next;
  }
}

/** Where the prefetch rows are added: the time columns and big-M. */
interface PrefetchSite {
  readonly b: Build;
  readonly spec: JointTimeSpec;
  readonly tau: readonly number[];
  readonly offloadStart: Int32Array;
  readonly big: number;
  /** The unit of time, ms (the spec's times are already in it; the instance's backward times are not). */
  readonly unit: number;
}

/**
 * Adds `e[t,i]` for each `P[t,i]` in stage then node order (the rebuild's issue order), and the
 * makespan's row on the last one.
 */
function addPrefetches(
  b: Build,
  spec: JointTimeSpec,
  tau: readonly number[],
  offload: { readonly start: Int32Array },
  makespan: number,
  big: number,
  unit: number,
): void {
  const { grid, columns } = b;
  const site: PrefetchSite = { b, spec, tau, offloadStart: offload.start, big, unit };
  let channel: number | undefined;
  for (let t = 1; t < grid.stages; t++)
    for (let i = 0; i < grid.n; i++) {
      const p = columns.prefetch[t * grid.n + i] as number;
      if (p >= 0) channel = addPrefetch(site, t, i, p, channel);
    }
  if (channel !== undefined)
    addRow(
      b,
      "zprefetch",
      [
        [makespan, 1],
        [channel, -1],
      ],
      { lower: 0 },
    );
}

/**
 * The rows of one prefetch `P[t,i]` (column `p`), after the channel's previous one: the channel is
 * serial, the prefetch starts after its stage starts and after its offload ended, and a prefetched
 * `a:i` not kept into the next stage (read or freed in this one) and a backward reading it wait for its
 * end. Returns the column of `e[t,i]`.
 */
function addPrefetch(
  site: PrefetchSite,
  t: number,
  i: number,
  p: number,
  channel: number | undefined,
): number {
  const { b, spec, tau, big } = site;
  const { grid, columns } = b;
  const { n, g } = grid;
  const d = spec.transferMs[i] as number;
  const e = b.m.addVariable(`e${t}_${i}`, { upper: spec.horizonMs });
  if (channel !== undefined)
    addRow(
      b,
      `echan${t}_${i}`,
      [
        [e, 1],
        [channel, -1],
        [p, -d],
      ],
      { lower: 0 },
    );
  addRow(
    b,
    `eissue${t}_${i}`,
    [
      [e, 1],
      [tau[t] as number, -1],
      [p, -big],
    ],
    { lower: d - big },
  );
  addRow(
    b,
    `eoff${t}_${i}`,
    [
      [e, 1],
      [site.offloadStart[i] as number, -1],
      [p, -big],
    ],
    { lower: 2 * d - big },
  );
  const kept = t + 1 < grid.stages ? (columns.retain[(t + 1) * n + i] as number) : FIXED_ZERO;
  addRow(
    b,
    `eread${t}_${i}`,
    [
      [tau[t + 1] as number, 1],
      [e, -1],
      [p, -big],
      [kept, big],
    ],
    { lower: -big },
  );
  const w = grid.backwardOf[t] as number;
  if (w >= 0 && (grid.backwardReads[t] as readonly number[]).includes(i))
    addRow(
      b,
      `ebwd${t}_${i}`,
      [
        [tau[t + 1] as number, 1],
        [e, -1],
        [p, -big],
      ],
      { lower: (g.bwd[w] as number) / site.unit - big },
    );
  return e;
}
