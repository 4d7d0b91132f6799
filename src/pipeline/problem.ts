/**
 * Builds and checks a pipeline problem (proofs/pipeline-model.md, "Problem"): the graph, devices,
 * per-device memory, micro-batches, schedule kind, link and per-node state, every default filled in
 * and every bad field reported at once.
 */
import { budgetBytes, parseBudget } from "../budget.js";
import { collectIssues, describeValue, InputError, type InputIssue } from "../errors.js";
import { parseBandwidth, parseLatency } from "../hardware/units.js";
import { requireInstance } from "../instance/parsed.js";
import type { Instance } from "../instance/types.js";
import { storeAllEvaluation } from "../schedule/builders.js";
import { stateBytesOf } from "./state-bytes.js";
import {
  FREE_LINK,
  PIPELINE_SCHEDULE_KINDS,
  type PipelineProblem,
  type PipelineScheduleKind,
} from "./types.js";
import { pipelineUnits } from "./units.js";

/** Why a graph takes fewer devices than it has nodes. */
const UNITS_WHY =
  " (stages end only at cut points, where one activation crosses: this graph has that many units)";

/** What `pipelineProblem` accepts besides the instance. */
export interface PipelineProblemOptions {
  readonly devices: number;
  /** Bytes, text with a unit (`16GB`), or a percentage of the single-device store-all peak (`50%`). */
  readonly memory: number | string;
  readonly microbatches: number;
  readonly schedule: PipelineScheduleKind | string;
  /** Bandwidth (bytes/ms or text such as `25GB/s`) and latency (ms or `5us`); default: free transfers. */
  readonly link?: { readonly bandwidth?: number | string; readonly latency?: number | string };
  /** State bytes per node id (see `stateBytesOf`); default: fixedBytes split by compute time. */
  readonly stateBytes?: Readonly<Record<string, number>>;
}

/** Largest device and micro-batch counts accepted (a plan has one timeline segment per part). */
export const MAX_PIPELINE_PARTS = 1_000_000;

/** Why `instance` cannot be pipelined (it needs an input and at least one more node), or undefined. */
export function pipelineStructureRejection(instance: Instance): string | undefined {
  if (instance.nodes.length < 2) return "a pipeline needs an input and at least one more node";
  return undefined;
}

/**
 * The checked problem of `instance` under `options`.
 * @throws InputError listing every issue: too few nodes (path `nodes`), devices not from 1 to the
 *   number of units (units.ts: stages end at cut points), micro-batches not a positive integer, a bad
 *   memory, schedule kind, link or state
 */
export function pipelineProblem(instance: Instance, options: PipelineProblemOptions): PipelineProblem {
  requireInstance(instance, "pipeline");
  const issues: InputIssue[] = [];
  const structure = pipelineStructureRejection(instance);
  if (structure !== undefined)
    issues.push({ code: "structure", path: "nodes", expected: "at least two nodes", received: structure });
  const count = (path: string, value: unknown, most: number, why = "") => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > most)
      issues.push({
        code: "option",
        path,
        expected: `an integer from 1 to ${most}${why}`,
        received: describeValue(value),
      });
  };
  const units = structure === undefined ? pipelineUnits(instance).count : 1;
  count("devices", options.devices, units, units < instance.nodes.length - 1 ? UNITS_WHY : "");
  count("microbatches", options.microbatches, MAX_PIPELINE_PARTS);
  if (!PIPELINE_SCHEDULE_KINDS.includes(options.schedule as PipelineScheduleKind))
    issues.push({
      code: "option",
      path: "schedule",
      expected: `one of ${PIPELINE_SCHEDULE_KINDS.join(", ")}`,
      received: describeValue(options.schedule),
    });
  const memoryBytes = collectIssues(issues, () => memoryOf(instance, options.memory));
  const link = collectIssues(issues, () => linkOf(options.link));
  const stateBytes = collectIssues(issues, () => stateBytesOf(instance, options.stateBytes));
  if (issues.length > 0) throw new InputError("pipeline", issues, instance.name);
  return Object.freeze({
    instance,
    devices: options.devices,
    memoryBytes: memoryBytes as number,
    microbatches: options.microbatches,
    schedule: options.schedule as PipelineScheduleKind,
    link: link as PipelineProblem["link"],
    stateBytes: Object.freeze(stateBytes as number[]),
  });
}

function memoryOf(instance: Instance, memory: number | string): number {
  const parsed = parseBudget(typeof memory === "number" ? memory : String(memory), "memory");
  return budgetBytes(parsed, storeAllEvaluation(instance).peakBytes, "memory");
}

function linkOf(link: PipelineProblemOptions["link"]): PipelineProblem["link"] {
  if (link === undefined) return FREE_LINK;
  return Object.freeze({
    bandwidth:
      link.bandwidth === undefined
        ? Number.POSITIVE_INFINITY
        : parseBandwidth(link.bandwidth, "link.bandwidth", "pipeline"),
    latencyMs: link.latency === undefined ? 0 : parseLatency(link.latency, "link.latency", "pipeline"),
  });
}
