/** The chain family: the persistent DP (chain-dp) and binomial checkpointing (revolve). */
export { beta, extraForwards, extraForwardsByDp } from "./binomial.js";
export { chainDp, solveChainDp } from "./chain-dp.js";
export { type ChainView, chainRejection, chainView } from "./chain-view.js";
export { revolve, solveRevolve } from "./revolve.js";
