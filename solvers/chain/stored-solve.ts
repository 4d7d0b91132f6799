/**
 * chain-dp over the stored class (`--storage MODES`; proofs/chain-dp.md, "Stored forms"): the time
 * objective by the table of stored-table.ts at the discretization of discretize.ts (stored forms
 * rounded up to slots like every size), the memory objective by the exact min-max recurrence of
 * stored-need.ts in bytes. Taken only when some segment start offers an allowed form smaller than
 * itself; otherwise chain-dp answers as without storage modes, byte for byte.
 *
 * Statuses: `optimal` over `stored-chain` (or outright, when a schedule without recomputation fits:
 * stored forms only add time), `infeasible` (with the stored class's exact least peak in the reason:
 * no budget below it can work; the least budget at the slots is not searched), `timeout` (the phase;
 * no schedule is carried).
 */

import { InputError, InternalError } from "../../src/errors.js";
import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance, StorageMode } from "../../src/instance/types.js";
import type { Certificate } from "../../src/optimality.js";
import { storeAllEvaluation, storeAllSchedule } from "../../src/schedule/builders.js";
import type { SolverAnswer, SolverOptions } from "../../src/solver.js";
import { type Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { noRecomputePeak, withoutRecomputation } from "./answers.js";
import type { ChainView } from "./chain-view.js";
import { byteSizes, discretize, slotsOf } from "./discretize.js";
import { requireChainFits, requireScheduleFits } from "./limits.js";
import { buildPlan, type ChainPlan, planInstructionCount, planSchedule, planTimeMs } from "./plan.js";
import { storedNeedPlan, storedNeeds } from "./stored-need.js";
import { type StoredOptions, storedOptions } from "./stored-options.js";
import {
  fillStoredTable,
  type StoredChain,
  type StoredTable,
  scanMoves,
  storedChain,
  storedTableEntries,
  storedValue,
} from "./stored-table.js";

/** The most entries the stored table may hold (12 bytes each: 384 MiB). */
export const MAX_STORED_ENTRIES = 1 << 25;

/** The certificate of the stored-class DP in units of `unitBytes`. */
function storedCertificate(unitBytes: number, budgetUnits: number | null): Certificate {
  return {
    kind: "dynamic-program",
    over: "stored-chain",
    unitBytes,
    budgetUnits,
    method:
      'rotor\'s persistent dynamic program with a stored-form choice per segment start, proofs/chain-dp.md, "Stored forms"',
  };
}

/** The stored forms `instance` offers among `allowed` that pay somewhere (none: plan without them). */
export function chainStoredOptions(
  instance: Instance,
  view: ChainView,
  allowed: readonly StorageMode[],
): StoredOptions | undefined {
  const options = storedOptions(instance, view, allowed);
  return options.some((list) => list.length > 0) ? options : undefined;
}

/** The time a plan's stored form adds at segment start s, ms. */
function storedMsOf(options: StoredOptions) {
  return (s: number, mode: StorageMode) =>
    (options[s]?.find((option) => option.mode === mode)?.ms as number) ?? 0;
}

/**
 * The time objective over the stored class.
 * @throws InputError (code `option`, path `slots`) when the table would pass MAX_STORED_ENTRIES
 */
export function storedLeastTime(
  instance: Instance,
  view: ChainView,
  options: SolverOptions,
  stored: StoredOptions,
  deadline: Deadline,
): SolverAnswer {
  const noRecompute = noRecomputePeak(instance, view);
  if (noRecompute.peakBytes <= options.budgetBytes)
    return withoutRecomputation(instance, view, noRecompute.storeAll);
  requireChainFits(view.length, "time", instance.name);
  const slots = discretize(view, options.budgetBytes, instance.fixedBytes, options.slots);
  if (slots === undefined || slots.topSlots < 0) return storedInfeasible(instance, view, options, stored);
  const activationBytes = Math.floor(options.budgetBytes - instance.fixedBytes);
  const toSlots =
    slots.unit === 1
      ? (bytes: number) => bytes
      : (bytes: number) => slotsOf(bytes, options.slots, activationBytes);
  const chain: StoredChain = storedChain(view, slots.sizes, stored, toSlots);
  const entries = storedTableEntries(chain, slots.budgetSlots);
  if (entries > MAX_STORED_ENTRIES) throw tooManyEntries(entries, options.slots, view.length, instance.name);
  try {
    const table = fillStoredTable(chain, slots.budgetSlots, deadline);
    const L = view.length;
    const top = storedValue(table, 0, L - 1, slots.topSlots);
    if (top.time === Number.POSITIVE_INFINITY) return storedInfeasible(instance, view, options, stored);
    const plan = storedTablePlan(table, slots.topSlots, deadline);
    requireScheduleFits("chain-dp", planInstructionCount(plan), "budget", "a budget", instance.name);
    return {
      status: "optimal",
      schedule: planSchedule(view, plan, deadline),
      claimedMakespanMs: view.inputMs + top.time,
      lowerBoundMs: sumOfTimesBound(instance),
      certificate: storedCertificate(slots.unit, slots.budgetSlots),
      counters: { ...table.counters, unitBytes: slots.unit, storedForms: storedFormCount(plan) },
    };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return timeout(instance, error, `stored class, L = ${view.length}, S = ${options.slots}`);
  }
}

/** The memory objective over the stored class: its least peak, exactly in bytes. */
export function storedLeastPeak(
  instance: Instance,
  view: ChainView,
  options: SolverOptions,
  stored: StoredOptions,
  deadline: Deadline,
): SolverAnswer {
  requireChainFits(view.length, "memory", instance.name);
  try {
    const sizes = byteSizes(view);
    const needs = storedNeeds(
      storedChain(view, sizes, stored, (b) => b),
      deadline,
    );
    const peak = instance.fixedBytes + (view.x[0] as number) + (needs.need[view.length - 1] as number);
    const storeAll = storeAllEvaluation(instance);
    if (storeAll.peakBytes < peak && storeAll.peakBytes <= options.budgetBytes)
      return {
        status: "optimal",
        schedule: storeAllSchedule(instance),
        claimedMakespanMs: storeAll.makespanMs,
        claimedPeakBytes: storeAll.peakBytes,
        lowerBoundMs: sumOfTimesBound(instance),
        certificate: storedCertificate(1, null),
      };
    if (peak > options.budgetBytes)
      return {
        status: "infeasible",
        minFeasibleBudgetBytes: Math.min(peak, storeAll.peakBytes),
        reason: `the least peak of the stored class is ${peak} bytes, above the budget of ${options.budgetBytes}`,
      };
    const plan = storedNeedPlan(needs, deadline);
    requireScheduleFits("chain-dp", planInstructionCount(plan), "budget", "a budget", instance.name);
    return {
      status: "optimal",
      schedule: planSchedule(view, plan, deadline),
      claimedMakespanMs: view.inputMs + planTimeMs(view, plan, storedMsOf(stored)),
      claimedPeakBytes: peak,
      lowerBoundMs: sumOfTimesBound(instance),
      lowerBoundBytes: { value: peak, over: "stored-chain", method: "least peak of the stored class" },
      certificate: storedCertificate(1, null),
      counters: { storedForms: storedFormCount(plan) },
    };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return timeout(instance, error, `stored class, memory objective, L = ${view.length}`);
  }
}

/**
 * The optimal plan of (0, L-1) at `m` slots: at each segment the budget lowered to the least with the
 * same (time, forwards), then the first move attaining it (stored-table.ts, `scanMoves`).
 * @throws InternalError when no move attains the table's value (a bug)
 */
export function storedTablePlan(table: StoredTable, m: number, deadline: Deadline): ChainPlan {
  const L = table.chain.view.length;
  const best = { time: 0, forwards: 0, candidates: 0 };
  type Key = { readonly s: number; readonly t: number; readonly m: number };
  return buildPlan<Key>({ s: 0, t: L - 1, m }, ({ s, t, m: given }) => {
    deadline.check("read-back");
    const target = storedValue(table, s, t, given);
    let at = given;
    while (at > 0) {
      const lower = storedValue(table, s, t, at - 1);
      if (lower.time !== target.time || lower.forwards !== target.forwards) break;
      at--;
    }
    const move = scanMoves(table, s, t, at, best, target);
    if (move === undefined)
      throw new InternalError(`chain-dp: no stored move attains the table's value at (${at}, ${s}, ${t})`);
    const mode = move.mode === undefined ? {} : { mode: move.mode };
    if (move.kind === "chain")
      return move.restM === undefined
        ? { kind: "chain", s, ...mode }
        : { kind: "chain", s, rest: { s: s + 1, t, m: move.restM }, ...mode };
    return {
      kind: "leaf",
      s,
      j: move.j,
      right: { s: move.j, t, m: move.rightM },
      left: { s, t: move.j - 1, m: move.leftM },
      ...mode,
    };
  });
}

/** The moves of a plan that hold a stored form. */
function storedFormCount(plan: ChainPlan): number {
  let count = 0;
  const stack: ChainPlan[] = [plan];
  while (stack.length > 0) {
    const node = stack.pop() as ChainPlan;
    if (node.mode !== undefined) count++;
    if (node.kind === "leaf") stack.push(node.right, node.left);
    else if (node.rest !== undefined) stack.push(node.rest);
  }
  return count;
}

/** Infeasible at the slots: the reason names the stored class's exact least peak (a lower bound). */
function storedInfeasible(
  instance: Instance,
  view: ChainView,
  options: SolverOptions,
  stored: StoredOptions,
): SolverAnswer {
  const sizes = byteSizes(view);
  const needs = storedNeeds(storedChain(view, sizes, stored, (b) => b));
  const least = instance.fixedBytes + (view.x[0] as number) + (needs.need[view.length - 1] as number);
  return {
    status: "infeasible",
    reason: `no schedule of the stored class fits ${options.budgetBytes} bytes with ${options.slots} slots; none fits below its least peak of ${least} bytes`,
  };
}

function timeout(instance: Instance, reached: TimeLimitReached, detail: string): SolverAnswer {
  return {
    status: "timeout",
    lowerBoundMs: sumOfTimesBound(instance),
    reason: `${reached.message} (${detail}); no schedule within the budget was known yet`,
  };
}

function tooManyEntries(entries: number, slots: number, length: number, name: string): InputError {
  return new InputError(
    "chain-dp",
    [
      {
        code: "option",
        path: "slots",
        expected: `fewer slots: chain-dp's stored-form table holds at most ${MAX_STORED_ENTRIES} entries`,
        received: `${slots} slots on a chain of ${length} stages (a table of ${entries} entries)`,
      },
    ],
    name,
  );
}
