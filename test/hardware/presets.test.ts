/**
 * The host-link presets are well formed (names CLI-friendly and unique, figures positive and finite,
 * a description and a source each, each one a block parseInstance accepts) and say what their sources
 * say (achieved PCIe rates below the theoretical per-direction rates, NVLink-C2C half of 900 GB/s,
 * POET's SD-card figures, pcie3 the zoo's link), and the README's table lists exactly them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findPreset, HARDWARE_PRESETS, NO_LINK } from "../../src/hardware/index.js";
import { parseInstance } from "../../src/instance/parse.js";
import { PCIE3_X16 } from "../../src/zoo/roofline.js";

/** GB/s in bytes/ms. */
const GB_PER_S = 1e6;

/** The per-direction theoretical rate of a x16 link: GT/s x 16 lanes x 128/130 encoding / 8 bits, GB/s. */
function pcieTheoreticalGBps(gigatransfers: number): number {
  return (gigatransfers * 16 * 128) / 130 / 8;
}

function preset(name: string) {
  const found = findPreset(name);
  if (found === undefined) throw new Error(`no preset ${name}`);
  return found;
}

describe("hardware presets", () => {
  it("have unique, CLI-friendly names, none of them the reserved no-link name", () => {
    const names = HARDWARE_PRESETS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(names).not.toContain(NO_LINK);
    expect(names).toEqual(
      expect.arrayContaining(["pcie3", "pcie4", "pcie5", "nvlink-c2c", "usb2-flash", "sd-card"]),
    );
  });

  it("carry a positive finite bandwidth, a finite latency >= 0, a description and a source each", () => {
    for (const p of HARDWARE_PRESETS) {
      expect(Number.isFinite(p.bandwidth) && p.bandwidth > 0, p.name).toBe(true);
      expect(Number.isFinite(p.latency) && p.latency >= 0, p.name).toBe(true);
      expect(p.description.trim().length, p.name).toBeGreaterThan(20);
      expect(p.source.trim().length, p.name).toBeGreaterThan(20);
      expect(Object.isFrozen(p), p.name).toBe(true);
    }
  });

  it("are each a hardware block that parseInstance accepts as it is", () => {
    for (const p of HARDWARE_PRESETS) {
      const instance = parseInstance({
        format: "remat-instance/1",
        name: p.name,
        hardware: { bandwidth: p.bandwidth, latency: p.latency },
        nodes: [
          { id: "x", fwd: 0, bwd: 0, bytes: 1 },
          { id: "loss", fwd: 1, bwd: 1, bytes: 1, inputs: ["x"] },
        ],
      });
      expect(instance.hardware).toEqual({ bandwidth: p.bandwidth, latency: p.latency });
    }
  });

  it("give PCIe rates achieved below the theoretical per-direction rates, faster each generation", () => {
    const generations: [string, number][] = [
      ["pcie3", 8],
      ["pcie4", 16],
      ["pcie5", 32],
    ];
    let previous = 0;
    for (const [name, gigatransfers] of generations) {
      const achieved = preset(name).bandwidth / GB_PER_S;
      const theoretical = pcieTheoreticalGBps(gigatransfers);
      expect(achieved, name).toBeLessThan(theoretical);
      expect(achieved / theoretical, name).toBeGreaterThan(0.7);
      expect(achieved, name).toBeGreaterThan(previous);
      previous = achieved;
    }
    expect(pcieTheoreticalGBps(8)).toBeCloseTo(15.75, 2);
  });

  it("give NVLink-C2C half of GH200's 900 GB/s bidirectional, each way", () => {
    expect(preset("nvlink-c2c").bandwidth).toBe((900 / 2) * GB_PER_S);
  });

  it("give the SD card POET's MKR1000 page-in figures and USB 2.0 flash 40 MB/s", () => {
    // POET, poet/chipsets.py: PAGEIN_THROUGHPUT 4616.51e3 bytes/s, PAGEIN_LATENCY 0.109e-3 s
    expect(preset("sd-card")).toMatchObject({ bandwidth: 4616.51e3 / 1000, latency: 0.109 });
    expect(preset("usb2-flash").bandwidth).toBe(40e6 / 1000);
  });

  it("make pcie3 exactly the link of the zoo's generated instances", () => {
    expect({ bandwidth: preset("pcie3").bandwidth, latency: preset("pcie3").latency }).toEqual(PCIE3_X16);
  });

  it("are listed in the README's Host links table with the figures they carry", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("### Host links"));
    const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \| ([0-9.]+) \| ([0-9.]+) \|/gm)].map((m) => [
      m[1],
      Number(m[2]),
      Number(m[3]),
    ]);
    expect(rows).toEqual(
      HARDWARE_PRESETS.map((p) => [p.name, Number((p.bandwidth / GB_PER_S).toPrecision(4)), p.latency]),
    );
  });
});
