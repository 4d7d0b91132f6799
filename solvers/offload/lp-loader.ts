/**
 * Loads the LP backends (src/lp/backends.ts) on first use, by a specifier esbuild cannot follow, so that
 * the `remat` entry still bundles for the browser without Node modules (test/browser-bundle.test.ts):
 * the backends' libraries (HiGHS, glpk.js, the javascript-lp-solver worker) import `node:module` and
 * `node:worker_threads`. Every other part of the offload family stays importable everywhere; only
 * `offload-lp-round`'s solve needs Node (or a bundler configured for WASM).
 */
import type { LpBackend } from "../../src/lp/backend.js";
import type { LpBackendName } from "../../src/lp/backends.js";

type BackendsModule = typeof import("../../src/lp/backends.js");

/** The module's path from this file (the same in src/ and in dist/). */
const BACKENDS_MODULE = ["..", "..", "src", "lp", "backends.js"].join("/");

/** The named LP backend, its module loaded on first use. */
export async function loadLpBackend(name: LpBackendName): Promise<LpBackend> {
  const module = (await import(BACKENDS_MODULE)) as BackendsModule;
  return module.backends[name];
}
