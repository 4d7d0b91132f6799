/** The LP/MILP layer: the model builder, the backend interface, the backends and the solution checker. */
export type { LpBackend, LpResult, LpSolveOptions, LpStatus } from "./backend.js";
export { LpBackendError } from "./backend.js";
export { backends, defaultBackend, type LpBackendName } from "./backends.js";
export {
  checkSolution,
  DEFAULT_TOLERANCE,
  describeViolations,
  type SolutionCheck,
  type Violation,
  type ViolationKind,
} from "./check.js";
export { createGlpkBackend, glpkBackend } from "./glpk.js";
export { createHighsBackend, highsBackend } from "./highs.js";
export { createJslpBackend, jslpBackend } from "./jslp.js";
export type { JslpModel } from "./jslp-model.js";
export type { JslpRunner } from "./jslp-runner.js";
export {
  type ConstraintBounds,
  isMixedInteger,
  type LpConstraint,
  type LpModel,
  type LpTerm,
  type LpVariable,
  type ModelArrays,
  ModelBuilder,
  modelArrays,
  type ObjectiveSense,
  type VariableKind,
  type VariableSpec,
  withoutObjective,
} from "./model.js";
