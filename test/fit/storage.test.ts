/**
 * fitBatches with storage modes: the zoo instances carry the measured densities, every solve is asked
 * for the modes, a solver that plans none is not applicable, and `none` changes nothing.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { InputError } from "../../src/errors.js";
import { fitBatches } from "../../src/fit/fit.js";
import type { FitOptions, FitReport, FitSolve } from "../../src/fit/types.js";

const run = solve as unknown as FitSolve;

const BASE: FitOptions = {
  model: "mobilenet-v2",
  config: { inputSize: 32 },
  memoryBytes: 34e6,
  solvers: ["chain-dp", "graph-mincut"],
};

/** The rows without their solve times (the clock's). */
const rowsOf = (report: FitReport) =>
  JSON.parse(JSON.stringify(report.rows, (key, value) => (key === "solveMs" ? undefined : value)));

describe("fitBatches with storage modes", () => {
  it("fits at least the batch it fits without bitmap, with chain-dp on blocks and graph-mincut on ops", async () => {
    for (const [solver, level] of [
      ["chain-dp", "block"],
      ["graph-mincut", "op"],
    ] as const) {
      const one = { ...BASE, solvers: [solver], levels: [level] };
      const without = (await fitBatches(one, run)).rows[0]?.batch ?? -1;
      const withBitmap = await fitBatches({ ...one, storage: "bitmap" }, run);
      expect(without).toBeGreaterThan(0);
      expect(withBitmap.rows[0]?.batch).toBeGreaterThanOrEqual(without);
      expect(withBitmap.storage?.modes).toEqual(["bitmap"]);
      expect(withBitmap.storage?.densities).toMatch(/initialisation.*sparser/);
    }
  });
  it("gives the same rows with storage none as without the option", async () => {
    const without = await fitBatches({ ...BASE, levels: ["block"] }, run);
    const none = await fitBatches({ ...BASE, levels: ["block"], storage: "none" }, run);
    expect(rowsOf(none)).toEqual(rowsOf(without));
    expect(none.storage).toBeUndefined();
  });

  it("hands every solve the modes and an instance with the table's densities", async () => {
    const seen: { storage: unknown; sparse: boolean }[] = [];
    const spy: FitSolve = (instance, options) => {
      seen.push({ storage: options.storage, sparse: instance.nodes.some((node) => node.density < 0.9) });
      return run(instance, options);
    };
    await fitBatches(
      { ...BASE, levels: ["op"], solvers: ["graph-mincut"], storage: "bitmap,fp16", maxBatch: 4 },
      spy,
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const call of seen) expect(call).toEqual({ storage: ["bitmap", "fp16"], sparse: true });
  });

  it("makes a solver that plans no stored form not applicable, naming the mode", async () => {
    const report = await fitBatches(
      { ...BASE, levels: ["block"], solvers: ["store-all"], storage: "bitmap" },
      run,
    );
    expect(report.rows[0]?.applicable).toBe(false);
    expect(report.rows[0]?.reason).toMatch(/bitmap.*store-all/);
  });

  it("refuses a word that is not a storage mode, on the storage path", async () => {
    const error = await fitBatches({ ...BASE, storage: "bitmap,zip" }, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual([
      expect.objectContaining({ path: "storage", received: '"zip"' }),
    ]);
  });
});
