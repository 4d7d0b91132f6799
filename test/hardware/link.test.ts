/**
 * The override rule of src/hardware/link.ts: nothing given keeps the instance's own block; a preset
 * replaces it (`none` removes it); `bandwidth` / `latency` override one figure of the link in force;
 * with no link in force both are needed. Settings are normalized, so equal choices give equal settings.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import {
  findPreset,
  type HardwareChoice,
  linkSetting,
  NO_LINK,
  resolveLink,
} from "../../src/hardware/index.js";
import type { Hardware } from "../../src/instance/types.js";

const own: Hardware = { bandwidth: 100, latency: 0.5 };
const pcie4 = findPreset("pcie4") as Hardware;

/** The link in force for an instance whose own block is `block`, under `choice`. */
function linkFor(block: Hardware | undefined, choice: HardwareChoice | undefined) {
  return resolveLink(block, choice === undefined ? undefined : linkSetting(choice, "test"), "test");
}

function refusal(read: () => unknown): [string, string][] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues.map((issue) => [issue.code, issue.path]);
  }
  throw new Error("no error");
}

describe("the link rule", () => {
  it.each<[string, Hardware | undefined, HardwareChoice | undefined, object | undefined]>([
    ["nothing given keeps the instance's own block", own, undefined, { preset: null, ...own }],
    ["nothing given on an instance without a block is no link", undefined, undefined, undefined],
    [
      "a preset replaces the instance's block whole",
      own,
      "pcie4",
      { preset: "pcie4", bandwidth: pcie4.bandwidth, latency: pcie4.latency },
    ],
    [
      "a preset applies to an instance without a block",
      undefined,
      { preset: "pcie4" },
      { preset: "pcie4", bandwidth: pcie4.bandwidth, latency: pcie4.latency },
    ],
    [
      "a bandwidth overrides the preset's, keeping its latency",
      own,
      { preset: "pcie4", bandwidth: "1GB/s" },
      { preset: "pcie4", bandwidth: 1e6, latency: pcie4.latency },
    ],
    [
      "a latency overrides the preset's, keeping its bandwidth",
      undefined,
      { preset: "pcie4", latency: "1ms" },
      { preset: "pcie4", bandwidth: pcie4.bandwidth, latency: 1 },
    ],
    [
      "a bandwidth alone overrides the instance's own, keeping its latency",
      own,
      { bandwidth: 5 },
      { preset: null, bandwidth: 5, latency: 0.5 },
    ],
    [
      "a latency alone overrides the instance's own, keeping its bandwidth",
      own,
      { latency: 2 },
      { preset: null, bandwidth: 100, latency: 2 },
    ],
    [
      "both figures make a link for an instance without a block",
      undefined,
      { bandwidth: 5, latency: 2 },
      { preset: null, bandwidth: 5, latency: 2 },
    ],
    ["none removes the instance's block", own, NO_LINK, undefined],
    ["null is none", own, null, undefined],
  ])("%s", (_name, block, choice, expected) => {
    expect(linkFor(block, choice)).toEqual(expected);
  });

  it("refuses one figure alone when no link is in force, naming the missing one", () => {
    expect(refusal(() => linkFor(undefined, { bandwidth: 5 }))).toEqual([["option", "hardware.latency"]]);
    expect(refusal(() => linkFor(undefined, { latency: 5 }))).toEqual([["option", "hardware.bandwidth"]]);
  });

  it("refuses figures together with none, which has no link to change", () => {
    expect(refusal(() => linkSetting({ preset: NO_LINK, bandwidth: 5, latency: 1 }, "test"))).toEqual([
      ["option", "hardware.bandwidth"],
      ["option", "hardware.latency"],
    ]);
  });

  it("reports every problem of a choice at once", () => {
    const choice = { preset: "pcie9", bandwidth: "fast", latency: -1, speed: 3 } as HardwareChoice;
    expect(refusal(() => linkSetting(choice, "test"))).toEqual([
      ["unknown-field", "hardware.speed"],
      ["option", "hardware.preset"],
      ["option", "hardware.bandwidth"],
      ["option", "hardware.latency"],
    ]);
    expect(refusal(() => linkSetting("PCIe4", "test"))).toEqual([["option", "hardware"]]);
    expect(refusal(() => linkSetting(7 as unknown as HardwareChoice, "test"))).toEqual([
      ["option", "hardware"],
    ]);
  });

  it("normalizes a choice: the same link however written gives the same setting", () => {
    const written: HardwareChoice[] = [
      "pcie4",
      { preset: "pcie4" },
      { preset: "pcie4", bandwidth: "25GB/s" },
      { preset: "pcie4", bandwidth: 25e6, latency: "10us" },
    ];
    const settings = written.map((choice) => linkSetting(choice, "test"));
    for (const setting of settings) expect(setting).toEqual(settings[0]);
    expect(settings[0]).toEqual({ preset: "pcie4", bandwidth: pcie4.bandwidth, latency: pcie4.latency });
    expect(linkSetting({ bandwidth: "25GB/s" }, "test")).toEqual({
      preset: null,
      bandwidth: 25e6,
      latency: null,
    });
    expect(linkSetting("pcie3", "test")).not.toEqual(settings[0]);
  });
});
