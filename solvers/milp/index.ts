/** The MILP family: Checkmate's MILP on the stage grid (milp) and its LP relaxation with rounding (lp-round). */

export { milpOffload, solveJointMilp } from "./joint.js";
export { lpRound } from "./lp-round.js";
export { milp, solveMilp } from "./milp.js";
export { milpBlocks } from "./milp-blocks.js";
