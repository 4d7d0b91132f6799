/**
 * The optimum of the stage-grid class (src/optimality.ts, `stage-grid`) by exhaustive search, independently
 * of solvers/milp: a dynamic program over stages whose state is the set of activations (and tapes)
 * resident at a stage's start, trying at every stage every set of forwards to run (each with or without
 * its tape) and every set to keep into the next stage, with its own memory count written from the cost
 * model (DESIGN.md) and eager frees (a free later only costs memory, proofs/milp.md). The best path is
 * emitted as a schedule so the test can check it with the evaluator. Exponential: for tiny instances.
 */
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Instruction } from "../../src/schedule/types.js";
import { ops, type Schedule } from "../../src/schedule/types.js";

/** The search's answer: the optimum and a schedule reaching it, or undefined when nothing fits. */
export interface GridOptimum {
  readonly makespanMs: number;
  readonly peakBytes: number;
  readonly schedule: Schedule;
}

interface Stage {
  readonly backward: number;
  readonly top: number;
}

interface Choice {
  readonly compute: number;
  readonly tapes: number;
  readonly keep: number;
}

interface Entry {
  readonly time: number;
  readonly peak: number;
  readonly from: number;
  readonly choice: Choice | undefined;
}

const bit = (i: number) => 2 ** i;
const has = (mask: number, i: number) => Math.floor(mask / bit(i)) % 2 === 1;

/** Stages: `F t` for every node, then `B w` for every non-source in reverse order. */
function stagesOf(instance: Instance): Stage[] {
  const g = graphOf(instance);
  const stages: Stage[] = g.ids.map((_, t) => ({ backward: -1, top: t }));
  for (let w = g.size - 1; w >= 0; w--) if (g.isSource[w] === 0) stages.push({ backward: w, top: w });
  return stages;
}

/** Gradient bytes at each stage's start and allocated by its backward (the evaluator's rule, per edge). */
function gradientsOf(instance: Instance, stages: readonly Stage[]) {
  const g = graphOf(instance);
  const start: number[] = [];
  const added: number[] = [];
  const end: number[] = [];
  const state = new Array<number>(g.size).fill(0);
  let current = 0;
  for (const stage of stages) {
    start.push(current);
    if (stage.backward < 0) {
      added.push(0);
      end.push(current);
      continue;
    }
    const w = stage.backward;
    let allocated = 0;
    for (const u of g.inputs[w] as number[])
      if (g.isSource[u] === 0 && state[u] === 0) allocated += g.gradBytes[u] as number;
    for (const u of g.inputs[w] as number[]) if (g.isSource[u] === 0) state[u] = 1;
    added.push(allocated);
    current += allocated - (state[w] === 1 ? (g.gradBytes[w] as number) : 0);
    state[w] = 2;
    end.push(current);
  }
  return { start, added, end };
}

/** What an op of a stage reads (distinct), `-1` standing for the backward. */
function readsOf(instance: Instance, stage: Stage, op: number): number[] {
  const g = graphOf(instance);
  if (op >= 0) return [...new Set(g.inputs[op] as number[])];
  const w = stage.backward;
  const reads = new Set<number>();
  if (g.needsInputs[w] === 1) for (const u of g.inputs[w] as number[]) reads.add(u);
  if (g.needsOutput[w] === 1) reads.add(w);
  return [...reads];
}

/** Runs stage `t` from `held` (activations, tapes) with `choice`; undefined when invalid. */
function runStage(
  instance: Instance,
  stages: readonly Stage[],
  grads: { start: number[]; added: number[]; end: number[] },
  t: number,
  held: { acts: number; tapes: number },
  choice: Choice,
  out?: Instruction[],
): { peak: number; time: number; tapes: number } | undefined {
  const g = graphOf(instance);
  const stage = stages[t] as Stage;
  const opsList: number[] = [];
  for (let i = 0; i <= stage.top; i++) if (has(choice.compute, i)) opsList.push(i);
  if (stage.backward >= 0) opsList.push(-1);
  const present = new Set<number>();
  for (let i = 0; i < g.size; i++) if (has(held.acts, i)) present.add(i);
  let tapes = held.tapes;
  let memory = instance.fixedBytes + (grads.start[t] as number);
  for (const i of present) memory += g.bytes[i] as number;
  for (let v = 0; v < g.size; v++) if (has(tapes, v)) memory += g.tapeBytes[v] as number;
  const lastUse = new Map<number, number>();
  opsList.forEach((op, position) => {
    for (const i of readsOf(instance, stage, op)) lastUse.set(i, position);
    if (op >= 0) lastUse.set(op, position);
  });
  for (const i of [...present])
    if (!lastUse.has(i) && !has(choice.keep, i)) {
      present.delete(i);
      memory -= g.bytes[i] as number;
      out?.push(ops.freeActivation(g.ids[i] as string));
    }
  let peak = memory;
  let time = 0;
  for (const [position, op] of opsList.entries()) {
    for (const i of readsOf(instance, stage, op)) if (!present.has(i)) return undefined;
    if (op >= 0) {
      if (present.has(op)) return undefined;
      const tape = has(choice.tapes, op);
      if (tape && has(tapes, op)) return undefined;
      const allocated = (g.bytes[op] as number) + (tape ? (g.tapeBytes[op] as number) : 0);
      peak = Math.max(peak, memory + allocated + (g.fwdTemp[op] as number));
      memory += allocated;
      present.add(op);
      if (tape) tapes += bit(op);
      time += g.fwd[op] as number;
      out?.push(ops.forward(g.ids[op] as string, tape));
    } else {
      const w = stage.backward;
      if ((g.tapeBytes[w] as number) > 0 && !has(tapes, w)) return undefined;
      peak = Math.max(peak, memory + (grads.added[t] as number) + (g.bwdTemp[w] as number));
      memory += (grads.end[t] as number) - (grads.start[t] as number);
      if (has(tapes, w)) {
        memory -= g.tapeBytes[w] as number;
        tapes -= bit(w);
      }
      time += g.bwd[w] as number;
      out?.push(ops.backward(g.ids[w] as string));
    }
    const touched = op >= 0 ? [...readsOf(instance, stage, op), op] : readsOf(instance, stage, op);
    for (const i of touched)
      if (lastUse.get(i) === position && !has(choice.keep, i)) {
        present.delete(i);
        memory -= g.bytes[i] as number;
        out?.push(ops.freeActivation(g.ids[i] as string));
      }
  }
  for (let i = 0; i < g.size; i++) if (has(choice.keep, i) && !present.has(i)) return undefined;
  return { peak, time, tapes };
}

