/**
 * The README's benchmark figures, rendered from bench/results/*.json only (so they cannot drift from the
 * measurements): each block is the text between `<!-- generated: NAME ... -->` and `<!-- end: NAME -->`
 * in README.md. bench/readme.ts writes them; test/readme-figures.test.ts checks that the README holds
 * exactly what these renderers make of the results files.
 */
import { readFileSync } from "node:fs";
import { batchResults, renderBatch } from "./readme-batch.js";
import { renderElf } from "./readme-elf.js";
import { renderFit } from "./readme-fit.js";
import { milpScaleResults, renderMilpScale } from "./readme-milp.js";
import { renderPipeline } from "./readme-pipeline.js";
import { pofoResults, renderPofo } from "./readme-pofo.js";
import { renderRegression } from "./readme-regression.js";
import { renderSohoni } from "./readme-sohoni.js";
import { renderStorage, storageResults } from "./readme-storage.js";

/** A results file, parsed. */
type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const RESULTS = new URL("./results/", import.meta.url);

function results(name: string): Loose {
  return JSON.parse(readFileSync(new URL(`${name}.json`, RESULTS), "utf8")) as Json;
}

const percent = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? "infeasible" : `${(value * 100).toFixed(digits)}%`;
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const seconds = (valueMs: number) => `${(valueMs / 1000).toFixed(2)} s`;

/** Where a block's figures were measured: machine, Node, commit, load. */
function measuredOn(environment: Loose, loadEnd?: number): string {
  const load =
    environment.loadAverage === undefined
      ? ""
      : `, load average ${environment.loadAverage}${loadEnd === undefined ? "" : ` to ${loadEnd}`}`;
  const dirty = environment.dirty === true ? " (uncommitted changes)" : "";
  const cores = environment.cores === undefined ? "" : ` (${environment.cores} cores)`;
  return `${environment.cpu}${cores}, Node ${environment.node}, commit ${environment.commit}${dirty}, ${String(environment.date).slice(0, 10)}${load}`;
}

const NETWORK: Readonly<Record<string, string>> = {
  "resnet-50": "ResNet-50",
  "densenet-121": "DenseNet-121",
  "mobilenet-v2": "MobileNetV2",
  "inception-v3": "Inception-v3",
};

/** Feng & Huang's published cut / overhead, or a dash (their paper reports no MobileNetV2). */
function fengHuang(memory: Loose): string {
  const paper = memory.fengHuang;
  return paper === undefined || paper === null
    ? "-"
    : `-${percent(paper.cut, 0)} / +${percent(paper.overhead, 0)}`;
}

function graphMincutEnvironment(data: Loose): Loose {
  return {
    cpu: data.machine,
    node: data.node,
    commit: data.commit,
    date: data.date,
    loadAverage: data.load?.start,
  };
}

/** The memory objective on the four networks Feng & Huang report, and the exactness counts. */
function graphMincutMemory(): string {
  const data = results("graph-mincut");
  const rows = (data.quality as Loose[]).map((q) => {
    const m = q.memory;
    return `| ${NETWORK[q.zoo] ?? q.zoo} | ${q.nodes} | -${percent(m.cut)} / +${percent(m.overhead)} | -${percent(m.boundCut)} | ${fengHuang(m)} |`;
  });
  const exact = (data.zoo as Loose[]).filter((row) => row.status === "optimal");
  const small = (data.small as Loose[]).map(
    (row) =>
      `${row.optimal}/${row.count} ${row.family} (mean excess peak ${percent(row.meanExcess)}, mean lower-bound gap ${percent(row.meanBoundGap)})`,
  );
  return [
    `Measured on ${measuredOn(graphMincutEnvironment(data), data.load?.end)} (\`bench/graph-mincut.ts\`).`,
    "",
    "| network | nodes | remat cut / time overhead | deepest cut the bound allows | Feng & Huang report |",
    "| --- | ---: | --- | --- | --- |",
    ...rows,
    "",
    `Proven optimal (\`optimal\`) on ${exact.length} of the ${(data.zoo as Loose[]).length} shipped op-level instances: ${exact.map((row) => `${row.instance} (${row.method})`).join(", ")}. ` +
      `Against the exact answer on small random DAGs, the general search (enumeration and decomposition off) is optimal on ${small.join(" and on ")}.`,
  ].join("\n");
}

