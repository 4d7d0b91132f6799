/**
 * The groups of the block relaxation (blocks-model.ts; proofs/milp-blocks.md): consecutive blocks
 * between the graph's cut points (solvers/graph/cut-points.ts) merged until each group holds at least
 * `groupNodes` non-source nodes, and which cells of the stage grid the relaxation keeps per node. A
 * node read by a group's nodes lies in the group, is the last node of the group before, or is a source
 * (the cut property), so the detailed cells of a stage are everything its ops read. O(n + m).
 */
import { cutMarks, cutPoints } from "../../src/graph/cut-points.js";
import type { StageGrid } from "./grid.js";

/** Nodes per group, and what each stage keeps detailed. */
export interface BlockGroups {
  /** Per node: its group (0..count-1), or -1 for a source or a taped node (always detailed). */
  readonly group: Int32Array;
  /** Number of groups. */
  readonly count: number;
  /** Per group: its first and last node (listed order; sources and taped nodes inside are skipped). */
  readonly first: Int32Array;
  readonly last: Int32Array;
  /** Per stage: the group of the highest grouped node at or below the stage's top (-1 if none). */
  readonly stageGroup: Int32Array;
}

/**
 * Groups of at least `groupNodes` non-source nodes, closed only right after a cut point (the last group
 * may be smaller); `groupNodes >= n` gives one group, so every cell is detailed.
 */
export function blockGroups(grid: StageGrid, groupNodes: number): BlockGroups {
  const { g, n } = grid;
  const isCut = cutMarks(g, cutPoints(g));
  const group = new Int32Array(n).fill(-1);
  const first: number[] = [];
  const last: number[] = [];
  let current = 0;
  let size = 0;
  for (let v = 0; v < n; v++) {
    if (g.isSource[v] === 1 || grid.hasTape[v] === 1) continue;
    if (size === 0) first.push(v);
    group[v] = current;
    size++;
    last[current] = v;
    if (isCut[v] === 1 && size >= groupNodes && v < n - 1) {
      current++;
      size = 0;
    }
  }
  const count = size === 0 ? current : current + 1;
  const below = new Int32Array(n); // group of the highest grouped node <= v
  let seen = -1;
  for (let v = 0; v < n; v++) {
    if ((group[v] as number) >= 0) seen = group[v] as number;
    below[v] = seen;
  }
  const stageGroup = Int32Array.from(grid.top, (top) => below[top] as number);
  return {
    group,
    count,
    first: Int32Array.from(first),
    last: Int32Array.from(last.slice(0, count)),
    stageGroup,
  };
}

/**
 * Whether the relaxation keeps stage `t`'s cell of node `i <= top(t)` detailed: a source or taped node,
 * a node of the stage's group (that of its top, or of the highest grouped node below it), or the last node of the group before it. Other cells are
 * aggregated per group.
 */
export function isDetailed(groups: BlockGroups, t: number, i: number): boolean {
  const own = groups.group[i] as number;
  if (own < 0) return true;
  const topGroup = groups.stageGroup[t] as number;
  return own === topGroup || (own === topGroup - 1 && i === groups.last[own]);
}
