/**
 * The largest batch that fits (issue 15 item 1), in the setting of Naveen E & Kumar (IEEE HPCC 2019):
 * MobileNet trained on a Raspberry Pi 3 (1 GB), whose batch checkpointing raised from 4 to 12; and
 * ResNet-18, their other network. We use MobileNetV2 (the zoo's MobileNet) and ResNet-18 at 224x224
 * (ImageNet; the paper's input size was not retrievable), 1 GB and 2 GB of memory counted whole
 * (fixedBytes included, the operating system and framework not), plain SGD, without and with a 50%
 * overhead cap. For every solver of `remat fit`'s default list at both levels: the largest batch, its
 * peak and overhead, the solve time at that batch. Times are the zoo's V100 roofline, so overheads are
 * ratios of modelled times, not Raspberry Pi measurements. Then with microbatching (`--microbatches
 * auto`, src/fit/microbatch-probe.ts) for store-all and chain-dp (block level; graph-mincut's seconds per
 * solve times the divisors of every batch probed did not fit this bench), within the 50% cap and up to
 * batch MICRO_MAX_BATCH: without a cap every batch fits once batch 1 does, so the cap and the largest
 * batch tried are what bound the answer. Then with storage modes (`--storage bitmap` and `bitmap,fp16`)
 * for the solvers that plan stored forms (chain-dp, graph-mincut), no cap: the zoo instances then carry
 * the zoo's density table (src/zoo/densities.ts: measured by the simulator at initialisation, so a floor
 * on a trained network's sparsity) and roofline conversion times. Writes bench/results/fit.json and .md.
 * Run: npx tsx bench/fit.ts
 */
import { solve } from "../solvers/index.js";
import { DEFAULT_FIT_SOLVERS } from "../src/cli/commands/fit.js";
import { fitBatches } from "../src/fit/fit.js";
import type { FitReport } from "../src/fit/types.js";
import { zooDensities } from "../src/zoo/densities.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";

const NETWORKS = ["mobilenet-v2", "resnet-18"] as const;
const MEMORIES = [1e9, 2e9] as const;
const CAPS = [null, 0.5] as const;
const INPUT_SIZE = 224;
/** The microbatching cells: their solvers, level, cap and largest batch tried. */
const MICRO_SOLVERS = ["store-all", "chain-dp"] as const;
const MICRO_CAP = 0.5;
const MICRO_MAX_BATCH = 1024;
/** The storage cells: their solvers and the modes. */
const STORAGE_SOLVERS = ["chain-dp", "graph-mincut"] as const;
const STORAGE_SETTINGS = ["bitmap", "bitmap,fp16"] as const;

/** One fit: its setting and the report's rows without the probes (kept in count). */
interface Cell {
  readonly network: string;
  /** `auto` for the microbatching cells (absent: none). */
  readonly microbatches?: "auto";
  /** The storage modes of the storage cells (absent: none). */
  readonly storage?: string;
  /** With storage: the table's mean density over the network's ReLU outputs. */
  readonly meanReluDensity?: number;
  readonly memoryBytes: number;
  readonly maxOverhead: number | null;
  readonly fixedBytes: number;
  readonly sizesMonotone: FitReport["sizesMonotone"];
  readonly wallMs: number;
  readonly rows: readonly {
    readonly solver: string;
    readonly level: string;
    readonly applicable: boolean;
    readonly batch: number;
    readonly capped: boolean;
    readonly peakBytes: number | null;
    readonly overhead: number | null;
    readonly solveMs: number | null;
    readonly probes: number;
    readonly firstFailing: { readonly batch: number; readonly why: string } | null;
    readonly microbatches?: number | null;
  }[];
}