/** Budgets shown per network in the README (the full grid is in bench/results/graph-mincut.md). */
const TIME_ROWS: Readonly<Record<string, readonly number[]>> = {
  "resnet-50": [40, 50, 70],
  "densenet-121": [30, 50],
  "mobilenet-v2": [50],
  "inception-v3": [30, 50],
};

/** The time objective's overhead against Chen's baselines, the solve times and the long inputs. */
function graphMincutTime(): string {
  const data = results("graph-mincut");
  const rows = (data.quality as Loose[]).flatMap((q) =>
    (q.budgets as Loose[])
      .filter((b) => (TIME_ROWS[q.zoo] ?? []).includes(b.percent))
      .map(
        (b) =>
          `| ${NETWORK[q.zoo] ?? q.zoo} | ${b.percent}% | ${percent(b["graph-mincut"])} | ${percent(b["chen-sqrt"])} | ${percent(b["chen-greedy"])} |`,
      ),
  );
  const speed = (data.speed as Loose[]).map(
    (row) => `${row.instance} (${row.nodes} nodes, ${row.objective}) ${seconds(row.medianMs)}`,
  );
  const long = data.long as Loose[];
  const worst = long.reduce((a, b) => (b.overrunSec > a.overrunSec ? b : a));
  const failed = long.filter((row) => row.error !== null && row.error !== undefined);
  return [
    "| network | budget | graph-mincut | chen-sqrt | chen-greedy |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    `Solve times (\`solve()\` wall time, median of the runs; ${measuredOn(graphMincutEnvironment(data), data.load?.end)}): ${speed.join("; ")}.`,
    `Under time limits of ${[...new Set(long.map((row) => row.limitSec))].join(" s and ")} s on ${sizesByFamily(long)}: ` +
      `${long.length - failed.length} of ${long.length} runs answered or timed out with a schedule; worst overrun of \`solve()\` ${worst.overrunSec.toFixed(2)} s (${worst.family} of ${worst.size}, limit ${worst.limitSec} s), peak RSS at most ${Math.max(...long.map((row) => row.peakRssMb)).toFixed(0)} MB.`,
  ].join("\n");
}

/** `chains of 1000, 5000 nodes; layered DAGs of 5000 nodes` from rows with `family` and `size`. */
function sizesByFamily(rows: readonly Loose[]): string {
  const families = new Map<string, number[]>();
  for (const row of rows)
    families.set(row.family, [...new Set([...(families.get(row.family) ?? []), row.size])]);
  const words: Readonly<Record<string, string>> = {
    chain: "chains",
    dag: "layered DAGs",
    homogeneous: "homogeneous chains",
  };
  return [...families]
    .map(([family, sizes]) => `${words[family] ?? family} of ${sizes.join(", ")} nodes`)
    .join("; ");
}

/** chain-dp's speed table, its target cell, and revolve against chain-dp. */
function chainDpSpeed(): string {
  const data = results("chain-dp");
  const cells = data.cells as Loose[];
  const target = cells.find((cell) => cell.L === 200 && cell.S === 500);
  const rows = cells.map(
    (c) =>
      `| ${c.L} | ${c.S} | ${c.budgetPercent.toFixed(0)}% | ${c.status} | ${percent(c.overhead)} | ${c.entries} | ${c.candidates} | ${ms(c.medianMs)} | ${ms(c.minMs)} | ${ms(c.maxMs)} | ${c.runs} |`,
  );
  const revolve = (data.revolve as Loose[]).map(
    (r) =>
      `| ${r.n} | ${r.budgetBytes} | ${r.snapshots} | ${percent(r.revolveOverhead)} | ${percent(r.chainDpOverhead)} | ${ms(r.revolveMs)} |`,
  );
  return [
    `Random chains \`randomChain(1, L)\` at ${data.budgetPercent}% of the store-all peak (or the least budget chain-dp accepts, when larger); ${measuredOn(data.environment)}; wall time of \`solveChainDp\`, ${data.warmup} checked warm-up solve then the median of ${data.runs}.` +
      (target === undefined ? "" : ` Target L = 200 at S = 500 under 1 s: **${ms(target.medianMs)} ms**.`),
    "",
    "| L | S | budget | status | overhead | table entries | candidates | median ms | min ms | max ms | runs |",
    "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    "revolve on homogeneous chains (fwd 1, bwd 2, 100 bytes each), budget 40% of store-all or revolve's least, when larger:",
    "",
    "| n | budget bytes | snapshots | revolve overhead | chain-dp overhead (S = 500) | revolve ms |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ...revolve,
  ].join("\n");
}

