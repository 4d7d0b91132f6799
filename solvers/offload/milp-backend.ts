/**
 * The LP/MILP backend offload-milp solves with, loaded when a model is solved rather than when remat is
 * imported: the backends (HiGHS and GLPK as WebAssembly with Node loaders, javascript-lp-solver in a
 * worker thread) use Node modules, and remat's main entry must bundle for the browser without any
 * (test/browser-bundle.test.ts; STYLE.md, "Heavy optional parts stay optional"). The specifier is a
 * variable so that bundlers leave the import alone; in a browser, offload-milp then fails with the
 * import's error at solve time, and every other solver is unaffected.
 */
import type { LpBackend } from "../../src/lp/backend.js";
import type { LpBackendName } from "../../src/lp/backends.js";

/** Where the backends are, relative to this file (the same in src and in dist). */
const BACKENDS_MODULE = "../../src/lp/backends.js";

/** The backend named `name`. */
export async function lpBackend(name: LpBackendName): Promise<LpBackend> {
  const module = (await import(BACKENDS_MODULE)) as typeof import("../../src/lp/backends.js");
  return module.backends[name];
}
