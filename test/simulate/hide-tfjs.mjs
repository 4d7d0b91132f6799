/**
 * Makes TensorFlow.js look uninstalled to a Node process started with
 * `node --import ./test/simulate/hide-tfjs.mjs ...`: a module resolve hook resolves every
 * `@tensorflow/*` package from a folder that has no node_modules, so Node raises its own
 * ERR_MODULE_NOT_FOUND, as it does where the optional peer dependencies were never installed.
 * Used by test/simulate/cli-process.test.ts; nothing in src/ knows about it.
 */
import { register } from "node:module";

const hooks = `
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith("@tensorflow/")) return next(specifier, context);
  return next(specifier, { ...context, parentURL: "file:///remat-no-packages-here/index.mjs" });
}`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`);
