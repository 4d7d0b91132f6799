/**
 * Named host links: real device<->host connections with the figures the cost model needs (DESIGN.md,
 * "Instance": `bandwidth` in bytes/ms each way, `latency` in ms per transfer, so that a transfer of `b`
 * bytes takes `latency + b / bandwidth` ms on its channel). Each preset says where its figures come from.
 *
 * Bandwidths are what a copy achieves, not the signalling rate: for PCIe the measured host<->device
 * copy rate, about 76-80% of the per-direction theoretical rate (8, 16 and 32 GT/s x 16 lanes with
 * 128b/130b encoding = 15.75, 31.5 and 63 GB/s), because packet headers, flow control and the DMA
 * engine take the rest. NVLink-C2C is the one exception: its preset is NVIDIA's per-direction peak
 * (no measured figure has been adopted; measured copies reach less, see its source). Latencies are the
 * fixed cost of one copy (issue, DMA set-up, completion), paid once per `O` or `P`.
 *
 * 1 GB/s = 1e9 bytes / 1000 ms = 1e6 bytes/ms; 1 MB/s = 1e3 bytes/ms.
 */
import type { Hardware } from "../instance/types.js";

/** A named link: its figures, one line saying what it is, and where the figures come from. */
export interface HardwarePreset extends Hardware {
  /** Short and CLI-friendly (`pcie4`), as `--hardware NAME` takes it. */
  readonly name: string;
  /** One line: what link this is and which figure was chosen. */
  readonly description: string;
  /** The spec or paper each figure comes from, with the figure. */
  readonly source: string;
}

/**
 * The fixed cost of one GPU copy over PCIe or NVLink-C2C, ms: 10 us. Measured issue costs are a few
 * microseconds (2.3 us per cudaMemcpyAsync call on an H20, taco-project/FlexKV PR #193; 6 us for a
 * small copy by rocm-bandwidth-test, ROCm/hip issue #3809); 10 us rounds that up to include waiting for
 * the copy's completion, as a schedule's `D` and readers do. It is the figure remat's generated zoo
 * instances carry (src/zoo/roofline.ts), so `pcie3` equals their link exactly.
 */
const GPU_COPY_LATENCY_MS = 0.01;

/** Every preset, fastest first. Names are unique; `none` is reserved (no link, see link.ts). */
export const HARDWARE_PRESETS: readonly HardwarePreset[] = Object.freeze(
  [
    {
      name: "nvlink-c2c",
      bandwidth: 450e6,
      latency: GPU_COPY_LATENCY_MS,
      description:
        "NVLink-C2C between Grace and Hopper on a GH200 superchip: 450 GB/s each way (peak, not measured)",
      source:
        "NVIDIA GH200 Grace Hopper Superchip datasheet: NVLink-C2C 900 GB/s total bidirectional = 450 GB/s each way; " +
        "measured host-to-device copies reach about 346 GB/s (nvbandwidth, NVIDIA/nvbandwidth issue #23)",
    },
    {
      name: "pcie5",
      bandwidth: 50e6,
      latency: GPU_COPY_LATENCY_MS,
      description: "PCIe 5.0 x16 (H100 PCIe class): 50 GB/s each way achieved, of 63 GB/s theoretical",
      source:
        "PCIe 5.0 base spec: 32 GT/s x 16 lanes, 128b/130b = 63 GB/s per direction; 50 GB/s = the 79% PCIe 4.0 measures " +
        "(see pcie4), in line with 52.8 GB/s device-to-host on H100 (nvbandwidth, NVIDIA/nvbandwidth issue #24) and " +
        "about 50 GB/s both ways on a PCIe 5.0 x16 card (procrastineto/GPU-PCIe-Test issue #3)",
    },
    {
      name: "pcie4",
      bandwidth: 25e6,
      latency: GPU_COPY_LATENCY_MS,
      description: "PCIe 4.0 x16 (A100 class): 25 GB/s each way achieved, of 31.5 GB/s theoretical",
      source:
        "PCIe 4.0 base spec: 16 GT/s x 16 lanes, 128b/130b = 31.5 GB/s per direction; 25.13 GB/s host-to-device " +
        "measured on an A100 (nvbandwidth, NVIDIA/nvbandwidth issue #42), 25 GB/s the measured peak in the BaM paper " +
        "(Qureshi et al., ASPLOS 2023; ZaidQureshi/bam issue #54)",
    },
    {
      name: "pcie3",
      bandwidth: 12e6,
      latency: GPU_COPY_LATENCY_MS,
      description: "PCIe 3.0 x16 (V100/P100 class): 12 GB/s each way achieved, of 15.75 GB/s theoretical",
      source:
        "PCIe 3.0 base spec: 8 GT/s x 16 lanes, 128b/130b = 15.75 GB/s per direction; 12.15 GB/s host-to-device and " +
        "12.89 GB/s device-to-host measured by CUDA's bandwidthTest on a P100 PCIe (mpicbg-scicomp/gearshifft PR #82), " +
        "12 GB/s V100 ingress (ZaidQureshi/bam issue #54); the link of remat's zoo instances",
    },
    {
      name: "usb2-flash",
      bandwidth: 40e3,
      latency: 0.125,
      description:
        "an edge board paging to flash over USB 2.0: 40 MB/s each way, 125 us per transfer (one microframe)",
      source:
        "USB 2.0 spec: 480 Mbit/s = 60 MB/s signalling, 125 us microframes; sustained bulk transfers reach 30-42 MB/s " +
        "(CNet's measurements of USB 2.0 drives); POET's Raspberry Pi flash profile pages in at 45.5 MB/s and out at " +
        "24.5 MB/s (Patil et al., ICML 2022, poet/chipsets.py). Latency: a transfer waits for the next microframe",
    },
    {
      name: "sd-card",
      bandwidth: 4616.51,
      latency: 0.109,
      description:
        "a microcontroller's SD card (MKR1000, Cortex-M0+): 4.6 MB/s each way, 0.109 ms per transfer",
      source:
        'Patil et al., "POET: Training Neural Networks on Tiny Devices with Integrated Rematerialization and Paging", ' +
        "ICML 2022 (poet/chipsets.py, MKR1000): page-in 4616.51 KB/s with 0.109 ms latency (taken here, both ways); " +
        "page-out 4440 KB/s with 0.113 ms",
    },
  ].map((preset) => Object.freeze(preset)),
);

/** The preset called `name`, or undefined (names are case-sensitive, as the table lists them). */
export function findPreset(name: string): HardwarePreset | undefined {
  return HARDWARE_PRESETS.find((preset) => preset.name === name);
}
