/**
 * The timing routine of graph-offload (solvers/graph-offload/timing.ts; proofs/graph-offload.md,
 * "The timing routine"), on random DAGs with a host link and transfer-free base schedules (checkpoint
 * schedules of random kept sets, with recomputation, and store-all): for any drawn set T of spans and
 * budget, it places a schedule exactly when the member of C(σ, T) with every span of T absent over its
 * whole open range fits (built here directly and judged by the evaluator alone); the schedule is
 * valid, within the budget, its makespan is the evaluator's, and it is σ with transfers inserted (σ's
 * compute steps in σ's order, one `O` per activation, each `P` paired with an extra `D`).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { baseSchedule, type Span } from "../../solvers/graph-offload/spans.js";
import { placeSpans } from "../../solvers/graph-offload/timing.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { keepSchedule, storeAllSchedule } from "../../src/schedule/builders.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { anyInstance } from "../conformance/instances.js";
import { linkedInstance } from "../offload/instances.js";

/** Instances with a link: the conformance suite's rich ones that drew a link, and the generated families. */
const withLink: fc.Arbitrary<Instance> = fc.oneof(
  anyInstance(9).filter((instance) => (instance.hardware?.bandwidth ?? 0) > 0),
  linkedInstance(9),
);

/** A base schedule: store-all, or the checkpoint schedule of the free nodes picked by `mask`. */
function baseOf(instance: Instance, mask: number): Schedule {
  const g = graphOf(instance);
  if (mask === 0) return storeAllSchedule(instance);
  const free = instance.nodes.flatMap((_, v) => (g.isSource[v] === 0 && g.recomputable[v] === 1 ? [v] : []));
  return keepSchedule(
    instance,
    free.filter((_, bit) => ((mask >>> bit) & 1) === 0),
  );
}

/** σ with every span of T absent over its whole open range: `D` right after its start, `P` right before its end. */
function fullAbsence(instance: Instance, sigma: Schedule, spans: readonly Span[]): Schedule {
  const g = graphOf(instance);
  const firstSpan = new Map<number, number>();
  for (const span of spans)
    if ((firstSpan.get(span.node) ?? Number.POSITIVE_INFINITY) > span.start)
      firstSpan.set(span.node, span.start);
  const produced = new Map<number, number>();
  for (const span of spans)
    if (firstSpan.get(span.node) === span.start) produced.set(span.node, span.produced);
  const out: Instruction[] = [];
  let step = 0;
  for (const instruction of sigma) {
    if (instruction.op !== "F" && instruction.op !== "B") {
      out.push(instruction);
      continue;
    }
    for (const span of spans)
      if (span.start === step - 1) out.push(ops.freeActivation(g.ids[span.node] as string));
    for (const span of spans) if (span.end === step) out.push(ops.prefetch(g.ids[span.node] as string));
    out.push(instruction);
    if (instruction.op === "F" && produced.get(g.indexOf.get(instruction.node) as number) === step)
      out.push(ops.offload(instruction.node));
    step++;
  }
  return out;
}

const computeSteps = (schedule: Schedule) =>
  schedule.filter((instruction) => instruction.op === "F" || instruction.op === "B");
const count = (schedule: Schedule, op: Instruction["op"]) =>
  schedule.filter((instruction) => instruction.op === op).length;

describe("the graph-offload timing routine", () => {
  test.prop(
    [
      withLink,
      fc.nat({ max: 2 ** 10 - 1 }),
      fc.nat(),
      fc.double({ min: -0.25, max: 1, noNaN: true }),
      fc.boolean(),
    ],
    {
      seed: PROPERTY_SEED,
      numRuns: 300,
    },
  )(
    "places a valid schedule within the budget exactly when the full-absence member of its class fits, claiming the evaluator's cost",
    (instance, mask, pick, where, eager) => {
      const sigma = baseOf(instance, mask);
      const base = baseSchedule(instance, sigma);
      const chosen = base.spans.filter((_, index) => Math.floor(pick / 2 ** (index % 30)) % 2 === 1);
      const least = evaluate(instance, fullAbsence(instance, sigma, chosen));
      if (!least.valid) throw new Error(`the full-absence schedule is invalid: ${least.error.reason}`);
      const peak = base.evaluation.peakBytes;
      const budget = Math.floor(least.peakBytes + (peak - least.peakBytes) * where) - (where < 0 ? 1 : 0);
      const placement = placeSpans(base, chosen, budget, eager);
      expect(placement.fits).toBe(least.peakBytes <= budget);
      if (!placement.fits) return;
      const evaluation = evaluate(instance, placement.schedule);
      if (!evaluation.valid) throw new Error(evaluation.error.reason);
      expect(evaluation.peakBytes).toBeLessThanOrEqual(budget);
      expect(evaluation.makespanMs).toBe(placement.evaluation.makespanMs);
      expect(computeSteps(placement.schedule)).toEqual(computeSteps(sigma));
      expect(count(placement.schedule, "D")).toBe(count(sigma, "D") + count(placement.schedule, "P"));
      const offloaded = placement.schedule.flatMap((instruction) =>
        instruction.op === "O" ? [instruction.node] : [],
      );
      expect(new Set(offloaded).size).toBe(offloaded.length);
    },
  );

  test.prop([withLink, fc.nat({ max: 2 ** 10 - 1 })], { seed: PROPERTY_SEED, numRuns: 100 })(
    "returns the base schedule unchanged when no span is chosen and it fits",
    (instance, mask) => {
      const sigma = baseOf(instance, mask);
      const base = baseSchedule(instance, sigma);
      const placement = placeSpans(base, [], base.evaluation.peakBytes);
      expect(placement.fits).toBe(true);
      if (placement.fits) expect(placement.schedule).toEqual(sigma);
    },
  );

  test.prop([withLink, fc.nat({ max: 2 ** 10 - 1 })], { seed: PROPERTY_SEED, numRuns: 100 })(
    "finds spans that are resident and unread strictly between their two reads",
    (instance, mask) => {
      const sigma = baseOf(instance, mask);
      const base = baseSchedule(instance, sigma);
      const trace = evaluate(instance, sigma, { trace: true });
      if (!trace.valid || trace.trace === undefined) throw new Error("invalid base");
      const g = graphOf(instance);
      const steps = computeSteps(sigma);
      for (const span of base.spans) {
        expect(span.end - span.start).toBeGreaterThanOrEqual(2);
        expect(g.offloadable[span.node]).toBe(1);
        const id = g.ids[span.node] as string;
        for (let k = span.start + 1; k < span.end; k++) {
          const step = steps[k] as Extract<Instruction, { op: "F" | "B" }>;
          const v = g.indexOf.get(step.node) as number;
          const inputs = g.inputs[v] as readonly number[];
          const readsIt =
            step.op === "F"
              ? inputs.includes(span.node)
              : (g.needsInputs[v] === 1 && inputs.includes(span.node)) ||
                (g.needsOutput[v] === 1 && v === span.node);
          expect(readsIt, `${id} read at step ${k}`).toBe(false);
        }
      }
    },
  );
});
