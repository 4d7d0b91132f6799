/**
 * Results logs: one line shape for `remat solve --out X.jsonl` and `remat batch`, resumed on the full
 * setting; torn last lines completed before an append and counted on resume; one writer at a time
 * through `LOG.lock`; failed jobs run again unless `--no-retry`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  canonicalJson,
  isDone,
  jobSetting,
  logLine,
  readResultsLog,
  settingKey,
} from "../../src/cli/results-log.js";
import { appendLogLine } from "../../src/io/files.js";
import { cli, tempFolder } from "./run.js";

const chain = "instances/examples/chain.json";
const examples = "instances/examples";

function lines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

function batchArgs(log: string, ...more: string[]): string[] {
  return [
    "batch",
    "--instances",
    examples,
    "--budgets",
    "100%",
    "--solvers",
    "store-all",
    "--out",
    log,
    ...more,
  ];
}

/** The number in the resume report before `label`, e.g. `3 done`. */
function reported(err: string, label: string): number {
  const match = new RegExp(`(\\d+) ${label}`).exec(err);
  expect(match, `"${label}" in: ${err}`).not.toBeNull();
  return Number(match?.[1]);
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** A live process other than this one, for a lock holder. */
async function liveProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  children.push(child);
  await new Promise((resolve) => child.once("spawn", resolve));
  return child;
}