/** Every solver under time limits on long inputs (bench/time-limits.ts). */
function timeLimits(): string {
  const data = results("time-limits");
  const rows = data.rows as Loose[];
  const bySolver = new Map<string, Loose[]>();
  for (const row of rows) bySolver.set(row.solver, [...(bySolver.get(row.solver) ?? []), row]);
  const lines = [...bySolver].map(([solver, list]) => {
    const statuses = [...new Set(list.map((row) => row.status))].join(", ");
    const worst = Math.max(0, ...list.map((row) => row.overrunMs ?? 0));
    const worstSolver = Math.max(0, ...list.map((row) => row.solverOverrunMs ?? 0));
    const rss = Math.max(...list.map((row) => row.maxRssMiB ?? 0));
    return `| ${solver} | ${list.length} | ${statuses} | ${worstSolver.toFixed(0)} | ${worst.toFixed(0)} | ${rss} |`;
  });
  return [
    `Every solver at ${data.budget} of the store-all peak, limits ${[...new Set(rows.map((row) => row.limitSec))].join(" s and ")} s, on ${sizesByFamily(rows)} (one child process per solve; ${measuredOn(data.environment)}). ` +
      `Crashes, hangs or errors: ${data.broken}. Worst overrun: ${data.worstSolverOverrunMs.toFixed(0)} ms for a solver, ${data.worstOverrunMs.toFixed(0)} ms for \`solve()\` (which checks the answer's schedule with one more evaluation after the solver returns).`,
    "",
    "| solver | runs | statuses | worst solver overrun ms | worst solve() overrun ms | peak RSS MiB |",
    "| --- | ---: | --- | ---: | ---: | ---: |",
    ...lines,
  ].join("\n");
}

/** The evaluator's speed (benchmark.js) and the schedule builders' (bench/schedule-build.ts). */
function evaluatorSpeed(): string {
  const data = results("evaluator");
  const builds = results("schedule-build");
  const rows = (data.rows as Loose[]).map(
    (r) =>
      `| ${r.case} | ${r.nodes} | ${r.instructions} | ${r.meanMs.toFixed(2)} (± ${r.rmePercent.toFixed(1)}%) | ${r.samples} | < ${r.targetMs} ms: ${r.meetsTarget ? "met" : "missed"} |`,
  );
  const buildRows = (builds.rows as Loose[]).map(
    (r) =>
      `| ${r.case} | ${r.nodes} | ${r.instructions} | ${ms(r.totalMedianMs)} | ${r.maxRssMiB.toFixed(0)} |`,
  );
  return [
    `${measuredOn(data.environment)}.`,
    "",
    "| schedule | nodes | instructions | mean ms (± rme) | samples | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
    `Building and evaluating schedules (\`bench/schedule-build.ts\`; ${measuredOn(builds.environment)}, load ${builds.loadAverage}):`,
    "",
    "| case | nodes | instructions | build + evaluate ms (median) | peak RSS MiB |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...buildRows,
  ].join("\n");
}

