/**
 * The progress of `remat batch` (src/cli/batch-progress.ts): a cli-progress bar on a terminal with done /
 * total, rate, ETA and failures; plain lines at most once per interval (and at each failure and at the end)
 * elsewhere; nothing with --quiet; and the CLI wiring (plain lines on a captured stderr, silence with --quiet).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  batchProgress,
  type FinishedJob,
  formatDuration,
  isFailure,
  progressInterval,
  progressLine,
  rateAndEta,
} from "../../src/cli/batch-progress.js";
import { cli, tempFolder } from "./run.js";

const job = (status: string, stopped?: boolean): FinishedJob => ({
  file: "a.json",
  solver: "store-all",
  budget: "50%",
  status,
  ...(stopped === undefined ? {} : { stopped }),
});

/** A fake clock advanced by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** A writable that says it is a 120-column terminal and keeps what was written. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let written = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream, text: () => written };
}

describe("the batch progress counts", () => {
  it("counts errors and solves stopped past their limit as failures, not a solver's own timeout", () => {
    expect(isFailure(job("error"))).toBe(true);
    expect(isFailure(job("timeout", true))).toBe(true);
    expect(isFailure(job("timeout"))).toBe(false);
    expect(isFailure(job("rejected"))).toBe(false);
    expect(isFailure(job("optimal"))).toBe(false);
  });

  it("derives the rate and the ETA from the average time per finished job", () => {
    const counts = { done: 4, total: 10, failed: 0, rejected: 0, elapsedMs: 120_000 };
    expect(rateAndEta(counts)).toEqual({ perMinute: 2, etaMs: 180_000 });
    expect(rateAndEta({ ...counts, done: 0 }).etaMs).toBe(Number.POSITIVE_INFINITY);
    expect(progressLine(counts)).toBe(
      "remat batch: 4/10 (40%), 2.0 jobs/min, ETA 3m00s, elapsed 2m00s, 0 failed",
    );
  });

  it("formats durations in seconds, minutes and hours", () => {
    expect(formatDuration(45_200)).toBe("45s");
    expect(formatDuration(725_000)).toBe("12m05s");
    expect(formatDuration(3 * 3_600_000 + 7 * 60_000)).toBe("3h07m");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("-");
  });
});

describe("the plain progress lines", () => {
  it("print at most once per interval, at once for a failure, and at the end", () => {
    const lines: string[] = [];
    const time = clock();
    const progress = batchProgress({
      total: 5,
      quiet: false,
      tty: undefined,
      line: (text) => lines.push(text),
      now: time.now,
      intervalMs: 10_000,
    });
    time.advance(2_000);
    progress.finished(job("optimal"));
    time.advance(2_000);
    progress.finished(job("feasible"));
    time.advance(2_000);
    progress.finished(job("error"));
    time.advance(11_000);
    progress.finished(job("rejected"));
    time.advance(1_000);
    progress.finished(job("optimal"));
    progress.stop();
    expect(lines).toEqual([
      "remat batch: 1/5 (20%), 30.0 jobs/min, ETA 8s, elapsed 2s, 0 failed",
      "remat batch: error: a.json store-all 50%",
      "remat batch: 3/5 (60%), 30.0 jobs/min, ETA 4s, elapsed 6s, 1 failed",
      "remat batch: 4/5 (80%), 14.1 jobs/min, ETA 4s, elapsed 17s, 1 failed, 1 rejected",
      "remat batch: 5/5 (100%), 16.7 jobs/min, ETA 0s, elapsed 18s, 1 failed, 1 rejected",
    ]);
  });

  it("print nothing when quiet, even on a terminal", () => {
    const lines: string[] = [];
    const terminal = fakeTerminal();
    const progress = batchProgress({
      total: 2,
      quiet: true,
      tty: terminal.stream,
      line: (t) => lines.push(t),
    });
    progress.finished(job("error"));
    progress.stop();
    expect(lines).toEqual([]);
    expect(terminal.text()).toBe("");
  });
});

describe("the terminal progress bar", () => {
  it("draws done/total, rate, ETA and failures on the terminal and no plain line", () => {
    const lines: string[] = [];
    const terminal = fakeTerminal();
    const time = clock();
    const progress = batchProgress({
      total: 4,
      quiet: false,
      tty: terminal.stream,
      line: (text) => lines.push(text),
      now: time.now,
    });
    time.advance(30_000);
    progress.finished(job("optimal"));
    time.advance(30_000);
    progress.finished(job("timeout", true));
    progress.stop();
    expect(lines).toEqual([]);
    expect(terminal.text()).toContain("remat batch [");
    expect(terminal.text()).toContain(
      "2/4 50% | 2.0 jobs/min | ETA 1m00s | 1 failed | store-all 50%: timeout",
    );
  });
});

describe("remat batch's progress", () => {
  const folder = tempFolder("remat-progress-");
  const args = (out: string) => [
    "batch",
    "--instances",
    "instances/examples/chain.json",
    "--budgets",
    "100%,60%",
    "--solvers",
    "store-all,chen-greedy",
    "--out",
    out,
  ];

  it("prints plain progress lines when standard error is not a terminal", async () => {
    const out = join(folder, "plain.jsonl");
    const run = await cli(...args(out));
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/remat batch: 4\/4 \(100%\), [\d.]+ jobs\/min, ETA 0s, elapsed \S+, 0 failed/);
    expect(run.out).toContain("store-all");
  });

  it("prints nothing with --quiet and still writes every line", async () => {
    const out = join(folder, "quiet.jsonl");
    const run = await cli(...args(out), "--quiet");
    expect(run).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(4);
  });
});

describe("--progress-every", () => {
  it("takes seconds >= 0 and refuses anything else with exit 2 naming the flag", async () => {
    expect(progressInterval("0")).toEqual({ intervalMs: 0 });
    expect(progressInterval("2.5")).toEqual({ intervalMs: 2_500 });
    expect(progressInterval(undefined)).toEqual({});
    const bad = await cli(
      ...["batch", "--instances", "instances/examples/chain.json", "--budgets", "50%", "--solvers"],
      ...["store-all", "--out", join(tempFolder(), "x.jsonl"), "--progress-every", "soon"],
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--progress-every");
  });
});
