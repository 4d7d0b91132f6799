/**
 * `remat batch` killed at random moments (SIGKILL to the node process itself, and to the whole process
 * group of `npx remat batch`), then resumed to the end, loses and doubles nothing: every job has
 * exactly one finished line, every line is either a full record or a torn one kept aside (the test
 * tears some records itself, as a writer killed mid-write would), and torn records never swallow the
 * next one. Tiny instances and cheap solvers keep it to a few seconds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isDone, readResultsLog } from "../../src/cli/results-log.js";
import { BIN, cli, ROOT, tempFolder } from "./run.js";

/** Seed of the kill moments (printed with every failure). */
const SEED = 20_261_201;

/** Kills of the node process itself, then kills of `npx remat batch`'s process group. */
const DIRECT_KILLS = 5;
const NPX_KILLS = 1;

const FILES = ["chain.json", "coarse-chain.json", "skip-dag.json"];
const SOLVERS = ["store-all", "chen-sqrt"];
const BUDGETS = ["100%", "95%", "90%", "85%", "80%", "75%", "70%", "65%", "60%", "55%", "50%", "45%"];

/** A small deterministic generator in [0, 1) (Park-Miller). */
function random(seed: number): () => number {
  let state = seed % 2_147_483_647 || 1;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

/** A plain progress line (one per finished job with --progress-every 0). */
const PROGRESS = /^remat batch: \d+\/\d+ /gm;

/** How a run is stopped: after `lines` progress lines, or `delayMs` after it starts. */
type Kill = { readonly lines: number } | { readonly delayMs: number };

/** Starts a batch, kills it as `kill` says, and resolves with its stderr once it has exited. */
function runAndKill(args: readonly string[], viaNpx: boolean, kill: Kill): Promise<string> {
  const child: ChildProcess = viaNpx
    ? spawn("npx", ["remat", ...args], { cwd: ROOT, detached: true, stdio: ["ignore", "ignore", "pipe"] })
    : spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // npx runs remat in a child of its own: kill the whole group it leads.
    if (viaNpx) process.kill(-(child.pid as number), "SIGKILL");
    else child.kill("SIGKILL");
  };
  let err = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    if ("lines" in kill && (err.match(PROGRESS)?.length ?? 0) >= kill.lines) stop();
  });
  const timer = "delayMs" in kill ? setTimeout(stop, kill.delayMs) : undefined;
  return new Promise((resolve) =>
    child.once("close", () => {
      clearTimeout(timer);
      resolve(err);
    }),
  );
}

/** A prefix of a record, as a writer killed in the middle of its write would leave. */
function tornCopy(log: string, fraction: number): string | undefined {
  const full = readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line.startsWith('{"file"'));
  const line = full[full.length - 1];
  return line === undefined ? undefined : line.slice(0, Math.max(1, Math.floor(line.length * fraction)));
}

describe("remat batch killed at random moments", () => {
  it("resumes to the end with every job logged exactly once and torn lines kept apart", async () => {
    const next = random(SEED);
    const log = join(tempFolder("remat-kill-"), "results.jsonl");
    const args = ["batch", "--instances", "instances/examples", "--budgets", BUDGETS.join(","), "--solvers"];
    args.push(SOLVERS.join(","), "--out", log, "--jobs", "2", "--progress-every", "0");
    const torn: string[] = [];
    const notes: string[] = [];
    const context = () => `seed ${SEED}, log ${log}`;
    for (let round = 0; round < DIRECT_KILLS + NPX_KILLS; round++) {
      const viaNpx = round >= DIRECT_KILLS;
      const kill: Kill =
        viaNpx || next() < 0.6
          ? { lines: 1 + Math.floor(next() * 5) }
          : { delayMs: Math.floor(next() * 500) };
      notes.push(await runAndKill(args, viaNpx, kill));
      if (existsSync(log) && next() < 0.5) {
        const fragment = tornCopy(log, 0.1 + next() * 0.8);
        if (fragment !== undefined) {
          appendFileSync(log, fragment);
          torn.push(fragment);
        }
      }
      const lines = existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter((line) => line !== "")
        : [];
      const unparsable = lines.filter((line) => {
        try {
          JSON.parse(line);
          return false;
        } catch {
          return true;
        }
      });
      expect(unparsable, `round ${round}, ${context()}`).toEqual(torn);
    }
    expect(notes.join("").match(/taking over .*\.lock/g)?.length ?? 0, context()).toBeGreaterThan(0);

    const finish = await cli(...args);
    expect(finish.code, `${finish.err} ${context()}`).toBe(0);
    if (torn.length > 0) expect(finish.err).toContain(`${torn.length} unparsable`);
    const result = readResultsLog(log);
    expect(result.unparsable, context()).toBe(torn.length);
    expect(result.foreign, context()).toBe(0);
    const counts = new Map<string, number>();
    for (const line of result.lines.filter(isDone)) {
      const key = `${line.file} ${line.solver} ${line.budget}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const expected = FILES.flatMap((file) =>
      SOLVERS.flatMap((solver) => BUDGETS.map((budget) => `instances/examples/${file} ${solver} ${budget}`)),
    );
    expect([...counts.keys()].sort(), context()).toEqual(expected.sort());
    expect(
      [...counts.values()].every((count) => count === 1),
      context(),
    ).toBe(true);
    expect(
      result.lines.filter((line) => !isDone(line)),
      context(),
    ).toEqual([]);
    expect((await cli(...args)).out).toContain("nothing to run");
    expect(existsSync(`${log}.lock`), context()).toBe(false);
  });
});
