/**
 * Vega-Lite specifications of a results log, one view per instance (each with its own byte unit), laid
 * out in columns: the overhead-versus-peak front of each solver (one point per budget) and the budget
 * sweep (overhead against the budget). Only answers with a schedule within the budget are drawn.
 */
import type { TopLevelSpec } from "vega-lite";
import { hasSchedule } from "../report/model.js";
import type { ResultRecord } from "../report/records.js";
import { VEGA_LITE_SCHEMA } from "./schema.js";
import { byteUnit } from "./units.js";

/** Views per row of a multi-instance plot. */
const COLUMNS = 3;
/** Size of one instance's view, px. */
const VIEW = { width: 300, height: 220 };

/** The records drawn: one per (file, solver, budget) with a schedule, the last such line of the log. */
function drawn(records: readonly ResultRecord[]): Map<string, ResultRecord[]> {
  const last = new Map<string, ResultRecord>();
  for (const record of records)
    if (hasSchedule(record)) last.set(JSON.stringify([record.file, record.solver, record.budget]), record);
  const byFile = new Map<string, ResultRecord[]>();
  for (const record of last.values()) {
    const list = byFile.get(record.file);
    if (list === undefined) byFile.set(record.file, [record]);
    else list.push(record);
  }
  return byFile;
}

/** The instance's name as its records give it (the file when none does). */
const nameOf = (list: readonly ResultRecord[]) =>
  list.find((r) => r.instance !== null)?.instance ?? list[0]?.file ?? "";

/** The layout of several instance views: one alone, or a concat in COLUMNS columns. */
function layout(description: string, views: readonly Record<string, unknown>[]): TopLevelSpec {
  const base = { $schema: VEGA_LITE_SCHEMA, description, config: { view: { stroke: "#888" } } };
  if (views.length === 1) return { ...base, ...views[0] } as TopLevelSpec;
  return { ...base, columns: COLUMNS, concat: views } as unknown as TopLevelSpec;
}

/**
 * The overhead axis: symmetric-log, so that recompute-all's and offload-all's overheads of several hundred
 * percent do not flatten the fronts of the others near zero (and 0% stays drawable, unlike on a log scale).
 */
const OVERHEAD_AXIS = {
  field: "overhead",
  type: "quantitative",
  title: "time overhead (%, symlog scale)",
  scale: { type: "symlog", constant: 10 },
} as const;

const SOLVER_COLOR = {
  field: "solver",
  type: "nominal",
  title: "solver",
  scale: { scheme: "category10" },
} as const;

/**
 * Overhead (%) against peak memory per instance and solver: each solver's points (one per budget) joined
 * in order of peak, so each line is the solver's time-memory front.
 * @returns undefined when no record has a schedule
 */
export function frontSpec(records: readonly ResultRecord[]): TopLevelSpec | undefined {
  const groups = [...drawn(records).values()];
  if (groups.length === 0) return undefined;
  const views = groups.map((list) => {
    const unit = byteUnit(Math.max(...list.map((r) => r.peakBytes ?? 0)));
    const values = list.map((r) => ({
      solver: r.solver,
      budget: r.budget,
      peak: (r.peakBytes ?? 0) / unit.divisor,
      overhead: (r.overhead ?? 0) * 100,
      status: r.status,
    }));
    return {
      title: nameOf(list),
      ...VIEW,
      data: { values },
      mark: { type: "line", point: true, tooltip: true },
      encoding: {
        x: {
          field: "peak",
          type: "quantitative",
          title: `peak memory (${unit.name})`,
          scale: { zero: false },
        },
        y: OVERHEAD_AXIS,
        color: SOLVER_COLOR,
        order: { field: "peak", type: "quantitative" },
      },
    };
  });
  return layout("Time overhead against peak memory, per instance and solver (one point per budget)", views);
}

/** The x value and axis title of a budget sweep: percentages when every budget is one, else bytes. */
function budgetAxis(list: readonly ResultRecord[]): { title: string; value: (r: ResultRecord) => number } {
  if (list.every((r) => /^\s*[\d.]+\s*%\s*$/.test(r.budget)))
    return { title: "budget (% of store-all peak)", value: (r) => Number.parseFloat(r.budget) };
  const unit = byteUnit(Math.max(...list.map((r) => r.budgetBytes ?? 0)));
  return { title: `budget (${unit.name})`, value: (r) => (r.budgetBytes ?? 0) / unit.divisor };
}

/**
 * Budget sweeps: overhead (%) against the budget per instance and solver.
 * @returns undefined when no record has a schedule
 */
export function sweepSpec(records: readonly ResultRecord[]): TopLevelSpec | undefined {
  const groups = [...drawn(records).values()];
  if (groups.length === 0) return undefined;
  const views = groups.map((list) => {
    const axis = budgetAxis(list);
    const values = list.map((r) => ({
      solver: r.solver,
      budget: axis.value(r),
      overhead: (r.overhead ?? 0) * 100,
      status: r.status,
    }));
    return {
      title: nameOf(list),
      ...VIEW,
      data: { values },
      mark: { type: "line", point: true, tooltip: true },
      encoding: {
        x: { field: "budget", type: "quantitative", title: axis.title, scale: { zero: false } },
        y: OVERHEAD_AXIS,
        color: SOLVER_COLOR,
        order: { field: "budget", type: "quantitative" },
      },
    };
  });
  return layout("Time overhead against the memory budget, per instance and solver", views);
}
