/**
 * Bad queue flags and an unreachable Redis: `remat batch --queue` and `remat worker` exit 2 with a
 * message naming the address, no stack trace, within a bounded wait.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONNECT_WAIT_MS } from "../../src/queue/connect.js";
import { cli } from "../cli/run.js";
import { freePort } from "./redis-server.js";

const BATCH = ["batch", "--instances", "instances/examples", "--budgets", "50%", "--solvers", "store-all"];

/** A stack trace's frame line, as an uncaught error would print it. */
const STACK_FRAME = /^\s+at /m;

describe("remat batch --queue and remat worker with a bad queue", () => {
  it("refuses an address that is not redis://HOST:PORT/NAME with exit 2", async () => {
    for (const args of [
      [...BATCH, "--out", "unused.jsonl", "--queue", "http://127.0.0.1/q"],
      ["worker", "--queue", "redis://127.0.0.1:6379"],
    ]) {
      const run = await cli(...args);
      expect(run.code, run.err).toBe(2);
      expect(run.err).toContain("--queue");
      expect(run.err).not.toMatch(STACK_FRAME);
    }
  });

  it("says which server it could not reach, within the bounded wait, with exit 2", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}/nobody-here`;
    for (const args of [
      ["worker", "--queue", url],
      [...BATCH, "--out", join(tmpdir(), `remat-q-${port}.jsonl`), "--queue", url],
      ["batch", "--queue", url, "--status"],
    ]) {
      const started = Date.now();
      const run = await cli(...args);
      expect(run.code, run.err).toBe(2);
      expect(run.err).toContain(url);
      expect(run.err).not.toMatch(STACK_FRAME);
      expect(Date.now() - started).toBeLessThan(CONNECT_WAIT_MS + 2000);
    }
  });

  it("refuses --status without --queue, --jobs with --queue, and a worker without --queue", async () => {
    const runs = [
      await cli("batch", "--status"),
      await cli(...BATCH, "--out", "unused.jsonl", "--queue", "redis://127.0.0.1:1/q", "--jobs", "2"),
      await cli("worker", "--concurrency", "2"),
      await cli("worker", "--queue", "redis://127.0.0.1:1/q", "--concurrency", "0"),
    ];
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
    expect(runs.map((run) => run.err.split(":")[1]?.trim().split(" ")[0])).toEqual([
      "--status",
      "--jobs",
      "--queue",
      "--concurrency",
    ]);
  });
});
