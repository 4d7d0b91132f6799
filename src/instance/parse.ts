/**
 * parseInstance: checks a JSON value against the instance format (instances/schema.json) and its
 * semantics, fills defaults and returns a frozen {@link Instance}. Every problem is collected and
 * thrown at once in one InputError.
 */
import { InputError } from "../errors.js";
import { batchModelIdIssues, readBatchModel } from "./batch-model.js";
import { Checker, join } from "./checker.js";
import { deepFreeze, depthIssues } from "./json-depth.js";
import { totalIssues } from "./limits.js";
import { MEMORY_FIELDS, readMemory } from "./memory.js";
import { readOnnxSource } from "./onnx-source.js";
import { markParsed } from "./parsed.js";
import { DEFAULT_DENSITY, DEFAULT_ELEMENT_BYTES, readStorage, STORAGE_COST_FIELDS } from "./storage.js";
import {
  INSTANCE_FORMAT,
  type Instance,
  type InstanceNode,
  type ModelSpec,
  type NeedsWord,
} from "./types.js";

/** Node ids: letters, digits and `_ . : / -` (DESIGN.md, "File formats"). */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.:/-]+$/;

const TOP_FIELDS = [
  "$schema",
  "format",
  "name",
  "source",
  "fixedBytes",
  "memory",
  "hardware",
  "model",
  "batchModel",
  "nodes",
  "expected",
];
const NODE_FIELDS = [
  "id",
  "fwd",
  "bwd",
  "bytes",
  "gradBytes",
  "inputs",
  "needs",
  "tapeBytes",
  "fwdTemp",
  "bwdTemp",
  "recomputable",
  "offloadable",
  "elementBytes",
  "density",
  "storage",
  "meta",
];
const NEEDS_WORDS: readonly NeedsWord[] = ["inputs", "output"];

/** The field names the parser accepts, for the schema-agreement test. */
export const INSTANCE_FIELDS = {
  top: TOP_FIELDS,
  node: NODE_FIELDS,
  hardware: ["bandwidth", "latency"],
  memory: MEMORY_FIELDS,
  storageCosts: STORAGE_COST_FIELDS,
} as const;

/**
 * Validates a parsed JSON value as an instance and returns it frozen, with defaults filled.
 *
 * Numbers are refused where a solver could not represent them exactly (src/instance/limits.ts): every
 * size (`bytes`, `gradBytes`, `tapeBytes`, `fwdTemp`, `bwdTemp`, `fixedBytes`) must be an integer
 * <= 2^53 - 1 (code `too-large`), and so must the memory total (fixedBytes + every activation, gradient,
 * tape and largest stored form + the largest temporaries; code `total-too-large`, path `nodes`); every
 * time (`fwd`, `bwd`, `hardware.latency`, `storage.MODE.convertMs` / `expandMs`) and the totals of times
 * must be <= 1e15 ms; `hardware.bandwidth` must be positive and finite; `elementBytes` a positive
 * integer, `density` a number from 0 to 1; the optional `memory` block (src/instance/memory.ts) must
 * add up to `fixedBytes` (code `too-large` above 1). JSON nested deeper than 100 levels (in `meta`, `model.config` or anywhere) is refused
 * with code `too-deep` at its path (src/instance/json-depth.ts), before anything walks it.
 *
 * @param value the parsed JSON document
 * @param file the file it came from, named in error messages
 * @throws InputError listing every schema and semantic problem (unknown fields, bad or too large
 *   numbers and totals, too deep nesting, duplicate or unknown ids, cycles, nodes out of topological
 *   order, a loss that is not unique and last)
 */
export function parseInstance(value: unknown, file?: string): Instance {
  const check = new Checker();
  const top = check.object(value, "");
  if (top === undefined) throw new InputError("parseInstance", check.issues, file);
  const tooDeep = depthIssues(top);
  if (tooDeep.length > 0) throw new InputError("parseInstance", tooDeep, file);
  check.knownFields(top, "", TOP_FIELDS);
  if (top.format !== INSTANCE_FORMAT)
    check.add(
      top.format === undefined ? "required" : "bad-value",
      "format",
      `"${INSTANCE_FORMAT}"`,
      top.format,
    );
  const name = check.string(top.name, "name");
  const source = check.string(top.source, "source", "");
  const fixedBytes = check.amount(top.fixedBytes, "fixedBytes", { kind: "bytes", fallback: 0 });
  const memory = readMemory(check, top.memory, fixedBytes);
  const hardware = readHardware(check, top.hardware);
  const model = readModel(check, top.model);
  const nodes = readNodes(check, top.nodes);
  const batchModel = readBatchModel(check, top.batchModel);
  if (batchModel !== undefined && check.issues.length === 0)
    batchModelIdIssues(
      check,
      batchModel,
      nodes.map((node) => node.id),
    );
  if (check.issues.length === 0) check.issues.push(...totalIssues(fixedBytes, nodes, hardware));
  if (check.issues.length === 0) checkGraph(check, nodes);
  if (check.issues.length > 0) throw new InputError("parseInstance", check.issues, file);
  const instance: Instance = {
    format: INSTANCE_FORMAT,
    name,
    source,
    fixedBytes,
    ...(memory === undefined ? {} : { memory }),
    ...(hardware === undefined ? {} : { hardware }),
    ...(model === undefined ? {} : { model }),
    ...(batchModel === undefined ? {} : { batchModel }),
    nodes,
  };
  return markParsed(deepFreeze(instance));
}

