/**
 * Lazy loading of TensorFlow.js, which remat names as optional peer dependencies: the simulator and the
 * profiler (`remat/simulate`) import it on the first call to {@link loadTf} only, and the planning core
 * (`remat`) never does. `@tensorflow/tfjs` is the package that registers every gradient (tfjs-core alone
 * registers none); `@tensorflow/tfjs-backend-wasm` is imported for the
 * wasm backend only.
 *
 * Loading also keeps TensorFlow.js's one-time Node.js advice off the user's screen: the cpu backend prints
 * "Hi, looks like you are running TensorFlow.js in Node.js..." (install tfjs-node) on its first tensor
 * write (tfjs-backend-cpu, `MathBackendCPU.write`). remat runs the pure-JS backend on purpose (it is the
 * bit-deterministic one), so that first write is made here, a scalar, while tfjs-core's `PROD` flag is on
 * (its `warn` prints nothing then), and the flag is set back to what it was. No console is patched.
 */
import type * as TF from "@tensorflow/tfjs";
import { InputError } from "../errors.js";

/** The TensorFlow.js namespace. */
export type Tf = typeof TF;
/** A TensorFlow.js tensor. */
export type Tensor = TF.Tensor;
/** The kernel backends the simulator runs on: `cpu` (pure JS, bit-deterministic) or `wasm` (XNNPACK, SIMD). */
export type Backend = "cpu" | "wasm";

/** Every backend name, for option parsing. */
export const BACKENDS: readonly Backend[] = ["cpu", "wasm"];

/** The optional peer dependencies the simulator and profiler run on. */
export const TF_PACKAGES = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"] as const;

/** The command that installs them, quoted in the error raised when one is missing. */
export const TF_INSTALL = `npm install ${TF_PACKAGES.join(" ")}`;

let loadingTf: Promise<Tf> | undefined;
let loadingWasm: Promise<unknown> | undefined;

/**
 * Imports TensorFlow.js once (and its wasm backend once, when asked for) and selects `backend`.
 *
 * @param site the caller, named in the error (`simulate`, `profileModel`)
 * @returns the `tf` namespace, with `backend` active and ready
 * @throws InputError code `required` at path `@tensorflow/tfjs` (or `@tensorflow/tfjs-backend-wasm`) when
 *   the package is not installed, its message giving {@link TF_INSTALL}; Error when the backend fails to start
 */
export async function loadTf(backend: Backend, site = "loadTf"): Promise<Tf> {
  loadingTf ??= importPackage(site, TF_PACKAGES[0], () => import("@tensorflow/tfjs"));
  const tf = await loadingTf.catch((error: unknown) => {
    loadingTf = undefined;
    throw error;
  });
  if (backend === "wasm") {
    loadingWasm ??= importPackage(site, TF_PACKAGES[1], () => import("@tensorflow/tfjs-backend-wasm"));
    await loadingWasm.catch((error: unknown) => {
      loadingWasm = undefined;
      throw error;
    });
  }
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`loadTf: the TensorFlow.js backend "${backend}" failed to initialise`);
  }
  await tf.ready();
  if (backend === "cpu") firstWriteQuietly(tf);
  return tf;
}

/** Imports `name`, turning "not installed" into an InputError that says how to install it. */
async function importPackage<T>(site: string, name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissing(error, name)) throw error;
    throw new InputError(site, [
      {
        code: "required",
        path: name,
        expected: `installed: ${TF_INSTALL} (TensorFlow.js, an optional peer dependency of remat, runs the kernels of remat simulate, remat profile and remat/simulate)`,
        received: "not installed",
      },
    ]);
  }
}

/** Whether `error` is Node's "cannot find package `name`" (ESM or CommonJS resolution). */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    message.includes(`'${name}'`)
  );
}

/** Makes the cpu backend's first tensor write (which prints the Node.js advice) with tfjs warnings off. */
function firstWriteQuietly(tf: Tf): void {
  const env = tf.env();
  const prod = env.getBool("PROD");
  env.set("PROD", true);
  try {
    tf.scalar(0).dispose();
  } finally {
    env.set("PROD", prod);
  }
}
