/**
 * The Sohoni-style table of bench/sohoni.ts, rendered from its results (the bench's markdown and the
 * README block, bench/readme-sohoni.ts, share it): per technique, weights, gradients, optimizer state and
 * activations in MB, the total, the reduction against store-all and the time overhead.
 */

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** The table's lines (header included). */
export function sohoniTable(data: Loose): string[] {
  const { weights, gradients, optimizer } = data.memory;
  const fixed = weights + gradients + optimizer;
  const base = data.rows[0]?.peakBytes ?? 0;
  const line = (row: Loose) => {
    if (row.peakBytes === null)
      return `| ${row.technique} | ${row.microbatches} | ${mb(weights)} | ${mb(gradients)} | ${mb(optimizer)} | - | - | - | - |`;
    const lossy = row.lossy ? " (lossy)" : "";
    return `| ${row.technique}${lossy} | ${row.microbatches} | ${mb(weights)} | ${mb(gradients)} | ${mb(optimizer)} | ${mb(row.peakBytes - fixed)} | ${mb(row.peakBytes)} | /${(base / row.peakBytes).toFixed(1)} | ${(100 * row.overhead).toFixed(1)}% |`;
  };
  return [
    "| technique | k | weights MB | gradients MB | optimizer MB | activations MB | total MB | memory | overhead |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...data.rows.map(line),
  ];
}

/** The best combined reduction in words: the row of least total memory. */
export function sohoniHeadline(data: Loose): string {
  const found = data.rows.filter((row: Loose) => row.peakBytes !== null);
  const base = data.rows[0]?.peakBytes ?? 0;
  const best = found.reduce((a: Loose, b: Loose) => (b.peakBytes < a.peakBytes ? b : a));
  const activations = (row: Loose) =>
    row.peakBytes - data.memory.weights - data.memory.gradients - data.memory.optimizer;
  return [
    `Least memory: ${best.technique}, total /${(base / best.peakBytes).toFixed(1)} and activations /${(activations(data.rows[0]) / activations(best)).toFixed(1)} against store-all, at ${(100 * best.overhead).toFixed(1)}% overhead.`,
    "Sohoni et al. report 60.7x less memory for WRN-28-2 with their techniques combined, weights and optimizer state in low precision included, which remat's stored forms (activations only) do not cover: here weights, gradients and momentum stay float32 and bound the total from below.",
    "Caveats: the times are a roofline, which ignores kernel launches and the lower efficiency of small kernels, so the overhead of many small micro-batches is a lower bound (micro-batches of one sample are far slower on real hardware than the table says); and WRN-28-2 has batch normalization, whose statistics over a micro-batch are not the full batch's (the simulator reports such a step as not equal).",
  ].join(" ");
}

/** bench/results/sohoni.md. */
export function sohoniMarkdown(data: Loose): string {
  const e = data.environment;
  return [
    "# Memory of WRN-28-2 under each technique (bench/sohoni.ts)",
    "",
    `${e.cpu} (${e.cores} cores), Node ${e.node}, commit ${e.commit}${e.dirty ? " (uncommitted changes)" : ""}, ${e.date}, load average ${e.loadAverage} at the start and ${data.loadAtEnd} at the end; whole run ${(data.totalMs / 1000).toFixed(0)} s.`,
    `${data.network}, batch ${data.batch}, 32x32, ${data.optimizer}; least step memory within ${(100 * data.cap).toFixed(0)}% overhead over store-all (${data.baselineMakespanMs.toFixed(3)} ms, the zoo's V100 roofline); mean measured density ${data.meanDensity.toFixed(3)}.`,
    "",
    ...sohoniTable(data),
    "",
    sohoniHeadline(data),
    "",
    "Wall time per row: " +
      data.rows.map((row: Loose) => `${row.technique} ${(row.wallMs / 1000).toFixed(1)} s`).join("; ") +
      ".",
    "",
  ].join("\n");
}
