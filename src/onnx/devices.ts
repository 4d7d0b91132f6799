/**
 * Devices of the importer's roofline (`remat import --device`): fp32 peak without tensor cores and
 * memory bandwidth from NVIDIA's datasheets. The roofline ignores launch overheads and achieved
 * efficiency (src/zoo/roofline.ts): a stated model, a lower bound on real times.
 */
import { type Device, V100 } from "../zoo/roofline.js";

/** NVIDIA A100 SXM4 40 GB: 19.5 TFLOP/s fp32, HBM2 1,555 GB/s. */
export const A100: Device = {
  name: "NVIDIA A100 SXM4 40GB, fp32 (19.5 TFLOP/s, 1555 GB/s)",
  flopsPerMs: 19.5e9,
  bytesPerMs: 1555e6,
};

/** NVIDIA H100 SXM5: 67 TFLOP/s fp32, HBM3 3.35 TB/s. */
export const H100: Device = {
  name: "NVIDIA H100 SXM5, fp32 (67 TFLOP/s, 3350 GB/s)",
  flopsPerMs: 67e9,
  bytesPerMs: 3350e6,
};

/** The devices by their `--device` names. */
export const DEVICES: Readonly<Record<string, Device>> = Object.freeze({
  v100: V100,
  a100: A100,
  h100: H100,
});
