/**
 * ONNX model -> remat instance (issue 16 item 1). Walks the graph in its (topological) order: graph
 * inputs become data sources, every node with an activation input becomes one instance node (its ONNX
 * name kept as the id), nodes computed from constants alone are folded away (a transposed weight, a
 * shape computation), and a MatMul with a weight followed by the Add of a bias becomes one dense node
 * (as PyTorch's Linear exports on 3-D inputs). Bytes are exact from shapes and element types; `needs`,
 * temporaries and FLOPs come from the op table (src/onnx/ops.ts, which defers to the zoo's); times are a
 * roofline of the chosen device; float initializers (but for scalars and BatchNormalization's running
 * statistics) are learned parameters, counted in `fixedBytes` with their gradients and optimizer state.
 * A loss is appended to the graph's output (ONNX exports of inference graphs have none): mean-square by
 * default, or softmax cross-entropy against int32 labels, classes on axis 1 for 4-D outputs (images,
 * as PyTorch) and on the last axis otherwise.
 */
import { InputError, type InputIssue } from "../errors.js";
import {
  checked,
  type InstanceDocument,
  type NodeDocument,
  OPTIMIZER_STATE_FLOATS,
  type Optimizer,
} from "../zoo/document.js";
import { type Device, PCIE3_X16, V100 } from "../zoo/roofline.js";
import type { ParamSpec } from "../zoo/types.js";
import { lossNodes, opNode, type PendingNode, sourceNode } from "./emit.js";
import {
  decodeModel,
  OnnxFormatError,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from "./model.js";
import { handlerOf, type OpReading } from "./ops.js";
import { Attrs } from "./shapes.js";
import { count, DTYPE_BYTES, FLOAT_TYPES, INT64, known, type Value, valueBytes } from "./values.js";

/** How to import. */
export interface ImportOptions {
  /** The batch size: replaces the first dimension of every graph input. */
  readonly batch?: number;
  /** Shapes of graph inputs by name, for symbolic or overridden dimensions. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** Device of the roofline times; default V100. */
  readonly device?: Device;
  /** The loss appended to the graph's single output; default `mean-square`. */
  readonly loss?: "mean-square" | "cross-entropy" | "none";
  readonly optimizer?: Optimizer;
  /** Instance name; default the graph's name. */
  readonly name?: string;
  /** The file, for error messages and `source`. */
  readonly file?: string;
}

/** An imported instance and what the importer could only read conservatively. */
export interface ImportResult {
  readonly document: InstanceDocument;
  /** One line per op read conservatively (unknown to the table). */
  readonly warnings: readonly string[];
}

const SITE = "remat import";

/** Marks a node skipped because an input of it could not be read (never reported). */
const SKIPPED: InputIssue = { code: "structure", path: "", expected: "", received: "" };

/**
 * Imports the ONNX model in `bytes` as an op-level instance.
 * @throws InputError (code `file` for unreadable bytes, `structure` or `option` otherwise), naming the
 *   message path or the node and op
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  let model: OnnxModel;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    if (error instanceof OnnxFormatError)
      throw new InputError(
        SITE,
        [
          {
            code: "file",
            path: error.path,
            expected: "a well-formed ONNX model (ModelProto)",
            received: error.problem,
          },
        ],
        options.file,
      );
    throw error;
  }
  return new Importer(model, options).run();
}

class Importer {
  private readonly values = new Map<string, Value>();
  private readonly initializers = new Map<string, OnnxTensor>();
  private readonly sources: { id: string; value: Value; name: string }[] = [];
  private readonly pending: PendingNode[] = [];
  private readonly ids = new Set<string>();
  private readonly learned = new Set<string>();
  private readonly used = new Set<string>();
  private readonly warnings: string[] = [];
  private readonly consumers = new Map<string, number>();
  private readonly issues: InputIssue[] = [];
  /** Outputs of nodes that could not be read: their readers are skipped, not reported again. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly model: OnnxModel,
    private readonly options: ImportOptions,
  ) {}

  run(): ImportResult {
    const graph = this.model.graph;
    for (const tensor of graph.initializers) this.addInitializer(tensor);
    for (const node of graph.nodes)
      for (const input of node.inputs) this.consumers.set(input, (this.consumers.get(input) ?? 0) + 1);
    for (const output of graph.outputs)
      this.consumers.set(output.name, (this.consumers.get(output.name) ?? 0) + 1);
    this.readInputs(graph);
    this.fail();
    graph.nodes.forEach((node, index) => {
      this.readNode(node, index);
    });
    this.fail();
    const device = this.options.device ?? V100;
    const sourceIds = new Set(this.sources.map((source) => source.id));
    const isSource = (id: string) => sourceIds.has(id);
    const nodes = [
      ...this.sources.map((source) => sourceNode(source.id, source.value, source.name)),
      ...this.pending.map((item) => opNode(item, device, isSource)),
    ];
    nodes.push(...this.loss(graph));
    this.fail();
    return { document: checked(this.document(nodes)), warnings: this.warnings };
  }

  private fail(): void {
    if (this.issues.length > 0) throw new InputError(SITE, this.issues, this.options.file);
  }

  private issue(code: InputIssue["code"], path: string, expected: string, received: string): void {
    this.issues.push({ code, path, expected, received });
  }

  private addInitializer(tensor: OnnxTensor): void {
    this.initializers.set(tensor.name, tensor);
    this.values.set(tensor.name, {
      shape: tensor.dims,
      dtype: tensor.dataType,
      initializer: tensor.name,
      ...known(tensor),
    });
  }

  private readInputs(graph: OnnxGraph): void {
    graph.inputs.forEach((input, index) => {
      if (!this.initializers.has(input.name)) this.readInput(input, index);
    });
    const names = graph.inputs
      .filter((input) => !this.initializers.has(input.name))
      .map((input) => input.name);
    for (const name of Object.keys(this.options.inputShapes ?? {}))
      if (!names.includes(name))
        this.issue("option", `--input ${name}`, `a graph input (${names.join(", ")})`, `"${name}"`);
  }

  /** A graph input: its shape (given, or the file's with the batch size), a data-source node. */
  private readInput(input: OnnxValueInfo, index: number): void {
    const path = `graph.input[${index}]`;
    const given = this.options.inputShapes?.[input.name];
    const fromFile = (input.shape ?? []).map((dim) => (typeof dim === "number" ? dim : undefined));
    const batch = this.options.batch;
    const shape =
      given ?? (batch !== undefined && fromFile.length > 0 ? [batch, ...fromFile.slice(1)] : fromFile);
    const dtype = input.elemType ?? 1;
    if (input.shape === undefined && given === undefined)
      this.issue(
        "structure",
        path,
        `a tensor input with a shape (give it with --input ${input.name}=SHAPE)`,
        `"${input.name}" without a shape`,
      );
    else if (shape.some((dim) => dim === undefined || dim < 0))
      this.issue(
        "structure",
        `${path}.shape`,
        `static sizes (give them with --batch N or --input ${input.name}=SHAPE)`,
        `[${(input.shape ?? []).map((dim) => dim ?? "?")}]`,
      );
    else if (DTYPE_BYTES[dtype] === undefined)
      this.issue("structure", `${path}.type`, "a tensor of a fixed-width element type", `data type ${dtype}`);
    else {
      const id = this.freshId(input.name, `input_${index}`);
      const value: Value = { shape: shape as number[], dtype, node: id };
      this.values.set(input.name, value);
      this.sources.push({ id, value, name: input.name });
    }
  }

  private readNode(node: OnnxNode, index: number): void {
    const before = this.issues.length;
    if (node.inputs.some((name) => this.failed.has(name))) this.issues.push(SKIPPED);
    else this.readKnownNode(node, index);
    if (this.issues.length === before) return;
    if (this.issues[this.issues.length - 1] === SKIPPED) this.issues.pop();
    for (const output of node.outputs) this.failed.add(output);
  }

  private readKnownNode(node: OnnxNode, index: number): void {
    const path = `graph.node[${index}]`;
    const label = `node "${node.name || node.outputs[0] || index}" (${node.domain ? `${node.domain}:` : ""}${node.opType})`;
    if (node.opType === "Constant" && node.domain === "") {
      this.constant(node, path);
      return;
    }
    const inputs = node.inputs.map((name) => (name === "" ? undefined : this.values.get(name)));
    const missing = node.inputs.find((name, slot) => name !== "" && inputs[slot] === undefined);
    if (missing !== undefined) {
      this.issue(
        "structure",
        `${path}.input`,
        `names of graph inputs, initializers or earlier outputs (${label})`,
        `"${missing}"`,
      );
      return;
    }
    const first = inputs[0];
    if (node.opType === "Shape" && node.domain === "" && first !== undefined) {
      const attrs = new Attrs(node);
      const data = first.shape.slice(
        attrs.int("start", 0),
        attrs.has("end") ? attrs.int("end", 0) : undefined,
      );
      this.values.set(node.outputs[0] ?? "", { shape: [data.length], dtype: INT64, data });
      return;
    }
    const reading = this.reading(node, inputs, path, label);
    if (reading === undefined) return;
    if (!inputs.some((value) => value?.node !== undefined)) this.fold(node, reading);
    else if (!this.fuseBias(node, inputs, reading)) this.addNode(node, index, inputs, reading, label);
  }

  /** What the op table says of `node`, or an issue when its inputs do not fit (or the op is unknown). */
  private reading(node: OnnxNode, inputs: readonly (Value | undefined)[], path: string, label: string) {
    const handler = handlerOf(node);
    if (handler === undefined) return this.unknown(node, path, label);
    const reading = handler({ node, attrs: new Attrs(node), inputs });
    if (reading === undefined) {
      const shapes = inputs.map((value) => (value === undefined ? "-" : `[${value.shape}]`)).join(", ");
      this.issue("structure", path, `inputs that ${node.opType} accepts (${label})`, `shapes ${shapes}`);
    }
    return reading;
  }

  /** A node with an activation input: one instance node, its learned initializers noted. */
  private addNode(
    node: OnnxNode,
    index: number,
    inputs: readonly (Value | undefined)[],
    reading: OpReading,
    label: string,
  ): void {
    const consumed = node.outputs.findIndex(
      (name, slot) => slot >= reading.outputs.length && name !== "" && this.consumers.has(name),
    );
    if (consumed >= 0) {
      this.issue(
        "structure",
        `graph.node[${index}].output[${consumed}]`,
        `an output remat can size (${label})`,
        `"${node.outputs[consumed]}"`,
      );
      return;
    }
    const id = this.freshId(node.name, node.outputs[0] ?? `${node.opType}_${index}`);
    let bytes = 0;
    reading.outputs.forEach((output, slot) => {
      const name = node.outputs[slot] ?? "";
      if (name === "") return;
      this.values.set(name, { shape: output.shape, dtype: output.dtype, node: id });
      if (slot === 0 || this.consumers.has(name)) bytes += valueBytes(output);
    });
    const params = this.params(inputs, reading);
    const fusable =
      node.opType === "MatMul" &&
      reading.zoo?.type === "dense" &&
      this.consumers.get(node.outputs[0] ?? "") === 1;
    const activations = inputs.filter((value): value is Value => value?.node !== undefined);
    const shape = reading.outputs[0]?.shape ?? [];
    this.pending.push({ id, onnx: node, reading, inputs: activations, params, bytes, shape, fusable });
  }

  /** The learned parameters among a node's inputs: float initializers but scalars and buffers. */
  private params(inputs: readonly (Value | undefined)[], reading: OpReading): ParamSpec[] {
    const params: ParamSpec[] = [];
    inputs.forEach((value, slot) => {
      if (value?.initializer === undefined) return;
      this.used.add(value.initializer);
      if (reading.buffers?.includes(slot) || !FLOAT_TYPES.has(value.dtype) || count(value.shape) <= 1) return;
      this.learned.add(value.initializer);
      params.push({ name: value.initializer, shape: value.shape });
    });
    return params;
  }

  /** MatMul(x, W) then Add(., b): the bias joins the dense node; the Add's output is its output. */
  private fuseBias(node: OnnxNode, inputs: readonly (Value | undefined)[], reading: OpReading): boolean {
    if (node.opType !== "Add" || inputs.length !== 2) return false;
    const last = this.pending[this.pending.length - 1];
    const [a, b] = inputs[0]?.node !== undefined ? inputs : [inputs[1], inputs[0]];
    if (last === undefined || !last.fusable || a?.node !== last.id || b?.initializer === undefined)
      return false;
    const units = last.shape[last.shape.length - 1];
    if (
      b.shape.length !== 1 ||
      b.shape[0] !== units ||
      reading.outputs[0]?.shape.join() !== last.shape.join()
    )
      return false;
    last.fusable = false;
    last.params.push({ name: b.initializer, shape: b.shape });
    this.learned.add(b.initializer);
    this.used.add(b.initializer);
    this.values.set(node.outputs[0] ?? "", { shape: last.shape, dtype: b.dtype, node: last.id });
    return true;
  }

  private unknown(node: OnnxNode, path: string, label: string): OpReading | undefined {
    const outputs = node.outputs.map((name) => this.valueInfo(name));
    if (outputs.some((output) => output === undefined)) {
      this.issue(
        "structure",
        path,
        `an op remat knows, or its output shapes in value_info (${label})`,
        "an unknown op without value_info",
      );
      return undefined;
    }
    this.warnings.push(
      `${label}: op not in remat's table; read as needing its inputs and output (shape from value_info)`,
    );
    return { outputs: outputs as OpReading["outputs"], needs: ["inputs", "output"], flops: [0, 0] };
  }

  private valueInfo(name: string): { shape: number[]; dtype: number } | undefined {
    const graph = this.model.graph;
    const info = [...graph.valueInfo, ...graph.outputs].find((entry) => entry.name === name);
    if (info?.shape === undefined || info.elemType === undefined) return undefined;
    const dims = info.shape.map((dim, axis) =>
      typeof dim === "number" ? dim : axis === 0 ? this.options.batch : undefined,
    );
    return dims.every((dim) => dim !== undefined && dim >= 0)
      ? { shape: dims as number[], dtype: info.elemType }
      : undefined;
  }

  private constant(node: OnnxNode, path: string): void {
    const tensor = node.attributes.find((attribute) => attribute.name === "value")?.t;
    const scalar = node.attributes.find((attribute) => attribute.name.startsWith("value_"));
    const name = node.outputs[0] ?? "";
    if (tensor !== undefined) {
      const value: Value = { shape: tensor.dims, dtype: tensor.dataType, ...known(tensor) };
      this.values.set(name, value);
    } else if (scalar?.ints !== undefined || scalar?.i !== undefined) {
      const data = scalar.ints ?? [scalar.i as number];
      this.values.set(name, { shape: scalar.ints === undefined ? [] : [data.length], dtype: INT64, data });
    } else if (scalar?.floats !== undefined || scalar?.f !== undefined) {
      const data = scalar.floats ?? [scalar.f as number];
      this.values.set(name, { shape: scalar.floats === undefined ? [] : [data.length], dtype: 1, data });
    } else this.issue("structure", `${path}.attribute`, "a Constant with a value", "none");
  }

  /** A node computed from constants alone: its outputs are constants (known when cheap to know). */
  private fold(node: OnnxNode, reading: OpReading): void {
    const inputs = node.inputs.map((name) => this.values.get(name));
    const data = foldedData(node, inputs);
    reading.outputs.forEach((output, slot) => {
      const known = slot === 0 && data !== undefined && data.length === count(output.shape) ? { data } : {};
      this.values.set(node.outputs[slot] ?? "", { shape: output.shape, dtype: output.dtype, ...known });
    });
    for (const name of node.inputs) {
      const value = this.values.get(name);
      if (value?.initializer !== undefined) this.used.add(value.initializer);
    }
    // A weight used through a folded op (GPT-2's tied head reads the embedding transposed) stays learned.
  }

  private freshId(name: string, fallback: string): string {
    const base = (name === "" ? fallback : name).replace(/[^A-Za-z0-9_.:/-]/g, "_") || "node";
    let id = base;
    for (let suffix = 2; this.ids.has(id); suffix++) id = `${base}_${suffix}`;
    this.ids.add(id);
    return id;
  }

  /** The appended loss (and labels), reading the graph's single output. */
  private loss(graph: OnnxGraph): NodeDocument[] {
    const kind = this.options.loss ?? "mean-square";
    if (kind === "none") return [];
    const outputs = graph.outputs
      .map((output) => this.values.get(output.name))
      .filter((value): value is Value => value?.node !== undefined);
    const output = outputs[0];
    if (outputs.length !== 1 || output === undefined) {
      this.issue(
        "structure",
        "graph.output",
        `one output computed from the inputs for the appended ${kind} loss (or --loss none)`,
        `${outputs.length} outputs`,
      );
      return [];
    }
    const ids = { labels: this.freshId("labels", "labels"), loss: this.freshId("loss", "loss") };
    return lossNodes(kind, output, ids, this.options.device ?? V100);
  }

  private document(nodes: NodeDocument[]): InstanceDocument {
    const optimizer = this.options.optimizer ?? "sgd";
    const state = OPTIMIZER_STATE_FLOATS[optimizer];
    let learned = 0;
    let buffers = 0;
    let parameters = 0;
    for (const name of this.used) {
      const tensor = this.initializers.get(name) as OnnxTensor;
      const bytes = valueBytes({ shape: tensor.dims, dtype: tensor.dataType });
      if (this.learned.has(name)) {
        learned += 2 * bytes + 4 * state * count(tensor.dims);
        parameters += count(tensor.dims);
      } else buffers += bytes;
    }
    const device = this.options.device ?? V100;
    const graph = this.model.graph;
    return {
      format: "remat-instance/1",
      name: this.options.name ?? (graph.name.replace(/[^A-Za-z0-9_.-]/g, "_") || "onnx-model"),
      source: [
        `Imported from ONNX${this.options.file === undefined ? "" : ` ${this.options.file}`} by remat import (src/onnx)${this.model.producer === undefined ? "" : `, produced by ${this.model.producer}`}.`,
        "One node per ONNX node (ids are the node names); bytes exact from shapes and element types; needs from each op's backward (src/onnx/ops.ts, src/zoo/ops/backward.ts).",
        `Times: roofline of ${device.name} (src/zoo/ops/cost.ts).`,
        `fixedBytes: ${parameters} learned parameters x (weights + gradients${state === 0 ? "" : ` + ${state} ${optimizer} state floats`}), plus ${buffers} bytes of other initializers (buffers, constants).`,
        ...(this.warnings.length > 0
          ? [`Read conservatively: ${this.warnings.length} node(s) of ops not in the table.`]
          : []),
      ].join(" "),
      fixedBytes: learned + buffers,
      hardware: PCIE3_X16,
      nodes,
    };
  }
}

/** Ops whose output holds the same values as their first input (only the shape changes). */
const VALUE_PRESERVING = new Set(["Identity", "Cast", "Reshape", "Squeeze", "Unsqueeze", "Flatten"]);

/**
 * The values of a folded node's output when cheap to know: value-preserving ops, Concat of known 1-D
 * values, Gather of known values at known indices (the shape arithmetic of dynamic-shape exports).
 */
function foldedData(node: OnnxNode, inputs: readonly (Value | undefined)[]): readonly number[] | undefined {
  const first = inputs[0]?.data;
  if (VALUE_PRESERVING.has(node.opType)) return first;
  if (
    node.opType === "Concat" &&
    inputs.every((value) => value?.data !== undefined && value.shape.length <= 1)
  )
    return inputs.flatMap((value) => [...(value?.data ?? [])]);
  const indices = inputs[1]?.data;
  if (
    node.opType === "Gather" &&
    first !== undefined &&
    indices !== undefined &&
    inputs[0]?.shape.length === 1
  )
    return indices.map((index) => first[index < 0 ? index + first.length : index] as number);
  return undefined;
}
