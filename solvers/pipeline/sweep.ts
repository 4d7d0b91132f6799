/**
 * GPipe's stage rematerialization (Huang et al. 2019, section 2.3) as a stage schedule: the forward
 * part sweeps the stage's nodes once without tape, freeing each activation once its reader has run
 * and the last one after it is sent, so a micro-batch keeps only the stage's input between its parts;
 * the backward part is a whole single-device schedule of the stage (`inner`) run from that input.
 * The result is `inner` with the sweep inserted after its leading loads of the stage's sources
 * (the chain input, or `pipe.src` and `pipe.recv`). O(|inner| + stage length).
 */
import type { Instance } from "../../src/instance/types.js";
import { STAGE_RECEIVE_ID, STAGE_SOURCE_ID } from "../../src/pipeline/stage-instance.js";
import { ops, type Schedule } from "../../src/schedule/types.js";

/** `inner` preceded by a forward sweep (see the module comment); undefined when `inner` does not start by loading the sources. */
export function withForwardSweep(stage: Instance, inner: Schedule): Schedule | undefined {
  const loaded = new Set<string>();
  let prefix = 0;
  const head =
    stage.nodes[0]?.id === STAGE_SOURCE_ID ? [STAGE_SOURCE_ID, STAGE_RECEIVE_ID] : [stage.nodes[0]?.id];
  const leading = new Set(head);
  while (prefix < inner.length) {
    const op = inner[prefix] as Schedule[number];
    if (op.op !== "F" || !leading.has(op.node)) break;
    loaded.add(op.node);
    prefix++;
  }
  if (loaded.size !== leading.size) return undefined;
  const sweep: Schedule[number][] = [];
  let previous: string | undefined;
  for (const node of stage.nodes) {
    if (loaded.has(node.id)) continue;
    sweep.push(ops.forward(node.id, false));
    if (previous !== undefined) sweep.push(ops.freeActivation(previous));
    previous = node.id;
  }
  if (previous !== undefined) sweep.push(ops.freeActivation(previous));
  return [...inner.slice(0, prefix), ...sweep, ...inner.slice(prefix)];
}
