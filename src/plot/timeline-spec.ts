/**
 * The Vega-Lite specification of a schedule's memory timeline: the bytes resident after each
 * instruction (fixed memory included) as bars shaded by phase (forward, recompute, backward), the
 * resident line on top, the budget as a dashed rule, and transfers (offload `O`, prefetch `P`) marked.
 */
import type { TopLevelSpec } from "vega-lite";
import { evaluate } from "../evaluate/evaluate.js";
import type { Instance } from "../instance/types.js";
import type { Instruction } from "../schedule/types.js";
import { VEGA_LITE_SCHEMA } from "./schema.js";
import { byteUnit } from "./units.js";

/** What a timeline is drawn from: a valid schedule and its evaluation. */
export interface TimelineInput {
  /** The instance's name (the title). */
  readonly name: string;
  readonly schedule: readonly Instruction[];
  /** Bytes resident after each instruction (the evaluator's `timeline`). */
  readonly timeline: readonly number[];
  readonly peakBytes: number;
  readonly makespanMs: number;
  /** The budget, bytes (absent or null for none). */
  readonly budgetBytes?: number | null;
  /** A line under the title (e.g. the solver and budget). */
  readonly subtitle?: string;
}

/**
 * The timeline input of `schedule` on `instance`, or the first instruction that cannot run.
 * @param budgetBytes the budget line (null for none)
 */
export function timelineOf(
  instance: Instance,
  schedule: readonly Instruction[],
  budgetBytes: number | null,
  subtitle?: string,
): TimelineInput | { readonly index: number; readonly reason: string } {
  const evaluation = evaluate(instance, schedule);
  if (!evaluation.valid) return { index: evaluation.error.index, reason: evaluation.error.reason };
  return {
    name: instance.name,
    schedule,
    timeline: evaluation.timeline,
    peakBytes: evaluation.peakBytes,
    makespanMs: evaluation.makespanMs,
    budgetBytes,
    ...(subtitle === undefined ? {} : { subtitle }),
  };
}

/** A phase of the step: a first forward, a forward run again, or a backward. */
export type Phase = "forward" | "recompute" | "backward";

/** Shading of each phase (colour-blind-safe pair plus an orange for recomputation). */
const PHASE_COLORS: Readonly<Record<Phase, string>> = {
  forward: "#4c78a8",
  recompute: "#f58518",
  backward: "#54a24b",
};

/**
 * The phase of each instruction: `F` of a node not yet computed is forward, `F` again is recompute, `B`
 * is backward; any other instruction (a free, a transfer, a conversion) takes the phase of the last
 * `F` or `B` before it (forward before the first).
 */
export function phases(schedule: readonly Instruction[]): Phase[] {
  const computed = new Set<string>();
  let current: Phase = "forward";
  return schedule.map((instruction) => {
    if (instruction.op === "F") {
      current = computed.has(instruction.node) ? "recompute" : "forward";
      computed.add(instruction.node);
    } else if (instruction.op === "B") current = "backward";
    return current;
  });
}

const TRANSFER_WORDS = { O: "offload", P: "prefetch" } as const;

/** The timeline's rows: one per instruction, with its phase, bytes after it and transfer kind. */
function timelineValues(input: TimelineInput, divisor: number) {
  const phaseOf = phases(input.schedule);
  return input.schedule.map((instruction, index) => ({
    step: index + 1,
    start: index,
    memory: (input.timeline[index] ?? 0) / divisor,
    phase: phaseOf[index] as Phase,
    instruction: formatShort(instruction),
    transfer: instruction.op === "O" || instruction.op === "P" ? TRANSFER_WORDS[instruction.op] : null,
  }));
}

/** An instruction's short text for tooltips (`F a`, `D a:b`). */
function formatShort(instruction: Instruction): string {
  if (instruction.op === "D") return `D ${instruction.tensor.kind}:${instruction.tensor.node}`;
  if (instruction.op === "C") return `C ${instruction.node} ${instruction.mode}`;
  return `${instruction.op} ${instruction.node}`;
}

/** The memory timeline of `input` as one layered Vega-Lite view. */
export function timelineSpec(input: TimelineInput): TopLevelSpec {
  const budget = input.budgetBytes ?? null;
  const unit = byteUnit(Math.max(input.peakBytes, budget ?? 0));
  const values = timelineValues(input, unit.divisor);
  const memoryTitle = `memory (${unit.name})`;
  const peak = +(input.peakBytes / unit.divisor).toFixed(3);
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: "rect", opacity: 0.45 },
      encoding: {
        tooltip: [
          { field: "step", type: "quantitative", title: "instruction number" },
          { field: "instruction", type: "nominal", title: "instruction" },
          { field: "phase", type: "nominal", title: "phase" },
          { field: "memory", type: "quantitative", title: memoryTitle },
        ],
        x: { field: "start", type: "quantitative", title: "instruction" },
        x2: { field: "step" },
        y: { field: "memory", type: "quantitative", title: memoryTitle },
        y2: { datum: 0 },
        color: {
          field: "phase",
          type: "nominal",
          title: "phase",
          scale: { domain: Object.keys(PHASE_COLORS), range: Object.values(PHASE_COLORS) },
        },
      },
    },
    {
      mark: { type: "line", interpolate: "step-before", color: "#222", strokeWidth: 1.2 },
      encoding: { x: { field: "step", type: "quantitative" }, y: { field: "memory", type: "quantitative" } },
    },
  ];
  if (values.some((row) => row.transfer !== null))
    layers.push({
      transform: [{ filter: "datum.transfer !== null" }],
      mark: { type: "point", filled: true, size: 60 },
      encoding: {
        tooltip: [
          { field: "step", type: "quantitative", title: "instruction number" },
          { field: "instruction", type: "nominal", title: "instruction" },
          { field: "transfer", type: "nominal", title: "transfer" },
        ],
        x: { field: "step", type: "quantitative" },
        y: { field: "memory", type: "quantitative" },
        shape: {
          field: "transfer",
          type: "nominal",
          title: "transfer",
          scale: { domain: ["offload", "prefetch"], range: ["triangle-up", "triangle-down"] },
        },
        color: { value: "#b279a2" },
      },
    });
  if (budget !== null)
    layers.push({
      data: { values: [{ budget: budget / unit.divisor, label: "budget" }] },
      layer: [
        {
          mark: { type: "rule", strokeDash: [6, 4], color: "#000" },
          encoding: { y: { field: "budget", type: "quantitative" } },
        },
        {
          mark: { type: "text", align: "right", dy: -6, color: "#000" },
          encoding: {
            y: { field: "budget", type: "quantitative" },
            x: { value: 640 },
            text: { field: "label" },
          },
        },
      ],
    });
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Memory timeline of ${input.name}`,
    title: {
      text: `${input.name}: memory after each instruction (peak ${peak} ${unit.name}, makespan ${input.makespanMs.toFixed(2)} ms)`,
      ...(input.subtitle === undefined ? {} : { subtitle: input.subtitle }),
    },
    width: 640,
    height: 280,
    data: { values },
    layer: layers,
  } as unknown as TopLevelSpec;
}
