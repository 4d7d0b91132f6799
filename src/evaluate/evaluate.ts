/**
 * The evaluator: the one cost model (DESIGN.md, "The evaluator"). It runs a schedule symbolically and
 * returns validity (else the first bad instruction and why), the makespan (compute plus stalls waiting
 * for transfers), the peak memory, the memory timeline and, on request, a per-instruction trace.
 * Every solver's claimed cost must equal what this function says of the schedule it emits.
 *
 * Time: one compute stream (forwards, backwards, frees, conversions `C` and expansions `X`) plus two
 * transfer channels (device-to-host for `O`, host-to-device for `P`), each running one transfer at a
 * time in issue order, overlapping compute; a transfer of `b` bytes takes `latency + b / bandwidth`.
 * Memory: `fixedBytes` + resident tensors (activations, gradients, tapes, stored forms `s:v`), plus the
 * running op's temporaries while it runs, before anything it frees is released. A schedule that
 * expands a lossy stored form is flagged `lossy`.
 *
 * The run state is in `run-state.ts`, the rule of each instruction in `handlers.ts` (stored forms:
 * `storage-handlers.ts`, their sizes `storage.ts`), the result types in `result.ts` (re-exported here).
 *
 * Complexity: O(n + |schedule| + sum of in-degrees of the instructions' nodes), n the number of nodes.
 */

import { describeValue, InputError } from "../errors.js";
import { graphOf } from "../instance/graph.js";
import { requireInstance } from "../instance/parsed.js";
import type { Instance } from "../instance/types.js";
import { formatInstruction, parseSchedule } from "../schedule/text.js";
import type { Schedule } from "../schedule/types.js";
import { runInstruction } from "./handlers.js";
import { type EvaluateOptions, type Evaluation, invalidEvaluation } from "./result.js";
import { RunState, Violation } from "./run-state.js";

export type {
  EvaluateOptions,
  Evaluation,
  InvalidEvaluation,
  ScheduleError,
  StepProfile,
  TraceStep,
  ValidEvaluation,
} from "./result.js";

/**
 * Evaluates `schedule` on `instance` under the one cost model.
 *
 * @param instance an instance from `parseInstance` or `loadInstance`
 * @param schedule instructions, or their text form (`["F x", "F a", ...]`, e.g. a result's `schedule`)
 * @param options `trace` and `profile` ask for per-instruction detail (see `EvaluateOptions`)
 * @returns `{ valid: true, makespanMs, peakBytes, timeline, ... }`, or `{ valid: false, error }` naming
 *   the first instruction that cannot run; never throws for a schedule that parses.
 * @throws InputError for an unparsed instance, a schedule that is not a list, or text that does not parse
 * @see ../../proofs/cost-model.md for the rules, instruction by instruction
 */
export function evaluate(
  instance: Instance,
  schedule: Schedule | readonly string[],
  options: EvaluateOptions = {},
): Evaluation {
  requireInstance(instance, "evaluate");
  return run(instance, asSchedule(schedule), options);
}

/** The schedule itself, or its text parsed. @throws InputError when it is neither */
function asSchedule(schedule: Schedule | readonly string[]): Schedule {
  if (!Array.isArray(schedule))
    throw new InputError("evaluate", [
      {
        code: "type",
        path: "schedule",
        expected: "a list of instructions or of their text form",
        received: describeValue(schedule),
      },
    ]);
  return typeof schedule[0] === "string"
    ? parseSchedule(schedule, "evaluate", "schedule")
    : (schedule as Schedule);
}

/** Instructions between two looks at `options.deadline` (2^16: well under a millisecond apart). */
const DEADLINE_MASK = 0xffff;

/** The run itself. */
function run(instance: Instance, schedule: Schedule, options: EvaluateOptions): Evaluation {
  const state = new RunState(graphOf(instance), instance, schedule.length, options);
  let index = 0;
  try {
    const deadline = options.deadline;
    for (; index < schedule.length; index++) {
      if (deadline !== undefined && (index & DEADLINE_MASK) === 0) deadline.check("evaluating the schedule");
      runInstruction(state, schedule[index] as Schedule[number], index);
    }
  } catch (caught) {
    if (!(caught instanceof Violation)) throw caught;
    const instruction = formatInstruction(schedule[index] as Schedule[number]);
    return invalidEvaluation(index, instruction, caught.reason, caught.tensor);
  }
  return finish(state, schedule.length);
}

/** After the last instruction: an incomplete schedule is invalid at `length`; else the totals. */
function finish(s: RunState, length: number): Evaluation {
  const g = s.g;
  for (let v = 0; v < g.size; v++) {
    if (g.isSource[v] === 0 && s.backwardDone[v] === 0)
      return invalidEvaluation(length, "end", `incomplete schedule: B ${g.ids[v]} never ran`, undefined);
  }
  const tail = Math.max(0, s.deviceToHostFree - s.clock, s.hostToDeviceFree - s.clock);
  return {
    valid: true,
    makespanMs: s.clock + tail,
    computeMs: s.computeMs,
    stallMs: s.stallMs + tail,
    peakBytes: s.peak,
    timeline: s.timeline,
    recomputations: s.recomputations,
    transfers: s.transfers,
    conversions: s.conversions,
    expansions: s.expansions,
    lossy: s.lossyExpansions.length > 0,
    lossyExpansions: s.lossyExpansions,
    ...(s.trace === undefined ? {} : { trace: s.trace }),
    ...(s.profile === undefined ? {} : { profile: s.profile }),
  };
}
