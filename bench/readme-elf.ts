/**
 * The README's pipeline-elf block (bench/readme-blocks.ts lists it) and the head of
 * bench/results/pipeline-elf.md, rendered from bench/results/pipeline-elf.json: per setting (network,
 * devices, schedule kind, micro-batches) and memory share, the step time of pipeline-ilp with one
 * option per stage against the one with an option per (stage, micro-batch), with pipeline-dp's and the
 * lower bound; then how often and by how much the per-micro-batch choice is faster, and its MILP's
 * statuses and solve times.
 */

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const ms = (x: number | null) => (x === null ? "infeasible" : x.toFixed(0));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One memory's cell: pipeline-dp / per stage -> per micro-batch (change). */
function memoryCell(c: Loose): string {
  const [dp, stage, micro] = c.rows as Loose[];
  if (stage.stepMs === null || micro.stepMs === null)
    return `${ms(dp.stepMs)} / ${ms(stage.stepMs)} → ${ms(micro.stepMs)}`;
  return `${ms(dp.stepMs)} / ${ms(stage.stepMs)} → **${ms(micro.stepMs)}** (${pct(micro.stepMs / stage.stepMs - 1)}, ${micro.status})`;
}

/** The block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderElf(data: Loose, measuredOn: (environment: Loose, loadEnd?: number) => string): string {
  const cells = data.cells as Loose[];
  const s = data.settings;
  const shares = s.shares as number[];
  const head = `Measured on ${measuredOn(data.environment, data.loadAtEnd)} (\`bench/pipeline-elf.ts\`, whole run ${(data.totalMs / 1000).toFixed(0)} s; partitions, per-micro-batch choices, bounds and solve times per cell in \`bench/results/pipeline-elf.md\`).`;
  const intro = `Step time in ms of one training step: pipeline-dp / pipeline-ilp with one option per stage → **pipeline-ilp \`--recompute-per microbatch\`** (its change against per stage, its status), at per-device memories ${shares.map((x) => `${100 * x}%`).join(", ")} of the way from the least at which pipeline-dp with per-stage checkpointing fits to the least at which it fits without; link ${s.link.bandwidth} and ${s.link.latency}, zoo V100 roofline times, exact per-block parameter state; the last column is the model's lower bound:`;
  const settings = [
    ...new Set(cells.map((c) => `${c.network}|${c.devices}|${c.schedule}|${c.microbatches}`)),
  ];
  const table = [
    `| network | P | schedule | m | ${shares.map((x) => `${100 * x}%`).join(" | ")} | bound |`,
    `| --- | ---: | --- | ---: | ${shares.map(() => "---:").join(" | ")} | ---: |`,
    ...settings.map((key) => {
      const [network, devices, schedule, m] = key.split("|");
      const row = cells.filter((c) => `${c.network}|${c.devices}|${c.schedule}|${c.microbatches}` === key);
      const byShare = shares.map((x) => row.find((c) => c.share === x));
      return `| ${network} | ${devices} | ${schedule} | ${m} | ${byShare.map((c) => (c === undefined ? "-" : memoryCell(c))).join(" | ")} | ${ms(row[0].rows[0].boundMs)} |`;
    }),
  ];
  const both = cells.filter((c) => c.rows[1].stepMs !== null && c.rows[2].stepMs !== null);
  const gains = both.map((c) => 1 - c.rows[2].stepMs / c.rows[1].stepMs).sort((a, b) => a - b);
  const faster = gains.filter((g) => g > 1e-9);
  const median = gains[Math.floor(gains.length / 2)] ?? 0;
  const statuses = (k: number) => {
    const counts = new Map<string, number>();
    for (const c of cells) counts.set(c.rows[k].status, (counts.get(c.rows[k].status) ?? 0) + 1);
    return [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
  };
  const slowest = Math.max(0, ...cells.map((c) => c.rows[2].wallMs));
  const slowestStage = Math.max(0, ...cells.map((c) => c.rows[1].wallMs));
  const summary = [
    `With an option per (stage, micro-batch), pipeline-ilp is faster than with one option per stage in ${faster.length} of ${both.length} cells with a plan` +
      (faster.length === 0
        ? ""
        : `, its step time shorter by ${pct(faster[0] as number)} to ${pct(faster[faster.length - 1] as number)} (median ${pct(median)} over the ${both.length})`) +
      ", and never slower (each of its MILPs is cut off at the best step time so far and started from that plan).",
    `Statuses within ${s.timeLimitSec} s per solve: per stage ${statuses(1)} (slowest ${(slowestStage / 1000).toFixed(1)} s, menus included); per micro-batch ${statuses(2)} (slowest ${(slowest / 1000).toFixed(1)} s).`,
    'Per micro-batch, `optimal` is over every partition with an option per (stage, micro-batch), proven by the joint MILP of every stage count; `timeout` keeps the best plan found (proofs/pipeline-ilp.md, "Per micro-batch").',
  ].join(" ");
  return [head, intro, "", ...table, "", summary].join("\n");
}
