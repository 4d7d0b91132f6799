/**
 * Lazy loading of TensorFlow.js, so that `import "remat"` stays light: the library (and its cpu and wasm
 * backends) is imported on the first call to {@link loadTf} only. `@tensorflow/tfjs` is the package that
 * registers every gradient (tfjs-core alone registers none; research/libraries.md, section 5).
 */
import type * as TF from "@tensorflow/tfjs";

/** The TensorFlow.js namespace. */
export type Tf = typeof TF;
/** A TensorFlow.js tensor. */
export type Tensor = TF.Tensor;
/** The kernel backends the simulator runs on: `cpu` (pure JS, bit-deterministic) or `wasm` (XNNPACK, SIMD). */
export type Backend = "cpu" | "wasm";

/** Every backend name, for option parsing. */
export const BACKENDS: readonly Backend[] = ["cpu", "wasm"];

let loading: Promise<Tf> | undefined;

/**
 * Imports TensorFlow.js once and selects `backend`.
 * @returns the `tf` namespace, with `backend` active and ready
 */
export async function loadTf(backend: Backend): Promise<Tf> {
  loading ??= (async () => {
    const tf = await import("@tensorflow/tfjs");
    await import("@tensorflow/tfjs-backend-wasm");
    return tf;
  })();
  const tf = await loading;
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`loadTf: the TensorFlow.js backend "${backend}" failed to initialise`);
  }
  await tf.ready();
  return tf;
}