describe("results logs", () => {
  it("complete a torn last line before appending, so the torn record stays a line of its own", async () => {
    const log = join(tempFolder(), "torn.jsonl");
    const torn = '{"file":"instances/examples/chain.json","budget":"100%","sta';
    writeFileSync(log, `{"earlier":true}\n${torn}`);
    expect(await appendLogLine(log, '{"next":1}')).toBe(true);
    expect(await appendLogLine(log, '{"next":2}')).toBe(false);
    expect(readFileSync(log, "utf8")).toBe(`{"earlier":true}\n${torn}\n{"next":1}\n{"next":2}\n`);
    const run = await cli("solve", chain, "--solver", "store-all", "--out", log);
    expect(run.code).toBe(0);
    expect(lines(log)).toHaveLength(5);
    expect(JSON.parse(lines(log)[4] as string)).toMatchObject({ file: chain, status: "optimal" });
  });

  it("say on resume how many unparsable lines they kept aside, and never remove them", async () => {
    const log = join(tempFolder(), "resume.jsonl");
    expect((await cli(...batchArgs(log))).code).toBe(0);
    appendFileSync(log, '{"file":"x","budg');
    const resumed = await cli(...batchArgs(log, "--budgets", "100%,none"));
    expect(resumed.code).toBe(0);
    expect(reported(resumed.err, "unparsable")).toBe(1);
    expect(reported(resumed.err, "done")).toBe(3);
    expect(readResultsLog(log)).toMatchObject({ unparsable: 1, foreign: 0 });
    expect(readResultsLog(log).lines).toHaveLength(6);
    expect(readFileSync(log, "utf8")).toContain('{"file":"x","budg\n');
  });

  it("share one line shape between solve --out and batch, and a batch skips what solve logged", async () => {
    const log = join(tempFolder(), "shared.jsonl");
    const solved = await cli(
      "solve",
      chain,
      "--solver",
      "store-all",
      "--budget",
      "100%",
      "--time-limit",
      "60",
      "--out",
      log,
    );
    expect(solved.code).toBe(0);
    const batch = await cli(...batchArgs(log, "--with-schedules"));
    expect(reported(batch.err, "done")).toBe(1);
    const [fromSolve, ...fromBatch] = lines(log).map((line) => JSON.parse(line));
    expect(fromBatch).toHaveLength(2);
    for (const line of fromBatch) expect(Object.keys(line).sort()).toEqual(Object.keys(fromSolve).sort());
    expect(fromSolve.setting).toEqual(fromBatch[0].setting);
    expect(fromSolve).toMatchObject({ file: chain, budget: "100%", solver: "store-all" });
  });

  it("resume on the full setting: other --slots, --time-limit or --extra run again", async () => {
    const log = join(tempFolder(), "setting.jsonl");
    const mincut = [
      "batch",
      "--instances",
      chain,
      "--budgets",
      "100%",
      "--solvers",
      "graph-mincut",
      "--out",
      log,
    ];
    expect(reported((await cli(...mincut)).err, "new")).toBe(1);
    expect((await cli(...mincut)).out).toContain("nothing to run");
    expect(reported((await cli(...mincut, "--slots", "50")).err, "new")).toBe(1);
    expect(reported((await cli(...mincut, "--time-limit", "30")).err, "new")).toBe(1);
    const partition = ["--extra", "method=partition", "--extra", "spanWork=1e9"];
    expect(reported((await cli(...mincut, ...partition)).err, "new")).toBe(1);
    const reordered = await cli(...mincut, "--extra", "spanWork=1000000000", "--extra", "method=partition");
    expect(reordered.out).toContain("nothing to run");
    expect(lines(log)).toHaveLength(4);
  });

  it("run failed jobs again on resume (error, rejected, stopped), but not a solver's own timeout", async () => {
    const log = join(tempFolder(), "failed.jsonl");
    const setting = (file: string) =>
      jobSetting(`${examples}/${file}`, { solver: "store-all", budget: "100%", timeLimitSec: 60 });
    const write = (file: string, outcome: Parameters<typeof logLine>[1]) =>
      appendFileSync(log, `${JSON.stringify(logLine(setting(file), outcome))}\n`);
    write("chain.json", { status: "error", reason: "boom" });
    write("coarse-chain.json", { status: "timeout", stopped: true, reason: "stopped after 95 s" });
    write("skip-dag.json", { status: "timeout", reason: "the solver's own limit" });
    const kept = await cli(...batchArgs(log, "--no-retry"));
    expect(kept.out).toContain("nothing to run");
    const retried = await cli(...batchArgs(log));
    expect(reported(retried.err, "done")).toBe(1);
    expect(reported(retried.err, "failed to run again")).toBe(2);
    const after = readResultsLog(log).lines;
    expect(after).toHaveLength(5);
    expect(after.slice(3).map((line) => [line.file, line.status])).toEqual([
      [`${examples}/chain.json`, "optimal"],
      [`${examples}/coarse-chain.json`, "optimal"],
    ]);
    expect((await cli(...batchArgs(log))).out).toContain("nothing to run");
  });

  it("log a rejected job and run it again on resume", async () => {
    const log = join(tempFolder(), "rejected.jsonl");
    const args = [
      "batch",
      "--instances",
      `${examples}/skip-dag.json`,
      "--budgets",
      "100%",
      "--solvers",
      "chain-dp",
      "--out",
      log,
    ];
    expect((await cli(...args)).code).toBe(0);
    expect(readResultsLog(log).lines.map((line) => line.status)).toEqual(["rejected"]);
    expect(reported((await cli(...args)).err, "failed to run again")).toBe(1);
    expect((await cli(...args, "--no-retry")).out).toContain("nothing to run");
  });

  it("count an answer or the solver's own timeout as done, a stopped worker or a failure as not", () => {
    for (const status of ["optimal", "feasible", "infeasible", "timeout"])
      expect(isDone({ status })).toBe(true);
    for (const status of ["error", "rejected"]) expect(isDone({ status })).toBe(false);
    expect(isDone({ status: "timeout", stopped: true })).toBe(false);
  });

  it("key settings by canonical JSON, whatever the order of the extra switches", () => {
    const a = jobSetting("./x.json", {
      solver: "graph-mincut",
      budget: "50%",
      extra: { lambda: 1, ban: ["conv2d", "dense"] },
    });
    const b = jobSetting("x.json", {
      solver: "graph-mincut",
      budget: "50%",
      extra: { ban: ["conv2d", "dense"], lambda: 1 },
    });
    expect(settingKey(a)).toBe(settingKey(b));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(settingKey(jobSetting("x.json", { solver: "graph-mincut", budget: "50%", slots: 9 }))).not.toBe(
      settingKey(a),
    );
  });

  it("let one writer at a time append, naming the log, the lock and the holder's pid", async () => {
    const folder = tempFolder();
    const log = join(folder, "locked.jsonl");
    const holder = await liveProcess();
    writeFileSync(`${log}.lock`, `${holder.pid}\n`);
    for (const args of [batchArgs(log), ["solve", chain, "--solver", "store-all", "--out", log]]) {
      const run = await cli(...args);
      expect(run.code, args[0]).toBe(2);
      for (const text of [log, `${log}.lock`, String(holder.pid)]) expect(run.err).toContain(text);
    }
    expect(existsSync(log)).toBe(false);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    const taken = await cli(...batchArgs(log));
    expect(taken.code).toBe(0);
    expect(taken.err).toMatch(new RegExp(`taking over ${log}\\.lock.*${holder.pid}`));
    expect(existsSync(`${log}.lock`)).toBe(false);
    expect(lines(log)).toHaveLength(3);
  });
});
