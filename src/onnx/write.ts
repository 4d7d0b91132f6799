/**
 * Zoo graph -> ONNX model (issue 16 item 3's round trip): each zoo op written as the ONNX node(s)
 * PyTorch would export for it, NCHW, opset 20, node and tensor names the zoo's op ids, so that
 * {@link importOnnx} reads the file back as the zoo's own op-level instance. The loss and its labels
 * are left out (the importer appends them, as it does for any exported model); a dense op on a 3-D
 * input is MatMul + Add (which the importer fuses back), GPT-2's tied head a MatMul with the Transpose
 * of the embedding's weight (folded by the importer), and causal attention, which ONNX has no single
 * op for, a node `CausalAttention` of the domain `ai.remat`.
 */
import { InternalError } from "../errors.js";
import type { Padding } from "../zoo/ops/shape.js";
import { LOSS_TYPES, type ZooGraph, type ZooOp } from "../zoo/types.js";
import { ATTRIBUTE_TYPE } from "./encode.js";
import type { OnnxAttribute, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from "./model.js";
import { FLOAT, INT32, INT64 } from "./values.js";
import { convPads, rawFloats } from "./write-parts.js";

/** How to write. */
export interface WriteOptions {
  /**
   * Write weights without their data (data_location EXTERNAL, no file): the importer needs only
   * their shapes, and files of full-size networks stay small. Default false (zeros are written).
   */
  readonly externalWeights?: boolean;
  /**
   * The parameters' values, by key `opId/name` in the zoo's layout (as the simulator's network holds
   * them): written as the initializers' float32 data, permuted into ONNX's layout. Parameters not in
   * the map (and BatchNormalization's running statistics) are written as zeros.
   */
  readonly weights?: ReadonlyMap<string, Float32Array>;
}

/** ONNX `[O, I, kh, kw]` from the zoo's `[kh, kw, I, O]` (a transposed conv's `[I, O, kh, kw]` from `[kh, kw, O, I]`). */
const HWIO_TO_OIHW = [3, 2, 0, 1];
/** ONNX's depthwise `[C, 1, kh, kw]` from the zoo's `[kh, kw, C, 1]`. */
const DEPTHWISE_TO_ONNX = [2, 3, 0, 1];

/** The ONNX model of `graph` (encode it with encodeModel). */
export function zooToOnnx(graph: ZooGraph, options: WriteOptions = {}): OnnxModel {
  const writer = new Writer(graph, options);
  for (const op of graph.ops) writer.write(op);
  return writer.model();
}

const nchw = (shape: readonly number[]): number[] =>
  shape.length === 4 ? ([shape[0], shape[3], shape[1], shape[2]] as number[]) : [...shape];

const ints = (name: string, values: readonly number[]): OnnxAttribute => ({
  name,
  type: ATTRIBUTE_TYPE.ints,
  ints: [...values],
});
const int = (name: string, value: number): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPE.int, i: value });
const float = (name: string, value: number): OnnxAttribute => ({
  name,
  type: ATTRIBUTE_TYPE.float,
  f: value,
});
const str = (name: string, value: string): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPE.string, s: value });

class Writer {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly byId: Map<string, ZooOp>;
  private readonly lossInputs = new Set<string>();
  private output: ZooOp | undefined;

  constructor(
    private readonly graph: ZooGraph,
    private readonly options: WriteOptions,
  ) {
    this.byId = new Map(graph.ops.map((op) => [op.id, op]));
  }

