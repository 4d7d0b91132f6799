/** The shape of the importer's op table: what a handler sees of a node and what it says of it. */
import type { NeedsWord } from "../instance/types.js";
import type { AttrValue, OpType } from "../zoo/types.js";
import type { OnnxNode } from "./model.js";
import type { Attrs } from "./shapes.js";
import type { Value } from "./values.js";

/** What the table says about one node. */
export interface OpReading {
  readonly outputs: readonly { readonly shape: readonly number[]; readonly dtype: number }[];
  /** The zoo op it is, with the attrs the zoo's cost model reads; shapes NHWC when `spatial`. */
  readonly zoo?: {
    readonly type: OpType;
    readonly attrs: Readonly<Record<string, AttrValue>>;
    readonly spatial?: boolean;
  };
  /** For ops that are not the zoo's: what the backward reads, and FLOPs [forward, backward]. */
  readonly needs?: readonly NeedsWord[];
  readonly flops?: readonly [number, number];
  /** Input slots holding buffers (running statistics), not learned parameters. */
  readonly buffers?: readonly number[];
}

/** What a handler sees: the node, its attributes, its input values (undefined for an empty name). */
export interface OpContext {
  readonly node: OnnxNode;
  readonly attrs: Attrs;
  readonly inputs: readonly (Value | undefined)[];
}

/** Reads one node: its outputs and cost-model mapping, or undefined when its inputs do not fit. */
export type Handler = (context: OpContext) => OpReading | undefined;

/** The output of an op that keeps its input's shape and element type. */
export const same = (x: Value): OpReading["outputs"] => [{ shape: x.shape, dtype: x.dtype }];

/** The zoo op a node is, with the attrs the zoo's cost model reads (`spatial`: NHWC shapes). */
export const zooOf = (type: OpType, attrs: Record<string, AttrValue> = {}, spatial = false) => ({
  type,
  attrs,
  spatial,
});

/** A reading of an op that only moves or reshapes data: needs nothing, no FLOPs. */
export function shapeOnly(outputs: OpReading["outputs"] | undefined): OpReading | undefined {
  return outputs === undefined ? undefined : { outputs, needs: [], flops: [0, 0] };
}