/** The simulator against the cost model on real kernels (bench/fidelity.ts): exact counts and makespan errors. */
function fidelity(): string {
  const data = results("fidelity");
  const summary = data.summary;
  const rounds = data.rounds as Loose[];
  const rows = data.rows as Loose[];
  const schedules = new Map<string, Loose[]>();
  for (const row of rows) {
    const key = `| ${String(row.model).split(" ")[0]} | ${row.solver} | ${row.budget} |`;
    schedules.set(key, [...(schedules.get(key) ?? []), row]);
  }
  const signed = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  const table = [...schedules].map(
    ([key, list]) => `${key} ${list.map((row) => signed(row.makespanError)).join(" | ")} |`,
  );
  const loads = rounds.map((r) => `${r.loadBefore.toFixed(2)}-${r.loadAfter.toFixed(2)}`).join(", ");
  return [
    `${measuredOn(data.environment)}; ${rounds.length} rounds, each profiling every model anew (load before-after per round: ${loads}).`,
    "",
    `Of ${summary.schedules} simulated schedules: parameter gradients equal plain backprop's on ${summary.gradientsMatch}, the bytes TensorFlow.js held equal the evaluator's timeline after every instruction on ${summary.memoryMatches}, measured peak equals the predicted peak (without modelled op temporaries) to the byte on ${summary.peaksEqual}. ` +
      `Makespan: ${summary.within} of ${summary.schedules} within ${summary.withinFraction * 100}% of the prediction (errors ${signed(summary.minError)} to ${signed(summary.maxError)}, median |error| ${(summary.medianAbsError * 100).toFixed(1)}%); per round ${rounds.map((r) => `${r.within} of ${r.schedules}`).join(", ")}.`,
    "",
    `| model | solver | budget | ${rounds.map((r) => `error, round ${r.round}`).join(" | ")} |`,
    `| --- | --- | --- | ${rounds.map(() => "---:").join(" | ")} |`,
    ...table,
  ].join("\n");
}

/** The commands of one solver's solve and simulate, out of the loop transcript. */
function loopSteps(lines: readonly string[], solver: string): string[] {
  const starts = lines.flatMap((line, index) => (line.startsWith("$ ") ? [index] : []));
  return starts.flatMap((start, i) => {
    const step = lines.slice(start, starts[i + 1] ?? lines.length);
    const command = step[0] ?? "";
    if (command.startsWith("$ remat profile")) return solver === "" ? step : [];
    if (solver === "" || !command.includes(`${solver}.json`)) return [];
    if (command.startsWith("$ remat solve"))
      return step.filter((line, k) => k === 0 || /^(status|makespan|peak) /.test(line));
    return step;
  });
}

/** The profile -> solve -> simulate loop, abridged from bench/results/loop.json: the profile and chen-sqrt. */
function loop(): string {
  const data = results("loop");
  const lines = String(data.transcript).split("\n");
  return [
    `Abridged from \`bench/results/loop.md\` (${measuredOn({ ...data.environment, loadAverage: undefined })}, load average ${data.load.before.toFixed(2)} to ${data.load.after.toFixed(2)}):`,
    "",
    "```console",
    ...loopSteps(lines, ""),
    ...loopSteps(lines, "chen-sqrt"),
    "```",
  ].join("\n");
}

/** The least overhead among `cells` (null when none is feasible), with the solver that reached it. */
function leastOverhead(cells: readonly Loose[]): { overhead: number; solver: string } | null {
  const feasible = cells.filter((cell) => cell.overhead !== null && cell.overhead !== undefined);
  if (feasible.length === 0) return null;
  const best = feasible.reduce((a, b) => (b.overhead < a.overhead ? b : a));
  return { overhead: best.overhead, solver: best.solver };
}

/** Cells of one instance, link and budget, split into offload and recomputation methods. */
function offloadGroups(cells: readonly Loose[]): Map<string, { offload: Loose[]; recompute: Loose[] }> {
  const groups = new Map<string, { offload: Loose[]; recompute: Loose[] }>();
  for (const cell of cells) {
    const key = `${cell.network}-${cell.level}|${cell.link}|${cell.budgetPercent}`;
    const group = groups.get(key) ?? { offload: [], recompute: [] };
    groups.set(key, group);
    (String(cell.solver).startsWith("offload-") ? group.offload : group.recompute).push(cell);
  }
  return groups;
}

