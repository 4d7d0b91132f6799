/**
 * The README's pipeline-elf block (bench/readme-blocks.ts lists it) and the head of
 * bench/results/pipeline-elf.md, rendered from bench/results/pipeline-elf.json: per cell the step time
 * of pipeline-dp, of pipeline-ilp with one option per stage and with one per (stage, micro-batch), the
 * model's lower bound, the per-micro-batch MILP's solve time and the statuses; then how often and by
 * how much the per-micro-batch choice is faster.
 */

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const GB = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
const step = (r: Loose) => (r === undefined || r.stepMs === null ? "infeasible" : r.stepMs.toFixed(1));

/** The block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderElf(data: Loose, measuredOn: (environment: Loose, loadEnd?: number) => string): string {
  const cells = data.cells as Loose[];
  const s = data.settings;
  const head = `Measured on ${measuredOn(data.environment, data.loadAtEnd)} (\`bench/pipeline-elf.ts\`, whole run ${(data.totalMs / 1000).toFixed(0)} s; partitions and per-micro-batch choices in \`bench/results/pipeline-elf.md\`).`;
  const intro = `Step time in ms of one training step of ${s.microbatches} micro-batches at memories ${s.shares.map((x: number) => `${100 * x}%`).join(", ")} of the way from the least at which pipeline-dp with per-stage checkpointing fits ("floor") to the least at which it fits without; link ${s.link.bandwidth} and ${s.link.latency}, zoo V100 roofline times, exact per-block parameter state. Per stage: pipeline-ilp with one option per stage (its status); per micro-batch: \`--recompute-per microbatch\` (its status, its change against per stage, its second MILP's solve time):`;
  const table = [
    "| network | P | schedule | memory | pipeline-dp | pipeline-ilp per stage | per micro-batch | change | MILP s | bound |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...cells.map((c) => {
      const [dp, stage, micro] = c.rows as Loose[];
      const change =
        stage.stepMs === null || micro.stepMs === null
          ? "-"
          : `${((100 * micro.stepMs) / stage.stepMs - 100).toFixed(1)}%`;
      const milp = micro.milpMs === null ? "-" : (micro.milpMs / 1000).toFixed(2);
      return `| ${c.network} | ${c.devices} | ${c.schedule} | ${GB(c.memory)} | ${step(dp)} | ${step(stage)} (${stage.status}) | ${step(micro)} (${micro.status}) | ${change} | ${milp} | ${dp.boundMs.toFixed(1)} |`;
    }),
  ];
  const both = cells.filter((c) => c.rows[1].stepMs !== null && c.rows[2].stepMs !== null);
  const gains = both.map((c) => 1 - c.rows[2].stepMs / c.rows[1].stepMs).sort((a, b) => a - b);
  const faster = gains.filter((g) => g > 1e-9);
  const proven = cells.filter((c) => c.rows[2].proven === 1).length;
  const slowest = Math.max(0, ...cells.map((c) => c.rows[2].milpMs ?? 0));
  const summary =
    `With a schedule per (stage, micro-batch) pipeline-ilp is faster than with one per stage in ${faster.length} of ${both.length} cells with a plan` +
    (faster.length === 0
      ? ""
      : `, by ${(100 * (faster[0] as number)).toFixed(1)}% to ${(100 * (faster[faster.length - 1] as number)).toFixed(1)}%`) +
    `, and never slower (it starts from the per-stage plan). Its second MILP (the partition fixed to the per-stage optimum's) was proven optimal in ${proven} of ${cells.length} cells; the slowest took ${(slowest / 1000).toFixed(2)} s. ` +
    "A faster per-micro-batch plan answers `feasible`: it is proven only over the per-micro-batch choices on that partition, not over every partition.";
  return [head, intro, "", ...table, "", summary].join("\n");
}
