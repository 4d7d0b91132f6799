/**
 * A brute force over offload schedules for tiny instances (test-only; h-offload's offload-exhaustive is
 * the project's oracle, cross-checked at merge). It enumerates, independently of offload-milp's model:
 * every set of offloaded activations; for each, one absence (a free in some gap, its prefetch in a later
 * gap: every pair the evaluator accepts on its own); every order of the offloads on their channel, each
 * issued in the first gap where it and the offloads before it exist; every order of the prefetches among
 * those issued in the same gap. In each gap: offloads, then frees, then prefetches. The evaluator judges
 * every schedule. This is the class offload-milp rebuilds its schedules in, when each activation leaves
 * the device at most once (always on chains: proofs/offload-milp.md), so on chains the two optima agree.
 */
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";

/** One activation's absence: freed at the end of gap `free`, prefetched at the end of gap `prefetch`. */
interface Pair {
  readonly node: number;
  readonly free: number;
  readonly prefetch: number;
}

/** The best makespan found within the budget, or undefined when none fits, and how many were evaluated. */
export interface BruteForce {
  readonly makespanMs: number | undefined;
  readonly schedules: number;
  /** The enumeration stopped at the cap (the other fields are then meaningless). */
  readonly capped: boolean;
}

/** Store-all with inserts: `inserts[k]` at the end of gap k (after compute op k). */
function withInserts(
  base: Schedule,
  computeIndex: readonly number[],
  inserts: Map<number, Instruction[]>,
): Schedule {
  const out: Instruction[] = [];
  let op = 0;
  base.forEach((instruction, index) => {
    if (computeIndex[op] === index) {
      out.push(...(inserts.get(op - 1) ?? []));
      op++;
    }
    out.push(instruction);
  });
  return out;
}

function permutations<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  const stack: { rest: T[]; prefix: T[] }[] = [{ rest: [...items], prefix: [] }];
  while (stack.length > 0) {
    const { rest, prefix } = stack.pop() as { rest: T[]; prefix: T[] };
    if (rest.length === 0) out.push(prefix);
    rest.forEach((item, i) => {
      stack.push({ rest: rest.filter((_, j) => j !== i), prefix: [...prefix, item] });
    });
  }
  return out;
}

/** Every order of `pairs` by prefetch gap, ties in every order (one list per distinct order). */
function tieOrders(pairs: readonly Pair[]): Pair[][] {
  const gaps = [...new Set(pairs.map((p) => p.prefetch))].sort((a, b) => a - b);
  return product(gaps.map((gap) => permutations(pairs.filter((p) => p.prefetch === gap)))).map((parts) =>
    parts.flat(),
  );
}

/** Every cartesian choice of one entry per list. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  let out: T[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((item) => [...prefix, item]));
  return out;
}

/**
 * The least makespan within `budgetBytes` over the enumerated class.
 * @param cap stop (answer `capped`) beyond this many schedules, so a test never runs away
 */
export function bruteForceOffload(instance: Instance, budgetBytes: number, cap = 60_000): BruteForce {
  const g = graphOf(instance);
  const base = storeAllSchedule(instance);
  const reference = evaluate(instance, base, { profile: true });
  const profile = reference.valid ? (reference.profile?.duringBytes ?? []) : [];
  const computeIndex = base.flatMap((ins, i) => (ins.op === "F" || ins.op === "B" ? [i] : []));
  const n = computeIndex.length;
  const production = new Map<number, number>();
  computeIndex.forEach((i, k) => {
    const ins = base[i] as Instruction;
    if (ins.op === "F") production.set(g.indexOf.get(ins.node) as number, k);
  });
  // Every (free, prefetch) pair the evaluator accepts alone, with the offload right after production.
  const pairsOf = (v: number): Pair[] => {
    const id = g.ids[v] as string;
    const prod = production.get(v) as number;
    const pairs: Pair[] = [];
    for (let free = prod; free < n; free++)
      for (let prefetch = free + 1; prefetch < n; prefetch++) {
        const inserts = new Map<number, Instruction[]>();
        inserts.set(free, [ops.offload(id), ops.freeActivation(id)]);
        inserts.set(prefetch, [ops.prefetch(id)]);
        if (evaluate(instance, withInserts(base, computeIndex, inserts)).valid)
          pairs.push({ node: v, free, prefetch });
      }
    return pairs;
  };
  // An absence that covers no op over the budget only costs transfers (proofs/offload-milp.md, lemma 2).
  const over = computeIndex.map((i) => (profile[i] as number) > budgetBytes);
  const covers = (p: Pair) => over.some((o, k) => o && k > p.free && k <= p.prefetch);
  const choices = [...production.keys()]
    .sort((a, b) => a - b)
    .map((v) => [undefined, ...pairsOf(v).filter(covers)] as (Pair | undefined)[]);
  let best: number | undefined;
  let schedules = 0;
  for (const chosen of product(choices)) {
    const pairs = chosen.filter((p): p is Pair => p !== undefined);
    for (const offloadOrder of permutations(pairs))
      for (const prefetchTies of tieOrders(pairs)) {
        const schedule = scheduleOf(base, computeIndex, production, g.ids, offloadOrder, prefetchTies);
        if (schedule === undefined) continue;
        if (++schedules > cap) return { makespanMs: undefined, schedules, capped: true };
        const e = evaluate(instance, schedule);
        if (e.valid && e.peakBytes <= budgetBytes && (best === undefined || e.makespanMs < best))
          best = e.makespanMs;
      }
  }
  return { makespanMs: best, schedules, capped: false };
}

/** The schedule of one choice, or undefined when an offload would be issued after its own free. */
function scheduleOf(
  base: Schedule,
  computeIndex: readonly number[],
  production: ReadonlyMap<number, number>,
  ids: readonly string[],
  offloadOrder: readonly Pair[],
  prefetchTies: readonly Pair[],
): Schedule | undefined {
  const offloads = new Map<number, Instruction[]>();
  let gap = 0;
  for (const p of offloadOrder) {
    gap = Math.max(gap, production.get(p.node) as number);
    if (gap > p.free) return undefined;
    offloads.set(gap, [...(offloads.get(gap) ?? []), ops.offload(ids[p.node] as string)]);
  }
  const inserts = new Map<number, Instruction[]>();
  const at = (k: number) => inserts.get(k) ?? [];
  for (let k = 0; k < computeIndex.length; k++) {
    const frees = offloadOrder
      .filter((p) => p.free === k)
      .map((p) => ops.freeActivation(ids[p.node] as string));
    const prefetches = prefetchTies
      .filter((p) => p.prefetch === k)
      .map((p) => ops.prefetch(ids[p.node] as string));
    const here = [...(offloads.get(k) ?? []), ...frees, ...prefetches];
    if (here.length > 0) inserts.set(k, [...at(k), ...here]);
  }
  return withInserts(base, computeIndex, inserts);
}
