/**
 * Stored forms planned by the solvers on the zoo's ReLU networks (issue 14 item 6; replaces
 * bench/storage-zoo.ts, which assumed density 0.5): ResNet-18/50, VGG-16, MobileNetV2, DenseNet-121 and
 * U-Net at their default configs with MEASURED densities (bench/storage-inputs.ts). chain-dp on the block
 * chains (exact over the stored class), graph-mincut on the op-level graphs (its stored-form post-pass),
 * each with `--storage none`, each mode alone and together:
 * - least overhead at equal budget: the time objective at budgets that are fractions of store-all's peak;
 * - least peak at equal overhead: chain-dp, the least budget whose overhead is at most each cap (bisection
 *   over bytes, chain-dp being monotone in the budget); graph-mincut, the least budget of the ladder that
 *   does (a 10%-step reading, each of its solves taking seconds); and the memory objective's least peak;
 * - BitTrain's comparison point: the share of store-all's activation bytes (and of its peak) that holding
 *   every activation as a bitmap would save, against what the planners find.
 * Writes bench/results/storage.json and storage.md with the load average at start and end.
 *
 * Run: npx tsx bench/storage.ts [--quick]   (--quick: ResNet-18 only)
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { solve } from "../solvers/index.js";
import { storedBytes } from "../src/evaluate/storage.js";
import type { Instance } from "../src/instance/types.js";
import { benchEnvironment } from "./environment.js";
import { BYTES_PER_MS, MEASURE_CONFIG, storageInstances } from "./storage-inputs.js";
import { storageTables } from "./storage-report.js";

const ZOO = ["resnet-18", "resnet-50", "vgg-16", "mobilenet-v2", "densenet-121", "unet"];
const CHAIN_SETTINGS = ["none", "bitmap", "fp16", "bitmap,fp16"];
const GRAPH_SETTINGS = ["none", "bitmap", "bitmap,fp16"];
const CHAIN_BUDGETS = [30, 40, 50, 60, 70, 80, 90];
const GRAPH_BUDGETS = [50, 60, 70, 80, 90];
const CAPS = [0.01, 0.05, 0.2];
const SLOTS = 500;
const PROBES = 12;
const GRAPH_LIMIT_SEC = 120;

/** One solve, reduced to what the tables show. */
async function cell(instance: Instance, solver: string, storage: string, budget: string | number) {
  const started = performance.now();
  const result = await solve(instance, {
    solver,
    budget,
    storage,
    slots: SLOTS,
    ...(solver === "graph-mincut" ? { timeLimitSec: GRAPH_LIMIT_SEC } : {}),
  });
  return {
    status: result.status,
    overhead: result.overhead,
    peakBytes: result.peakBytes,
    modes: result.storedModes ?? [],
    conversions: result.schedule.filter((line) => line.startsWith("C ")).length,
    wallSec: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}

/** The least budget (bytes) at which chain-dp's overhead is at most `cap`, by bisection. */
async function leastBudgetUnder(instance: Instance, storage: string, cap: number, high: number) {
  const fits = async (budget: number) => {
    const c = await cell(instance, "chain-dp", storage, budget);
    return c.overhead !== null && c.overhead <= cap + 1e-12;
  };
  if (!(await fits(high))) return null;
  let low = instance.fixedBytes;
  let top = high;
  for (let i = 0; i < PROBES; i++) {
    const mid = Math.floor((low + top) / 2);
    if (await fits(mid)) top = mid;
    else low = mid;
  }
  return top;
}

/** The bitmap's ideal: every activation held as a bitmap instead (bytes saved, share of the total). */
function bitmapIdeal(op: Instance) {
  let total = 0;
  let saved = 0;
  for (const node of op.nodes) {
    total += node.bytes;
    if (node.storage.bitmap !== undefined) saved += Math.max(0, node.bytes - storedBytes(node, "bitmap"));
  }
  return { activationBytes: total, savedBytes: saved };
}

/** Every measurement of one solver on one instance. */
async function solverPart(instance: Instance, solver: string, settings: string[], budgets: number[]) {
  const storeAll = await solve(instance, { solver: "store-all" });
  const cells = [];
  for (const setting of settings)
    for (const budgetPercent of budgets)
      cells.push({ setting, budgetPercent, ...(await cell(instance, solver, setting, `${budgetPercent}%`)) });
  const leastPeak = [];
  for (const setting of settings) {
    const result = await solve(instance, { solver, objective: "memory", storage: setting });
    leastPeak.push({
      setting,
      peakBytes: result.peakBytes,
      overhead: result.overhead,
      modes: result.storedModes ?? [],
    });
  }
  const equalOverhead = [];
  for (const setting of settings)
    for (const cap of CAPS) {
      const budgetBytes =
        solver === "chain-dp"
          ? await leastBudgetUnder(instance, setting, cap, storeAll.peakBytes as number)
          : ladderBudget(cells, setting, cap, storeAll.peakBytes as number);
      equalOverhead.push({ setting, cap, budgetBytes });
    }
  return {
    instance: instance.name,
    nodes: instance.nodes.length,
    fixedBytes: instance.fixedBytes,
    storeAllPeakBytes: storeAll.peakBytes,
    cells,
    leastPeak,
    equalOverhead,
  };
}

/** The least ladder budget (bytes) whose overhead is at most `cap`, or null. */
function ladderBudget(
  cells: readonly { setting: string; budgetPercent: number; overhead: number | null }[],
  setting: string,
  cap: number,
  storeAllPeak: number,
): number | null {
  const fitting = cells
    .filter((c) => c.setting === setting && c.overhead !== null && c.overhead <= cap + 1e-12)
    .map((c) => c.budgetPercent);
  return fitting.length === 0 ? null : Math.floor((Math.min(...fitting) / 100) * storeAllPeak);
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const quick = process.argv.includes("--quick");
  const networks: unknown[] = [];
  const out = new URL("./results/storage.json", import.meta.url);
  const save = (end?: number) => {
    const data = {
      environment,
      load: { start: environment.loadAverage, end: end ?? null },
      setup: {
        measureConfig: MEASURE_CONFIG,
        conversionBytesPerMs: BYTES_PER_MS,
        slots: SLOTS,
        caps: CAPS,
        bitTrain: { reduction: 0.34, sparsity: 0.5, reference: "Hosny, Neseem, Reda 2021 (BitTrain)" },
      },
      networks,
    };
    writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
    return data;
  };
  for (const zoo of quick ? ["resnet-18"] : ZOO) {
    const inputs = await storageInstances(zoo);
    console.log(`${zoo}: mean ReLU density ${inputs.meanReluDensity.toFixed(3)} over ${inputs.reluCount}`);
    const chainDp = await solverPart(inputs.block, "chain-dp", CHAIN_SETTINGS, CHAIN_BUDGETS);
    console.log(`  chain-dp done`);
    const graphMincut = await solverPart(inputs.op, "graph-mincut", GRAPH_SETTINGS, GRAPH_BUDGETS);
    console.log(`  graph-mincut done`);
    networks.push({
      zoo,
      meanReluDensity: inputs.meanReluDensity,
      reluCount: inputs.reluCount,
      bitmapIdeal: bitmapIdeal(inputs.op),
      chainDp,
      graphMincut,
    });
    save();
  }
  const data = save(Number((loadavg()[0] as number).toFixed(2)));
  writeFileSync(new URL("./results/storage.md", import.meta.url), storageTables(data));
}

await main();