/** Offloading against recomputation on the zoo's networks, the heuristics' speed and the MILP's reach. */
function offload(): string {
  const data = results("offload");
  const groups = offloadGroups(data.cells as Loose[]);
  const budgets = [...new Set((data.cells as Loose[]).map((cell) => cell.budgetPercent as number))];
  const instances = [...new Set((data.cells as Loose[]).map((cell) => `${cell.network}-${cell.level}`))];
  const cellText = (instance: string, link: string, budget: number) => {
    const group = groups.get(`${instance}|${link}|${budget}`);
    const off = leastOverhead(group?.offload ?? []);
    const re = leastOverhead(group?.recompute ?? []);
    const text = (x: { overhead: number } | null) => (x === null ? "-" : percent(x.overhead, 0));
    return `${text(off)} / ${text(re)}`;
  };
  const wins = (link: string) =>
    [...groups.entries()].filter(([key, group]) => {
      if (!key.includes(`|${link}|`)) return false;
      const off = leastOverhead(group.offload);
      const re = leastOverhead(group.recompute);
      return off !== null && (re === null || off.overhead < re.overhead);
    }).length;
  const speed = (data.speed as Loose[]).map((r) => `${r.solver} ${ms(r.medianMs)} ms`).join(", ");
  const scaling = data.scaling as Loose[];
  const reach = [...new Set(scaling.map((r) => r.budget as string))].flatMap((budget) =>
    ["highs", "glpk"].map((lp) => {
      const rows = scaling.filter((r) => r.lp === lp && r.budget === budget);
      const proven = rows.filter((r) => r.status === "optimal");
      const stopped = rows.find((r) => r.status === "timeout" || r.status === "feasible");
      const longest = proven.length === 0 ? "none" : `${Math.max(...proven.map((r) => r.length))} stages`;
      const stop =
        stopped === undefined
          ? ""
          : ` (${stopped.length} stages: ${stopped.status} at ${seconds(stopped.ms)}, ${percent(stopped.makespanMs / stopped.lowerBoundMs - 1)} above its bound)`;
      return `${lp} at ${budget}: ${longest}${stop}`;
    }),
  );
  return [
    `Measured on ${measuredOn(data.environment)} (\`bench/offload.ts\`; full grid with every method, its gap to the best offload bound and its solve time in \`bench/results/offload.md\`).`,
    "Least overhead of an offload method / of recomputation (graph-mincut, chain-dp on chains), over PCIe 4.0 (`pcie4`); `-`: no schedule fits:",
    "",
    `| instance | ${budgets.map((b) => `${b}%`).join(" | ")} |`,
    `| --- | ${budgets.map(() => "---:").join(" | ")} |`,
    ...instances.map(
      (instance) => `| ${instance} | ${budgets.map((b) => cellText(instance, "pcie4", b)).join(" | ")} |`,
    ),
    "",
    `Offloading beats recomputation (or fits where recomputation cannot) at ${wins("pcie4")} of ${instances.length * budgets.length} (instance, budget) pairs over PCIe 4.0 and ${wins("usb2-flash")} over \`usb2-flash\`. ` +
      `Heuristics on a ${(data.speed as Loose[])[0]?.nodes}-node layered DAG: ${speed}. ` +
      `Longest random chain (over a link slower than its compute, 1 byte/ms) offload-milp proves optimal within 60 s: ${reach.join("; ")}.`,
  ].join("\n");
}

/** One method's overhead in a graph-offload cell, or a dash. */
const overheadText = (cell: Loose) => (cell.overhead === null ? "-" : percent(cell.overhead, 0));

/** The graph-offload table of one link: per network and budget, graph-mincut / offload-only / graph-offload. */
function graphOffloadTable(cells: readonly Loose[], link: string): string[] {
  const budgets = [...new Set(cells.map((cell) => cell.budgetPercent as number))];
  const networks = [...new Set(cells.map((cell) => cell.network as string))];
  const cellText = (network: string, budget: number) => {
    const cell = cells.find((c) => c.network === network && c.link === link && c.budgetPercent === budget);
    return cell === undefined
      ? "?"
      : `${overheadText(cell.mincut)} / ${overheadText(cell.offloadOnly)} / **${overheadText(cell.graphOffload)}**`;
  };
  return [
    `| ${link} | ${budgets.map((b) => `${b}%`).join(" | ")} |`,
    `| --- | ${budgets.map(() => "---:").join(" | ")} |`,
    ...networks.map((network) => `| ${network} | ${budgets.map((b) => cellText(network, b)).join(" | ")} |`),
  ];
}

