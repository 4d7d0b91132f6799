/** The graph family: the min-cut search for arbitrary DAGs and its building blocks. */
export { certificateIssues, cutCapacity } from "./flow-certificate.js";
export { FlowNetwork, type MaxFlowResult, maxFlow } from "./maxflow.js";
export { graphMincut } from "./solver.js";
