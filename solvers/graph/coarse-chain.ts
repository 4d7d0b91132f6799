/**
 * The block chain of the time objective: the blocks between consecutive nested
 * minimum lower sets become the stages of a coarse chain instance, chain-dp (Beaumont et al. 2019's
 * recurrence, solvers/chain/) solves that chain, and its coarse schedule is expanded into a schedule
 * of the fine DAG, which the evaluator then judges. The coarse costs are only a guide: the fine
 * schedule's evaluated cost is what counts, and a member that misses a budget is simply not chosen.
 *
 * Coarse stage i (block B_i = L_i \ L_{i-1}): fwd/bwd = sums over B_i; bytes = bytes(dL_i) (what must be
 * held to continue); tapeBytes = bytes(B_i \ dL_i) (the block's internal values); temporaries = the
 * block's largest. Expansion: `F i [tape]` runs the forwards of B_i in order; `B i` runs the
 * backwards of B_i in reverse order; frees come from exact liveness on the resulting sequence (free
 * each allocation right after its last read), so values read later survive and the rest go at once.
 * The sources (run once) form coarse node 0. Applies when no fine node has a tape. O(n + m) per
 * expansion, plus chain-dp's own cost per coarse budget.
 */
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import { MAX_BYTES } from "../../src/instance/limits.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { insertFrees, type Step } from "../../src/schedule/checkpoint-schedule.js";
import type { Schedule } from "../../src/schedule/types.js";
import { TimeLimitReached } from "../../src/time-limit.js";
import { chainDp } from "../chain/index.js";
import type { LowerSet } from "./lower-sets.js";
import type { Search } from "./search.js";

/** Whether the block-chain route applies: no fine node has a tape. */
export function blockChainApplies(g: InstanceGraph): boolean {
  return g.size > 2 && g.tapeBytes.every((bytes) => bytes === 0);
}

/** Block index (1..k+1) of every node for nested sets L_1 < ... < L_k; the sources form block 0. */
function blockOf(g: InstanceGraph, sets: readonly LowerSet[]): Int32Array {
  const block = new Int32Array(g.size).fill(sets.length + 1);
  for (let i = sets.length - 1; i >= 0; i--) {
    const members = (sets[i] as LowerSet).members;
    for (let v = 0; v < g.size; v++) if (members[v] === 1) block[v] = i + 1;
  }
  for (let v = 0; v < g.size; v++) if (g.isSource[v] === 1) block[v] = 0;
  return block;
}

/** A block's fine costs: sums of times and bytes, largest temporaries, non-recomputable count. */
interface BlockCost {
  fwd: number;
  bwd: number;
  bytes: number;
  /** Bytes of the block's nodes not on its boundary (read only inside the block). */
  inner: number;
  fwdTemp: number;
  bwdTemp: number;
  forced: number;
}

/**
 * Costs of blocks 0..k+1 in one pass. A node of block i is on the boundary of L_i exactly when one of
 * its consumers lies in a later block (the loss counts as the last block's boundary). O(n + m).
 */
function blockCosts(g: InstanceGraph, blocks: number, block: Int32Array): BlockCost[] {
  const costs: BlockCost[] = Array.from({ length: blocks }, () => ({
    fwd: 0,
    bwd: 0,
    bytes: 0,
    inner: 0,
    fwdTemp: 0,
    bwdTemp: 0,
    forced: 0,
  }));
  for (let v = 0; v < g.size; v++) {
    const i = block[v] as number;
    const cost = costs[i] as BlockCost;
    const leaves = (g.consumers[v] as readonly number[]).some((w) => (block[w] as number) > i);
    cost.fwd += g.fwd[v] as number;
    cost.bwd += g.bwd[v] as number;
    cost.bytes += g.bytes[v] as number;
    cost.inner += leaves || v === g.loss ? 0 : (g.bytes[v] as number);
    cost.fwdTemp = Math.max(cost.fwdTemp, g.fwdTemp[v] as number);
    cost.bwdTemp = Math.max(cost.bwdTemp, (g.bwdTemp[v] as number) + (g.gradBytes[v] as number));
    cost.forced += 1 - (g.recomputable[v] as number);
  }
  return costs;
}

/**
 * The coarse chain instance: node 0 holds the sources, node i the block B_i (the last holds the loss);
 * undefined when its sizes add up beyond what the parser accepts (a boundary value read by many blocks
 * counts in each of them, so the coarse total can exceed the fine one; src/instance/limits.ts).
 */
