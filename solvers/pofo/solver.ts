/**
 * pofo: recomputation and offloading combined on chains (after Beaumont, Eyraud-Dubois, Shilova,
 * "Efficient combination of rematerialization and offloading for training DNNs", NeurIPS 2021).
 * rotor's persistent dynamic program, extended on the spine (the top-level forward pass) with, for each
 * spine checkpoint, the choice to copy it to the host during its own move's forward (or on through
 * later moves' forwards) and bring it back during the next move's backward, overlapped with that
 * backward or after it (spine.ts). Least makespan
 * under the budget over that class (the `offload-chain` class, proofs/pofo.md), with the activation
 * budget cut into `slots` units as chain-dp does (solvers/chain/discretize.ts); no link (no hardware
 * block, or bandwidth 0): exactly chain-dp's class and optimum.
 *
 * Unlike the public port of POFO, no transfer is ever priced by an estimate: every copy starts on an
 * idle channel and overlaps compute spans whose times the table knows, so its time is the evaluator's.
 * Statuses: `optimal` (over the class at this discretization; or store-all fits: it meets the
 * sum-of-times bound), `infeasible` (no schedule of the class fits at these slots), `timeout` (the
 * phase, the sum-of-times bound and the best no-offload plan known within the budget).
 * Phases: segment edges and rotor's table (as chain-dp), then the spine fill (O(L^3 S), checked per
 * (s, m)), read-back and schedule.
 */
import { InputError } from "../../src/errors.js";
import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import type { Certificate } from "../../src/optimality.js";
import { NO_SWITCHES } from "../../src/options.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { type KnownPlan, noRecomputePeak, timeoutAnswer, withoutRecomputation } from "../chain/answers.js";
import { type ChainView, chainRejection, requireChainView } from "../chain/chain-view.js";
import { discretize, type SlotChain } from "../chain/discretize.js";
import { edgePlan, segmentEdges } from "../chain/feasibility.js";
import { requireChainFits, requireScheduleFits, requireTableFits } from "../chain/limits.js";
import { tablePlan } from "../chain/reconstruct.js";
import { fillTimeTable, tableSize } from "../chain/table.js";
import { chainLink } from "./link.js";
import { readSpine, spineInstructionCount, spineSchedule } from "./plan.js";
import { fillSpine, spineAt } from "./spine.js";
import { spineEntries } from "./spine-layout.js";

/** Most entries of the spine table: 2^27 float64, 1 GiB. */
export const MAX_SPINE_ENTRIES = 2 ** 27;

/** The certificate of pofo's dynamic program with sizes in units of `unitBytes`. */
export function pofoCertificate(unitBytes: number, budgetUnits: number): Certificate {
  return {
    kind: "dynamic-program",
    over: "offload-chain",
    unitBytes,
    budgetUnits,
    method:
      "rotor's persistent dynamic program with the spine checkpoints' offloads and prefetches, after Beaumont et al. 2021 (POFO); proofs/pofo.md",
  };
}

/**
 * Solves a chain instance with pofo's dynamic program.
 * @throws InputError (code `structure`) when `instance` is not a chain; (code `option`, path `slots`)
 *   when its tables would pass the caps
 * @throws InternalError if the table and its read-back disagree (a bug)
 */
export function solvePofo(
  instance: Instance,
  options: SolverOptions,
  deadline: Deadline = new Deadline(options.timeLimitSec),
): SolverAnswer {
  const view = requireChainView(instance, "pofo");
  const noRecompute = noRecomputePeak(instance, view);
  if (noRecompute.peakBytes <= options.budgetBytes)
    return withoutRecomputation(instance, view, noRecompute.storeAll);
  requireChainFits(view.length, "time", instance.name);
  const slots = discretize(view, options.budgetBytes, instance.fixedBytes, options.slots);
  if (slots === undefined || slots.topSlots < 0) return infeasible(options);
  const known: KnownPlan[] = [];
  try {
    return leastTime(instance, view, slots, options, known, deadline);
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return timeoutAnswer(instance, view, known, error, `L = ${view.length}, S = ${options.slots}`, "time");
  }
}

