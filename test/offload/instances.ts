/**
 * Small instances with a host link for the offload tests: the src/generate/ families (random chains,
 * layered DAGs, series-parallel DAGs) of at most `maxNodes` nodes, given a `hardware` block drawn by
 * fast-check, so that a failure shrinks to a readable seed, size and link.
 */
import fc from "fast-check";
import {
  DEFAULT_COSTS,
  randomChain,
  randomLayeredDag,
  randomSeriesParallel,
} from "../../src/generate/families.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";

/** A link: bandwidth in bytes/ms, latency in ms. */
export interface Link {
  readonly bandwidth: number;
  readonly latency: number;
}

/** `instance` with `hardware` set to `link` (or removed when null). */
export function withLink(instance: Instance, link: Link | null): Instance {
  const { hardware: _dropped, ...rest } = instance;
  return parseInstance({ ...rest, ...(link === null ? {} : { hardware: link }) });
}

const coarse = { ...DEFAULT_COSTS, tapeChance: 0.3 };

/** A generated family member of at most `maxNodes` nodes (input and loss included). */
export function familyInstance(maxNodes: number): fc.Arbitrary<Instance> {
  const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
  return fc.oneof(
    fc.tuple(seed, fc.integer({ min: 1, max: maxNodes - 1 })).map(([s, length]) => randomChain(s, length)),
    fc
      .tuple(seed, fc.integer({ min: 1, max: maxNodes - 1 }))
      .map(([s, length]) => randomChain(s, length, coarse)),
    fc
      .tuple(seed, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
      .map(([s, layers, width]) => randomLayeredDag(s, layers, width))
      .filter((instance) => instance.nodes.length <= maxNodes),
    fc
      .tuple(seed, fc.integer({ min: 2, max: maxNodes - 1 }))
      .map(([s, size]) => randomSeriesParallel(s, size))
      .filter((instance) => instance.nodes.length <= maxNodes),
  );
}

/** A link from slow (a few bytes per ms, so transfers cost as much as compute) to fast. */
export const anyLink: fc.Arbitrary<Link> = fc.record({
  bandwidth: fc.constantFrom(2, 5, 10, 30, 100),
  latency: fc.constantFrom(0, 0.5, 2),
});

/** Family members of at most `maxNodes` nodes with a drawn link. */
export function linkedInstance(maxNodes: number): fc.Arbitrary<Instance> {
  return fc.tuple(familyInstance(maxNodes), anyLink).map(([instance, link]) => withLink(instance, link));
}
