/**
 * Chains with stored forms for the stored-class tests: a chain of chains.ts whose nodes get an element
 * size, a density and bitmap / fp16 costs of their own (dominated forms included: with 1-byte
 * elements fp16 is twice the activation).
 */
import fc from "fast-check";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { buildChain, type ChainSpec, chainArb } from "./chains.js";

/** One node's storage fields. */
export interface NodeStorage {
  readonly elementBytes: number;
  readonly density: number;
  readonly bitmapMs: readonly [number, number];
  readonly fp16Ms: readonly [number, number];
}

/** A chain spec with storage fields for each node, the input's first. */
export interface StoredChainSpec {
  readonly chain: ChainSpec;
  readonly storage: readonly NodeStorage[];
}

const msArb = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }));

/** Random storage fields: element sizes 1, 2 or 4 bytes, densities in tenths, integer times. */
export const nodeStorageArb: fc.Arbitrary<NodeStorage> = fc.record({
  elementBytes: fc.constantFrom(1, 2, 4),
  density: fc.integer({ min: 0, max: 10 }).map((tenths) => tenths / 10),
  bitmapMs: msArb,
  fp16Ms: msArb,
});

/** A random chain of at most `maxStages` stages with storage fields on every node. */
export function storedChainArb(maxStages: number): fc.Arbitrary<StoredChainSpec> {
  return chainArb(maxStages).chain((chain) =>
    fc
      .array(nodeStorageArb, { minLength: chain.stages.length + 1, maxLength: chain.stages.length + 1 })
      .map((storage) => ({ chain, storage })),
  );
}

/** The instance of a stored chain spec. */
export function buildStoredChain(spec: StoredChainSpec): Instance {
  const plain = buildChain(spec.chain, "stored-chain");
  return parseInstance({
    ...plain,
    nodes: plain.nodes.map((node, k) => {
      const s = spec.storage[k] as NodeStorage;
      return {
        ...node,
        elementBytes: s.elementBytes,
        density: s.density,
        storage: {
          bitmap: { convertMs: s.bitmapMs[0], expandMs: s.bitmapMs[1] },
          fp16: { convertMs: s.fp16Ms[0], expandMs: s.fp16Ms[1] },
        },
      };
    }),
  });
}
