/**
 * The README's benchmark figures cannot drift: every generated block holds exactly what
 * bench/readme-blocks.ts renders from bench/results/*.json, and the Benchmarks section states no
 * measured figure outside those blocks.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BLOCKS, closeMarker, openMarker, withBlocks } from "../bench/readme-blocks.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** A number with a unit of measurement: a figure that must come from a results file. */
const MEASURED = /\d(?:\.\d+)?\s?(?:%|ms\b|s\b|MB\b|GB\b|MiB\b|GiB\b)/;

describe("the README's benchmark figures", () => {
  it("hold exactly what bench/readme.ts renders from bench/results (rerun it after a benchmark)", () => {
    expect(withBlocks(readme)).toBe(readme);
  });

  it("appear, in the Benchmarks section, only inside generated blocks", () => {
    const start = readme.indexOf("## Benchmarks");
    const end = readme.indexOf("\n## ", start + 1);
    let section = readme.slice(start, end < 0 ? undefined : end);
    for (const name of Object.keys(BLOCKS)) {
      const from = section.indexOf(openMarker(name));
      const to = section.indexOf(closeMarker(name));
      expect(from, `block ${name}`).toBeGreaterThanOrEqual(0);
      section = section.slice(0, from) + section.slice(to + closeMarker(name).length);
    }
    const loose = section.split("\n").filter((line) => MEASURED.test(line));
    expect(loose).toEqual([]);
  });
});
