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
import type { Instance } from "../instance/types.js";
import { zooDensities, zooWithStorage } from "../zoo/densities.js";
import { toInstance } from "../zoo/level.js";
import { zooModel } from "../zoo/registry.js";
import { nondecreasing } from "./monotone.js";
import { notAccepted, solveProbe, stepProbe } from "./probe.js";
import { largestPassing } from "./search.js";
import { solveWithStorage, storageNote, storageWords } from "./storage.js";
import type { FitLevel, FitOptions, FitReport, FitRow, FitSolve } from "./types.js";

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
