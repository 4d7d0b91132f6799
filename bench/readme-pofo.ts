/**
 * The README's pofo block (bench/readme-blocks.ts lists it), rendered from bench/results/pofo.json:
 * overheads of chain-dp, the best offload-only schedule and pofo on the zoo's block chains over PCIe 4.0,
 * the share of chain-dp's overhead that pofo removes, the least activation budget under 20% overhead,
 * and pofo's solve time against L and S.
 */
import { readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? "-" : `${(100 * value).toFixed(0)}%`;

/** The cell of one network, link, budget and method, or undefined. */
function cellOf(
  cells: readonly Loose[],
  network: string,
  link: string,
  budget: number,
  method: string,
): Loose {
  return cells.find(
    (c) => c.network === network && c.link === link && c.budgetPercent === budget && c.method === method,
  );
}

/** Shares of chain-dp's overhead pofo removes, over the cells where both answer and chain-dp has overhead. */
function removedShares(cells: readonly Loose[], link: string): number[] {
  const shares: number[] = [];
  for (const c of cells) {
    if (c.method !== "chain-dp" || c.link !== link || c.overhead === null || c.overhead <= 0) continue;
    const p = cellOf(cells, c.network, link, c.budgetPercent, "pofo");
    if (p?.overhead !== null && p?.overhead !== undefined)
      shares.push((c.overhead - p.overhead) / c.overhead);
  }
  return shares.sort((a, b) => a - b);
}

function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 === 1
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/** The pofo block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderPofo(
  data: Loose,
  measuredOn: (environment: Loose, loadEnd?: number) => string,
): string {
  const cells = data.cells as Loose[];
  const networks = [...new Set(cells.map((c) => c.network as string))];
  const budgets = [...new Set(cells.map((c) => c.budgetPercent as number))];
  const row = (network: string) =>
    `| ${network} | ${budgets
      .map((b) =>
        ["chain-dp", "offload", "pofo"]
          .map((m) => pct(cellOf(cells, network, "pcie4", b, m)?.overhead))
          .join(" / "),
      )
      .join(" | ")} |`;
  const least = (network: string, link: string, method: string) =>
    pct(
      (data.least as Loose[]).find((r) => r.network === network && r.link === link && r.method === method)
        ?.activationFraction,
    );
  const shares = removedShares(cells, "pcie4");
  const edgeShares = removedShares(cells, "usb2-flash");
  const speed = data.speed as Loose[];
  const at = (L: number, S: number, solver: string) =>
    speed.find((r) => r.L === L && r.S === S && r.solver === solver);
  const target = at(50, 200, "pofo");
  const targetDp = at(50, 200, "chain-dp");
  const largest = speed.filter((r) => r.solver === "pofo").sort((a, b) => b.L * b.S - a.L * a.S)[0];
  return [
    `Measured on ${measuredOn(data.environment, data.loadAverageEnd)} (\`bench/pofo.ts\`; every cell with the best offload heuristic's name, and the edge link, in \`bench/results/pofo.md\`).`,
    "Overhead of chain-dp / of the best offload-only schedule / of pofo over PCIe 4.0, at 500 slots; `-`: no schedule fits:",
    "",
    `| block chain | ${budgets.map((b) => `${b}%`).join(" | ")} |`,
    `| --- | ${budgets.map(() => "---:").join(" | ")} |`,
    ...networks.map(row),
    "",
    `Share of chain-dp's overhead that pofo's offloads remove over PCIe 4.0: median ${pct(medianOf(shares))}, from ${pct(shares[0])} to ${pct(shares[shares.length - 1])} over ${shares.length} (chain, budget) pairs; over \`usb2-flash\` median ${pct(medianOf(edgeShares))} (the link is too slow to pay). ` +
      `Least activation budget under 20% overhead, as a fraction of store-all's activation peak (chain-dp / pofo, PCIe 4.0): ${networks
        .map((n) => `${n} ${least(n, "pcie4", "chain-dp")} / ${least(n, "pcie4", "pofo")}`)
        .join(", ")}. ` +
      `Solve time on a random chain with a link at 40%: L = 50, S = 200 in ${target?.medianMs.toFixed(0)} ms (chain-dp ${targetDp?.medianMs.toFixed(0)} ms); L = ${largest?.L}, S = ${largest?.S} in ${((largest?.medianMs ?? 0) / 1000).toFixed(1)} s; time grows as L^${data.scaling.inL.slope?.toFixed(1)} at S = 200 and S^${data.scaling.inS.slope?.toFixed(1)} at L = 50.`,
  ].join("\n");
}

/** Reads bench/results/pofo.json. */
export function pofoResults(): Loose {
  return JSON.parse(readFileSync(new URL("./results/pofo.json", import.meta.url), "utf8"));
}
