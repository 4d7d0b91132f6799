/**
 * The importer's walk over an ONNX graph (src/onnx/import.ts says what it builds): inputs, then each node
 * in order, read by the op table (src/onnx/ops.ts), folded when computed from constants alone, fused
 * when a bias Add follows a MatMul dense, and one instance node otherwise.
 */
import { InputError, type InputIssue } from "../errors.js";
import { checked, type NodeDocument } from "../zoo/document.js";
import { V100 } from "../zoo/roofline.js";
import type { ParamSpec } from "../zoo/types.js";
import { importedDocument } from "./document.js";
import { lossNodes, opNode, type PendingNode, sourceNode } from "./emit.js";
import { constantValue, foldedData } from "./fold.js";
import { type ImportOptions, type ImportResult, SITE } from "./import-options.js";
import type { OnnxGraph, OnnxModel, OnnxNode, OnnxTensor } from "./model.js";
import type { OpReading } from "./op-reading.js";
import { handlerOf } from "./ops.js";
import { kernelMapping, type MappingInput } from "./runnable.js";
import { Attrs } from "./shapes.js";
import { inputShape, valueInfoShape } from "./value-info.js";
import { count, FLOAT_TYPES, INT64, known, type Value, valueBytes } from "./values.js";

/** Marks a node skipped because an input of it could not be read (never reported). */
const SKIPPED: InputIssue = { code: "structure", path: "", expected: "", received: "" };

/** One import: the graph's values by name, the instance nodes so far, and every issue found. */
export class Importer {
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
  private appended: MappingInput["loss"];

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
    const kernels = kernelMapping({
      name: this.model.graph.name,
      sources: this.sources,
      pending: this.pending,
      ...(this.appended === undefined ? {} : { loss: this.appended }),
    });
    return {
      kernels,
      document: checked(
        importedDocument({
          model: this.model,
          nodes,
          initializers: this.initializers,
          used: this.used,
          learned: this.learned,
          warnings: this.warnings,
          device,
          optimizer: this.options.optimizer ?? "sgd",
          ...(this.options.name === undefined ? {} : { name: this.options.name }),
          ...(this.options.file === undefined ? {} : { file: this.options.file }),
        }),
      ),
      warnings: this.warnings,
    };
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
  private readInput(input: OnnxGraph["inputs"][number], index: number): void {
    const read = inputShape(input, index, this.options.inputShapes?.[input.name], this.options.batch);
    if ("code" in read) {
      this.issues.push(read);
      return;
    }
    const id = this.freshId(input.name, `input_${index}`);
    const value: Value = { shape: read.shape, dtype: read.dtype, node: id };
    this.values.set(input.name, value);
    this.sources.push({ id, value, name: input.name });
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
    const outputs = node.outputs.map((name) => valueInfoShape(this.model.graph, name, this.options.batch));
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

  private constant(node: OnnxNode, path: string): void {
    const value = constantValue(node);
    if (value === undefined) this.issue("structure", `${path}.attribute`, "a Constant with a value", "none");
    else this.values.set(node.outputs[0] ?? "", value);
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
    this.appended = { kind, output, ids };
    return lossNodes(kind, output, ids, this.options.device ?? V100);
  }
}
