/**
 * ZooGraph -> op-level instance: one node per op, in the graph's order. Bytes are exact from the
 * shapes, `needs` and temporaries come from the op type (src/zoo/ops/backward.ts), times from the
 * roofline model (src/zoo/roofline.ts), `fixedBytes` from the parameters; `model` names the zoo network
 * and its config so the simulator can rebuild it, and `meta` carries each op's type, shape and block.
 */
import {
  checked,
  fixedBytesOf,
  type InstanceDocument,
  memoryOf,
  type NodeDocument,
  provenance,
  type ZooInstanceOptions,
} from "./document.js";
import { isRecomputable, needsOf, temporariesOf } from "./ops/backward.js";
import { opCost } from "./ops/cost.js";
import { tensorBytes } from "./ops/shape.js";
import { PCIE3_X16, rooflineMs, V100 } from "./roofline.js";
import type { ZooGraph, ZooOp } from "./types.js";

/** The op-level instance document of `graph` (validated with parseInstance before it is returned). */
export function toOpDocument(graph: ZooGraph, options: ZooInstanceOptions = {}): InstanceDocument {
  const device = options.device ?? V100;
  const byId = new Map<string, ZooOp>(graph.ops.map((op) => [op.id, op]));
  const nodes = graph.ops.map((op): NodeDocument => {
    const inputs = op.inputs.map((id) => byId.get(id) as ZooOp);
    const cost = opCost(op, inputs);
    const { fwdTemp, bwdTemp } = temporariesOf(op, inputs);
    return {
      id: op.id,
      fwd: rooflineMs(device, cost.fwdFlops, cost.fwdBytes),
      bwd: rooflineMs(device, cost.bwdFlops, cost.bwdBytes),
      bytes: tensorBytes(op.shape),
      ...(op.inputs.length > 0 ? { inputs: [...op.inputs] } : {}),
      needs: [...needsOf(op.type)],
      ...(fwdTemp > 0 ? { fwdTemp } : {}),
      ...(bwdTemp > 0 ? { bwdTemp } : {}),
      ...(isRecomputable(op.type) ? {} : { recomputable: false }),
      meta: { op: op.type, shape: [...op.shape], block: op.block },
    };
  });
  const document: InstanceDocument = {
    format: "remat-instance/1",
    name: options.name ?? `${graph.zoo}-op`,
    source: provenance(
      graph,
      options,
      "Op level: one node per op of the zoo graph; needs and temporaries per op type (src/zoo/ops/backward.ts).",
    ),
    fixedBytes: fixedBytesOf(graph, options.optimizer ?? "sgd"),
    memory: memoryOf(graph, options.optimizer ?? "sgd"),
    hardware: PCIE3_X16,
    model: { zoo: graph.zoo, config: structuredClone(graph.config) as Record<string, unknown> },
    nodes,
  };
  return checked(document);
}