  /** Writes the node(s) of one zoo op; returns the name of its output tensor (none for the loss). */
  write(op: ZooOp): string | undefined {
    if (LOSS_TYPES.includes(op.type)) {
      this.output = this.byId.get(op.inputs[0] ?? "");
      return undefined;
    }
    const x = op.inputs[0] ?? "";
    switch (op.type) {
      case "input":
        return this.input(op);
      case "conv2d":
        return this.conv(op, x);
      case "conv2d-transpose":
        return this.convTranspose(op, x);
      case "batchnorm":
      case "layernorm":
        return this.norm(op, x);
      case "relu":
        return this.node(op, "Relu", [x]);
      case "sigmoid":
        return this.node(op, "Sigmoid", [x]);
      case "gelu":
        return this.node(op, "Gelu", [x], [str("approximate", "tanh")]);
      case "relu6":
        return this.node(op, "Clip", [
          x,
          this.constant(`${op.id}.min`, FLOAT, [], [0]),
          this.constant(`${op.id}.max`, FLOAT, [], [6]),
        ]);
      case "maxpool":
      case "avgpool":
        return this.pool(op, x);
      case "global-avgpool":
        return this.node(
          op,
          "ReduceMean",
          [x, this.constant(`${op.id}.axes`, INT64, [2], [2, 3])],
          [int("keepdims", 0)],
        );
      case "add":
        return this.node(op, op.inputs.length === 2 ? "Add" : "Sum", [...op.inputs]);
      case "concat":
        return this.node(op, "Concat", [...op.inputs], [int("axis", op.shape.length === 4 ? 1 : -1)]);
      case "flatten":
        return this.node(op, "Flatten", [x], [int("axis", 1)]);
      case "dense":
        return this.dense(op, x, this.shapeOf(x));
      case "embedding": {
        const weight = this.weight(`${op.id}.weight`, [op.attrs.vocab as number, op.attrs.dim as number]);
        return this.node(op, "Gather", [weight, x], [int("axis", 0)]);
      }
      case "position-embedding":
        return this.node(op, "Add", [x, this.weight(`${op.id}.weight`, op.shape.slice(1))]);
      case "causal-attention":
        return this.node(op, "CausalAttention", [x], [int("heads", op.attrs.heads as number)], "ai.remat");
      default:
        throw new InternalError(`zooToOnnx: no ONNX form for op type ${op.type}`);
    }
  }

  private shapeOf(id: string): readonly number[] {
    return (this.byId.get(id) as ZooOp).shape;
  }

  private input(op: ZooOp): string | undefined {
    if (this.usedOnlyByLoss(op)) return undefined;
    this.inputs.push({
      name: op.id,
      elemType: op.attrs.dtype === "int32" ? INT32 : FLOAT,
      shape: nchw(op.shape),
    });
    return op.id;
  }

  private bias(op: ZooOp): string[] {
    return op.attrs.bias === true ? [this.weight(`${op.id}.bias`, [op.attrs.filters as number])] : [];
  }

  private conv(op: ZooOp, x: string): string {
    const [kh = 1, kw = 1] = op.attrs.kernel as number[];
    const groups = (op.attrs.groups as number | undefined) ?? 1;
    const filters = op.attrs.filters as number;
    const weight = this.weight(
      `${op.id}.weight`,
      [filters, (this.shapeOf(x)[3] as number) / groups, kh, kw],
      groups > 1 ? DEPTHWISE_TO_ONNX : HWIO_TO_OIHW,
    );
    return this.node(
      op,
      "Conv",
      [x, weight, ...this.bias(op)],
      [
        ints("kernel_shape", [kh, kw]),
        ints("strides", op.attrs.strides as number[]),
        ints("pads", this.pads(op, x)),
        int("group", groups),
      ],
    );
  }

  /** A transposed convolution; "same" output (size x stride) by pads k - s, or output_padding s - k. */
  private convTranspose(op: ZooOp, x: string): string {
    const [kh = 1, kw = 1] = op.attrs.kernel as number[];
    const [sh = 1, sw = 1] = op.attrs.strides as number[];
    const weight = this.weight(
      `${op.id}.weight`,
      [this.shapeOf(x)[3] as number, op.attrs.filters as number, kh, kw],
      HWIO_TO_OIHW,
    );
    const total = op.attrs.pad === "same" ? [kh - sh, kw - sw] : [0, 0];
    const [th, tw] = total.map((t) => Math.max(t, 0)) as [number, number];
    return this.node(
      op,
      "ConvTranspose",
      [x, weight, ...this.bias(op)],
      [
        ints("kernel_shape", [kh, kw]),
        ints("strides", [sh, sw]),
        ints("pads", [Math.floor(th / 2), Math.floor(tw / 2), Math.ceil(th / 2), Math.ceil(tw / 2)]),
        ints(
          "output_padding",
          total.map((t) => Math.max(-t, 0)),
        ),
      ],
    );
  }

  private norm(op: ZooOp, x: string): string {
    const c = op.shape[op.shape.length - 1] as number;
    const epsilon = float("epsilon", (op.attrs.epsilon as number | undefined) ?? 1e-5);
    const affine = [x, this.weight(`${op.id}.gamma`, [c]), this.weight(`${op.id}.beta`, [c])];
    if (op.type === "layernorm")
      return this.node(op, "LayerNormalization", affine, [int("axis", -1), epsilon]);
    const stats = [this.weight(`${op.id}.running_mean`, [c]), this.weight(`${op.id}.running_var`, [c])];
    return this.node(op, "BatchNormalization", [...affine, ...stats], [epsilon]);
  }

