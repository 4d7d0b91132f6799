/**
 * graph-mincut with stored forms (solvers/storage/pass.ts): on random DAGs whose nodes offer random
 * stored forms, asking for storage modes never gives a slower answer (time) nor a higher peak (memory)
 * than the plain solve at the same budget, keeps the peak within the budget, uses only the modes named
 * and never claims optimality for a schedule with stored forms; density 1 makes `bitmap` useless, so
 * the answer is the plain one; and on a sparse ReLU-like chain a stored form pays.
 *
 * `REMAT_PROPERTY_RUNS` multiplies the number of runs; the seed is fixed.
 */
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { storageChoices } from "../../solvers/storage/pass.js";
import { parseInstance } from "../../src/instance/parse.js";
import { type Instance, STORAGE_MODES, type StorageMode } from "../../src/instance/types.js";
import type { SolveResult } from "../../src/solve-result.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { anyInstance } from "../conformance/instances.js";

const RUNS = Math.max(1, Number(process.env.REMAT_PROPERTY_RUNS ?? 1));

/** Property runs whose answer holds a stored form (14 of 120 at the fixed seed; more than 8 must). */
let storing = 0;

/** How one node stores its activation. */
interface NodeStorage {
  readonly modes: readonly StorageMode[];
  readonly density: number;
  readonly convertMs: number;
  readonly expandMs: number;
}

const nodeStorage: fc.Arbitrary<NodeStorage> = fc.record({
  modes: fc.oneof(fc.constant<readonly StorageMode[]>(STORAGE_MODES), fc.subarray([...STORAGE_MODES])),
  density: fc.oneof(fc.constantFrom(0, 0.1, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  convertMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
  expandMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
});

/** `base` with node v storing as `cases[v % cases.length]` says. */
function decorate(base: Instance, cases: readonly NodeStorage[]): Instance {
  return parseInstance({
    ...base,
    nodes: base.nodes.map((node, v) => {
      const c = cases[v % cases.length] as NodeStorage;
      const costs = { convertMs: c.convertMs, expandMs: c.expandMs };
      return { ...node, density: c.density, storage: Object.fromEntries(c.modes.map((m) => [m, costs])) };
    }),
  });
}

/** Whether `a` is no worse than `b` for the objective (an answer with a schedule beats none). */
function noWorse(a: SolveResult, b: SolveResult): boolean {
  if (b.makespanMs === null || b.peakBytes === null) return true;
  if (a.makespanMs === null || a.peakBytes === null) return false;
  return a.objective === "time" ? a.makespanMs <= b.makespanMs : a.peakBytes <= b.peakBytes;
}

/** A budget `where` of the way from the least peak graph-mincut finds to the store-all peak, bytes. */
async function budgetBetween(instance: Instance, where: number): Promise<number> {
  const least = (await solve(instance, { solver: "graph-mincut", objective: "memory" })).peakBytes as number;
  const most = (await solve(instance, { solver: "store-all" })).peakBytes as number;
  return Math.floor(least + where * Math.max(0, most - least));
}

/** An n-stage chain of ReLU-like stages (1000 bytes each, density 0.3) offering bitmap at 0.1 ms. */
function sparseChain(n: number, density: number): Instance {
  const nodes: Record<string, unknown>[] = [{ id: "x", fwd: 0, bwd: 0, bytes: 1000, recomputable: false }];
  for (let i = 1; i <= n; i++)
    nodes.push({
      id: `n${i}`,
      fwd: 1,
      bwd: 2,
      bytes: 1000,
      inputs: [i === 1 ? "x" : `n${i - 1}`],
      needs: [i % 2 === 1 ? "inputs" : "output"],
      density,
      storage: { bitmap: { convertMs: 0.1, expandMs: 0.1 }, fp16: { convertMs: 0.1, expandMs: 0.1 } },
    });
  nodes.push({ id: "loss", fwd: 1, bwd: 1, bytes: 4, inputs: [`n${n}`], needs: ["inputs"] });
  return parseInstance({ format: "remat-instance/1", name: "sparse-chain", fixedBytes: 0, nodes });
}

describe("graph-mincut with stored forms", () => {
  test.prop(
    [
      anyInstance(7),
      fc.array(nodeStorage, { minLength: 7, maxLength: 7 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom<readonly StorageMode[]>(["bitmap"], ["fp16"], ["bitmap", "bf16"], STORAGE_MODES),
      fc.constantFrom("time", "memory") as fc.Arbitrary<"time" | "memory">,
    ],
    { seed: PROPERTY_SEED, numRuns: Math.round(120 * RUNS) },
  )(
    "is never worse than without them, within the budget, in the modes named, and not called optimal when it stores",
    async (base, cases, where, storage, objective) => {
      const instance = decorate(base, cases);
      const options = { solver: "graph-mincut", objective, budget: await budgetBetween(instance, where) };
      const plain = await solve(instance, options);
      const stored = await solve(instance, { ...options, storage });
      expect(noWorse(stored, plain)).toBe(true);
      if (stored.peakBytes !== null && stored.budgetBytes !== null)
        expect(stored.peakBytes).toBeLessThanOrEqual(stored.budgetBytes);
      for (const mode of stored.storedModes ?? []) expect(storage).toContain(mode);
      if ((stored.storedModes ?? []).length > 0) {
        storing++;
        expect(stored.status).not.toBe("optimal");
      } else
        expect([stored.status, stored.makespanMs, stored.peakBytes]).toEqual([
          plain.status,
          plain.makespanMs,
          plain.peakBytes,
        ]);
      expect(stored.lossy).toBe(stored.schedule.some((line) => / (fp16|bf16)$/.test(line)));
    },
  );

  afterAll(() => {
    expect(storing).toBeGreaterThan(8 * RUNS);
  });

  it("offers no stored form at density 1 in bitmap, so the answer is the plain one", async () => {
    const dense = sparseChain(8, 1);
    expect(storageChoices(dense, ["bitmap"])).toEqual([]);
    const plain = await solve(dense, { solver: "graph-mincut", budget: "70%" });
    const stored = await solve(dense, { solver: "graph-mincut", budget: "70%", storage: "bitmap" });
    expect([stored.status, stored.makespanMs, stored.schedule]).toEqual([
      plain.status,
      plain.makespanMs,
      plain.schedule,
    ]);
    expect(stored.storedModes).toEqual([]);
  });

  it("pays on a sparse chain: faster at the same budget, lossless, feasible", async () => {
    const chain = sparseChain(8, 0.3);
    const plain = await solve(chain, { solver: "graph-mincut", budget: "70%" });
    const stored = await solve(chain, { solver: "graph-mincut", budget: "70%", storage: "bitmap" });
    expect(stored.status).toBe("feasible");
    expect(stored.makespanMs as number).toBeLessThan(plain.makespanMs as number);
    expect(stored).toMatchObject({ storedModes: ["bitmap"], lossy: false });
    expect(stored.optimalOver).toBeNull();
  });

  it("uses a lossy mode only when it is named, and then says lossy", async () => {
    const chain = sparseChain(8, 0.9);
    const lossless = await solve(chain, { solver: "graph-mincut", budget: "80%", storage: "bitmap" });
    expect(lossless.schedule.some((line) => line.endsWith(" fp16"))).toBe(false);
    const lossy = await solve(chain, { solver: "graph-mincut", budget: "80%", storage: "bitmap,fp16" });
    expect(lossy).toMatchObject({ storedModes: ["fp16"], lossy: true });
  });
});
