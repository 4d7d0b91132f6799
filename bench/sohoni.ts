/**
 * A Sohoni-style memory table (issue 15 item 5; Sohoni et al., "Low-Memory Neural Network Training",
 * 2019, who combine microbatching, low precision, sparsity and checkpointing on WRN-28-2): WRN-28-2 on
 * 32x32 inputs at batch 128, SGD with momentum. For each technique alone and combined, the least step
 * memory found within a 20% time overhead (over store-all at batch 128, fp32, one batch), split into
 * weights, gradients, optimizer state and activations (the step peak less those three), and the
 * overhead of that plan. The techniques:
 * - checkpointing: chain-dp on the block-level chain, graph-mincut on the op-level DAG;
 * - stored forms (bench/sohoni-setup.ts: measured densities, roofline conversions): alone, every
 *   activation waiting across the turn of the step is held in its smallest allowed form
 *   (storeAcrossTurn on store-all); with checkpointing, graph-mincut's stored-form post-pass
 *   (`--storage`); fp16 is lossy (named as such in the table), bitmap lossless;
 * - microbatching: k micro-batches of 128/k, in-place accumulation (src/evaluate/microbatch.ts), the k
 *   of least memory within the cap over every divisor of 128.
 * The least memory of a solver at a given k is found by bisection over the budget (STEPS steps between
 * fixedBytes and the store-all peak; every answer checked by `solve`), which assumes that a larger
 * budget does not make the solver slower. "All combined" runs graph-mincut's post-pass with bitmap and
 * fp16 at the k that checkpointing + microbatching chose (searching every k with the post-pass took too
 * long for this bench). Times are the zoo's V100 roofline. Writes bench/results/sohoni.json and .md.
 * Run: npx tsx bench/sohoni.ts
 */
import { solveMicrobatched } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { divisorsOf, stepCost } from "../src/evaluate/microbatch.js";
import type { Instance, StorageMode } from "../src/instance/types.js";
import { storeAllEvaluation, storeAllSchedule } from "../src/schedule/builders.js";
import { storeAcrossTurn } from "../src/schedule/stored-forms.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";
import {
  BATCH,
  measuredDensities,
  OPTIMIZER,
  plainAt,
  smallestForms,
  withStorageAt,
} from "./sohoni-setup.js";
import { sohoniMarkdown } from "./sohoni-table.js";

/** The overhead cap of every row: the README's other "within 20% overhead" figures use the same. */
export const CAP = 0.2;
/** Bisection steps per solver: chain-dp solves in milliseconds, graph-mincut (and its post-pass) in seconds. */
const STEPS: Readonly<Record<string, number>> = { "chain-dp": 12, "graph-mincut": 5 };

/** One row of the table. */
export interface SohoniRow {
  readonly technique: string;
  readonly solver: string;
  readonly level: "op" | "block";
  readonly storage: readonly StorageMode[];
  readonly microbatches: number;
  /** The step's peak, bytes (null: nothing within the cap). */
  readonly peakBytes: number | null;
  readonly overhead: number | null;
  readonly lossy: boolean;
  readonly wallMs: number;
}

/** A plan at one k: its step peak and makespan. */
interface Point {
  readonly peakBytes: number;
  readonly makespanMs: number;
  readonly lossy: boolean;
}

let densities: ReadonlyMap<string, number> = new Map();
const cache = new Map<string, Instance>();

/** The instance at `batch`: op level with stored forms offered, or the block-level chain. */
function instanceAt(batch: number, level: "op" | "block"): Instance {
  const key = `${level}:${batch}`;
  let instance = cache.get(key);
  if (instance === undefined) {
    instance = level === "op" ? withStorageAt(batch, densities) : plainAt(batch, "block");
    cache.set(key, instance);
  }
  return instance;
}

const baseline = () => storeAllEvaluation(instanceAt(BATCH, "op"));
const overheadOf = (point: Point) => point.makespanMs / baseline().makespanMs - 1;

/** Store-all at batch 128/k with `modes` held across the turn (none: plain store-all), as a step. */
function storedStoreAll(k: number, modes: readonly StorageMode[]): Point {
  const micro = instanceAt(BATCH / k, "op");
  const schedule = storeAcrossTurn(micro, storeAllSchedule(micro), smallestForms(micro, modes));
  const evaluation = evaluate(micro, schedule);
  if (!evaluation.valid) throw new Error(`stored store-all invalid: ${evaluation.error.reason}`);
  const step = stepCost(micro, k, evaluation);
  return { peakBytes: step.peakBytes, makespanMs: step.makespanMs, lossy: evaluation.lossy };
}

/** The solver's plan at k micro-batches under `budget`, as a step (null when it has none). */
async function solvedAt(
  solver: string,
  level: "op" | "block",
  modes: readonly StorageMode[],
  k: number,
  budget: number,
): Promise<Point | null> {
  const plan = await solveMicrobatched(instanceAt(BATCH, level), {
    solver,
    budget,
    microbatches: k,
    batch: BATCH,
    instanceAt: (batch) => instanceAt(batch, level),
    ...(modes.length === 0 ? {} : { storage: [...modes] }),
  });
  if (plan.step === null || plan.micro === null) return null;
  return {
    peakBytes: plan.step.peakBytes,
    makespanMs: plan.step.makespanMs,
    lossy: plan.micro.lossy === true,
  };
}

