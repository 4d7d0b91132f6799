/** The doubling-then-bisection search for the largest passing batch, on monotone tests with known answers. */
import { describe, expect, it } from "vitest";
import { largestPassing } from "../../src/fit/search.js";

const upTo = (limit: number) => async (batch: number) => ({ passes: batch <= limit, detail: batch });

describe("largestPassing", () => {
  for (const limit of [1, 2, 3, 17, 38, 64, 100]) {
    it(`finds ${limit} when every batch up to ${limit} passes, in at most 2 log2 + 2 probes`, async () => {
      const outcome = await largestPassing(upTo(limit), 4096);
      expect(outcome.batch).toBe(limit);
      expect(outcome.capped).toBe(false);
      expect(outcome.probes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(limit + 1)) + 2);
      expect(new Set(outcome.probes.map((probe) => probe.batch)).size).toBe(outcome.probes.length);
    });
  }

  it("answers 0 when batch 1 does not pass, after one probe", async () => {
    const outcome = await largestPassing(upTo(0), 4096);
    expect(outcome.batch).toBe(0);
    expect(outcome.probes).toHaveLength(1);
  });

  it("stops at the cap and says so when every batch passes", async () => {
    const outcome = await largestPassing(upTo(10_000), 100);
    expect(outcome).toMatchObject({ batch: 100, capped: true });
    expect(Math.max(...outcome.probes.map((probe) => probe.batch))).toBe(100);
  });

  it("finds the cap itself when the cap passes and is not a power of two", async () => {
    expect((await largestPassing(upTo(100), 100)).batch).toBe(100);
    expect((await largestPassing(upTo(99), 100)).batch).toBe(99);
  });
});
