/**
 * The README's regression block (bench/readme-blocks.ts lists it), rendered from
 * bench/results/regression.json: how well the batch model fitted to profiles at a few batch sizes
 * predicts the instance at unseen batches, on real kernels and on the zoo's roofline.
 */

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const pct = (value: number) => `${value >= 0 ? "+" : ""}${(100 * value).toFixed(1)}%`;

/** The regression block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderRegression(
  data: Loose,
  measuredOn: (environment: Loose, loadEnd?: number) => string,
): string {
  const cases = data.cases as Loose[];
  const exact = cases.every((c) => c.sizesExact === c.nodes && c.fixedBytesExact);
  const row = (c: Loose) =>
    `| ${c.network} | ${c.source} | ${c.fitted.join(", ")} | ${c.predicted} | ${c.sizesExact}/${c.nodes} | ${pct(c.totalTimeError)} | ${(100 * c.medianNodeTimeError).toFixed(1)}% |`;
  return [
    `Measured on ${measuredOn(data.environment, data.loadAtEnd)} (\`bench/regression.ts\`, whole run ${(data.totalMs / 1000).toFixed(0)} s; every case with the worst node and the margin's effect in \`bench/results/regression.md\`).`,
    `${data.inputSize}x${data.inputSize} inputs. \`profile\`: lines fitted to real profiles (TensorFlow.js wasm), compared with a fresh profile at the predicted batch; \`roofline\`: the zoo's V100 times, compared with the zoo's instance there.`,
    "",
    "| network | times | fitted at batches | predicted | nodes with every size exact | step time error | median node time error |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ...cases.map(row),
    "",
    exact
      ? "Every size (activation, gradient, tape, workspace) and fixedBytes was predicted to the byte: they are exactly linear in the batch (fixedBytes constant). Times are not: a roofline time is the larger of two lines, so small batches under-predict large ones; measured times add the noise of the machine."
      : "Some sizes were not predicted exactly: see bench/results/regression.md.",
  ].join("\n");
}
