/**
 * Pipelines on op-level graphs (issue 18 item 1; proofs/pipeline-model.md, "Stages"): a graph is cut
 * only at its cut points, into units (src/pipeline/units.ts) checked here against a brute-force
 * definition; stage sub-instances add up to the graph; the evaluator refuses a stage ending inside a
 * block; every solver's plan is valid and fits; pipeline-dp equals an exhaustive search over the
 * partitions at cut points; more memory never hurts; and a real op graph is planned end to end.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solvePipeline } from "../../solvers/pipeline/solve.js";
import { StageMenu } from "../../solvers/pipeline/stage-menu.js";
import { graphOf } from "../../src/instance/graph.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { evaluatePipeline, stageStateBytes } from "../../src/pipeline/evaluate.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import type { PipelineProblem, PipelineScheduleKind } from "../../src/pipeline/types.js";
import { pipelineUnits, stageMembers } from "../../src/pipeline/units.js";
import { storeAllEvaluation, storeAllSchedule } from "../../src/schedule/builders.js";
import { NO_DEADLINE } from "../../src/time-limit.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { buildDag, dagArb } from "../graph/dags.js";
import { problem, storeAllPlan } from "./chains.js";
import { expectExhaustiveOptimum, expectNoWorseWithMoreMemory, expectSolversValid } from "./dp-checks.js";
import { partitions } from "./partitions.js";

const kinds: PipelineScheduleKind[] = ["gpipe", "1f1b"];
const LINK = { bandwidth: 50, latency: 0.5 };
const options = { slots: 40, checkpointing: true, timeLimitSec: Number.POSITIVE_INFINITY };

/** A small random DAG with a memory between 20% and 150% of its store-all peak. */
const setting = fc.record({
  dag: dagArb(7),
  devices: fc.integer({ min: 1, max: 4 }),
  microbatches: fc.integer({ min: 1, max: 4 }),
  percent: fc.integer({ min: 20, max: 150 }),
  kind: fc.constantFrom(...kinds),
  link: fc.boolean(),
});

type Setting = typeof setting extends fc.Arbitrary<infer T> ? T : never;

function problemOf(s: Setting, percent = s.percent): PipelineProblem {
  const instance = buildDag(s.dag);
  return problem(instance, {
    devices: Math.min(s.devices, pipelineUnits(instance).count),
    memory: `${percent}%`,
    microbatches: s.microbatches,
    schedule: s.kind,
    ...(s.link ? { link: LINK } : {}),
  });
}

/**
 * Brute force: a non-source c is a cut point when no edge jumps over it from a non-source and no
 * source is read both at or before c and after it.
 */
function isCutPoint(instance: Instance, c: number): boolean {
  const g = graphOf(instance);
  if (g.isSource[c] === 1) return false;
  for (let u = 0; u < g.size; u++) {
    const readers = g.consumers[u] as readonly number[];
    if (g.isSource[u] === 0 && u < c && readers.some((w) => w > c)) return false;
    if (g.isSource[u] === 1 && readers.some((w) => w <= c) && readers.some((w) => w > c)) return false;
  }
  return true;
}

const skipDag = parseInstance(JSON.parse(readFileSync("instances/examples/skip-dag.json", "utf8")));

