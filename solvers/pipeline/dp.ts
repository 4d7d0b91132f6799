/**
 * pipeline-dp's dynamic program (proofs/pipeline-dp.md): for a stage count S, the contiguous partition
 * of the units 1..L (src/pipeline/units.ts: a chain's nodes, or an op graph's blocks between cut points)
 * into S non-empty stages that minimizes the period (the largest per-micro-batch busy
 * time of a stage, forward + backward, or of a link direction), then, among those, the latency (one
 * micro-batch's stage times plus both transfers across every cut); each stage costs the time of its
 * best menu option for its in-flight count (stage-menu.ts), and a stage without a fitting option
 * cannot be used.
 *
 * Tables, for s = 0..S-1 and e = 1..L (stage s ends at unit e; link(e) is the cut after unit e):
 * - period[s][e] = min over a of max(period[s-1][a-1], link(a-1), c(a, e, s)), period[0][e] = c(1, e, 0);
 * - latency[s][e] = min over a with c(a, e, s) <= PHI and link(a-1) <= PHI of
 *   latency[s-1][a-1] + transfers(a-1) + c(a, e, s), latency[0][e] = c(1, e, 0) if <= PHI,
 *   with PHI = period[S-1][L]; `from[s][e]` keeps the minimizing a.
 * O(S L^2) menu look-ups per stage count, O(P^2 L^2) over S = 1..P.
 */
import { inFlightCount } from "../../src/pipeline/order.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";
import { nodeEnds, pipelineUnits, unitEnd, unitStart } from "../../src/pipeline/units.js";
import type { Deadline } from "../../src/time-limit.js";
import { linkLatencyMs, linkPeriodMs, type Partition } from "./assemble.js";
import type { StageMenu } from "./stage-menu.js";

/** The DP's answer for one stage count. */
export interface DpChoice {
  readonly ends: Partition;
  readonly periodMs: number;
  readonly latencyMs: number;
}

/** The least (period, latency) partition into exactly `stages` stages, or undefined when none fits. */
export function bestPartition(
  problem: PipelineProblem,
  menu: StageMenu,
  stages: number,
  deadline: Deadline,
): DpChoice | undefined {
  const units = pipelineUnits(problem.instance);
  const L = units.count;
  const cost = (a: number, e: number, s: number) => {
    const k = inFlightCount(problem.schedule, s, stages, problem.microbatches);
    const option = menu.bestFor(unitStart(units, a), unitEnd(units, e), k);
    return option === null ? Number.POSITIVE_INFINITY : option.profile.forwardMs + option.profile.backwardMs;
  };
  const link: Link = {
    period: (e) => linkPeriodMs(problem, unitEnd(units, e)),
    latency: (e) => linkLatencyMs(problem, unitEnd(units, e)),
  };
  const period = periodTable(link, stages, L, cost, deadline);
  const phi = period[stages - 1]?.[L] as number;
  if (phi === Number.POSITIVE_INFINITY) return undefined;
  const { latency, from } = latencyTable(link, stages, L, phi, cost, deadline);
  const ends: number[] = [];
  let e = L;
  for (let s = stages - 1; s >= 0; s--) {
    ends.push(e);
    e = (from[s]?.[e] as number) - 1;
  }
  return {
    ends: nodeEnds(units, ends.reverse()),
    periodMs: phi,
    latencyMs: latency[stages - 1]?.[L] as number,
  };
}

type Cost = (a: number, e: number, s: number) => number;

/** The link's period and latency across the cut after unit e (0 for e = 0). */
interface Link {
  readonly period: (e: number) => number;
  readonly latency: (e: number) => number;
}

function periodTable(link: Link, S: number, L: number, cost: Cost, deadline: Deadline): Float64Array[] {
  const table = Array.from({ length: S }, () => new Float64Array(L + 1).fill(Number.POSITIVE_INFINITY));
  const row0 = table[0] as Float64Array;
  for (let e = 1; e <= L - (S - 1); e++) row0[e] = cost(1, e, 0);
  for (let s = 1; s < S; s++) {
    deadline.check("pipeline-dp period table");
    const row = table[s] as Float64Array;
    const previous = table[s - 1] as Float64Array;
    for (let e = s + 1; e <= L - (S - 1 - s); e++)
      for (let a = s + 1; a <= e; a++) {
        const before = Math.max(previous[a - 1] as number, link.period(a - 1));
        if (before >= (row[e] as number)) continue;
        row[e] = Math.min(row[e] as number, Math.max(before, cost(a, e, s)));
      }
  }
  return table;
}

function latencyTable(
  link: Link,
  S: number,
  L: number,
  phi: number,
  cost: Cost,
  deadline: Deadline,
): { latency: Float64Array[]; from: Int32Array[] } {
  const latency = Array.from({ length: S }, () => new Float64Array(L + 1).fill(Number.POSITIVE_INFINITY));
  const from = Array.from({ length: S }, () => new Int32Array(L + 1));
  /** latency of stages 0..s ending at e when stage s starts at a (Infinity when it breaks PHI). */
  const extended = (before: number, a: number, e: number, s: number) => {
    if (before === Number.POSITIVE_INFINITY || link.period(a - 1) > phi) return Number.POSITIVE_INFINITY;
    const c = cost(a, e, s);
    return c > phi ? Number.POSITIVE_INFINITY : before + link.latency(a - 1) + c;
  };
  const row0 = latency[0] as Float64Array;
  for (let e = 1; e <= L - (S - 1); e++) {
    const c = cost(1, e, 0);
    if (c <= phi) {
      row0[e] = c;
      (from[0] as Int32Array)[e] = 1;
    }
  }
  for (let s = 1; s < S; s++) {
    deadline.check("pipeline-dp latency table");
    const row = latency[s] as Float64Array;
    const previous = latency[s - 1] as Float64Array;
    for (let e = s + 1; e <= L - (S - 1 - s); e++) {
      const cell = { value: Number.POSITIVE_INFINITY, start: 0 };
      for (let a = s + 1; a <= e; a++) {
        const value = extended(previous[a - 1] as number, a, e, s);
        if (value < cell.value) {
          cell.value = value;
          cell.start = a;
        }
      }
      row[e] = cell.value;
      (from[s] as Int32Array)[e] = cell.start;
    }
  }
  return { latency, from };
}