function readHardware(check: Checker, value: unknown): Instance["hardware"] {
  if (value === undefined) return undefined;
  const record = check.object(value, "hardware");
  if (record === undefined) return undefined;
  check.knownFields(record, "hardware", INSTANCE_FIELDS.hardware);
  return {
    bandwidth: check.amount(record.bandwidth, "hardware.bandwidth", { kind: "positive" }),
    latency: check.amount(record.latency, "hardware.latency", { kind: "ms", fallback: 0 }),
  };
}

function readModel(check: Checker, value: unknown): ModelSpec | undefined {
  if (value === undefined) return undefined;
  const record = check.object(value, "model");
  if (record === undefined) return undefined;
  const { backend } = record;
  if (backend !== undefined && backend !== "cpu" && backend !== "wasm")
    check.add(
      "bad-value",
      "model.backend",
      '"cpu" or "wasm" (the kernel backend the times were measured on)',
      backend,
    );
  const backendField: { backend?: "cpu" | "wasm" } =
    backend === "cpu" || backend === "wasm" ? { backend } : {};
  if (record.onnx !== undefined) {
    check.knownFields(record, "model", ["onnx", "backend"]);
    const onnx = readOnnxSource(check, record.onnx);
    return onnx === undefined ? undefined : { onnx, ...backendField };
  }
  check.knownFields(record, "model", ["zoo", "config", "backend"]);
  const zoo = check.string(record.zoo, "model.zoo");
  const config = record.config === undefined ? {} : (check.object(record.config, "model.config") ?? {});
  return { zoo, config: structuredClone(config), ...backendField };
}

function readNodes(check: Checker, value: unknown): InstanceNode[] {
  if (!Array.isArray(value)) {
    check.add(value === undefined ? "required" : "type", "nodes", "an array of at least 2 nodes", value);
    return [];
  }
  if (value.length < 2)
    check.add("structure", "nodes", "an array of at least 2 nodes (an input and a loss)", value);
  return value.map((item, index) => readNode(check, item, join("nodes", index)));
}

function readNode(check: Checker, value: unknown, path: string): InstanceNode {
  const record = check.object(value, path) ?? {};
  check.knownFields(record, path, NODE_FIELDS);
  const id = check.string(record.id, join(path, "id"));
  if (typeof record.id === "string" && !NODE_ID_PATTERN.test(id)) {
    check.add("bad-value", join(path, "id"), "an id matching [A-Za-z0-9_.:/-]+", record.id);
  }
  const bytes = check.amount(record.bytes, join(path, "bytes"), { kind: "bytes" });
  const inputs = readStringList(check, record.inputs, join(path, "inputs"));
  const needs = readNeeds(check, record.needs, join(path, "needs"));
  const meta = record.meta === undefined ? undefined : check.object(record.meta, join(path, "meta"));
  return {
    id,
    fwd: check.amount(record.fwd, join(path, "fwd"), { kind: "ms" }),
    bwd: check.amount(record.bwd, join(path, "bwd"), { kind: "ms" }),
    bytes,
    gradBytes: check.amount(record.gradBytes, join(path, "gradBytes"), { kind: "bytes", fallback: bytes }),
    inputs,
    needs,
    tapeBytes: check.amount(record.tapeBytes, join(path, "tapeBytes"), { kind: "bytes", fallback: 0 }),
    fwdTemp: check.amount(record.fwdTemp, join(path, "fwdTemp"), { kind: "bytes", fallback: 0 }),
    bwdTemp: check.amount(record.bwdTemp, join(path, "bwdTemp"), { kind: "bytes", fallback: 0 }),
    recomputable: check.boolean(record.recomputable, join(path, "recomputable"), true),
    offloadable: check.boolean(record.offloadable, join(path, "offloadable"), true),
    elementBytes: check.amount(record.elementBytes, join(path, "elementBytes"), {
      kind: "count",
      fallback: DEFAULT_ELEMENT_BYTES,
    }),
    density: check.amount(record.density, join(path, "density"), {
      kind: "fraction",
      fallback: DEFAULT_DENSITY,
    }),
    storage: readStorage(check, record.storage, join(path, "storage")),
    ...(meta === undefined ? {} : { meta: structuredClone(meta) }),
  };
}