  private pool(op: ZooOp, x: string): string {
    const window = [
      ints("kernel_shape", op.attrs.kernel as number[]),
      ints("strides", op.attrs.strides as number[]),
      ints("pads", this.pads(op, x)),
    ];
    if (op.type === "maxpool") return this.node(op, "MaxPool", [x], window);
    return this.node(op, "AveragePool", [x], [...window, int("count_include_pad", 0)]);
  }

  private pads(op: ZooOp, x: string): number[] {
    const { kernel, strides, pad } = op.attrs;
    return convPads(this.shapeOf(x), op.shape, kernel as number[], strides as number[], pad as Padding);
  }

  /** Gemm on 2-D inputs; MatMul (+ Add of the bias) on 3-D; a tied weight read through a Transpose. */
  private dense(op: ZooOp, x: string, inShape: readonly number[]): string {
    const units = op.attrs.units as number;
    const k = inShape[inShape.length - 1] as number;
    const tied = op.attrs.tiedTo;
    const weight =
      typeof tied === "string" ? `${op.id}.weight_t` : this.weight(`${op.id}.weight`, [k, units]);
    if (typeof tied === "string")
      this.raw(`${op.id}.tied`, "Transpose", [`${tied}.weight`], weight, [ints("perm", [1, 0])]);
    const bias = op.attrs.bias === true ? [this.weight(`${op.id}.bias`, [units])] : [];
    if (inShape.length === 2) return this.node(op, "Gemm", [x, weight, ...bias]);
    if (bias.length === 0) return this.node(op, "MatMul", [x, weight]);
    this.raw(op.id, "MatMul", [x, weight], `${op.id}.mm`);
    return this.raw(`${op.id}.bias_add`, "Add", [`${op.id}.mm`, ...bias], op.id);
  }

  private raw(
    name: string,
    opType: string,
    inputs: readonly string[],
    output: string,
    attributes: OnnxAttribute[] = [],
  ): string {
    this.nodes.push({ name, opType, domain: "", inputs: [...inputs], outputs: [output], attributes });
    return output;
  }

  private usedOnlyByLoss(op: ZooOp): boolean {
    const readers = this.graph.ops.filter((other) => other.inputs.includes(op.id));
    const only = readers.length > 0 && readers.every((reader) => LOSS_TYPES.includes(reader.type));
    if (only) this.lossInputs.add(op.id);
    return only;
  }

  private node(
    op: ZooOp,
    opType: string,
    inputs: readonly string[],
    attributes: OnnxAttribute[] = [],
    domain = "",
  ): string {
    this.nodes.push({ name: op.id, opType, domain, inputs: [...inputs], outputs: [op.id], attributes });
    return op.id;
  }

  /** A float initializer `name` (`opId.param`) of ONNX shape `dims`; `perm`: ONNX axis a is zoo axis perm[a]. */
  private weight(name: string, dims: readonly number[], perm?: readonly number[]): string {
    const dot = name.lastIndexOf(".");
    const values = this.options.weights?.get(`${name.slice(0, dot)}/${name.slice(dot + 1)}`);
    this.initializers.push({
      name,
      dataType: FLOAT,
      dims: [...dims],
      ...(this.options.externalWeights === true ? { external: true } : {}),
      ...(values === undefined ? {} : { raw: rawFloats(values, dims, perm) }),
    });
    return name;
  }

  private constant(
    name: string,
    dataType: number,
    dims: readonly number[],
    values: readonly number[],
  ): string {
    const tensor: OnnxTensor = {
      name,
      dataType,
      dims: [...dims],
      ...(dataType === FLOAT ? { floatData: values } : { intData: values }),
    };
    this.nodes.push({
      name,
      opType: "Constant",
      domain: "",
      inputs: [],
      outputs: [name],
      attributes: [{ name: "value", type: ATTRIBUTE_TYPE.tensor, t: tensor }],
    });
    return name;
  }

  model(): OnnxModel {
    const output = this.output;
    if (output === undefined) throw new InternalError("zooToOnnx: the graph has no loss");
    return {
      irVersion: 10,
      opsets: [
        { domain: "", version: 20 },
        { domain: "ai.remat", version: 1 },
      ],
      producer: "remat zooToOnnx",
      graph: {
        name: this.graph.zoo,
        nodes: this.nodes,
        initializers: this.initializers,
        inputs: this.inputs,
        outputs: [{ name: output.id, elemType: FLOAT, shape: nchw(output.shape) }],
        valueInfo: [],
      },
    };
  }
}
