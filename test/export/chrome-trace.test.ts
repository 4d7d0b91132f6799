import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { ValidEvaluation } from "../../src/evaluate/result.js";
import { type ChromeTrace, chromeTrace, LANES, type TraceEvent } from "../../src/export/chrome-trace.js";
import { loadInstance } from "../../src/instance/load.js";
import { cli, ROOT, tempFolder } from "../cli/run.js";

const INSTANCE = join(ROOT, "instances", "examples", "chain.json");
/** The hand chain with x offloaded during the forward and prefetched during the backward. */
const SCHEDULE = [
  "F x tape",
  "O x",
  "F a tape",
  "D a:x",
  "F b tape",
  "D a:a",
  "F loss tape",
  "D a:loss",
  "B loss",
  "P x",
  "B b",
  "D a:b",
  "B a",
  "D a:x",
];

async function traced(): Promise<{ evaluation: ValidEvaluation; trace: ChromeTrace }> {
  const instance = await loadInstance(INSTANCE);
  const evaluation = evaluate(instance, SCHEDULE, { trace: true });
  if (!evaluation.valid) throw new Error(evaluation.error.reason);
  return { evaluation, trace: chromeTrace(evaluation, instance.name) };
}

const complete = (events: readonly TraceEvent[], tid: number) =>
  events.filter((event) => event.ph === "X" && event.tid === tid);
const total = (events: readonly TraceEvent[]) => events.reduce((sum, event) => sum + (event.dur ?? 0), 0);

describe("chromeTrace", () => {
  it("puts offloads and prefetches on their own channels and everything else on the compute lane", async () => {
    const { trace } = await traced();
    expect(complete(trace.traceEvents, LANES.offload).map((event) => event.name)).toEqual(["O x"]);
    expect(complete(trace.traceEvents, LANES.prefetch).map((event) => event.name)).toEqual(["P x"]);
    const compute = trace.traceEvents.filter(
      (event) => event.tid === LANES.compute && event.ph !== "M" && event.cat !== "stall",
    );
    expect(compute.map((event) => event.name)).toEqual(SCHEDULE.filter((text) => !/^[OP] /.test(text)));
  });

  it("gives compute events and stalls the evaluator's times, in microseconds", async () => {
    const { evaluation, trace } = await traced();
    const compute = complete(trace.traceEvents, LANES.compute);
    expect(total(compute.filter((event) => event.cat !== "stall")) / 1000).toBeCloseTo(
      evaluation.computeMs,
      9,
    );
    expect(total(compute.filter((event) => event.cat === "stall")) / 1000).toBeCloseTo(evaluation.stallMs, 9);
    expect(evaluation.stallMs).toBeGreaterThan(0);
    const transfer = complete(trace.traceEvents, LANES.offload)[0];
    const step = evaluation.trace?.[1];
    expect(transfer?.ts).toBe((step?.startMs ?? -1) * 1000);
    expect(transfer?.dur).toBeCloseTo(((step?.endMs ?? 0) - (step?.startMs ?? 0)) * 1000, 9);
  });

  it("has a memory counter, in time order, that peaks at the evaluator's peak and ends at its last value", async () => {
    const { evaluation, trace } = await traced();
    const memory = trace.traceEvents.filter((event) => event.ph === "C" && event.name === "memory");
    const times = memory.map((event) => event.ts as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const bytes = memory.map((event) => event.args?.bytes as number);
    expect(Math.max(...bytes)).toBe(evaluation.peakBytes);
    expect(bytes[bytes.length - 1]).toBe(evaluation.timeline[evaluation.timeline.length - 1]);
  });

  it("names the lanes and the process for the viewer", async () => {
    const { trace } = await traced();
    const names = trace.traceEvents.filter((event) => event.ph === "M").map((event) => event.args?.name);
    expect(names).toEqual([
      "remat: hand-chain",
      "compute",
      "offload (device to host)",
      "prefetch (host to device)",
    ]);
  });
});

describe("remat export --format chrome-trace", () => {
  const folder = tempFolder("remat-export-");

  it("writes the trace of a schedule file as JSON", async () => {
    const schedule = join(folder, "schedule.json");
    writeFileSync(schedule, JSON.stringify(SCHEDULE));
    const out = join(folder, "trace.json");
    const run = await cli(
      "export",
      schedule,
      "--instance",
      INSTANCE,
      "--format",
      "chrome-trace",
      "--out",
      out,
    );
    expect(run.code, run.err).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8")) as ChromeTrace;
    expect(written).toEqual(JSON.parse(JSON.stringify((await traced()).trace)));
  });

  it("exits 2 for an unknown format and for a schedule that cannot run", async () => {
    const bad = join(folder, "bad.json");
    writeFileSync(bad, JSON.stringify(["B loss"]));
    const out = join(folder, "x.json");
    const unknown = await cli("export", bad, "--instance", INSTANCE, "--format", "svg", "--out", out);
    expect(unknown.code).toBe(2);
    const invalid = await cli(
      "export",
      bad,
      "--instance",
      INSTANCE,
      "--format",
      "chrome-trace",
      "--out",
      out,
    );
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain("ops[0]");
  });
});
