/**
 * The `storage` option of solve (solvers/storage-option.ts; issue 14 item 4): a solver plans only the
 * storage modes it lists and refuses the others by name; `none` leaves a result as it was; a result
 * records the modes allowed, the stored forms its schedule uses and whether they are lossy; a solver
 * that converts to a mode it was not allowed is caught.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../solvers/index.js";
import { InputError, InternalError } from "../src/errors.js";
import { evaluate, type ValidEvaluation } from "../src/evaluate/evaluate.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance, StorageMode } from "../src/instance/types.js";
import { NO_SWITCHES } from "../src/options.js";
import { storeAllSchedule } from "../src/schedule/builders.js";
import { storeAcrossTurn } from "../src/schedule/stored-forms.js";
import type { SolveResult } from "../src/solve-result.js";
import type { Solver, SolverAnswer } from "../src/solver.js";
import { cli } from "./cli/run.js";
import { example } from "./helpers.js";

/** The hand chain with `b` sparse (density 0.25) and offering every mode at 1 ms each way. */
const sparse: Instance = parseInstance({
  ...example("chain"),
  nodes: example("chain").nodes.map((node) =>
    node.id !== "b"
      ? node
      : {
          ...node,
          density: 0.25,
          storage: {
            bitmap: { convertMs: 1, expandMs: 1 },
            fp16: { convertMs: 1, expandMs: 1 },
            bf16: { convertMs: 1, expandMs: 1 },
          },
        },
  ),
});

/** A solver planning `modes` that stores `b` in `mode` across the turn of store-all. */
function storing(mode: StorageMode, modes: readonly StorageMode[] = [mode]): Solver {
  const schedule = storeAcrossTurn(sparse, storeAllSchedule(sparse), new Map([["b", mode]]));
  const evaluation = evaluate(sparse, schedule) as ValidEvaluation;
  const answer: SolverAnswer = {
    status: "feasible",
    schedule,
    claimedMakespanMs: evaluation.makespanMs,
    claimedPeakBytes: evaluation.peakBytes,
  };
  return {
    name: "storer",
    family: "baselines",
    problem: "any DAG",
    guarantee: "feasible only",
    reference: "test",
    objectives: ["time"],
    emits: {},
    switches: NO_SWITCHES,
    reads: [],
    storage: modes,
    solve: () => answer,
  };
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(InputError);
  return caught as InputError;
}

/** A result without its wall time, which differs between runs. */
function timeless(result: SolveResult): unknown {
  return { ...result, stats: { ...result.stats, wallMs: 0 } };
}

describe("the storage option", () => {
  it("is refused by a solver that does not plan the mode, naming the solver and the mode", async () => {
    const error = await refusal(solve(sparse, { solver: "chen-greedy", storage: "bitmap" }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ code: "option", path: "storage" });
    expect(error.issues[0]?.expected).toContain("chen-greedy does not plan storage modes");
    expect(error.issues[0]?.received).toContain('"bitmap"');
  });

  it("refuses a lossy mode the solver does not list even when it plans another", async () => {
    const error = await refusal(solve(sparse, { solver: storing("bitmap"), storage: "bitmap,bf16" }));
    expect(error.issues.map((issue) => issue.received)).toEqual([
      'storage mode "bf16", which storer does not plan',
    ]);
    expect(error.issues[0]?.expected).toBe("modes storer plans (bitmap)");
  });

  it("refuses words that are not modes and none next to a mode, all in one error", async () => {
    const error = await refusal(solve(sparse, { solver: storing("bitmap"), storage: "none,bitmap,zip" }));
    expect(error.issues.map((issue) => issue.path)).toEqual(["storage", "storage"]);
    expect(error.issues.map((issue) => issue.received).join(" ")).toContain('"zip"');
  });

  it("leaves every result as it was when it is none, given as text or as an empty list", async () => {
    for (const solver of ["chen-greedy", "chain-dp", "graph-mincut", "store-all"]) {
      const plain = await solve(sparse, { solver, budget: "70%" });
      expect(timeless(await solve(sparse, { solver, budget: "70%", storage: "none" }))).toEqual(
        timeless(plain),
      );
      expect(timeless(await solve(sparse, { solver, budget: "70%", storage: [] }))).toEqual(timeless(plain));
      expect(plain.storedModes).toBeUndefined();
      expect(plain.options.storage).toBeUndefined();
    }
  });

  it("is recorded with the stored forms used, lossless for bitmap", async () => {
    const result = await solve(sparse, { solver: storing("bitmap"), storage: ["bitmap"] });
    expect(result.options.storage).toEqual(["bitmap"]);
    expect(result.storedModes).toEqual(["bitmap"]);
    expect(result.lossy).toBe(false);
  });

  it("marks a result whose schedule keeps a 16-bit form as lossy", async () => {
    const result = await solve(sparse, { solver: storing("fp16"), storage: "fp16" });
    expect(result).toMatchObject({ storedModes: ["fp16"], lossy: true });
  });

  it("catches a solver converting to a mode it was not allowed", async () => {
    const caught = await solve(sparse, {
      solver: storing("bf16", ["bitmap", "bf16"]),
      storage: "bitmap",
    }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(InternalError);
    expect(String((caught as Error).message)).toContain("C b bf16");
  });

  it("is the --storage flag of remat solve, whose refusal names the flag", async () => {
    const run = await cli(
      "solve",
      "instances/examples/chain.json",
      "--solver",
      "chen-greedy",
      "--storage",
      "bitmap",
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain("--storage");
    expect(run.err).toContain("chen-greedy does not plan storage modes");
  });
});
