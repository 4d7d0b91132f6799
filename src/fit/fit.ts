/**
 * The largest batch that fits (issue 15 item 1): for each solver, the largest batch size of a zoo
 * network whose plan the solver finds within a memory of M bytes (fixedBytes included), and within an
 * overhead cap when given. The zoo instance is regenerated at every batch size probed (bytes exact from
 * the shapes); the search is doubling then bisection (src/fit/search.ts), which assumes that a batch
 * fits when a larger one does. That assumption is checked where it is cheap: every size of every node
 * (and fixedBytes) must be nondecreasing in the batch across the probed instances, so that any fixed
 * schedule's peak is; a heuristic solver may still break it, which the probes recorded let one see.
 *
 * The solver runner is passed in (src/ does not import solvers/; src/index.ts binds `solve`).
 */
import { InputError } from "../errors.js";
import type { Accumulation } from "../evaluate/microbatch.js";
import type { Instance } from "../instance/types.js";
import type { SolveResult, SolveStatus } from "../solver.js";
import type { ZooConfig } from "../zoo/config.js";
import { zooDensities, zooWithStorage } from "../zoo/densities.js";
import type { Optimizer } from "../zoo/document.js";
import { toInstance } from "../zoo/level.js";
import { zooModel } from "../zoo/registry.js";
import { microbatchProbe } from "./microbatch-probe.js";
import { largestPassing, type Probe } from "./search.js";
import {
  type FitStorage,
  type FitStorageNote,
  solveWithStorage,
  storageNote,
  storageWords,
} from "./storage.js";

/** Runs one solver on one instance under a budget in bytes (the signature of remat's `solve`). */
export type FitSolve = (
  instance: Instance,
  options: {
    readonly solver: string;
    readonly budget: number;
    readonly timeLimitSec?: number;
    readonly storage?: readonly string[];
  },
) => Promise<SolveResult>;

/** The instance levels a fit may search: op-level DAGs, block-level chains. */
export type FitLevel = "op" | "block";

/** What to fit. */
export interface FitOptions {
  /** A zoo network (`remat zoo list`). */
  readonly model: string;
  /** Config keys other than the batch (input size, classes, ...); the rest take the model's defaults. */
  readonly config?: ZooConfig;
  /** The levels searched (default both): each solver runs on those it accepts. */
  readonly levels?: readonly FitLevel[];
  /** The optimizer whose state counts in fixedBytes (default sgd). */
  readonly optimizer?: Optimizer;
  /** The memory M, bytes, fixedBytes included. */
  readonly memoryBytes: number;
  readonly solvers: readonly string[];
  /** The largest overhead accepted (makespan / store-all makespan - 1), e.g. 0.5; default none. */
  readonly maxOverhead?: number;
  /** Per solve; an answer found before it counts. Default none (answers then do not depend on the clock). */
  readonly timeLimitSec?: number;
  /** The largest batch tried (default 65,536). */
  readonly maxBatch?: number;
  /**
   * Where the instance at each batch comes from (default: the zoo network regenerated at that batch).
   * `remat fit --batch-model` passes a profiled instance's prediction (src/batch-model/predict.ts).
   */
  readonly instanceAt?: (level: FitLevel, batch: number) => Instance;
  /**
   * Microbatching (src/fit/microbatch-probe.ts): k micro-batches per step (the batch then a multiple of
   * k), or `auto` (k chosen per batch among its divisors); default none.
   */
  readonly microbatches?: number | "auto";
  /** How micro-batch gradients are summed (default `in-place`; src/evaluate/microbatch.ts). */
  readonly accumulation?: Accumulation;
  /**
   * Storage modes the solvers may plan (`bitmap`, `bitmap,fp16`, ...; default none): the zoo instances
   * then carry the zoo's measured densities (src/fit/storage.ts); a solver that plans none of them is
   * not applicable.
   */
  readonly storage?: FitStorage;
}

