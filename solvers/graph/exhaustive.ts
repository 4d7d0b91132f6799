/**
 * Exhaustive search over kept sets, for small instances: every subset of the free candidates (the
 * recomputable nodes that are not sources) is built into its checkpoint schedule and evaluated. The
 * best is optimal over the class by enumeration. O(2^c (n + m)) for c candidates.
 */
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { JudgedKeep } from "./kept-evaluation.js";
import type { Search } from "./search.js";

/** The nodes a kept set may contain or not: recomputable non-sources (others are kept or never kept). */
export function freeCandidates(g: InstanceGraph): number[] {
  const list: number[] = [];
  for (let v = 0; v < g.size; v++) if (g.isSource[v] === 0 && g.recomputable[v] === 1) list.push(v);
  return list;
}

/**
 * Evaluates every kept set drawn from `freeCandidates` and calls `visit` on each.
 * @param visit receives each judged set; enumeration order is by bitmask
 * @throws TimeLimitReached when the time limit passes (checked before each evaluation)
 */
export function enumerateKeeps(search: Search, visit: (judged: JudgedKeep) => void): number {
  const candidates = freeCandidates(search.g);
  const count = 2 ** candidates.length;
  for (let mask = 0; mask < count; mask++) {
    const kept = candidates.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1);
    visit(search.keep(kept, "the enumeration"));
  }
  return count;
}
