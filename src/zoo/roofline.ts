/**
 * The time model of generated zoo instances: a roofline per op on a named device. An op that performs
 * `F` FLOPs and moves `M` bytes through device memory takes `max(F / peak FLOP rate, M / memory
 * bandwidth)`, forward and backward separately (FLOPs and bytes per op type: src/zoo/ops/cost.ts). It
 * ignores kernel launch overheads, caches and achieved-versus-peak efficiency, so it is a lower bound
 * on real op times and a stated model, not a measurement (the profiler measures).
 */
import type { Hardware } from "../instance/types.js";

/** A device: name, peak FLOP rate and memory bandwidth. */
export interface Device {
  readonly name: string;
  /** Peak FLOPs per ms. */
  readonly flopsPerMs: number;
  /** Device-memory bytes per ms. */
  readonly bytesPerMs: number;
}

/** NVIDIA V100 (SXM2) at fp32 without tensor cores: 15.7 TFLOP/s, HBM2 900 GB/s (NVIDIA's datasheet). */
export const V100: Device = {
  name: "NVIDIA V100 SXM2, fp32 (15.7 TFLOP/s, 900 GB/s)",
  flopsPerMs: 15.7e9,
  bytesPerMs: 900e6,
};

/**
 * The host link of generated instances: PCIe 3.0 x16, about 12 GB/s achieved each way (of 15.75 GB/s
 * theoretical) = 12e6 bytes/ms, and 10 us per transfer for the launch and synchronisation.
 */
export const PCIE3_X16: Hardware = { bandwidth: 12e6, latency: 0.01 };

/** Significant digits kept in generated times (ms), so files stay readable. */
const TIME_DIGITS = 6;

/** Roofline time, ms, of `flops` FLOPs moving `bytes` bytes on `device`, to 6 significant digits. */
export function rooflineMs(device: Device, flops: number, bytes: number): number {
  return roundMs(Math.max(flops / device.flopsPerMs, bytes / device.bytesPerMs));
}

/** A time, ms, to 6 significant digits. */
export function roundMs(ms: number): number {
  return Number(ms.toPrecision(TIME_DIGITS));
}