/** Per network over one link: store-all's activation memory divided by the least reached under the cap. */
function graphOffloadMemory(least: readonly Loose[], link: string): string {
  const divided = (network: string, method: string) => {
    const row = least.find((r) => r.network === network && r.link === link && r.method === method);
    return row?.fraction === null || row?.fraction === undefined ? "-" : `/${(1 / row.fraction).toFixed(1)}`;
  };
  const networks = [...new Set(least.map((r) => r.network as string))];
  return networks
    .map(
      (n) =>
        `${n} ${divided(n, "graphOffload")} (graph-mincut ${divided(n, "mincut")}, offload-only ${divided(n, "offloadOnly")})`,
    )
    .join("; ");
}

/** Recomputation and offloading combined on the zoo's op graphs (bench/graph-offload.ts). */
function graphOffload(): string {
  const data = results("graph-offload");
  const cells = data.cells as Loose[];
  const cap = percent(data.overheadCap, 0);
  const share = (data.share as Loose[])
    .map(
      (r) => `${r.link}: mean ${percent(r.mean, 0)}, median ${percent(r.median, 0)} over ${r.pairs} budgets`,
    )
    .join("; ");
  return [
    `Measured on ${measuredOn(data.environment, data.loadAtEnd)} (\`bench/graph-offload.ts\`, whole run ${seconds(data.totalMs)}; solve times and statuses in \`bench/results/graph-offload.md\`).`,
    "Overhead of graph-mincut (recomputation) / the best offload-only schedule / **graph-offload** at each budget (percent of the store-all peak); `-`: no schedule fits:",
    "",
    ...graphOffloadTable(cells, "pcie4"),
    "",
    ...graphOffloadTable(cells, "usb2-flash"),
    "",
    `Store-all's activation memory divided by the least any budget of the grid reached under ${cap} overhead, over PCIe 4.0: ${graphOffloadMemory(data.least, "pcie4")}. Over \`usb2-flash\`: ${graphOffloadMemory(data.least, "usb2-flash")}.`,
    `Share of graph-mincut's overhead that graph-offload removes (POFO reports about a third on chains): ${share}.`,
  ].join("\n");
}

/** The MILP family: the ladder each backend proves within its limit, the LP bound's time, certified gaps. */
function milpBlock(): string {
  const data = results("milp");
  const ladder = data.ladder as Loose[];
  const reach = ["highs", "glpk"].map((lp) => {
    const rows = ladder.filter((r) => r.lp === lp);
    const proven = rows.filter((r) => r.status === "optimal");
    const largest = proven.length === 0 ? "none" : `${Math.max(...proven.map((r) => r.nodes))} nodes`;
    const stopped = rows.find((r) => r.status !== "optimal" && r.status !== "infeasible");
    const stop =
      stopped === undefined
        ? ""
        : ` (${stopped.instance}, ${stopped.nodes} nodes: ${stopped.status} at ${seconds(stopped.ms)})`;
    const times = proven.map((r) => `${r.nodes} nodes in ${seconds(r.ms)}`).join(", ");
    return `${lp}: ${largest}${stop}${times === "" ? "" : `; proven: ${times}`}`;
  });
  const lp = (data.lp as Loose[]).map((r) => `${r.nodes} nodes ${seconds(r.ms)} (${r.status})`).join(", ");
  const gaps = data.gaps as Loose[];
  const budgets = [...new Set(gaps.map((r) => r.budget as string))];
  const keys = [...new Set(gaps.map((r) => `${r.instance}|${r.solver}`))];
  const fits = (key: string) =>
    gaps.some((r) => `${r.instance}|${r.solver}` === key && r.makespanMs !== null);
  const rows = keys.filter(fits);
  const none = [...new Set(keys.filter((key) => !fits(key)).map((key) => key.split("|")[0]))];
  const cell = (key: string, budget: string) => {
    const [instance, solver] = key.split("|");
    const r = gaps.find((g) => g.instance === instance && g.solver === solver && g.budget === budget);
    if (r === undefined || r.makespanMs === null) return "-";
    return r.gap === null ? "no bound" : percent(r.gap, 2);
  };
  return [
    `Measured on ${measuredOn(data.environment, data.loadAverageEnd)} (\`bench/milp.ts\`; \`bench/results/milp.md\`).`,
    `Largest zoo op graph \`milp\` proves optimal within ${data.ladderLimitSec} s at ${data.ladderBudget} of the store-all peak, per backend: ${reach.join("; ")}.`,
    `LP bound (the relaxation at the budget) on random layered DAGs: ${lp}.`,
    `Checkmate's published times (Gurobi, 24 threads): ${(data.checkmate as string[]).join("; ")}.`,
    "",
    "Certified gap of the fast solvers' answers: makespan over the stage-grid LP bound, minus one (`-`: no schedule fits):",
    "",
    `| instance | solver | ${budgets.join(" | ")} |`,
    `| --- | --- | ${budgets.map(() => "---:").join(" | ")} |`,
    ...rows.map(
      (key) => `| ${key.split("|").join(" | ")} | ${budgets.map((b) => cell(key, b)).join(" | ")} |`,
    ),
    "",
    `No schedule fits at these budgets on ${none.join(", ")}.`,
  ].join("\n");
}

