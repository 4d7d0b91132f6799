/**
 * The units a pipeline cuts (proofs/pipeline-model.md, "Stages"): a stage may end only at a cut point
 * of the forward graph (src/graph/cut-points.ts), where one activation is the only value crossing, so
 * a graph is a chain of units, unit u (1..K) holding the non-source nodes after the cut ending unit
 * u - 1 up to its own cut, and each source goes with the unit of its readers (a cut never separates
 * them). A chain's units are its nodes 1..L (node 0, its input, with unit 1); an op-level DAG's are
 * the residual, inception or dense blocks between its cut points. Solvers partition units; plans
 * still name node indices, `first..last`. O(n + m), cached per instance.
 */
import { cutPoints } from "../graph/cut-points.js";
import { graphOf } from "../instance/graph.js";
import type { Instance } from "../instance/types.js";

/** The unit chain of an instance. */
export interface PipelineUnits {
  /** K: how many units. */
  readonly count: number;
  /** ends[u - 1]: the node (index) unit u ends at, ascending; the last is the loss. */
  readonly ends: readonly number[];
  /** unitOf[v]: the unit (1..K) node v belongs to. */
  readonly unitOf: Int32Array;
  /** endingAt[v]: the unit ending at node v, 0 when v is not a unit end. */
  readonly endingAt: Int32Array;
}

const cache = new WeakMap<Instance, PipelineUnits>();

/** The units of `instance` (see the module comment). */
export function pipelineUnits(instance: Instance): PipelineUnits {
  const known = cache.get(instance);
  if (known !== undefined) return known;
  const g = graphOf(instance);
  const ends = cutPoints(g).filter((c) => c > 0);
  const endingAt = new Int32Array(g.size);
  ends.forEach((c, i) => {
    endingAt[c] = i + 1;
  });
  const unitOf = new Int32Array(g.size);
  let unit = 1;
  for (let v = 0; v < g.size; v++) {
    if (g.isSource[v] === 1) continue;
    unitOf[v] = unit;
    if (endingAt[v] !== 0) unit++;
  }
  for (let v = 0; v < g.size; v++)
    if (g.isSource[v] === 1) {
      const reader = (g.consumers[v] as readonly number[])[0];
      unitOf[v] = reader === undefined ? 1 : (unitOf[reader] as number);
    }
  const units = Object.freeze({ count: ends.length, ends: Object.freeze(ends), unitOf, endingAt });
  cache.set(instance, units);
  return units;
}

/** The node unit `u` ends at (0 for u = 0: before the first unit). */
export function unitEnd(units: PipelineUnits, u: number): number {
  return u === 0 ? 0 : (units.ends[u - 1] as number);
}

/** The first node index of unit `u` (1 for the first unit). */
export function unitStart(units: PipelineUnits, u: number): number {
  return unitEnd(units, u - 1) + 1;
}

/** The unit starting at node `first`, or 0 when no unit starts there. */
export function unitStartingAt(units: PipelineUnits, first: number): number {
  if (first === 1) return 1;
  const before = units.endingAt[first - 1] ?? 0;
  return before === 0 ? 0 : before + 1;
}

/** A partition given by its units' last units (ascending, the last is K) as node ends. */
export function nodeEnds(units: PipelineUnits, unitEnds: readonly number[]): number[] {
  return unitEnds.map((u) => unitEnd(units, u));
}

/** Per unit 1..K, the sum of `weight(v)` over its nodes (index 0 holds 0). */
export function unitWeights(
  instance: Instance,
  units: PipelineUnits,
  weight: (v: number) => number,
): number[] {
  const sums = new Array<number>(units.count + 1).fill(0);
  for (let v = 0; v < instance.nodes.length; v++) {
    const u = units.unitOf[v] as number;
    sums[u] = (sums[u] as number) + weight(v);
  }
  return sums;
}

/** Node indices of the stage `first..last` (unit-aligned): every node of its units, ascending. */
export function stageMembers(instance: Instance, first: number, last: number): number[] {
  const units = pipelineUnits(instance);
  const from = unitStartingAt(units, first);
  const to = units.endingAt[last] ?? 0;
  const members: number[] = [];
  for (let v = 0; v < instance.nodes.length; v++) {
    const u = units.unitOf[v] as number;
    if (u >= from && u <= to) members.push(v);
  }
  return members;
}
