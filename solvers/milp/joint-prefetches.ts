/**
 * The joint model's prefetch columns and rows (joint-time.ts; proofs/milp.md, "The joint model"): the
 * host-to-device channel's free time `e[t,i]` after each `P[t,i]`, in stage then node order, and the
 * waits of the reads and frees of a prefetched tensor.
 */
import type { JointTimeSpec } from "./joint-time-spec.js";
import { addRow, type Build, FIXED_ZERO } from "./model-rows.js";

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
export function addPrefetches(
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
