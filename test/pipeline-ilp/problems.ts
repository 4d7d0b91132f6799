/** Random small pipeline problems for pipeline-ilp's tests, built through the public constructors. */
import { fc } from "@fast-check/vitest";
import { parseInstance } from "../../src/instance/parse.js";
import { pipelineProblem } from "../../src/pipeline/problem.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";
import { pipelineUnits } from "../../src/pipeline/units.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { buildDag, dagArb } from "../graph/dags.js";

/** A chain of `layers` after the input, with state bytes `fixedBytes` (split over the nodes by time). */
export function testChain(
  layers: readonly { fwd: number; bwd: number; bytes: number; tapeBytes: number }[],
  fixedBytes: number,
) {
  const nodes = [{ id: "x", fwd: 0, bwd: 0, bytes: 40, recomputable: false }];
  layers.forEach((layer, i) => {
    nodes.push({ id: `l${i}`, ...layer, inputs: [i === 0 ? "x" : `l${i - 1}`] } as never);
  });
  return parseInstance({ format: "remat-instance/1", name: "ilp-chain", source: "test", fixedBytes, nodes });
}

const layer = fc.record({
  fwd: fc.integer({ min: 1, max: 9 }),
  bwd: fc.integer({ min: 1, max: 15 }),
  bytes: fc.integer({ min: 1, max: 90 }),
  tapeBytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
});

/**
 * A problem on a chain of `minLayers..maxLayers` layers: 1..3 devices, GPipe or 1F1B, 1..4 micro-batches,
 * a free link or one with a bandwidth and a latency, and a memory from 40% to 300% of the single-device
 * store-all peak.
 */
export function smallProblem(minLayers: number, maxLayers: number): fc.Arbitrary<PipelineProblem> {
  return fc
    .record({
      layers: fc.array(layer, { minLength: minLayers, maxLength: maxLayers }),
      fixedBytes: fc.integer({ min: 0, max: 200 }),
      devices: fc.integer({ min: 1, max: 3 }),
      schedule: fc.constantFrom("gpipe", "1f1b"),
      microbatches: fc.integer({ min: 1, max: 4 }),
      link: fc.oneof(
        fc.constant(undefined),
        fc.record({
          bandwidth: fc.integer({ min: 5, max: 50 }),
          latency: fc.double({ min: 0, max: 2, noNaN: true }),
        }),
      ),
      memory: fc.integer({ min: 40, max: 300 }),
    })
    .map(({ layers, fixedBytes, devices, schedule, microbatches, link, memory }) => {
      const instance = testChain(layers, fixedBytes);
      const peak = storeAllEvaluation(instance).peakBytes;
      return pipelineProblem(instance, {
        devices: Math.min(devices, layers.length),
        memory: Math.floor((peak * memory) / 100),
        microbatches,
        schedule,
        ...(link === undefined ? {} : { link }),
      });
    });
}

/**
 * A problem on a small random DAG (test/graph/dags.ts: skips, labels, tapes, nodes that may not be
 * recomputed) with up to `maxNodes` nodes after the input, cut at its cut points: settings as
 * `smallProblem`'s.
 */
export function smallDagProblem(maxNodes: number): fc.Arbitrary<PipelineProblem> {
  return fc
    .record({
      dag: dagArb(maxNodes),
      devices: fc.integer({ min: 1, max: 3 }),
      schedule: fc.constantFrom("gpipe", "1f1b"),
      microbatches: fc.integer({ min: 1, max: 4 }),
      memory: fc.integer({ min: 40, max: 300 }),
    })
    .map(({ dag, devices, schedule, microbatches, memory }) => {
      const instance = buildDag(dag, "ilp-dag");
      const peak = storeAllEvaluation(instance).peakBytes;
      return pipelineProblem(instance, {
        devices: Math.min(devices, pipelineUnits(instance).count),
        memory: Math.floor((peak * memory) / 100),
        microbatches,
        schedule,
      });
    });
}
