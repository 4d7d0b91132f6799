/**
 * The joint model's offload columns and rows (joint-time.ts; proofs/milp.md, "The joint model"): for
 * each prefetched node `off[i]`, its start `o[i]` on the device-to-host channel in node order, and the
 * wait of the first free after the offload (`w[s,i]`).
 */
import { mayRetain } from "./grid.js";
import { type JointTimeSpec, stageCompute } from "./joint-time-spec.js";
import { addRow, type Build, FIXED_ZERO } from "./model-rows.js";

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
export function addOffloads(
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
