/**
 * The README's fit block (bench/readme-blocks.ts lists it), rendered from bench/results/fit.json: the
 * largest batch each solver fits for MobileNetV2 and ResNet-18 at 224x224 in 1 GB and 2 GB, op level /
 * block level, without and with a 50% overhead cap; and, with microbatching (k chosen per batch), the
 * largest batch store-all and chain-dp reach within the cap, with the k and the overhead at it; and, with
 * storage modes, the largest batch chain-dp and graph-mincut reach against their batch without.
 */

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

/** A row's batch: `n/a` when the solver does not accept that level, `>=` when the search hit its cap. */
function batchText(row: Loose): string {
  if (row === undefined) return "?";
  if (!row.applicable) return "n/a";
  return `${row.capped ? ">=" : ""}${row.batch}`;
}

/** The fit block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderFit(data: Loose, measuredOn: (environment: Loose, loadEnd?: number) => string): string {
  const cells = (data.cells as Loose[]).filter(
    (cell) => cell.microbatches === undefined && cell.storage === undefined,
  );
  const storageCells = (data.cells as Loose[]).filter((cell) => cell.storage !== undefined);
  const microCells = (data.cells as Loose[]).filter((cell) => cell.microbatches !== undefined);
  const solvers = [...new Set(cells.flatMap((cell) => cell.rows.map((row: Loose) => row.solver as string)))];
  const line = (cell: Loose) => {
    const both = solvers.map((solver) => {
      const at = (level: string) =>
        cell.rows.find((row: Loose) => row.solver === solver && row.level === level);
      return `${batchText(at("op"))} / ${batchText(at("block"))}`;
    });
    const cap = cell.maxOverhead === null ? "none" : `${(cell.maxOverhead * 100).toFixed(0)}%`;
    return `| ${cell.network} | ${cell.memoryBytes / 1e9} GB | ${cap} | ${both.join(" | ")} |`;
  };
  const ratios = cells
    .filter((cell) => cell.maxOverhead === null)
    .map((cell) => {
      const fitting = cell.rows.filter((row: Loose) => row.applicable && row.solver !== "recompute-all");
      const storeAll = Math.max(
        ...fitting
          .filter((row: Loose) => row.solver === "store-all")
          .map((row: Loose) => row.batch as number),
      );
      const best = fitting.reduce((a: Loose, b: Loose) => (b.batch > a.batch ? b : a));
      return `${cell.network} in ${cell.memoryBytes / 1e9} GB x${(best.batch / storeAll).toFixed(1)} (${best.solver}, ${best.level}, ${best.batch} against ${storeAll}, overhead ${(100 * best.overhead).toFixed(0)}%)`;
    });
  return [
    `Measured on ${measuredOn(data.environment, data.loadAtEnd)} (\`bench/fit.ts\`, whole run ${(data.totalMs / 1000).toFixed(0)} s; peaks, overheads, solve times and the first batch that does not fit in \`bench/results/fit.md\`).`,
    `Largest batch that fits (op-level DAG / block-level chain; \`n/a\`: the solver does not accept that level), ${data.inputSize}x${data.inputSize} inputs, plain SGD, the memory counted whole (fixedBytes included), overheads from the zoo's V100 roofline times:`,
    "",
    `| network | memory | overhead cap | ${solvers.join(" | ")} |`,
    `| --- | --- | --- | ${solvers.map(() => "---:").join(" | ")} |`,
    ...cells.map(line),
    "",
    `Largest batch over store-all's, recompute-all aside: ${ratios.join("; ")}. The paper's Raspberry Pi: x3 (4 to 12) for MobileNet.`,
    ...microTable(microCells, data.microMaxBatch),
    ...storageTable(storageCells, cells),
  ].join("\n");
}

/** A microbatched row's cell: the batch (`>=` at the largest tried), its k and overhead. */
function microText(row: Loose): string {
  if (row === undefined) return "?";
  if (!row.applicable || row.batch === 0) return batchText(row);
  return `${batchText(row)} (k ${row.microbatches ?? "-"}, ${(100 * row.overhead).toFixed(0)}%)`;
}

/** The microbatching table (none when the results have no microbatched cells). */
function microTable(cells: readonly Loose[], maxBatch: number | undefined): string[] {
  if (cells.length === 0) return [];
  const solvers = [...new Set(cells.flatMap((cell) => cell.rows.map((row: Loose) => row.solver as string)))];
  const cap = `${(100 * cells[0].maxOverhead).toFixed(0)}%`;
  return [
    "",
    `With microbatching (\`--microbatches auto\`: each batch's step as k micro-batches, k among its divisors, in-place accumulation; block level; batches up to ${maxBatch}), the largest batch within ${cap} overhead, with k and the overhead there; without a cap every batch would fit once batch 1 does, so the cap and the largest batch tried bound it. The roofline times ignore kernel launches and small kernels' lower efficiency, so these overheads are lower bounds; batch normalization (both networks have it) sees micro-batch statistics. Storage modes are in the next table:`,
    "",
    `| network | memory | ${solvers.join(" | ")} |`,
    `| --- | --- | ${solvers.map(() => "---:").join(" | ")} |`,
    ...cells.map(
      (cell) =>
        `| ${cell.network} | ${cell.memoryBytes / 1e9} GB | ${solvers.map((solver) => microText(cell.rows.find((row: Loose) => row.solver === solver))).join(" | ")} |`,
    ),
  ];
}

/** The storage table: per network, memory and mode set, each solver's op / block batch against none. */
function storageTable(cells: readonly Loose[], plain: readonly Loose[]): string[] {
  if (cells.length === 0) return [];
  const solvers = [...new Set(cells.flatMap((cell) => cell.rows.map((row: Loose) => row.solver as string)))];
  const batchOf = (cell: Loose, solver: string, level: string) =>
    batchText(cell?.rows.find((row: Loose) => row.solver === solver && row.level === level));
  const line = (cell: Loose) => {
    const none = plain.find(
      (other) =>
        other.network === cell.network &&
        other.memoryBytes === cell.memoryBytes &&
        other.maxOverhead === null,
    );
    const both = solvers.map((solver) =>
      ["op", "block"]
        .map((level) => `${batchOf(cell, solver, level)} (${batchOf(none, solver, level)})`)
        .join(" / "),
    );
    return `| ${cell.network} | ${cell.memoryBytes / 1e9} GB | ${cell.storage} | ${both.join(" | ")} |`;
  };
  const densities = [...new Map(cells.map((cell) => [cell.network, cell.meanReluDensity])).entries()]
    .map(([network, density]) => `${network} ${Number(density).toFixed(2)}`)
    .join(", ");
  return [
    "",
    `With storage modes (\`--storage\`; no overhead cap), the largest batch (op / block; in parentheses without storage modes): the zoo instances carry the densities of \`src/zoo/densities.ts\`, measured by the simulator at initialisation on random inputs (mean density over the ReLU outputs: ${densities}; trained networks are sparser, so bitmap's gain here is a floor), and conversion times a 900 GB/s roofline. A bitmap of density 0.5 keeps about 53% of the bytes (1/32 + d), and only where an activation is a ReLU output: many tensors these plans keep are not (MobileNetV2's block outputs are linear bottlenecks); overheads in \`bench/results/fit.md\`:`,
    "",
    `| network | memory | modes | ${solvers.join(" | ")} |`,
    `| --- | --- | --- | ${solvers.map(() => "---:").join(" | ")} |`,
    ...cells.map(line),
  ];
}
