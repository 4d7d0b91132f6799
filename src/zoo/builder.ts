/**
 * GraphBuilder: writes a zoo network op by op, inferring each output shape and its parameters as it
 * goes (src/zoo/ops/shape.ts), so that model files read like the layer tables of their papers.
 */
import { InternalError } from "../errors.js";
import { NODE_ID_PATTERN } from "../instance/parse.js";
import { inferShape, paramSpecs } from "./ops/shape.js";
import { type AttrValue, LOSS_TYPES, type OpType, type ZooGraph, type ZooOp } from "./types.js";

/** The name of the block holding the data sources (the input and the labels). */
export const INPUT_BLOCK = "input";

/** Builds a {@link ZooGraph}: ops are appended in topological order, each to the current block. */
export class GraphBuilder {
  private readonly ops: ZooOp[] = [];
  private readonly byId = new Map<string, ZooOp>();
  private currentBlock = INPUT_BLOCK;

  /**
   * @param zoo the zoo name of the network (`resnet-50`)
   * @param config its full configuration, defaults filled, enough to rebuild it
   */
  constructor(
    private readonly zoo: string,
    private readonly config: object,
  ) {}

  /** Ops added from now on belong to block `name` (one stage of the block-level chain). */
  block(name: string): void {
    this.currentBlock = name;
  }

  /** A data source of `shape`: `float32` data, or `int32` token ids or labels. */
  input(id: string, shape: readonly number[], dtype: "float32" | "int32" = "float32"): string {
    return this.op("input", id, [], { shape, dtype });
  }

  /** Appends an op of `type` reading the ops `inputs`; returns its id. */
  op(type: OpType, id: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}): string {
    if (this.byId.has(id) || !NODE_ID_PATTERN.test(id))
      throw new InternalError(`bad or duplicate op id "${id}"`);
    const inputShapes = inputs.map((input) => this.shape(input));
    const op: ZooOp = {
      id,
      type,
      inputs: [...inputs],
      attrs: { ...attrs },
      shape: inferShape(type, inputShapes, attrs),
      params: paramSpecs(type, inputShapes, attrs),
      block: this.currentBlock,
    };
    this.ops.push(op);
    this.byId.set(id, op);
    return id;
  }

  /** The output shape of op `id`. */
  shape(id: string): readonly number[] {
    const op = this.byId.get(id);
    if (op === undefined) throw new InternalError(`unknown op "${id}"`);
    return op.shape;
  }

  /** The last size of op `id`'s output (its channels or features). */
  channels(id: string): number {
    const shape = this.shape(id);
    return shape[shape.length - 1] as number;
  }

  /** The finished network, frozen; its last op must be a loss (one of {@link LOSS_TYPES}). */
  build(): ZooGraph {
    const last = this.ops[this.ops.length - 1];
    if (last === undefined || !LOSS_TYPES.includes(last.type))
      throw new InternalError(`${this.zoo}: the last op must be a loss (${LOSS_TYPES.join(" or ")})`);
    return deepFreeze({
      zoo: this.zoo,
      config: structuredClone(this.config) as Record<string, unknown>,
      ops: this.ops,
    });
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