/** The least-memory plan of `solver` at k within the cap, by bisection over the budget. */
async function leastAt(
  solver: string,
  level: "op" | "block",
  modes: readonly StorageMode[],
  k: number,
): Promise<Point | null> {
  const micro = instanceAt(BATCH / k, level);
  let high = storeAllEvaluation(micro).peakBytes;
  let low = micro.fixedBytes;
  let best = await solvedAt(solver, level, modes, k, high);
  if (best === null || overheadOf(best) > CAP) return null;
  for (let step = 0; step < (STEPS[solver] ?? 5); step++) {
    const middle = Math.floor((low + high) / 2);
    const point = await solvedAt(solver, level, modes, k, middle);
    if (point !== null && overheadOf(point) <= CAP) {
      high = middle;
      if (point.peakBytes < best.peakBytes) best = point;
    } else low = middle;
  }
  return best;
}

/** The least-memory point over `ks` (each found by `at`), with its k. */
async function bestOver(
  ks: readonly number[],
  at: (k: number) => Promise<Point | null>,
): Promise<{ k: number; point: Point } | null> {
  let best: { k: number; point: Point } | null = null;
  for (const k of ks) {
    const point = await at(k);
    if (
      point !== null &&
      overheadOf(point) <= CAP &&
      (best === null || point.peakBytes < best.point.peakBytes)
    )
      best = { k, point };
  }
  return best;
}

/** One row: `run` finds the point and its k; the row records it with the wall time. */
async function row(
  technique: string,
  setting: { solver: string; level: "op" | "block"; storage: readonly StorageMode[] },
  run: () => Promise<{ k: number; point: Point } | null>,
): Promise<SohoniRow> {
  const started = performance.now();
  const found = await run();
  const wallMs = performance.now() - started;
  process.stdout.write(
    `${technique}: ${found === null ? "none" : `${(found.point.peakBytes / 1e6).toFixed(1)} MB, k ${found.k}`} (${(wallMs / 1000).toFixed(1)} s)\n`,
  );
  return {
    technique,
    ...setting,
    microbatches: found?.k ?? 1,
    peakBytes: found?.point.peakBytes ?? null,
    overhead: found === null ? null : overheadOf(found.point),
    lossy: found?.point.lossy ?? false,
    wallMs,
  };
}

const ALL: readonly StorageMode[] = ["bitmap", "fp16"];
const KS = divisorsOf(BATCH);
const op = (storage: readonly StorageMode[], solver = "store-all") => ({
  solver,
  level: "op" as const,
  storage,
});
const one = async (point: Point | null) => (point === null ? null : { k: 1, point });

/** Every row of the table, in order. */
async function rows(): Promise<SohoniRow[]> {
  const out: SohoniRow[] = [];
  out.push(await row("none (store-all, fp32)", op([]), () => one(storedStoreAll(1, []))));
  out.push(
    await row(
      "checkpointing (chain-dp, block chain)",
      { solver: "chain-dp", level: "block", storage: [] },
      async () => one(await leastAt("chain-dp", "block", [], 1)),
    ),
  );
  out.push(
    await row("checkpointing (graph-mincut, op DAG)", op([], "graph-mincut"), async () =>
      one(await leastAt("graph-mincut", "op", [], 1)),
    ),
  );
  out.push(await row("fp16 storage", op(["fp16"]), () => one(storedStoreAll(1, ["fp16"]))));
  out.push(await row("bitmap storage", op(["bitmap"]), () => one(storedStoreAll(1, ["bitmap"]))));
  out.push(await row("bitmap + fp16 storage", op(ALL), () => one(storedStoreAll(1, ALL))));
  out.push(await row("microbatching", op([]), () => bestOver(KS, async (k) => storedStoreAll(k, []))));
  out.push(
    await row(
      "checkpointing + bitmap (graph-mincut --storage bitmap)",
      op(["bitmap"], "graph-mincut"),
      async () => one(await leastAt("graph-mincut", "op", ["bitmap"], 1)),
    ),
  );
  out.push(
    await row(
      "checkpointing + bitmap + fp16 (graph-mincut --storage bitmap,fp16)",
      op(ALL, "graph-mincut"),
      async () => one(await leastAt("graph-mincut", "op", ALL, 1)),
    ),
  );
  out.push(
    await row("storage + microbatching", op(ALL), () => bestOver(KS, async (k) => storedStoreAll(k, ALL))),
  );
  out.push(
    await row(
      "checkpointing + microbatching (chain-dp)",
      { solver: "chain-dp", level: "block", storage: [] },
      () => bestOver(KS, (k) => leastAt("chain-dp", "block", [], k)),
    ),
  );
  const mincutMicro = await row("checkpointing + microbatching (graph-mincut)", op([], "graph-mincut"), () =>
    bestOver(KS, (k) => leastAt("graph-mincut", "op", [], k)),
  );
  out.push(mincutMicro);
  out.push(
    await row(
      "all combined (graph-mincut --storage bitmap,fp16, microbatching)",
      op(ALL, "graph-mincut"),
      () => bestOver([mincutMicro.microbatches], (k) => leastAt("graph-mincut", "op", ALL, k)),
    ),
  );
  return out;
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const started = performance.now();
  densities = await measuredDensities();
  const table = await rows();
  const reference = instanceAt(BATCH, "op");
  const data = {
    environment,
    loadAtEnd: loadAverageNow(),
    totalMs: performance.now() - started,
    network: "WRN-28-2",
    batch: BATCH,
    optimizer: OPTIMIZER,
    cap: CAP,
    memory: reference.memory,
    baselineMakespanMs: baseline().makespanMs,
    meanDensity: [...densities.values()].reduce((a, b) => a + b, 0) / Math.max(1, densities.size),
    rows: table,
  };
  writeBenchResults("sohoni", data, sohoniMarkdown(data));
}

await main();
