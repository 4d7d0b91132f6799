/**
 * The switches of graph-mincut (`extra`), in one typed table (STYLE.md: every tunable named, documented
 * and defaulted in one place; unknown keys refused by `parseSwitches`; `solve` records them in the
 * result). Every phase's effort is bounded by these counts alone, never by the clock, so the same input
 * gives the same answer on any machine; the time limit only stops an unfinished search (`timeout`).
 * The defaults solve a DenseNet-121 op graph in well under a second.
 */
import { type OptionValues, parseSwitches } from "../../src/options.js";
import type { SolverOptions } from "../../src/solver.js";
import { DEFAULT_BANNED_OPS } from "./partition.js";

/** graph-mincut's switches. */
export const GRAPH_SWITCHES = {
  pareto: {
    type: "boolean",
    default: false,
    doc: "also return the non-dominated (peak, makespan) front of the time objective's candidates",
  },
  method: {
    type: "choice",
    values: ["search", "partition"],
    default: "search",
    doc: "search: the min-cut search; partition: AOTAutograd-style least saved bytes only",
  },
  ban: {
    type: "strings",
    default: DEFAULT_BANNED_OPS,
    doc: "op names (node meta.op) the partition never recomputes",
  },
  lambda: {
    type: "number",
    default: 0,
    min: 0,
    doc: "bytes per ms of forward time added to each node's cut capacity (the recompute-time trade-off)",
  },
  exhaustiveLimit: {
    type: "integer",
    default: 12,
    min: 0,
    doc: "enumerate every kept set when there are at most this many free candidates (2^12 small evaluations)",
  },
  spanWork: {
    type: "integer",
    default: 2e6,
    min: 0,
    doc: "node-evaluations allowed for the exact decomposition at cut points (about n^3/2 on an n-node chain)",
  },
  spanChoices: {
    type: "integer",
    default: 8,
    min: 0,
    doc: "free nodes up to which the span seed tries every interior of a neighbour span (2^8 evaluations)",
  },
  spanGap: {
    type: "integer",
    default: 20,
    min: 1,
    doc: "longest span the span seed measures, in cut points (at most 210 evaluations)",
  },
  maxLowerSets: {
    type: "integer",
    default: 400,
    min: 1,
    doc: "lower sets in the sweep (one per node on graphs of a few hundred nodes, coarser beyond)",
  },
  thresholds: {
    type: "integer",
    default: 48,
    min: 0,
    doc: "Feng & Huang thresholds tried (block-size quantiles)",
  },
  localEvaluations: {
    type: "integer",
    default: 200,
    min: 0,
    doc: "toggle local-search evaluations for the memory objective and for pareto fronts (the time objective alone skips it)",
  },
  spanLabels: {
    type: "integer",
    default: 64,
    min: 2,
    doc: "labels the span program keeps per cut point on a measured (not exact) span table, spread evenly by memory (at least the two ends)",
  },
  boundCuts: { type: "integer", default: 600, min: 0, doc: "max-flows for the memory lower bound" },
  blockStages: {
    type: "integer",
    default: 30,
    min: 0,
    doc: "stages of the block chain handed to chain-dp (its table grows as stages^3 * slots; 0 turns it off)",
  },
} as const;

/** What graph-mincut reads: its switches, with the local search off for the time objective alone. */
export type GraphOptions = OptionValues<typeof GRAPH_SWITCHES>;

/**
 * Reads the switches (already checked by `solve`; checked again for direct callers).
 * @throws InputError (code `option`, path `extra.NAME`) for every bad or unknown switch
 */
export function graphOptions(options: SolverOptions): GraphOptions {
  const switches = parseSwitches(GRAPH_SWITCHES, options.extra, "graph-mincut");
  return {
    ...switches,
    localEvaluations: options.objective === "memory" || switches.pareto ? switches.localEvaluations : 0,
  };
}
