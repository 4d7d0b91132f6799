/**
 * appendLogLine (src/io/files.ts) from many lanes of one process at once: Node writes a long line in
 * chunks, so unqueued appends could interleave and tear lines; queued, every line arrives whole, once.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendLogLine } from "../../src/io/files.js";
import { tempFolder } from "../cli/run.js";

describe("appendLogLine", () => {
  it("keeps every line whole when lanes append long and short lines at the same time", async () => {
    const log = join(tempFolder(), "lanes.jsonl");
    // lines of 1.5 MB are written in several chunks; short ones fit one write
    const records = Array.from({ length: 24 }, (_, i) => ({
      lane: i,
      payload: (i % 3 === 0 ? "x" : "y").repeat(i % 3 === 0 ? 1_500_000 : 40),
    }));
    const torn = await Promise.all(records.map((record) => appendLogLine(log, JSON.stringify(record))));
    expect(torn.every((t) => t === false)).toBe(true);
    const lines = readFileSync(log, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(records.length);
    const lanes = lines.map((line) => (JSON.parse(line) as { lane: number }).lane).sort((a, b) => a - b);
    expect(lanes).toEqual(records.map((r) => r.lane));
  });

  it("appends again after an append to the same log failed", async () => {
    const folder = tempFolder();
    const missing = join(folder, "no-such-folder", "log.jsonl");
    await expect(appendLogLine(missing, "{}")).rejects.toThrow();
    await expect(appendLogLine(missing, "{}")).rejects.toThrow();
    const log = join(folder, "ok.jsonl");
    await appendLogLine(log, '{"a":1}');
    expect(readFileSync(log, "utf8")).toBe('{"a":1}\n');
  });
});
