/**
 * offload-milp's incumbents from the offload heuristics: offload-fluid's schedule (the faster of its
 * fluid cover and offload-largest's set) and offload-all's (vDNN). The MILP takes the best one within
 * the budget as its objective cutoff and answers it when the search finds nothing better in its limit.
 */
import type { Instance } from "../../src/instance/types.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { SolverOptions } from "../../src/solver.js";
import { offloadAll } from "./baselines.js";
import { offloadFluid } from "./fluid.js";

/** The heuristics' schedules for `instance` under `options` (their switches are not the MILP's). */
export async function heuristicIncumbents(instance: Instance, options: SolverOptions): Promise<Schedule[]> {
  const own = { ...options, extra: {} };
  const schedules: Schedule[] = [];
  for (const heuristic of [offloadFluid, offloadAll]) {
    const answer = await heuristic.solve(instance, own);
    if ("schedule" in answer && answer.schedule !== undefined) schedules.push(answer.schedule);
  }
  return schedules;
}
