/**
 * Shrinkable instances for the conformance suite: every cost and edge is drawn by fast-check itself
 * (fc.record / fc.array, as test/chain/chains.ts does), so a failure shrinks to a small readable
 * instance instead of a seed. They carry what real graphs have: tapes, temporaries, partial `needs`,
 * label sources read late, nodes that may not be recomputed or offloaded, and a host link.
 */
import fc from "fast-check";
import type { NodeDocument } from "../../src/instance/document.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance, NeedsWord } from "../../src/instance/types.js";

/** One node's costs as drawn. */
export interface NodeSpec {
  readonly fwd: number;
  readonly bwd: number;
  readonly bytes: number;
  /** Drawn gradient size, or null for the default (= bytes). */
  readonly gradBytes: number | null;
  readonly tapeBytes: number;
  readonly fwdTemp: number;
  readonly bwdTemp: number;
  readonly needs: readonly NeedsWord[];
  readonly recomputable: boolean;
  readonly offloadable: boolean;
  /** Raw input picks: each taken modulo the node's position (so every edge points backwards). */
  readonly picks: readonly number[];
}

/** A drawn instance before it is built. */
export interface InstanceSpec {
  readonly shape: "chain" | "dag";
  /** Equal forward and backward times everywhere (revolve's homogeneous chains). */
  readonly homogeneous: boolean;
  readonly inputBytes: number;
  readonly fixedBytes: number;
  readonly nodes: readonly NodeSpec[];
  /** A label source (bytes), read by the loss and by the node at `labelReader`, or null. */
  readonly label: { readonly bytes: number; readonly reader: number } | null;
  readonly hardware: { readonly bandwidth: number; readonly latency: number } | null;
}

const small = (max: number) => fc.oneof(fc.constant(0), fc.integer({ min: 1, max }));

const nodeSpec: fc.Arbitrary<NodeSpec> = fc.record({
  fwd: fc.integer({ min: 0, max: 10 }),
  bwd: fc.integer({ min: 0, max: 20 }),
  bytes: fc.integer({ min: 1, max: 60 }),
  gradBytes: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null, freq: 4 }),
  tapeBytes: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }) },
  ),
  fwdTemp: small(30),
  bwdTemp: small(30),
  needs: fc.constantFrom<readonly NeedsWord[]>(["inputs", "output"], ["inputs"], ["output"], []),
  recomputable: fc.oneof(
    { weight: 6, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  offloadable: fc.oneof(
    { weight: 6, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  picks: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 3 }),
});

/** Instances of 2..`maxNodes` nodes (input and loss included), chains or DAGs. */
export function instanceSpec(maxNodes: number): fc.Arbitrary<InstanceSpec> {
  return fc.record({
    shape: fc.constantFrom<"chain" | "dag">("chain", "dag"),
    homogeneous: fc.oneof(
      { weight: 4, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    inputBytes: fc.integer({ min: 0, max: 60 }),
    fixedBytes: fc.integer({ min: 0, max: 50 }),
    nodes: fc.array(nodeSpec, { minLength: 1, maxLength: maxNodes - 1 }),
    label: fc.option(fc.record({ bytes: fc.integer({ min: 0, max: 30 }), reader: fc.nat({ max: 20 }) }), {
      nil: null,
      freq: 3,
    }),
    hardware: fc.option(
      fc.record({ bandwidth: fc.integer({ min: 1, max: 100 }), latency: fc.integer({ min: 0, max: 2 }) }),
      { nil: null, freq: 2 },
    ),
  });
}

/** The node document of a drawn node with id `id` reading `inputs`. */
function nodeDocument(spec: InstanceSpec, node: NodeSpec, id: string, inputs: string[]): NodeDocument {
  const times = spec.homogeneous ? { fwd: 2, bwd: 3 } : { fwd: node.fwd, bwd: node.bwd };
  return {
    id,
    ...times,
    bytes: node.bytes,
    ...(node.gradBytes === null ? {} : { gradBytes: node.gradBytes }),
    ...(node.tapeBytes > 0 ? { tapeBytes: node.tapeBytes } : {}),
    ...(node.fwdTemp > 0 ? { fwdTemp: node.fwdTemp } : {}),
    ...(node.bwdTemp > 0 ? { bwdTemp: node.bwdTemp } : {}),
    needs: [...node.needs],
    ...(node.recomputable ? {} : { recomputable: false }),
    ...(node.offloadable ? {} : { offloadable: false }),
    inputs,
  };
}

/**
 * Builds the instance: input `x`, nodes `n1..nk` (the last is the loss), each reading earlier nodes by
 * its picks (the one before it on chains); every node without a reader feeds the loss; a label source,
 * when drawn, sits right after `x` and is read by the loss and one more node (never on chains).
 */
export function buildInstance(spec: InstanceSpec): Instance {
  const ids = ["x", ...spec.nodes.map((_, k) => `n${k + 1}`)];
  const inputsOf = spec.nodes.map((node, k) => {
    const position = k + 1;
    if (spec.shape === "chain") return [ids[position - 1] as string];
    return [...new Set([position - 1, ...node.picks.map((pick) => pick % position)])]
      .sort((a, b) => a - b)
      .map((u) => ids[u] as string);
  });
  const read = new Set(inputsOf.flat());
  const loss = inputsOf.length - 1;
  if (spec.shape === "dag")
    for (let u = 0; u < loss + 1; u++)
      if (!read.has(ids[u] as string)) (inputsOf[loss] as string[]).push(ids[u] as string);
  const label = spec.shape === "dag" ? spec.label : null;
  if (label !== null) {
    (inputsOf[loss] as string[]).push("label");
    const reader = label.reader % inputsOf.length;
    if (reader !== loss) (inputsOf[reader] as string[]).push("label");
  }
  const nodes: NodeDocument[] = [
    { id: "x", fwd: 0, bwd: 0, bytes: spec.inputBytes, recomputable: false },
    ...(label === null
      ? []
      : [{ id: "label", fwd: 0, bwd: 0, bytes: label.bytes, gradBytes: 0, recomputable: false }]),
    ...spec.nodes.map((node, k) => nodeDocument(spec, node, ids[k + 1] as string, [...new Set(inputsOf[k])])),
  ];
  return parseInstance({
    format: "remat-instance/1",
    name: `conformance-${spec.shape}-${spec.nodes.length}`,
    source: "test/conformance/instances.ts",
    fixedBytes: spec.fixedBytes,
    ...(spec.hardware === null ? {} : { hardware: spec.hardware }),
    nodes,
  });
}

/** Drawn instances of 2..maxNodes nodes. */
export function anyInstance(maxNodes: number): fc.Arbitrary<Instance> {
  return instanceSpec(maxNodes).map(buildInstance);
}
