/** The offload family: solvers over the `offload` class (store-all's order with O, D and P anywhere). */
import type { Solver } from "../../src/solver.js";
import { createOffloadMilp } from "./milp.js";
import { heuristicIncumbents } from "./milp-incumbents.js";

export { offloadAll, offloadLargest } from "./baselines.js";
export { offloadExhaustive } from "./exhaustive-solver.js";
export { offloadFluid } from "./fluid.js";
export { offloadLpRound } from "./lp-round.js";

/** offload-milp as registered: warm-started from the offload heuristics' schedules (milp-incumbents.ts). */
export const offloadMilp: Solver = createOffloadMilp(heuristicIncumbents);
