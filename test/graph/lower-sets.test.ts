/**
 * Minimum lower sets (solvers/graph/lower-sets.ts; proofs/graph-mincut.md, "Lower sets"): the min-cut
 * construction returns a lower set between the forced and banned sets whose boundary is the least
 * over all such lower sets (brute force on small DAGs), and the sweep's sets are nested.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { lowerSetSweep, minimumLowerSet, nodeCapacities } from "../../solvers/graph/lower-sets.js";
import { randomLayeredDag, randomSeriesParallel } from "../../src/generate/families.js";
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";

const SEED = 20261122;
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const smallDag = fc.oneof(
  fc
    .tuple(seed, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }))
    .map(([s, layers, width]) => randomLayeredDag(s, layers, width)),
  fc.tuple(seed, fc.integer({ min: 2, max: 9 })).map(([s, size]) => randomSeriesParallel(s, size)),
);

function isLowerSet(g: InstanceGraph, members: Uint8Array): boolean {
  return members.every(
    (inside, v) => inside === 0 || (g.inputs[v] as number[]).every((u) => members[u] === 1),
  );
}

function boundaryBytes(g: InstanceGraph, members: Uint8Array): number {
  let total = 0;
  for (let u = 0; u < g.size; u++)
    if (members[u] === 1 && (g.consumers[u] as number[]).some((w) => members[w] === 0))
      total += g.bytes[u] as number;
  return total;
}

describe("minimumLowerSet", () => {
  test.prop([smallDag, fc.nat()], { seed: SEED, numRuns: 200 })(
    "returns the least-boundary lower set between a forced prefix and the loss (brute force)",
    (instance, cut) => {
      const g = graphOf(instance);
      const p = cut % g.loss;
      const forced = Uint8Array.from({ length: g.size }, (_, v) => (v <= p ? 1 : 0));
      const banned = Uint8Array.from({ length: g.size }, (_, v) => (v === g.loss ? 1 : 0));
      const set = minimumLowerSet(g, nodeCapacities(g, 0), forced, banned);
      expect(isLowerSet(g, set.members)).toBe(true);
      expect(set.members[g.loss]).toBe(0);
      expect(forced.every((f, v) => f === 0 || set.members[v] === 1)).toBe(true);
      expect(boundaryBytes(g, set.members)).toBe(set.cutValue);
      expect(set.boundary.reduce((sum, v) => sum + (g.bytes[v] as number), 0)).toBe(set.cutValue);
      let best = Number.POSITIVE_INFINITY;
      for (let mask = 0; mask < 2 ** g.size; mask++) {
        const members = Uint8Array.from({ length: g.size }, (_, v) => (mask >> v) & 1);
        if (members[g.loss] === 1 || forced.some((f, v) => f === 1 && members[v] === 0)) continue;
        if (isLowerSet(g, members)) best = Math.min(best, boundaryBytes(g, members));
      }
      expect(set.cutValue).toBe(best);
    },
  );

  test.prop([smallDag, fc.integer({ min: 1, max: 4 })], { seed: SEED, numRuns: 100 })(
    "sweeps nested, distinct lower sets that never contain the loss",
    (instance, stride) => {
      const g = graphOf(instance);
      const sets = lowerSetSweep(g, nodeCapacities(g, 0), stride);
      sets.forEach((set, i) => {
        expect(isLowerSet(g, set.members)).toBe(true);
        expect(set.members[g.loss]).toBe(0);
        const previous = sets[i - 1];
        if (previous === undefined) return;
        expect(previous.members.every((inside, v) => inside === 0 || set.members[v] === 1)).toBe(true);
        expect(previous.members.some((inside, v) => inside !== set.members[v])).toBe(true);
      });
    },
  );
});
