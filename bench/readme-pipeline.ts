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
const SOLVERS = ["pipeline-dp", "pipeline-ilp", "balance-time", "balance-memory", "uniform"] as const;

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
  const tight = cells
    .filter((c) => c.floorMemory >= 0.99 * c.storeAllMemory)
    .map((c) => `${c.network} on ${c.devices} (${c.schedule})`);
  const tightNote =
    tight.length === 0
      ? ""
      : `Where the floor equals the store-all memory (${tight.join(", ")}), one block's own peak (its workspace and tape, which no stage schedule avoids) sets both, so no checkpointing helps and store-all fits there.`;
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
    ...(tightNote === "" ? [] : [tightNote]),
    ilpSentence(cells, s.ilpTimeLimitSec),
    ...opSentence(cells),
    `Largest GPipe micro-batch count that fits at that memory, pipeline-dp with per-stage checkpointing against without: ${largest}.${spread}`,
    `Deepest GPT-2 small stack (batch 8, sequence 1024; of ${s.depths.join(", ")} layers) whose 1F1B plan (balance-time's cut) fits ${GB(s.depthMemoryBytes)} per device, with per-stage checkpointing against without: ${depth}.`,
  ].join("\n");
}

/** How pipeline-ilp did: cells proven optimal over its class, cells it beat pipeline-dp in, and by how much. */
function ilpSentence(cells: Loose[], limitSec: number): string {
  const pairs = cells
    .map((c) => ({
      dp: c.rows.find((r: Loose) => r.solver === "pipeline-dp"),
      ilp: c.rows.find((r: Loose) => r.solver === "pipeline-ilp"),
    }))
    .filter((p) => p.ilp !== undefined && p.dp !== undefined);
  const proven = pairs.filter((p) => p.ilp.status === "optimal").length;
  const timedOut = pairs.filter((p) => p.ilp.status === "timeout").length;
  const gains = pairs
    .filter((p) => p.ilp.stepMs !== null && p.dp.stepMs !== null && p.ilp.stepMs < p.dp.stepMs * (1 - 1e-9))
    .map((p) => 1 - p.ilp.stepMs / p.dp.stepMs);
  const best = gains.length === 0 ? "" : ` (by up to ${(100 * Math.max(...gains)).toFixed(1)}%)`;
  return `pipeline-ilp (HiGHS, ${limitSec} s per cell, its MILPs started from pipeline-dp's partitions) proved ${proven} of ${pairs.length} cells optimal over its class and answered timeout with its best plan in ${timedOut}; it was faster than pipeline-dp in ${gains.length}${best}.`;
}

/** The op-level cells against pipeline-dp on the block chain at the same memory. */
function opSentence(cells: Loose[]): string[] {
  const op = cells.filter((c) => c.level === "op" && c.blockAtSameMemory !== null);
  if (op.length === 0) return [];
  const ratios = op
    .map((c) => {
      const dp = c.rows.find((r: Loose) => r.solver === "pipeline-dp");
      return dp?.stepMs && c.blockAtSameMemory.stepMs ? dp.stepMs / c.blockAtSameMemory.stepMs - 1 : null;
    })
    .filter((x: number | null): x is number => x !== null)
    .sort((a: number, b: number) => a - b);
  const infeasibleBlock = op.filter((c) => c.blockAtSameMemory.stepMs === null).length;
  const units = [...new Set(op.map((c) => `${c.network} ${c.units} units of ${c.nodes} nodes`))].join(", ");
  const range =
    ratios.length === 0
      ? ""
      : ` pipeline-dp's step time on the op graph against on the block chain at the same memory: ${signed(ratios[0] as number)} to ${signed(ratios[ratios.length - 1] as number)}.`;
  const none =
    infeasibleBlock === 0
      ? ""
      : ` The block chain had no plan at that memory in ${infeasibleBlock} of ${op.length} cells.`;
  return [
    `The "-op" rows cut the op graph only at its cut points (${units}); their stages checkpoint whole blocks (chain-dp on each stage's block chain).${range}${none}`,
  ];
}