/** One fit of `network` in `memoryBytes`, its rows without the probes. */
async function fitCell(
  network: string,
  memoryBytes: number,
  maxOverhead: number | null,
  micro: { readonly solvers: readonly string[]; readonly maxBatch: number } | null,
  storage?: string,
): Promise<Cell> {
  const start = performance.now();
  const report = await fitBatches(
    {
      model: network,
      config: { inputSize: INPUT_SIZE },
      memoryBytes,
      solvers:
        micro !== null
          ? [...micro.solvers]
          : storage === undefined
            ? [...DEFAULT_FIT_SOLVERS]
            : [...STORAGE_SOLVERS],
      ...(storage === undefined ? {} : { storage }),
      ...(maxOverhead === null ? {} : { maxOverhead }),
      ...(micro === null
        ? {}
        : { microbatches: "auto" as const, maxBatch: micro.maxBatch, levels: ["block"] as const }),
    },
    solve,
  );
  const wallMs = performance.now() - start;
  process.stdout.write(
    `${network} ${memoryBytes / 1e9} GB cap ${maxOverhead ?? "none"}${micro === null ? "" : " microbatched"}${storage === undefined ? "" : ` storage ${storage}`}: ${(wallMs / 1000).toFixed(1)} s\n`,
  );
  return {
    network,
    ...(micro === null ? {} : { microbatches: "auto" as const }),
    ...(storage === undefined ? {} : { storage, meanReluDensity: zooDensities(network).meanReluDensity }),
    memoryBytes,
    maxOverhead,
    fixedBytes: report.fixedBytes,
    sizesMonotone: report.sizesMonotone,
    wallMs,
    rows: report.rows.map((row) => ({
      solver: row.solver,
      level: row.level,
      applicable: row.applicable,
      batch: row.batch,
      capped: row.capped,
      peakBytes: row.peakBytes,
      overhead: row.overhead,
      solveMs: row.solveMs,
      probes: row.probes.length,
      firstFailing: row.firstFailing,
      ...(row.microbatches === undefined ? {} : { microbatches: row.microbatches }),
    })),
  };
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const started = performance.now();
  const cells: Cell[] = [];
  for (const network of NETWORKS)
    for (const memoryBytes of MEMORIES)
      for (const maxOverhead of CAPS) cells.push(await fitCell(network, memoryBytes, maxOverhead, null));
  for (const network of NETWORKS)
    for (const memoryBytes of MEMORIES)
      cells.push(
        await fitCell(network, memoryBytes, MICRO_CAP, { solvers: MICRO_SOLVERS, maxBatch: MICRO_MAX_BATCH }),
      );
  for (const network of NETWORKS)
    for (const memoryBytes of MEMORIES)
      for (const storage of STORAGE_SETTINGS)
        cells.push(await fitCell(network, memoryBytes, null, null, storage));
  const totalMs = performance.now() - started;
  const data = {
    environment,
    loadAtEnd: loadAverageNow(),
    totalMs,
    inputSize: INPUT_SIZE,
    microMaxBatch: MICRO_MAX_BATCH,
    cells,
  };
  writeBenchResults("fit", data, markdown(cells, environment, totalMs));
}

const orDash = <T>(value: T | null, show: (value: T) => string) => (value === null ? "-" : show(value));

/** One row of a fit's table in bench/results/fit.md. */
function rowLine(row: Cell["rows"][number]): string {
  if (!row.applicable) return `| ${row.solver} | ${row.level} | n/a | - | - | - | 0 | not applicable |`;
  const cells = [
    row.solver,
    row.level,
    `${row.capped ? ">=" : ""}${row.batch}`,
    orDash(row.peakBytes, (bytes) => (bytes / 1e6).toFixed(1)),
    orDash(row.overhead, (overhead) => `${(overhead * 100).toFixed(1)}%`),
    orDash(row.solveMs, (ms) => ms.toFixed(0)),
    String(row.probes),
    orDash(row.firstFailing, (failing) => `${failing.batch} (${failing.why})`),
    ...(row.microbatches === undefined ? [] : [orDash(row.microbatches, String)]),
  ];
  return `| ${cells.join(" | ")} |`;
}

function markdown(
  cells: readonly Cell[],
  environment: ReturnType<typeof benchEnvironment>,
  totalMs: number,
): string {
  const lines = [
    "# The largest batch that fits (bench/fit.ts)",
    "",
    `${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}${environment.dirty ? " (uncommitted changes)" : ""}, ${environment.date}, load average ${environment.loadAverage} at the start; whole run ${(totalMs / 1000).toFixed(0)} s.`,
    `Input ${INPUT_SIZE}x${INPUT_SIZE}, plain SGD, memory counted whole (fixedBytes included). Solve ms: the solve at the batch found.`,
    "",
  ];
  for (const cell of cells) {
    lines.push(
      `## ${cell.network}, ${cell.memoryBytes / 1e9} GB, overhead cap ${cell.maxOverhead === null ? "none" : `${cell.maxOverhead * 100}%`}${cell.microbatches === undefined ? "" : `, microbatching auto (up to batch ${MICRO_MAX_BATCH})`}${cell.storage === undefined ? "" : `, storage ${cell.storage}`}`,
      "",
      `fixedBytes ${(cell.fixedBytes / 1e6).toFixed(2)} MB; sizes nondecreasing in the batch: ${JSON.stringify(cell.sizesMonotone)}; ${(cell.wallMs / 1000).toFixed(1)} s.`,
      "",
      `| solver | level | batch | peak MB | overhead | solve ms | probes | first batch that does not fit |${cell.microbatches === undefined ? "" : " k |"}`,
      `| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |${cell.microbatches === undefined ? "" : " ---: |"}`,
      ...cell.rows.map(rowLine),
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

await main();