/** One solve at one batch size. */
export interface FitProbeDetail {
  readonly status: SolveStatus;
  readonly peakBytes: number | null;
  readonly overhead: number | null;
  readonly solveMs: number;
  /** Why the probe failed: `infeasible`, `over the overhead cap`, or the solver's reason. */
  readonly why: string | null;
  /** With microbatching: the k of the step (null when none fits). */
  readonly microbatches?: number | null;
}

/** One solver at one level. */
export interface FitRow {
  readonly solver: string;
  readonly level: FitLevel;
  /** False when the solver does not accept the instance (then `reason` says why and batch is 0). */
  readonly applicable: boolean;
  readonly reason: string | null;
  /** The largest batch that fits (0 when batch 1 does not). */
  readonly batch: number;
  /** True when every batch probed up to maxBatch fit: the answer is at least `batch`. */
  readonly capped: boolean;
  /** The plan's figures at `batch` (null when batch is 0). */
  readonly peakBytes: number | null;
  readonly overhead: number | null;
  readonly solveMs: number | null;
  /** With microbatching: the k of the step at `batch` (null when none fits). */
  readonly microbatches?: number | null;
  /** The smallest batch probed that did not fit, and why. */
  readonly firstFailing: { readonly batch: number; readonly why: string } | null;
  readonly probes: readonly Probe<FitProbeDetail>[];
}

/** The answer of a fit. */
export interface FitReport {
  readonly model: string;
  /** The config at batch 1 (defaults filled in). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly optimizer: Optimizer;
  readonly memoryBytes: number;
  readonly maxOverhead: number | null;
  /** fixedBytes of the network (the same at every batch). */
  readonly fixedBytes: number;
  readonly rows: readonly FitRow[];
  /** Per level searched: whether every size was nondecreasing in the batch across the probed instances. */
  readonly sizesMonotone: Readonly<Partial<Record<FitLevel, boolean>>>;
  /** How the search works, in one sentence. */
  readonly search: string;
  /** The microbatching searched (absent: none). */
  readonly microbatches?: number | "auto";
  /** The storage modes the solvers were asked for, and where the densities come from (absent: none). */
  readonly storage?: FitStorageNote;
}

const SEARCH =
  "doubling from batch 1 until a batch does not fit, then bisection between the last that fit and the first that did not; assumes a batch fits when a larger one does";

const MICROBATCH_SEARCH =
  "with microbatching, each batch's step is planned as k micro-batches (k fixed: the batch is a multiple of k; auto: k among the batch's divisors, least step time); without an overhead cap every batch fits once batch 1 does, and with one the test is not monotone in the batch (src/fit/microbatch-probe.ts)";

/**
 * The largest batch per solver and level.
 * @throws InputError for an unknown model or config key (from the zoo), or a solver error other than
 *   the solver not accepting the instance (which makes the row not applicable)
 */
