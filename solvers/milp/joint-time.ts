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
import { addOffloads } from "./joint-offloads.js";
import { addPrefetches } from "./joint-prefetches.js";
import { type JointTimeSpec, stageCompute } from "./joint-time-spec.js";
import { addRow, type Build } from "./model-rows.js";

/** Where the joint model's time and offload columns are. */
export interface JointColumns {
  /** Per node: the column of `off[i]`, -1 for nodes never prefetched. */
  readonly offload: Int32Array;
  /** The makespan column. */
  readonly makespan: number;
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
