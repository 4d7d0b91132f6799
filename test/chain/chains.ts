/**
 * Chain instances for the chain tests, built by construction through parseInstance: an input `x`
 * and stages `s1..sL` (the last one is the loss), each with its own costs.
 */
import fc from "fast-check";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance, NeedsWord } from "../../src/instance/types.js";

/** One stage's costs (times in ms, sizes in bytes). */
export interface StageSpec {
  readonly fwd: number;
  readonly bwd: number;
  readonly bytes: number;
  readonly tapeBytes: number;
  readonly fwdTemp: number;
  readonly bwdTemp: number;
  readonly needs: readonly NeedsWord[];
  /** Gradient size when it differs from `bytes`. */
  readonly gradBytes?: number;
}

/** A chain: the input's size and the stages. */
export interface ChainSpec {
  readonly inputBytes: number;
  readonly stages: readonly StageSpec[];
  readonly fixedBytes?: number;
}

/** The instance of a chain spec. */
export function buildChain(spec: ChainSpec, name = "test-chain"): Instance {
  const nodes: Record<string, unknown>[] = [
    { id: "x", fwd: 0, bwd: 0, bytes: spec.inputBytes, recomputable: false },
  ];
  spec.stages.forEach((stage, l) => {
    nodes.push({ id: `s${l + 1}`, inputs: [l === 0 ? "x" : `s${l}`], ...stage, needs: [...stage.needs] });
  });
  return parseInstance({
    format: "remat-instance/1",
    name,
    source: "test/chain/chains.ts",
    fixedBytes: spec.fixedBytes ?? 0,
    nodes,
  });
}

const needsArb = fc.constantFrom<readonly NeedsWord[]>(["inputs", "output"], ["inputs"], ["output"], []);

/** Random stage costs: integer times (so sums are exact), small sizes, optional tapes and temporaries. */
export function stageArb(options: { readonly fwdTemp?: boolean } = {}): fc.Arbitrary<StageSpec> {
  return fc.record({
    fwd: fc.integer({ min: 0, max: 10 }),
    bwd: fc.integer({ min: 0, max: 20 }),
    bytes: fc.integer({ min: 1, max: 40 }),
    tapeBytes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
    fwdTemp:
      options.fwdTemp === false ? fc.constant(0) : fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 })),
    bwdTemp: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 })),
    needs: needsArb,
  });
}

/** Random chains with 1..maxLength stages. */
export function chainArb(
  maxLength: number,
  options: { readonly fwdTemp?: boolean } = {},
): fc.Arbitrary<ChainSpec> {
  return fc.record({
    inputBytes: fc.integer({ min: 0, max: 40 }),
    stages: fc.array(stageArb(options), { minLength: 1, maxLength }),
    fixedBytes: fc.integer({ min: 0, max: 50 }),
  });
}
