/**
 * Small DAG instances for the graph tests, built by construction from shrinkable fast-check records
 * (as test/chain/chains.ts does for chains): an input `x`, nodes `n1..nk` (the last one is the loss)
 * each reading its predecessor and maybe earlier nodes, with tapes, temporaries, partial `needs` and
 * nodes that may not be recomputed, and optionally a `label` source read by the loss (and maybe by one
 * more node). A failure shrinks to a readable instance, not to a seed.
 */
import fc from "fast-check";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance, NeedsWord } from "../../src/instance/types.js";

/** One node's costs and its extra inputs (offsets back from its predecessor). */
export interface DagNodeSpec {
  readonly fwd: number;
  readonly bwd: number;
  readonly bytes: number;
  readonly tapeBytes: number;
  readonly fwdTemp: number;
  readonly bwdTemp: number;
  readonly needs: readonly NeedsWord[];
  readonly recomputable: boolean;
  /** Node i also reads node i - 2 - s for each s (when that exists; 0 is the input x). */
  readonly skips: readonly number[];
}

/** A label source: where it is listed, its size, and which other node reads it. */
export interface LabelSpec {
  readonly at: number;
  readonly bytes: number;
  readonly alsoRead: number | null;
}

/** A small DAG: the input's size, the nodes, the fixed bytes, an optional label. */
export interface DagSpec {
  readonly inputBytes: number;
  readonly fixedBytes: number;
  readonly nodes: readonly DagNodeSpec[];
  readonly label: LabelSpec | null;
}

const needsArb = fc.constantFrom<readonly NeedsWord[]>(["inputs", "output"], ["inputs"], ["output"], []);

/** Random node costs: integer times, small sizes, tapes half the time, some temporaries. */
export const dagNodeArb: fc.Arbitrary<DagNodeSpec> = fc.record({
  fwd: fc.integer({ min: 0, max: 10 }),
  bwd: fc.integer({ min: 0, max: 20 }),
  bytes: fc.integer({ min: 1, max: 40 }),
  tapeBytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
  fwdTemp: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 })),
  bwdTemp: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 })),
  needs: needsArb,
  recomputable: fc.oneof(
    { weight: 4, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  skips: fc.array(fc.nat({ max: 6 }), { maxLength: 2 }),
});

/** Random small DAGs of 1..maxNodes nodes after the input (plus a label half the time). */
export function dagArb(maxNodes: number): fc.Arbitrary<DagSpec> {
  return fc.record({
    inputBytes: fc.integer({ min: 0, max: 40 }),
    fixedBytes: fc.integer({ min: 0, max: 50 }),
    nodes: fc.array(dagNodeArb, { minLength: 1, maxLength: maxNodes }),
    label: fc.option(
      fc.record({
        at: fc.nat(),
        bytes: fc.integer({ min: 0, max: 30 }),
        alsoRead: fc.option(fc.nat(), { nil: null }),
      }),
      { nil: null },
    ),
  });
}

/** The instance of a DAG spec (the loss, listed last, may always be recomputed). */
export function buildDag(spec: DagSpec, name = "test-dag"): Instance {
  const k = spec.nodes.length;
  const ids = ["x", ...spec.nodes.map((_, i) => `n${i + 1}`)];
  const nodes: Record<string, unknown>[] = [
    { id: "x", fwd: 0, bwd: 0, bytes: spec.inputBytes, recomputable: false },
  ];
  spec.nodes.forEach((node, index) => {
    const i = index + 1;
    const inputs = new Set([ids[i - 1] as string]);
    for (const s of node.skips) if (i - 2 - s >= 0) inputs.add(ids[i - 2 - s] as string);
    const { skips: _skips, ...costs } = node;
    nodes.push({
      id: ids[i],
      ...costs,
      needs: [...node.needs],
      recomputable: i === k || node.recomputable,
      inputs: [...inputs],
    });
  });
  if (spec.label !== null) {
    const at = 1 + (spec.label.at % k); // listed before node `at` (1-based), after the input
    (nodes[k] as { inputs: string[] }).inputs.push("label");
    const reader = spec.label.alsoRead === null ? undefined : at + (spec.label.alsoRead % (k - at + 1));
    if (reader !== undefined && reader < k) (nodes[reader] as { inputs: string[] }).inputs.push("label");
    nodes.splice(at, 0, {
      id: "label",
      fwd: 0,
      bwd: 0,
      bytes: spec.label.bytes,
      gradBytes: 0,
      recomputable: false,
    });
  }
  return parseInstance({
    format: "remat-instance/1",
    name,
    source: "test/graph/dags.ts",
    fixedBytes: spec.fixedBytes,
    nodes,
  });
}
