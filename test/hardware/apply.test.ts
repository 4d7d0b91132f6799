/**
 * Putting a link on an instance: withHardware returns a parsed, frozen instance with the block
 * replaced and the input unchanged; the evaluator then times transfers on the new link
 * (`latency + bytes / bandwidth`); solve takes the link as its `hardware` option, records it in
 * `options.hardware`, and solves again to the same answer when given its recorded options back.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { InputError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { applyHardware, findPreset, withHardware } from "../../src/hardware/index.js";
import { isParsedInstance } from "../../src/instance/parsed.js";
import type { Hardware } from "../../src/instance/types.js";
import { example, text } from "../helpers.js";

const chain = example("chain");

function preset(name: string): Hardware {
  const found = findPreset(name);
  if (found === undefined) throw new Error(`no preset ${name}`);
  return { bandwidth: found.bandwidth, latency: found.latency };
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

/**
 * test/evaluate.test.ts's offload schedule on instances/examples/chain.json: `O x` is issued when `F a`
 * ends at t = 2 and `D a:x` waits for it; `P x` is issued after `B loss`, one `B b` (1 ms) before `B a`
 * reads x.
 */
const offloadSchedule = text(
  "F x",
  "F a",
  "O x",
  "D a:x",
  "F b",
  "D a:a",
  "F loss",
  "D a:loss",
  "B loss",
  "P x",
  "B b",
  "D a:b",
  "B a",
  "D a:x",
);

describe("withHardware", () => {
  it("returns a parsed, frozen instance with the block replaced, leaving the input unchanged", () => {
    const linked = withHardware(chain, preset("pcie4"));
    expect(isParsedInstance(linked)).toBe(true);
    expect(Object.isFrozen(linked)).toBe(true);
    expect(Object.isFrozen(linked.hardware)).toBe(true);
    expect(linked.hardware).toEqual(preset("pcie4"));
    expect(linked.nodes).toBe(chain.nodes);
    expect(chain.hardware).toEqual({ bandwidth: 100, latency: 0.5 });
    const { hardware: _a, ...rest } = linked;
    const { hardware: _b, ...before } = chain;
    expect(rest).toEqual(before);
  });

  it("removes the block when given no link", () => {
    const bare = withHardware(chain, undefined);
    expect(isParsedInstance(bare)).toBe(true);
    expect("hardware" in bare).toBe(false);
    const result = evaluate(bare, text("F x", "O x"));
    expect(result.valid).toBe(false);
  });

  it("refuses bad figures, a link too slow for the time limits, and unparsed instances", () => {
    expect(refusal(() => withHardware(chain, { bandwidth: 0, latency: -1 }))).toEqual([
      ["option", "hardware.bandwidth"],
      ["option", "hardware.latency"],
    ]);
    expect(refusal(() => withHardware(chain, { bandwidth: 1e-15, latency: 0 }))).toEqual([
      ["total-too-large", "hardware"],
    ]);
    expect(refusal(() => withHardware({ ...chain }, preset("pcie4")))).toEqual([["type", "instance"]]);
  });

  it("is skipped by applyHardware when the choice changes nothing", () => {
    expect(applyHardware(chain, undefined, "test").instance).toBe(chain);
    expect(applyHardware(chain, { bandwidth: 100 }, "test").instance).toBe(chain);
    expect(applyHardware(chain, "pcie4", "test").instance).not.toBe(chain);
  });
});

describe("an offload schedule under two presets", () => {
  it("stalls exactly latency + bytes / bandwidth for the transfer it waits on", () => {
    const bytes = chain.nodes[0]?.bytes as number; // a:x, 100 bytes
    const stalls: number[] = [];
    for (const name of ["sd-card", "pcie4"]) {
      const link = preset(name);
      const transferMs = link.latency + bytes / link.bandwidth;
      const result = evaluate(withHardware(chain, link), offloadSchedule, { trace: true });
      if (!result.valid) throw new Error(result.error.reason);
      // D a:x waits from t = 2 until the offload ends; the prefetch (shorter than B b's 1 ms) ends
      // before B a reads x, so the one stall is the offload's.
      expect(result.trace?.[3]?.instruction).toBe("D a:x");
      expect(result.trace?.[3]?.startMs).toBeCloseTo(2 + transferMs, 12);
      expect(result.trace?.[3]?.stallMs).toBeCloseTo(transferMs, 12);
      const prefetch = result.trace?.[9];
      expect(prefetch?.instruction).toBe("P x");
      expect((prefetch?.endMs ?? 0) - (prefetch?.startMs ?? 0)).toBeCloseTo(transferMs, 12);
      expect(result.makespanMs).toBeCloseTo(result.computeMs + transferMs, 12);
      expect(result.peakBytes).toBe(1700);
      stalls.push(result.stallMs);
    }
    const [sd, pcie] = stalls as [number, number];
    // by hand: sd-card 0.109 + 100 / 4616.51 = 0.130661 ms; pcie4 0.01 + 100 / 25e6 = 0.010004 ms
    expect(sd).toBeCloseTo(0.109 + 100 / 4616.51, 12);
    expect(pcie).toBeCloseTo(0.01 + 100 / 25e6, 12);
    expect(sd - pcie).toBeCloseTo(0.130661 - 0.010004, 6);
  });
});

describe("solve under a link", () => {
  it("records the link it solved under and reproduces the answer from its recorded options", async () => {
    const bare = example("skip-dag");
    const result = await solve(bare, {
      solver: "store-all",
      hardware: { preset: "sd-card", latency: "1ms" },
    });
    expect(result.options.hardware).toEqual({
      preset: "sd-card",
      bandwidth: preset("sd-card").bandwidth,
      latency: 1,
    });
    const again = await solve(bare, { solver: "store-all", ...result.options });
    expect(again.options).toEqual(result.options);
    const own = await solve(chain, { solver: "store-all" });
    expect(own.options.hardware).toEqual({ preset: null, bandwidth: 100, latency: 0.5 });
    const none = await solve(bare, { solver: "store-all" });
    expect(none.options.hardware).toBeNull();
    expect((await solve(chain, { solver: "store-all", ...none.options })).options.hardware).toBeNull();
  });

  it("refuses a bad link together with the other bad options, at once", async () => {
    const error = await solve(chain, {
      solver: "chen-sqrt",
      slots: 10,
      hardware: { preset: "pcie9", bandwidth: 0 },
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => [issue.code, issue.path])).toEqual([
      ["option", "slots"],
      ["option", "hardware.preset"],
      ["option", "hardware.bandwidth"],
    ]);
    const alone = await solve(example("skip-dag"), { solver: "store-all", hardware: { latency: 1 } }).catch(
      (thrown: unknown) => thrown,
    );
    expect((alone as InputError).issues.map((issue) => issue.path)).toEqual(["hardware.bandwidth"]);
  });
});
