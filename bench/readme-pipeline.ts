/**
 * The README's pipeline block (bench/readme-blocks.ts lists it) and bench/results/pipeline.md, rendered
 * from bench/results/pipeline.json: step time of each pipeline solver against the lower bound half way
 * between the least memory pipeline-dp needs with checkpointing and the least any plan needs without,
 * the step time of the store-all plan at its own least memory, the
 * largest GPipe micro-batch count with and without per-stage checkpointing, and the deepest GPT-2 stack
 * that fits.
 */

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const GB = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
const signed = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;
const SOLVERS = ["pipeline-dp", "balance-time", "balance-memory", "uniform"] as const;

/** One solver's cell: step time and its gap to the bound, or infeasible. */
function stepCell(row: Loose): string {
  if (row === undefined || row.stepMs === null) return "infeasible";
  return `${row.stepMs.toFixed(0)} (+${(100 * row.gap).toFixed(1)}%)`;
}

/** The block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderPipeline(
  data: Loose,
  measuredOn: (environment: Loose, loadEnd?: number) => string,
): string {
  const cells = data.cells as Loose[];
  const s = data.settings;
  const head = `Measured on ${measuredOn(data.environment, data.loadAtEnd)} (\`bench/pipeline.ts\`, whole run ${(data.totalMs / 1000).toFixed(0)} s; partitions, peaks and solve times in \`bench/results/pipeline.md\`).`;
  const intro = `Step time in ms of one training step of ${s.microbatches} micro-batches (gap to the lower bound of proofs/pipeline-model.md) at a per-device memory ${100 * s.memoryShare}% of the way from the least at which pipeline-dp with per-stage checkpointing fits ("floor") to the least at which any plan without checkpointing fits ("store-all"; the last column: pipeline-dp's step time there without checkpointing), link ${s.link.bandwidth} and ${s.link.latency}, zoo V100 roofline times, exact per-block parameter state:`;
  const table = [
    `| network | P | schedule | floor | store-all | memory | ${SOLVERS.join(" | ")} | bound | store-all plan |`,
    `| --- | ---: | --- | ---: | ---: | ---: | ${SOLVERS.map(() => "---:").join(" | ")} | ---: | ---: |`,
    ...cells.map((c) => {
      const by = (name: string) => c.rows.find((r: Loose) => r.solver === name);
      return `| ${c.network} | ${c.devices} | ${c.schedule} | ${GB(c.floorMemory)} | ${GB(c.storeAllMemory)} | ${GB(c.memory)} | ${SOLVERS.map((n) => stepCell(by(n))).join(" | ")} | ${c.rows[0].boundMs.toFixed(0)} | ${c.atStoreAll.stepMs === null ? "-" : c.atStoreAll.stepMs.toFixed(0)} |`;
    }),
  ];
  const gpipe = cells.filter((c) => c.largestMicrobatches !== null);
  const count = (m: number) => (m >= s.maxMicrobatches ? `${m} (the cap)` : String(m));
  const largest = gpipe
    .map(
      (c) =>
        `${c.network} on ${c.devices}: ${count(c.largestMicrobatches.checkpointing)} against ${count(c.largestMicrobatches.none)}`,
    )
    .join("; ");
  const depth = (data.depth as Loose[])
    .filter((d) => d.checkpointing)
    .map((d) => {
      const none = (data.depth as Loose[]).find((x) => x.devices === d.devices && !x.checkpointing);
      const deepest = (n: number) => (n >= Math.max(...s.depths) ? `${n} (the most tried)` : String(n));
      return `${d.devices} devices: ${deepest(d.deepest)} layers against ${deepest(none?.deepest ?? 0)}`;
    })
    .join("; ");
  const costs = cells
    .map((c) => {
      const dp = c.rows.find((r: Loose) => r.solver === "pipeline-dp");
      return dp?.stepMs && c.atStoreAll.stepMs ? dp.stepMs / c.atStoreAll.stepMs - 1 : null;
    })
    .filter((x: number | null): x is number => x !== null)
    .sort((a: number, b: number) => a - b);
  const spread =
    costs.length === 0
      ? ""
      : ` pipeline-dp's step time at that memory, against the store-all plan at its own least memory: from ${signed(costs[0] as number)} to ${signed(costs[costs.length - 1] as number)} (checkpointing also frees the partition, so it can be faster).`;
  return [
    head,
    intro,
    "",
    ...table,
    "",
    `Largest GPipe micro-batch count that fits at that memory, pipeline-dp with per-stage checkpointing against without: ${largest}.${spread}`,
    `Deepest GPT-2 small stack (batch 8, sequence 1024; of ${s.depths.join(", ")} layers) whose 1F1B plan (balance-time's cut) fits ${GB(s.depthMemoryBytes)} per device, with per-stage checkpointing against without: ${depth}.`,
  ].join("\n");
}