describe("pipelines on op-level graphs", () => {
  it("cut a graph into units that end exactly at its cut points, each source beside its readers", () => {
    fc.assert(
      fc.property(dagArb(9), (spec) => {
        const instance = buildDag(spec);
        const g = graphOf(instance);
        const units = pipelineUnits(instance);
        const brute = Array.from({ length: g.size }, (_, c) => c).filter((c) => isCutPoint(instance, c));
        expect(units.ends).toEqual(brute);
        expect(units.ends[units.ends.length - 1]).toBe(g.loss);
        for (let v = 0; v < g.size; v++) {
          const u = units.unitOf[v] as number;
          expect(u).toBeGreaterThanOrEqual(1);
          if (g.isSource[v] === 0) expect(v).toBeLessThanOrEqual(units.ends[u - 1] as number);
          for (const w of g.consumers[v] as readonly number[])
            if (g.isSource[v] === 1) expect(units.unitOf[w]).toBe(u);
            else expect(units.unitOf[w]).toBeGreaterThanOrEqual(u);
        }
      }),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  it("give a chain one unit per node after its input", () => {
    const chain = parseInstance(
      JSON.parse(readFileSync("instances/zoo/resnet-50-b32-224-block.json", "utf8")),
    );
    const units = pipelineUnits(chain);
    expect(units.ends).toEqual(Array.from({ length: chain.nodes.length - 1 }, (_, i) => i + 1));
  });

  it("build stage sub-instances that hold every node once and add up to the graph's work and state", () => {
    fc.assert(
      fc.property(setting, fc.nat(), (s, pick) => {
        const p = problemOf(s, 1000);
        const all = [...partitions(p, p.devices)];
        const ends = all[pick % all.length] as number[];
        const plan = storeAllPlan(p, ends.slice(0, -1));
        const seen = new Set<number>();
        let work = 0;
        let state = 0;
        for (const stage of plan.stages) {
          for (const v of stageMembers(p.instance, stage.first, stage.last)) {
            expect(seen.has(v)).toBe(false);
            seen.add(v);
            work += (p.instance.nodes[v]?.fwd ?? 0) + (p.instance.nodes[v]?.bwd ?? 0);
          }
          state += stageStateBytes(p, stage);
          const sub = stageInstance(p.instance, stage.first, stage.last, stageStateBytes(p, stage));
          expect(storeAllEvaluation(sub).valid).toBe(true);
        }
        expect(seen.size).toBe(p.instance.nodes.length);
        const total = p.instance.nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);
        expect(work).toBeCloseTo(total, 9);
        expect(state).toBe(p.instance.fixedBytes);
        const evaluation = evaluatePipeline(p, plan);
        expect(evaluation.valid).toBe(true);
      }),
      { seed: PROPERTY_SEED, numRuns: 80 },
    );
  });

  it("refuse a stage that ends inside a block, naming its path and the cut points", () => {
    // skip-dag: x, c1, r1, c2, add(c2, r1), loss; c2 is not a cut point (r1 is read after it)
    const p = problem(skipDag, { devices: 2 });
    const first = stageInstance(skipDag, 1, 2, stageStateBytes(p, { first: 1, last: 2 }));
    expect(pipelineUnits(skipDag).ends).toEqual([1, 2, 4, 5]);
    const evaluation = evaluatePipeline(p, {
      stages: [
        { first: 1, last: 3, schedule: storeAllSchedule(first) },
        { first: 4, last: 5, schedule: [] },
      ],
    });
    expect(evaluation.valid).toBe(false);
    if (evaluation.valid) return;
    const issue = evaluation.issues.find((i) => i.path === "stages[0].last");
    expect(issue?.expected).toContain("cut point");
    expect(issue?.expected).toContain("1, 2, 4, 5");
    expect(() => stageInstance(skipDag, 1, 3, 0)).toThrow(/cut point/);
  });

  it("return, from every solver, plans the evaluator finds valid and within every device's memory", () => {
    fc.assert(
      fc.property(setting, (s) => expectSolversValid(problemOf(s), s.link ? LINK : undefined)),
      { seed: PROPERTY_SEED, numRuns: 40 },
    );
  });

  it("give pipeline-dp the least (period, latency) of an exhaustive search over partitions at cut points", () => {
    fc.assert(
      fc.property(setting, (s) => expectExhaustiveOptimum(problemOf(s))),
      { seed: PROPERTY_SEED, numRuns: 60 },
    );
  });

  it("never make pipeline-dp's (period, latency) worse with more memory", () => {
    fc.assert(
      fc.property(setting, fc.integer({ min: 1, max: 80 }), (s, more) =>
        expectNoWorseWithMoreMemory(problemOf(s), problemOf(s, s.percent + more)),
      ),
      { seed: PROPERTY_SEED, numRuns: 40 },
    );
  });

  it("run a graph on one device as m single-device store-all runs back to back", () => {
    fc.assert(
      fc.property(setting, (s) => {
        const p = problemOf({ ...s, devices: 1 }, 1000);
        const single = storeAllEvaluation(p.instance);
        const result = solvePipeline(p.instance, {
          devices: 1,
          microbatches: s.microbatches,
          memory: "none",
          schedule: s.kind,
          solver: "pipeline-dp",
          checkpointing: false,
        });
        expect(result.plan?.stages.length).toBe(1);
        expect(result.evaluation?.stepMs).toBeCloseTo(s.microbatches * single.makespanMs, 9);
        // 1F1B holds one micro-batch at a time on a single device: the single-device peak exactly
        if (s.kind === "1f1b") expect(result.evaluation?.devices[0]?.peakBytes).toBe(single.peakBytes);
      }),
      { seed: PROPERTY_SEED, numRuns: 40 },
    );
  });

  it("plan ResNet-18's op graph on 4 devices with block checkpointing inside stages", () => {
    const instance = parseInstance(
      JSON.parse(readFileSync("instances/zoo/resnet-18-b32-224-op.json", "utf8")),
    );
    const run = (checkpointing: boolean) =>
      solvePipeline(instance, {
        devices: 4,
        memory: "60%",
        microbatches: 8,
        schedule: "1f1b",
        solver: "pipeline-dp",
        checkpointing,
      });
    const without = run(false);
    const withCheckpointing = run(true);
    expect(without.status).toBe("infeasible");
    expect(withCheckpointing.evaluation?.fits).toBe(true);
    const labels = withCheckpointing.plan?.stages.map((stage) => stage.last) ?? [];
    expect(labels.every((last) => (pipelineUnits(instance).endingAt[last] ?? 0) > 0)).toBe(true);
    expect(withCheckpointing.evaluation?.devices.some((d) => d.profile.recomputations > 0)).toBe(true);
    // the stage menu checkpoints whole blocks: chain-dp on the stage's block chain, kept bytes below store-all's
    const p = problem(instance, { devices: 4, memory: "60%", microbatches: 8 });
    const menu = new StageMenu(p, { ...options, deadline: NO_DEADLINE });
    const units = pipelineUnits(instance);
    const stage = menu.optionsOf(1, units.ends[7] as number);
    const storeAll = stage.find((option) => option.label === "store-all");
    const blocks = stage.filter((option) => option.label.startsWith("block-chain-dp@"));
    expect(blocks.length).toBeGreaterThan(1);
    const recomputing = blocks.filter((option) => option.profile.recomputations > 0);
    expect(recomputing.length).toBeGreaterThan(0);
    for (const option of recomputing)
      expect(option.profile.keptBytes).toBeLessThan(storeAll?.profile.keptBytes ?? 0);
  });
});