/** Every subset of `items` as a mask. */
function subsets(items: readonly number[]): number[] {
  let masks = [0];
  for (const i of items) masks = masks.flatMap((m) => [m, m + bit(i)]);
  return masks;
}

/** The choices of stage `t`: forwards (frontier forced), their tapes, what to keep. */
function choicesOf(instance: Instance, stages: readonly Stage[], t: number): Choice[] {
  const g = graphOf(instance);
  const stage = stages[t] as Stage;
  const frontier = stage.backward < 0 ? t : -1;
  const computable: number[] = [];
  for (let i = 0; i <= stage.top; i++)
    if (i !== frontier && (stage.backward >= 0 || i < t) && g.recomputable[i] === 1) computable.push(i);
  const next = stages[t + 1];
  const keepable: number[] = [];
  if (next !== undefined)
    for (let i = 0; i <= Math.min(stage.top, next.top); i++)
      if (!(next.backward < 0 && i === t + 1)) keepable.push(i);
  const choices: Choice[] = [];
  for (const extra of subsets(computable)) {
    const compute = extra + (frontier >= 0 ? bit(frontier) : 0);
    const taped = g.ids.flatMap((_, v) =>
      has(compute, v) && (g.tapeBytes[v] as number) > 0 && g.isSource[v] === 0 ? [v] : [],
    );
    for (const tapes of subsets(taped))
      for (const keep of subsets(keepable)) choices.push({ compute, tapes, keep });
  }
  return choices;
}

/**
 * The least makespan of a stage-grid schedule peaking within `budgetBytes`, with a schedule reaching
 * it; undefined when none fits.
 */
export function gridOptimum(instance: Instance, budgetBytes: number): GridOptimum | undefined {
  const stages = stagesOf(instance);
  const grads = gradientsOf(instance, stages);
  let layer = new Map<string, Entry & { acts: number; tapes: number }>([
    ["0,0", { time: 0, peak: 0, from: -1, choice: undefined, acts: 0, tapes: 0 }],
  ]);
  const layers: Map<string, Entry & { acts: number; tapes: number; fromKey: string }>[] = [];
  for (let t = 0; t < stages.length; t++) {
    const next = new Map<string, Entry & { acts: number; tapes: number; fromKey: string }>();
    const choices = choicesOf(instance, stages, t);
    for (const [key, entry] of layer)
      for (const choice of choices) {
        const ran = runStage(instance, stages, grads, t, entry, choice);
        if (ran === undefined || ran.peak > budgetBytes) continue;
        const time = entry.time + ran.time;
        const peak = Math.max(entry.peak, ran.peak);
        const nextKey = `${choice.keep},${ran.tapes}`;
        const old = next.get(nextKey);
        if (old === undefined || time < old.time || (time === old.time && peak < old.peak))
          next.set(nextKey, {
            time,
            peak,
            from: t,
            choice,
            acts: choice.keep,
            tapes: ran.tapes,
            fromKey: key,
          });
      }
    layers.push(next);
    layer = next;
  }
  let best: [string, Entry] | undefined;
  for (const entry of layer) if (best === undefined || entry[1].time < best[1].time) best = entry;
  if (best === undefined) return undefined;
  return {
    makespanMs: best[1].time,
    peakBytes: best[1].peak,
    schedule: emit(instance, stages, grads, layers, best[0]),
  };
}

/** The schedule of the path ending at `key` in the last layer. */
function emit(
  instance: Instance,
  stages: readonly Stage[],
  grads: { start: number[]; added: number[]; end: number[] },
  layers: readonly Map<string, Entry & { acts: number; tapes: number; fromKey: string }>[],
  key: string,
): Schedule {
  const path: { choice: Choice; acts: number; tapes: number }[] = [];
  let k = key;
  for (let t = layers.length - 1; t >= 0; t--) {
    const entry = layers[t]?.get(k);
    if (entry === undefined || entry.choice === undefined) throw new Error("broken path");
    const [acts, tapes] = entry.fromKey.split(",").map(Number) as [number, number];
    path.unshift({ choice: entry.choice, acts, tapes });
    k = entry.fromKey;
  }
  const out: Instruction[] = [];
  path.forEach((step, t) => {
    runStage(instance, stages, grads, t, { acts: step.acts, tapes: step.tapes }, step.choice, out);
  });
  return out;
}
