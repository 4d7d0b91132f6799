/**
 * The 3-PARTITION reduction (proofs/offload-np-hard.md): the generator's thresholds, the proof's own
 * schedule for yes-instances run by the evaluator, and offload-milp deciding every fixture exactly.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/solve.js";
import { makespanLowerBound } from "../../src/evaluate/bounds.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { threePartitionInstance } from "../../src/generate/three-partition.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";

/** The research note's six fixtures (m = 2) and three of m = 3. */
const FIXTURES: readonly (readonly number[])[] = [
  [5, 4, 4, 5, 4, 4],
  [4, 4, 3, 3, 3, 3],
  [5, 4, 4, 3, 3, 3],
  [6, 4, 4, 4, 4, 4],
  [6, 6, 6, 4, 4, 4],
  [4, 6, 4, 6, 4, 6],
  [7, 4, 4, 6, 5, 4, 5, 5, 5],
  [7, 7, 7, 4, 4, 4, 4, 4, 4],
  [6, 6, 6, 6, 5, 4, 4, 4, 4],
];

/** The triples of a 3-partition of `items` (indices), or undefined when there is none: a plain search. */
function threePartition(items: readonly number[]): number[][] | undefined {
  const bound = items.reduce((s, x) => s + x, 0) / (items.length / 3);
  const stack: { used: boolean[]; groups: number[][] }[] = [{ used: items.map(() => false), groups: [] }];
  while (stack.length > 0) {
    const { used, groups } = stack.pop() as { used: boolean[]; groups: number[][] };
    const first = used.indexOf(false);
    if (first < 0) return groups;
    for (let j = first + 1; j < items.length; j++)
      for (let k = j + 1; k < items.length; k++) {
        if (
          used[j] ||
          used[k] ||
          (items[first] as number) + (items[j] as number) + (items[k] as number) !== bound
        )
          continue;
        const next = [...used];
        next[first] = next[j] = next[k] = true;
        stack.push({ used: next, groups: [...groups, [first, j, k]] });
      }
  }
  return undefined;
}

/**
 * The schedule of the proof's (=>) direction: every item offloaded right after F S, triple by triple;
 * triple k's items freed right before F C_{k+1} (F L for the last); every item prefetched right before
 * B C_1, in the order the backward reads them.
 */
function proofSchedule(base: Schedule, items: number, groups: readonly number[][]): Schedule {
  const m = groups.length;
  const before = new Map<string, Instruction[]>();
  const id = (j: number) => `I${j + 1}`;
  before.set(
    "F C1",
    groups.flat().map((j) => ops.offload(id(j))),
  );
  groups.forEach((group, k) => {
    before.set(
      k + 1 < m ? `F C${k + 2}` : "F L",
      group.map((j) => ops.freeActivation(id(j))),
    );
  });
  before.set(
    "B C1",
    Array.from({ length: items }, (_, i) => ops.prefetch(id(items - 1 - i))),
  );
  return base.flatMap((ins) => {
    const key = ins.op === "F" || ins.op === "B" ? `${ins.op} ${ins.node}` : "";
    return [...(before.get(key) ?? []), ins];
  });
}

describe("threePartitionInstance", () => {
  it("sets T to the sum of all op times and M to (m + 1) K B", () => {
    for (const items of FIXTURES) {
      const r = threePartitionInstance(items);
      const m = items.length / 3;
      expect(r.timeMs).toBe(makespanLowerBound(r.instance));
      expect(r.scale).toBe(3 * m + 1);
      expect(r.memoryBytes).toBe((m + 1) * r.scale * r.bound);
    }
  });

  it("refuses inputs that are not 3-PARTITION instances", () => {
    expect(() => threePartitionInstance([4, 4])).toThrow(RangeError);
    expect(() => threePartitionInstance([4, 4, 0])).toThrow(RangeError);
    expect(() => threePartitionInstance([2, 4, 6])).toThrow(RangeError);
    expect(() => threePartitionInstance([5, 4, 4, 5, 4, 5])).toThrow(RangeError);
  });

  it("lets the proof's schedule of a yes-instance run in exactly T within M", () => {
    for (const items of FIXTURES) {
      const groups = threePartition(items);
      if (groups === undefined) continue;
      const r = threePartitionInstance(items);
      const e = evaluate(r.instance, proofSchedule(storeAllSchedule(r.instance), items.length, groups));
      expect(e.valid).toBe(true);
      if (!e.valid) continue;
      expect(e.makespanMs).toBe(r.timeMs);
      expect(e.peakBytes).toBe(r.memoryBytes);
    }
  });
});

describe("offload-milp on the reduction", () => {
  for (const items of FIXTURES) {
    const yes = threePartition(items) !== undefined;
    it(`proves the least makespan within M ${yes ? "equal to" : "above"} T for ${items.join(",")}`, async () => {
      const r = threePartitionInstance(items);
      const result = await solve(r.instance, { solver: "offload-milp", budget: r.memoryBytes });
      expect(result.status).toBe("optimal");
      expect((result.makespanMs as number) <= r.timeMs).toBe(yes);
    }, 20_000);
  }
});
