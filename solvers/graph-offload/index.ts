/** The graph-offload family: recomputation and offloading combined on arbitrary DAGs. */
export { graphOffload, solveGraphOffload } from "./solver.js";
export { type BaseSchedule, baseSchedule, type Span } from "./spans.js";
export { placeSpans, type SpanPlacement } from "./timing.js";
