/**
 * The memory rows of the stage-grid model (proofs/milp.md, "The model", rows 5 and 6): per stage, the
 * bytes while each op runs, `U` after each forward and its frees, and the frees' upper bounds. O(stages x
 * (n + |E|)) rows.
 */
import { addRow, type Build, FIXED_ONE, FIXED_ZERO } from "./model-rows.js";

/**
 * The memory rows of stage `t`: what is resident at its start, then for each forward the bytes while it
 * runs (`<= budget`) and `U` after it and its frees, then the bytes while the backward runs.
 */
export function addMemoryRows(b: Build, t: number): void {
  const { grid, columns, m } = b;
  const { n, g } = grid;
  const base = t * n;
  let prev: [number, number][] = [];
  let constant = b.fixedUnits + (grid.gradientBytes[t] as number) / b.unit;
  for (let i = 0; i < n; i++) {
    const s = columns.retain[base + i] as number;
    if (s >= 0) prev.push([s, (g.bytes[i] as number) / b.unit]);
    const p = columns.prefetch[base + i] as number;
    if (p >= 0) prev.push([p, (g.bytes[i] as number) / b.unit]);
    const h = b.held[base + i] as number;
    if (h >= 0) prev.push([h, (g.tapeBytes[i] as number) / b.unit]);
  }
  for (let k = 0; k <= (grid.top[t] as number); k++) {
    const r = columns.compute[base + k] as number;
    if (r === FIXED_ZERO) continue;
    const out = (g.bytes[k] as number) / b.unit;
    const tape = columns.tape[base + k] as number;
    const tapeUnits = (g.tapeBytes[k] as number) / b.unit;
    const during: [number, number][] = [
      ...prev,
      [r, out + (g.fwdTemp[k] as number) / b.unit],
      [tape, tapeUnits],
    ];
    addRow(b, `mem${t}_${k}`, during, { upper: b.budgetUnits - constant });
    const after = m.addVariable(`U${t}_${k}`, { lower: Number.NEGATIVE_INFINITY });
    const frees = addFrees(b, t, k, r);
    addRow(
      b,
      `u${t}_${k}`,
      [
        [after, 1],
        ...prev.map(([c, x]) => [c, -x] as [number, number]),
        [r, -out],
        [tape, -tapeUnits],
        ...frees,
      ],
      {
        lower: constant,
        upper: constant,
      },
    );
    prev = [[after, 1]];
    constant = 0;
  }
  const w = grid.backwardOf[t] as number;
  if (w < 0) return;
  const extra = ((grid.newGradientBytes[t] as number) + (g.bwdTemp[w] as number)) / b.unit;
  addRow(b, `bmem${t}`, prev, { upper: b.budgetUnits - constant - extra });
}

/**
 * Adds `F[t,k,i]` for each activation `i` the forward of `k` reads or makes, unless a later op of the
 * stage surely reads it; returns their terms for `U[t,k]`'s row (`+ bytes(i) F`, moved to the left).
 */
function addFrees(b: Build, t: number, k: number, r: number): [number, number][] {
  const { grid, columns, m } = b;
  const { n, g } = grid;
  const base = t * n;
  const terms: [number, number][] = [];
  const backwardReads = grid.backwardReads[t] as readonly number[];
  for (const i of [...(grid.reads[k] as readonly number[]), k]) {
    if (backwardReads.includes(i)) continue;
    const later = (g.consumers[i] as readonly number[]).filter(
      (j) => j > k && columns.compute[base + j] !== FIXED_ZERO,
    );
    if (later.some((j) => columns.compute[base + j] === FIXED_ONE)) continue;
    const free = m.addVariable(`F${t}_${k}_${i}`, { upper: 1 });
    if (r >= 0)
      addRow(
        b,
        `fr${t}_${k}_${i}`,
        [
          [free, 1],
          [r, -1],
        ],
        { upper: 0 },
      );
    const next = t + 1 < grid.stages ? (columns.retain[base + n + i] as number) : FIXED_ZERO;
    if (next >= 0)
      addRow(
        b,
        `fs${t}_${k}_${i}`,
        [
          [free, 1],
          [next, 1],
        ],
        { upper: 1 },
      );
    for (const j of new Set(later))
      addRow(
        b,
        `fl${t}_${k}_${i}_${j}`,
        [
          [free, 1],
          [columns.compute[base + j] as number, 1],
        ],
        { upper: 1 },
      );
    terms.push([free, (g.bytes[i] as number) / b.unit]);
  }
  return terms;
}
