/** The offload family: solvers over the `offload` class (store-all's order with O, D and P anywhere). */

export { offloadAll, offloadLargest } from "./baselines.js";
export { offloadExhaustive } from "./exhaustive-solver.js";
export { offloadFluid } from "./fluid.js";
export { offloadLpRound } from "./lp-round.js";