export async function fitBatches(options: FitOptions, plainSolve: FitSolve): Promise<FitReport> {
  const model = zooModel(options.model);
  const modes = storageWords(options.storage);
  const solve = solveWithStorage(plainSolve, modes);
  const zooTable = modes.length > 0 && options.instanceAt === undefined;
  const measuredAt = zooTable ? JSON.stringify(zooDensities(options.model).provenance.config) : "";
  const optimizer = options.optimizer ?? "sgd";
  const levels = options.levels ?? ["op", "block"];
  const maxBatch = options.maxBatch ?? 65_536;
  const instances = new Map<string, Instance>();
  const instanceAt = (level: FitLevel, batch: number): Instance => {
    const key = `${level}:${batch}`;
    let instance = instances.get(key);
    if (instance === undefined) {
      instance =
        options.instanceAt?.(level, batch) ??
        (zooTable ? zooWithStorage : toInstance)(model.build({ ...options.config, batch }), {
          level,
          optimizer,
          name: `${options.model}-b${batch}-${level}`,
        });
      instances.set(key, instance);
    }
    return instance;
  };
  const first = instanceAt(levels[0] ?? "op", 1);
  const rows: FitRow[] = [];
  for (const solver of options.solvers)
    for (const level of levels) rows.push(await fitOne(solver, level, options, maxBatch, instanceAt, solve));
  const sizesMonotone: Partial<Record<FitLevel, boolean>> = {};
  for (const level of levels) {
    const probed = [...instances.entries()]
      .filter(([key]) => key.startsWith(`${level}:`))
      .map(([key, instance]) => ({ batch: Number(key.slice(level.length + 1)), instance }))
      .sort((a, b) => a.batch - b.batch)
      .map((entry) => entry.instance);
    sizesMonotone[level] = nondecreasing(probed);
  }
  return {
    model: options.model,
    config: { ...model.build({ ...options.config, batch: 1 }).config },
    optimizer,
    memoryBytes: options.memoryBytes,
    maxOverhead: options.maxOverhead ?? null,
    fixedBytes: first.fixedBytes,
    rows,
    sizesMonotone,
    search: options.microbatches === undefined ? SEARCH : `${SEARCH}; ${MICROBATCH_SEARCH}`,
    ...(options.microbatches === undefined ? {} : { microbatches: options.microbatches }),
    ...(modes.length === 0 ? {} : { storage: storageNote(modes, zooTable, measuredAt) }),
  };
}

async function fitOne(
  solver: string,
  level: FitLevel,
  options: FitOptions,
  maxBatch: number,
  instanceAt: (level: FitLevel, batch: number) => Instance,
  solve: FitSolve,
): Promise<FitRow> {
  const empty = {
    batch: 0,
    capped: false,
    peakBytes: null,
    overhead: null,
    solveMs: null,
    firstFailing: null,
  };
  const scale = typeof options.microbatches === "number" ? options.microbatches : 1;
  try {
    const probeOne = { solver, level, options, instanceAt, solve };
    const searched = await largestPassing(
      (size) =>
        options.microbatches === undefined
          ? solveProbe(size * scale, probeOne)
          : stepProbe(size * scale, options.microbatches, probeOne),
      Math.max(1, Math.floor(maxBatch / scale)),
    );
    const outcome = {
      ...searched,
      batch: searched.batch * scale,
      probes: searched.probes.map((probe) => ({ ...probe, batch: probe.batch * scale })),
    };
    const found = outcome.probes.find((probe) => probe.batch === outcome.batch);
    const failing = outcome.probes.filter((probe) => !probe.passes).sort((a, b) => a.batch - b.batch)[0];
    return {
      solver,
      level,
      applicable: true,
      reason: null,
      ...empty,
      batch: outcome.batch,
      capped: outcome.capped,
      peakBytes: found?.detail.peakBytes ?? null,
      overhead: found?.detail.overhead ?? null,
      solveMs: found?.detail.solveMs ?? null,
      firstFailing: failing === undefined ? null : { batch: failing.batch, why: failing.detail.why ?? "" },
      ...(options.microbatches === undefined ? {} : { microbatches: found?.detail.microbatches ?? null }),
      probes: outcome.probes,
    };
  } catch (error) {
    const rejection = notAccepted(error);
    if (rejection === undefined) throw error;
    return { solver, level, applicable: false, reason: rejection, ...empty, probes: [] };
  }
}

/** What a probe of one solver at one level needs. */
interface ProbeSetting {
  readonly solver: string;
  readonly level: FitLevel;
  readonly options: FitOptions;
  readonly instanceAt: (level: FitLevel, batch: number) => Instance;
  readonly solve: FitSolve;
}

