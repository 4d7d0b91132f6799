/**
 * Loads the LP backends (./backends.ts) when a model is solved rather than when remat is imported: the
 * backends' libraries (HiGHS and glpk.js as WebAssembly with Node loaders, javascript-lp-solver in a
 * worker thread) import Node modules, and remat's main entry must bundle for the browser without any
 * (test/browser-bundle.test.ts). The specifier is a variable, so bundlers leave the import alone; in a
 * browser the LP-based solvers then fail at solve time with the import's error, and every other solver
 * is unaffected. The one loader for every solver that uses the LP layer.
 */
import type { LpBackend } from "./backend.js";
import type { LpBackendName } from "./backends.js";

/** The backends' module, relative to this file (the same in src/ and in dist/). */
const BACKENDS_MODULE = "./backends.js";

/** The LP backend named `name`, its module loaded on first use. */
export async function loadLpBackend(name: LpBackendName): Promise<LpBackend> {
  const module = (await import(BACKENDS_MODULE)) as typeof import("./backends.js");
  return module.backends[name];
}