/** Every generated block by name, with the results file it reads. */
export const BLOCKS: Readonly<Record<string, { readonly from: string; readonly render: () => string }>> = {
  "graph-mincut-memory": { from: "graph-mincut", render: graphMincutMemory },
  "graph-mincut-time": { from: "graph-mincut", render: graphMincutTime },
  "chain-dp-speed": { from: "chain-dp", render: chainDpSpeed },
  "time-limits": { from: "time-limits", render: timeLimits },
  "evaluator-speed": { from: "evaluator", render: evaluatorSpeed },
  fidelity: { from: "fidelity", render: fidelity },
  loop: { from: "loop", render: loop },
  offload: { from: "offload", render: offload },
  pofo: { from: "pofo", render: () => renderPofo(pofoResults(), measuredOn) },
  "graph-offload": { from: "graph-offload", render: graphOffload },
  milp: { from: "milp", render: milpBlock },
  fit: { from: "fit", render: () => renderFit(results("fit"), measuredOn) },
  regression: { from: "regression", render: () => renderRegression(results("regression"), measuredOn) },
  "batch-zoo": { from: "batch-zoo", render: () => renderBatch(batchResults(), measuredOn) },
  pipeline: { from: "pipeline", render: () => renderPipeline(results("pipeline"), measuredOn) },
  "pipeline-elf": { from: "pipeline-elf", render: () => renderElf(results("pipeline-elf"), measuredOn) },
  "milp-scale": { from: "milp-scale", render: () => renderMilpScale(milpScaleResults(), measuredOn) },
  sohoni: { from: "sohoni", render: () => renderSohoni(results("sohoni"), measuredOn) },
  storage: { from: "storage", render: () => renderStorage(storageResults(), measuredOn) },
};

/** The opening marker of block `name`. */
export function openMarker(name: string): string {
  const block = BLOCKS[name];
  return `<!-- generated: ${name} (by bench/readme.ts from bench/results/${block?.from}.json; do not edit by hand) -->`;
}

/** The closing marker of block `name`. */
export function closeMarker(name: string): string {
  return `<!-- end: ${name} -->`;
}

/** `readme` with every block replaced by its rendering. @throws Error when a block's markers are missing */
export function withBlocks(readme: string): string {
  let text = readme;
  for (const [name, block] of Object.entries(BLOCKS)) {
    const open = openMarker(name);
    const close = closeMarker(name);
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README.md lacks the markers of block ${name}`);
    text = `${text.slice(0, start + open.length)}\n${block.render()}\n${text.slice(end)}`;
  }
  return text;
}