/** One solve at `batch`; a refusal past batch 1 is a failing probe. */
async function solveProbe(
  batch: number,
  { solver, level, options, instanceAt, solve }: ProbeSetting,
): Promise<{ passes: boolean; detail: FitProbeDetail }> {
  let result: SolveResult;
  try {
    result = await solve(instanceAt(level, batch), {
      solver,
      budget: options.memoryBytes,
      ...(options.timeLimitSec === undefined ? {} : { timeLimitSec: options.timeLimitSec }),
    });
  } catch (error) {
    const rejection = batch === 1 ? undefined : notAccepted(error);
    if (rejection === undefined) throw error;
    return { passes: false, detail: { ...REFUSED, why: `not accepted: ${rejection}` } };
  }
  const detail = probeDetail(result, options);
  return { passes: detail.why === null, detail };
}

/** The step of `batch` as micro-batches (src/fit/microbatch-probe.ts). */
async function stepProbe(
  batch: number,
  microbatches: number | "auto",
  { solver, level, options, instanceAt, solve }: ProbeSetting,
): Promise<{ passes: boolean; detail: FitProbeDetail }> {
  const probe = await microbatchProbe(batch, {
    solver,
    memoryBytes: options.memoryBytes,
    microbatches,
    ...(options.accumulation === undefined ? {} : { accumulation: options.accumulation }),
    ...(options.timeLimitSec === undefined ? {} : { timeLimitSec: options.timeLimitSec }),
    instanceAt: (b) => instanceAt(level, b),
    solve,
  });
  const fits = probe.microbatches !== null;
  const detail = {
    ...probeDetail({ ...probe, makespanMs: fits ? 0 : null, reason: null }, options),
    solveMs: probe.solveMs,
    microbatches: probe.microbatches,
  };
  return { passes: detail.why === null, detail };
}

/** A probe at which the solver refused the instance (only past batch 1: at 1 the row is not applicable). */
const REFUSED: FitProbeDetail = {
  status: "infeasible",
  peakBytes: null,
  overhead: null,
  solveMs: 0,
  why: null,
};

/** The figures of one solve, and why it does not fit (null when it does). */
function probeDetail(
  result: Pick<SolveResult, "status" | "peakBytes" | "overhead" | "makespanMs" | "reason"> & {
    readonly stats?: { readonly wallMs: number };
  },
  options: FitOptions,
): FitProbeDetail {
  const { status, peakBytes, overhead } = result;
  const fits = result.makespanMs !== null && peakBytes !== null && peakBytes <= options.memoryBytes;
  const why = !fits
    ? status === "infeasible"
      ? "infeasible"
      : (result.reason ?? status)
    : options.maxOverhead !== undefined && (overhead ?? 0) > options.maxOverhead
      ? "over the overhead cap"
      : null;
  return { status, peakBytes, overhead, solveMs: result.stats?.wallMs ?? 0, why };
}

/** The reason when `error` says the solver does not accept the instance (its class), else undefined. */
function notAccepted(error: unknown): string | undefined {
  if (!(error instanceof InputError)) return undefined;
  if (error.issues.length > 0 && error.issues.every((item) => item.path === "storage"))
    return error.issues.map((item) => item.received).join("; ");
  const issue = error.issues.find((item) => item.code === "structure" && item.path === "nodes");
  return issue === undefined || error.issues.length !== 1 ? undefined : issue.received;
}

const SIZE_FIELDS = ["bytes", "gradBytes", "tapeBytes", "fwdTemp", "bwdTemp"] as const;

/** Whether every size of every node, and fixedBytes, is nondecreasing along `instances` (same nodes). */
function nondecreasing(instances: readonly Instance[]): boolean {
  for (let k = 1; k < instances.length; k++)
    if (!grows(instances[k - 1] as Instance, instances[k] as Instance)) return false;
  return true;
}

/** Whether `after` has the nodes of `before`, none of their sizes (nor fixedBytes) smaller. */
function grows(before: Instance, after: Instance): boolean {
  if (after.fixedBytes < before.fixedBytes || after.nodes.length !== before.nodes.length) return false;
  return after.nodes.every((node, i) => {
    const old = before.nodes[i];
    return old !== undefined && old.id === node.id && SIZE_FIELDS.every((field) => node[field] >= old[field]);
  });
}
