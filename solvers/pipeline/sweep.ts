/**
 * GPipe's stage rematerialization (Huang et al. 2019, section 2.3) as a stage schedule: the forward
 * part sweeps the stage's nodes once without tape, freeing each activation once its reader has run
 * and the last one after it is sent, so a micro-batch keeps only the stage's input between its parts;
 * the backward part is a whole single-device schedule of the stage (`inner`) run from that input.
 * The result is `inner` with the sweep inserted after its leading loads of the stage's sources
 * (the graph's input and labels, or `pipe.src` and `pipe.recv`). On an op-level stage each activation
 * is freed after its last reader in the sweep. O(|inner| + stage size).
 */
import type { Instance } from "../../src/instance/types.js";
import { STAGE_RECEIVE_ID } from "../../src/pipeline/stage-instance.js";
import { ops, type Schedule } from "../../src/schedule/types.js";

/** `inner` preceded by a forward sweep (see the module comment); undefined when `inner` does not start by loading the sources. */
export function withForwardSweep(stage: Instance, inner: Schedule): Schedule | undefined {
  const leading = new Set(
    stage.nodes.filter((node) => node.inputs.length === 0 || node.id === STAGE_RECEIVE_ID).map((n) => n.id),
  );
  let prefix = 0;
  while (prefix < inner.length) {
    const op = inner[prefix] as Schedule[number];
    if (op.op !== "F" || !leading.has(op.node)) break;
    prefix++;
  }
  if (prefix !== leading.size) return undefined;
  return [...inner.slice(0, prefix), ...sweep(stage, leading), ...inner.slice(prefix)];
}

/** Forwards of every node not in `leading`, in order, each freed right after its last reader runs. */
function sweep(stage: Instance, leading: ReadonlySet<string>): Schedule[number][] {
  const lastReader = new Map<string, string>();
  for (const node of stage.nodes) for (const input of node.inputs) lastReader.set(input, node.id);
  const swept = stage.nodes.filter((node) => !leading.has(node.id));
  const steps: Schedule[number][] = [];
  for (const node of swept) {
    steps.push(ops.forward(node.id, false));
    const done = [...new Set(node.inputs)].filter((id) => !leading.has(id) && lastReader.get(id) === node.id);
    for (const id of done) steps.push(ops.freeActivation(id));
  }
  for (const node of swept) if (!lastReader.has(node.id)) steps.push(ops.freeActivation(node.id));
  return steps;
}
