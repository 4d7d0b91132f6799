/**
 * The LP/MILP backends by name (an explicit list, no registration by import side effect), and the
 * default one. HiGHS is the default: fastest, and the only one that proves a bound under a time limit.
 */
import type { LpBackend } from "./backend.js";
import { glpkBackend } from "./glpk.js";
import { highsBackend } from "./highs.js";
import { jslpBackend } from "./jslp.js";

import type { LpBackendName } from "./names.js";

export type { LpBackendName } from "./names.js";

/** Every backend, by name. */
export const backends: Readonly<Record<LpBackendName, LpBackend>> = Object.freeze({
  highs: highsBackend,
  glpk: glpkBackend,
  jslp: jslpBackend,
});

/** HiGHS. */
export const defaultBackend: LpBackend = highsBackend;
