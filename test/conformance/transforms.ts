/**
 * Metamorphic transforms of an instance for the conformance laws: scaling every time, renaming every
 * node, and inserting a pass-through node. Each builds a new document and parses it, so the result is
 * an instance like any other.
 */
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance, InstanceNode } from "../../src/instance/types.js";

function reparse(
  instance: Instance,
  name: string,
  nodes: readonly InstanceNode[],
  hardware = instance.hardware,
) {
  return parseInstance({
    format: instance.format,
    name,
    source: instance.source,
    fixedBytes: instance.fixedBytes,
    ...(hardware === undefined ? {} : { hardware }),
    nodes: nodes.map((node) => ({ ...node, inputs: [...node.inputs], needs: [...node.needs] })),
  });
}

/**
 * Every time multiplied by `k`: forward, backward, each conversion and expansion of a stored form, and
 * each transfer (latency x k, bandwidth / k).
 */
export function scaleTimes(instance: Instance, k: number): Instance {
  const hardware =
    instance.hardware === undefined
      ? undefined
      : { bandwidth: instance.hardware.bandwidth / k, latency: instance.hardware.latency * k };
  return reparse(
    instance,
    `${instance.name}-x${k}`,
    instance.nodes.map((node) => ({
      ...node,
      fwd: node.fwd * k,
      bwd: node.bwd * k,
      storage: Object.fromEntries(
        Object.entries(node.storage).map(([mode, costs]) => [
          mode,
          { convertMs: costs.convertMs * k, expandMs: costs.expandMs * k },
        ]),
      ),
    })),
    hardware,
  );
}

/** The new id of each node: `v<index>` numbered backwards, so the renaming reverses their string order. */
export function renaming(instance: Instance): ReadonlyMap<string, string> {
  const n = instance.nodes.length;
  return new Map(
    instance.nodes.map((node, index) => [node.id, `v${String(n - index).padStart(3, "0")}`] as const),
  );
}

/** Every node renamed by {@link renaming}. */
export function relabel(instance: Instance): Instance {
  const names = renaming(instance);
  const rename = (id: string) => names.get(id) as string;
  return reparse(
    instance,
    `${instance.name}-renamed`,
    instance.nodes.map((node) => ({ ...node, id: rename(node.id), inputs: node.inputs.map(rename) })),
  );
}

/** A schedule's text with its node ids renamed. */
export function renameSchedule(lines: readonly string[], names: ReadonlyMap<string, string>): string[] {
  return lines.map((line) =>
    line.replace(/(^[FBOPCX] |^D [ags]:)([^ ]+)/, (_, head: string, id: string) => `${head}${names.get(id)}`),
  );
}

/**
 * A pass-through node `p` right after node `at`: no time, no bytes (nor gradient, tape or temporaries),
 * reads `at`, and every former reader of `at` reads `p` instead. Every schedule without it has a
 * counterpart of no higher cost with it (recomputing or keeping `p` is free), so no class optimum rises.
 */
export function insertPassThrough(instance: Instance, at: number): Instance {
  const source = instance.nodes[at] as InstanceNode;
  const pass: InstanceNode = {
    id: "pass",
    fwd: 0,
    bwd: 0,
    bytes: 0,
    gradBytes: 0,
    inputs: [source.id],
    needs: [],
    tapeBytes: 0,
    fwdTemp: 0,
    bwdTemp: 0,
    recomputable: true,
    offloadable: true,
    elementBytes: 4,
    density: 1,
    storage: {},
  };
  const nodes: InstanceNode[] = instance.nodes.map((node) => ({
    ...node,
    inputs: node.inputs.map((id) => (id === source.id ? pass.id : id)),
  }));
  nodes.splice(at + 1, 0, pass);
  return reparse(instance, `${instance.name}-pass`, nodes);
}
