/**
 * fast-check arbitraries for instances, built through the public generators so that a failure shrinks
 * to a readable seed and size.
 */
import fc from "fast-check";
import {
  DEFAULT_COSTS,
  randomChain,
  randomLayeredDag,
  randomSeriesParallel,
} from "../src/generate/families.js";
import { seededRandom } from "../src/generate/random.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";

/** Fixed seed for every property in CI; a failure prints it. */
export const PROPERTY_SEED = 20261122;

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const coarseCosts = { ...DEFAULT_COSTS, tapeChance: 0.5 };

/** Random chains (with and without tape), layered DAGs and series-parallel DAGs of modest size. */
export const anyInstance: fc.Arbitrary<Instance> = fc.oneof(
  fc.tuple(seed, fc.integer({ min: 1, max: 12 })).map(([s, length]) => randomChain(s, length)),
  fc.tuple(seed, fc.integer({ min: 1, max: 8 })).map(([s, length]) => randomChain(s, length, coarseCosts)),
  fc
    .tuple(seed, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }))
    .map(([s, layers, width]) => randomLayeredDag(s, layers, width)),
  fc.tuple(seed, fc.integer({ min: 2, max: 20 })).map(([s, size]) => randomSeriesParallel(s, size)),
);

/** Instances in rotor's model: every backward reads its inputs and output, and no forward temporaries. */
export const rotorLikeInstance: fc.Arbitrary<Instance> = fc
  .tuple(seed, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 12 }))
  .map(([s, family, size]) => {
    const costs = { ...DEFAULT_COSTS, partialNeedsChance: 0, tempChance: 0 };
    if (family === 0) return randomChain(s, size, costs);
    if (family === 1) return randomLayeredDag(s, Math.min(size, 6), 3, { costs });
    return randomSeriesParallel(s, size + 1, costs);
  });

/**
 * Adds what op-level graphs of real networks have and generated ones lack: a `label` source placed at
 * a random position, read by the loss and sometimes by one more node, and sometimes one node that may
 * not be recomputed.
 */
export function withLabel(instance: Instance, seed: number): Instance {
  const random = seededRandom(seed);
  const nodes = instance.nodes.map((node) => ({ ...node, inputs: [...node.inputs] }));
  const reader = random.integer(1, nodes.length - 1);
  nodes.splice(random.integer(1, reader), 0, {
    ...(nodes[0] as Instance["nodes"][number]),
    id: "label",
    bytes: random.integer(0, 30),
    gradBytes: 0,
    inputs: [],
    recomputable: false,
  });
  (nodes[nodes.length - 1] as { inputs: string[] }).inputs.push("label");
  const other = nodes[reader + 1];
  if (random.next() < 0.5 && other !== undefined && reader + 1 < nodes.length - 1) other.inputs.push("label");
  const forced = nodes[random.integer(2, nodes.length - 2)];
  if (random.next() < 0.4 && forced !== undefined && forced.inputs.length > 0)
    Object.assign(forced, { recomputable: false });
  return parseInstance({ ...instance, name: `${instance.name}-label`, nodes });
}

/** `anyInstance`, half the time with a `label` input (and maybe a forced node) added by `withLabel`. */
export const labelledInstance: fc.Arbitrary<Instance> = fc
  .tuple(anyInstance, seed, fc.boolean())
  .map(([instance, s, label]) => (label && instance.nodes.length >= 3 ? withLabel(instance, s) : instance));