function coarseInstance(
  instance: Instance,
  g: InstanceGraph,
  sets: readonly LowerSet[],
  block: Int32Array,
): Instance | undefined {
  const k = sets.length;
  const costs = blockCosts(g, k + 2, block);
  const sources = costs[0] as BlockCost;
  const nodes: Record<string, unknown>[] = [
    { id: "x", fwd: sources.fwd, bwd: 0, bytes: sources.bytes, recomputable: false },
  ];
  for (let i = 1; i <= k + 1; i++) {
    const boundary = i <= k ? (sets[i - 1] as LowerSet).boundary : [g.loss];
    const cost = costs[i] as BlockCost;
    nodes.push({
      id: `b${i}`,
      inputs: [i === 1 ? "x" : `b${i - 1}`],
      fwd: cost.fwd,
      bwd: cost.bwd,
      bytes: boundary.reduce((total, v) => total + (g.bytes[v] as number), 0),
      tapeBytes: cost.inner,
      fwdTemp: cost.fwdTemp,
      bwdTemp: cost.bwdTemp,
      recomputable: cost.forced === 0,
    });
  }
  let total = instance.fixedBytes;
  let temporaries = 0;
  for (const node of nodes) {
    total += 2 * (node.bytes as number) + ((node.tapeBytes as number | undefined) ?? 0);
    temporaries = Math.max(
      temporaries,
      (node.fwdTemp as number | undefined) ?? 0,
      (node.bwdTemp as number | undefined) ?? 0,
    );
  }
  if (total + temporaries > MAX_BYTES) return undefined;
  return parseInstance({
    format: "remat-instance/1",
    name: `${instance.name}-blocks${k + 1}`,
    source: "graph-mincut block chain (coarse guide)",
    fixedBytes: instance.fixedBytes,
    nodes,
  });
}

/** Fine steps of a coarse schedule: `F i` runs block i's forwards, `B i` its backwards in reverse. */
function expand(g: InstanceGraph, coarse: Schedule, block: Int32Array, blocks: number): Step[] {
  const members: number[][] = Array.from({ length: blocks + 1 }, () => []);
  for (let v = 0; v < g.size; v++) members[block[v] as number]?.push(v);
  const steps: Step[] = [];
  for (const instruction of coarse) {
    if (instruction.op !== "F" && instruction.op !== "B") continue;
    const i = instruction.node === "x" ? 0 : Number(instruction.node.slice(1));
    pushBlockSteps(steps, members[i] as number[], instruction.op === "B");
  }
  return steps;
}

/** Appends one block's steps: the forwards of its members in order, or their backwards in reverse. */
function pushBlockSteps(steps: Step[], members: readonly number[], backward: boolean): void {
  if (!backward) for (const v of members) steps.push({ backward: false, node: v, tape: false });
  else
    for (let j = members.length - 1; j >= 0; j--)
      steps.push({ backward: true, node: members[j] as number, tape: false });
}

const PHASE = "the block chain";

/** Seconds left before the search's time limit (Infinity for none). */
function secondsLeft(search: Search): number {
  return (search.deadline.atMs - performance.now()) / 1000;
}

/**
 * Fine schedules from chain-dp on the block chain at each coarse budget in `fractions` (of the coarse
 * store-all peak). Budget-independent, so the time objective's pool stays monotone. chain-dp gets the
 * time left; its `timeout` is the search's time limit passing. A chain-dp InternalError (a bug in
 * chain-dp) propagates.
 * @param slots chain-dp's memory discretization
 * @throws TimeLimitReached when the time limit passes
 */
export async function blockChainSchedules(
  search: Search,
  sets: readonly LowerSet[],
  fractions: readonly number[],
  slots: number,
): Promise<Schedule[]> {
  const { g, instance } = search;
  search.check(PHASE);
  const chain = blockChainOf(instance, g, sets);
  if (chain === undefined) return [];
  const reference = evaluate(chain.coarse, storeAllSchedule(chain.coarse));
  const storeAllPeak = reference.valid ? reference.peakBytes : Number.POSITIVE_INFINITY;
  const schedules: Schedule[] = [];
  for (const fraction of fractions) {
    search.check(PHASE);
    const answer = await chainDp.solve(chain.coarse, {
      budgetBytes: Math.floor(storeAllPeak * fraction),
      objective: "time",
      slots,
      timeLimitSec: secondsLeft(search),
      extra: {},
    });
    if (answer.status === "timeout") throw new TimeLimitReached(PHASE, search.deadline.limitSec);
    if (answer.schedule !== undefined) schedules.push(chain.fine(answer.schedule));
  }
  return schedules;
}

/** A coarse block chain and the expansion of its schedules into schedules of the fine DAG. */
export interface BlockChain {
  readonly coarse: Instance;
  readonly fine: (coarse: Schedule) => Schedule;
}

/**
 * The block chain of the nested lower sets `sets` of `instance` (see the module comment), or undefined
 * when its sizes add up beyond what the parser accepts. O(n + m), and O(n + m) per expansion.
 */
export function blockChainOf(
  instance: Instance,
  g: InstanceGraph,
  sets: readonly LowerSet[],
): BlockChain | undefined {
  const block = blockOf(g, sets);
  const coarse = coarseInstance(instance, g, sets, block);
  if (coarse === undefined) return undefined;
  return { coarse, fine: (schedule) => insertFrees(g, expand(g, schedule, block, sets.length + 1)) };
}
