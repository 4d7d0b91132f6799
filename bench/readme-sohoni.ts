/**
 * The README's Sohoni-style block (bench/readme-blocks.ts lists it), rendered from
 * bench/results/sohoni.json: WRN-28-2's memory under each technique alone and combined, with the time
 * overhead of each (bench/sohoni.ts).
 */
import { sohoniHeadline, sohoniTable } from "./sohoni-table.js";

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

/** The block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderSohoni(
  data: Loose,
  measuredOn: (environment: Loose, loadEnd?: number) => string,
): string {
  return [
    `Measured on ${measuredOn(data.environment, data.loadAtEnd)} (\`bench/sohoni.ts\`, whole run ${(data.totalMs / 1000).toFixed(0)} s; wall time per row in \`bench/results/sohoni.md\`).`,
    `${data.network} on 32x32 inputs at batch ${data.batch}, ${data.optimizer}: the least step memory each technique reaches within ${(100 * data.cap).toFixed(0)}% overhead over store-all (the zoo's V100 roofline times), split as Sohoni et al. (2019) split it; k is the number of micro-batches; stored forms use densities measured at initialisation (mean ${data.meanDensity.toFixed(2)}):`,
    "",
    ...sohoniTable(data),
    "",
    sohoniHeadline(data),
  ].join("\n");
}