function readStringList(check: Checker, value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    check.add("type", path, "an array of node ids", value);
    return [];
  }
  return value.map((item, index) => check.string(item, join(path, index)));
}

function readNeeds(check: Checker, value: unknown, path: string): NeedsWord[] {
  if (value === undefined) return [...NEEDS_WORDS];
  if (!Array.isArray(value)) {
    check.add("type", path, 'an array of "inputs" and "output"', value);
    return [];
  }
  const words: NeedsWord[] = [];
  value.forEach((item, index) => {
    if (item === "inputs" || item === "output") {
      if (words.includes(item)) check.add("bad-value", join(path, index), "each word at most once", item);
      else words.push(item);
    } else check.add("bad-value", join(path, index), '"inputs" or "output"', item);
  });
  return words;
}

/** Semantic checks: ids unique and known, no cycle, topological order, one loss listed last. */
function checkGraph(check: Checker, nodes: readonly InstanceNode[]): void {
  const position = new Map<string, number>();
  nodes.forEach((node, index) => {
    if (position.has(node.id))
      check.add(
        "duplicate-id",
        join(join("nodes", index), "id"),
        "an id not used by an earlier node",
        node.id,
      );
    else position.set(node.id, index);
  });
  let graphKnown = true;
  nodes.forEach((node, index) => {
    const seen = new Set<string>();
    node.inputs.forEach((input, k) => {
      const path = join(join(join("nodes", index), "inputs"), k);
      if (!position.has(input)) {
        check.add("unknown-id", path, "the id of a node in this instance", input);
        graphKnown = false;
      } else if (seen.has(input)) check.add("duplicate-input", path, "each input listed once", input);
      seen.add(input);
    });
  });
  if (!graphKnown || check.issues.length > 0) return;
  const cycle = findCycle(nodes, position);
  if (cycle !== undefined) {
    const at = position.get(cycle[0] as string) ?? 0;
    check.add(
      "cycle",
      join(join("nodes", at), "inputs"),
      "an acyclic graph",
      `the cycle ${cycle.join(" -> ")}`,
    );
    return;
  }
  nodes.forEach((node, index) => {
    node.inputs.forEach((input, k) => {
      if ((position.get(input) ?? 0) >= index) {
        check.add(
          "order",
          join(join(join("nodes", index), "inputs"), k),
          "a node listed earlier (nodes in topological order)",
          input,
        );
      }
    });
  });
  const consumed = new Set(nodes.flatMap((node) => node.inputs));
  const sinks = nodes.map((node, index) => ({ id: node.id, index })).filter((node) => !consumed.has(node.id));
  const last = nodes.length - 1;
  for (const sink of sinks) {
    if (sink.index !== last) {
      check.add(
        "structure",
        join(join("nodes", sink.index), "id"),
        "consumed by some node: only the loss, listed last, has no consumers",
        sink.id,
      );
    }
  }
  if ((nodes[last]?.inputs.length ?? 0) === 0) {
    check.add(
      "structure",
      join(join("nodes", last), "inputs"),
      "at least one input (the loss, listed last, reads the network)",
      nodes[last]?.inputs,
    );
  }
}

/** Returns the ids along one cycle of the input relation, or undefined when there is none (iterative DFS). */
function findCycle(
  nodes: readonly InstanceNode[],
  position: ReadonlyMap<string, number>,
): string[] | undefined {
  const state = new Uint8Array(nodes.length); // 0 unseen, 1 on the stack, 2 done
  const parent = new Int32Array(nodes.length).fill(-1);
  for (let root = 0; root < nodes.length; root++) {
    if (state[root] !== 0) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as [number, number];
      const [v, k] = frame;
      const inputs = (nodes[v] as InstanceNode).inputs;
      if (k >= inputs.length) {
        state[v] = 2;
        stack.pop();
        continue;
      }
      frame[1] = k + 1;
      const u = position.get(inputs[k] as string) as number;
      if (state[u] === 1) return cycleThrough(nodes, parent, u, v);
      if (state[u] === 0) {
        state[u] = 1;
        parent[u] = v;
        stack.push([u, 0]);
      }
    }
  }
  return undefined;
}

/**
 * The ids of the cycle closed by the edge from `v` back to `u` (an ancestor of `v` on the DFS stack),
 * following `parent` from `v` up to `u`, in input order and starting and ending at `u`.
 */
function cycleThrough(nodes: readonly InstanceNode[], parent: Int32Array, u: number, v: number): string[] {
  const cycle = [nodes[u]?.id as string];
  for (let w = v; w !== u && w !== -1; w = parent[w] as number) cycle.push(nodes[w]?.id as string);
  cycle.push(nodes[u]?.id as string);
  return cycle.reverse();
}