/** The table's optimum, recording in `known` the no-offload plans met on the way (for a timeout). */
function leastTime(
  instance: Instance,
  view: ChainView,
  slots: SlotChain,
  options: SolverOptions,
  known: KnownPlan[],
  deadline: Deadline,
): SolverAnswer {
  const L = view.length;
  const M = slots.budgetSlots;
  const edges = segmentEdges(slots.sizes, view.recomputable, L, deadline);
  const persistentFits = slots.topSlots >= (edges.need[L - 1] as number);
  if (persistentFits)
    known.push({ plan: edgePlan(edges, 0, L - 1), what: "the least-peak plan of the slot edges" });
  const size = tableSize(edges, M, deadline);
  requireTableFits(L, size.entries, size.coarseEntries, options.slots, instance.name);
  requireSpineFits(L, M, options.slots, instance.name);
  // rotor's table up to the whole activation budget: a state whose checkpoint is on the host has more
  const rotor = fillTimeTable(view, { ...slots, topSlots: M }, edges, deadline);
  if (persistentFits)
    known.push({
      plan: tablePlan(rotor, 0, L - 1, slots.topSlots, deadline),
      what: "chain-dp's optimal plan",
    });
  const spine = fillSpine(
    { view, sizes: slots.sizes, link: chainLink(instance), rotor, maxSlots: M },
    deadline,
  );
  const top = spineAt(spine, 0, slots.topSlots, -1, -1);
  if (top === Number.POSITIVE_INFINITY) return infeasible(options);
  const steps = readSpine(spine, slots.topSlots, deadline);
  requireScheduleFits("pofo", spineInstructionCount(steps), "budget", "a budget", instance.name);
  return {
    status: "optimal",
    schedule: spineSchedule(spine, steps, deadline),
    claimedMakespanMs: view.inputMs + top,
    lowerBoundMs: sumOfTimesBound(instance),
    certificate: pofoCertificate(slots.unit, slots.budgetSlots),
    counters: {
      entries: spine.counters.entries + rotor.counters.entries,
      candidates: spine.counters.candidates + rotor.counters.candidates,
      unitBytes: slots.unit,
      offloads: steps.filter((step) => step.copy !== "keep").length,
    },
  };
}

/** Refuses a spine table past MAX_SPINE_ENTRIES, naming a slot count that fits. */
function requireSpineFits(L: number, M: number, slots: number, instanceName: string): void {
  if (spineEntries(L, M) <= MAX_SPINE_ENTRIES) return;
  const fitting = Math.floor(MAX_SPINE_ENTRIES / spineEntries(L, 0)) - 1;
  throw new InputError(
    "pofo",
    [
      {
        code: "option",
        path: "slots",
        expected: `at most ${fitting} slots for ${L} stages (the spine table holds 3 L (L - 1) / 2 + L rows of S + 1 entries, at most ${MAX_SPINE_ENTRIES})`,
        received: String(slots),
      },
    ],
    instanceName,
  );
}

/** No schedule of the class fits. */
function infeasible(options: SolverOptions): SolverAnswer {
  return {
    status: "infeasible",
    reason: `no schedule of the offload-chain class fits ${options.budgetBytes} bytes with ${options.slots} slots`,
  };
}

/** The pofo solver (see {@link solvePofo}). */
export const pofo: Solver = {
  name: "pofo",
  family: "chain",
  problem: "chains (each node reads the one listed before it), with or without a host link",
  guarantee:
    "optimal over persistent schedules whose spine checkpoints may be offloaded (one copy at a time, overlapping the forwards; each prefetch with the next move's backward part or after it), the activation budget cut into --slots units (time)",
  reference: "Beaumont, Eyraud-Dubois, Shilova 2021 (POFO, NeurIPS); rotor (Beaumont et al. 2019)",
  objectives: ["time"],
  emits: { time: "all" },
  switches: NO_SWITCHES,
  reads: ["slots"],
  rejects: chainRejection,
  solve: solvePofo,
};
