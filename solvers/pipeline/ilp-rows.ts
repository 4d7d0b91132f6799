/**
 * Rows that pipeline-ilp's per-stage model (ilp-model.ts) and its per-micro-batch model
 * (ilp-microbatch-model.ts) share (proofs/pipeline-ilp.md, "The model"):
 * - contiguity: position s ends at node k exactly when position s + 1 starts at node k + 1;
 * - the pipeline evaluator's link rule. The link from `sender` to `receiver` in `direction` (`forward`: stage s - 1 to s, activations;
 * `backward`: stage s + 1 to s, gradients). With `arrive[j]` the arrival of micro-batch j's transfer:
 * arrive[j] >= end of the sender's part for j + transfer, and arrive[j] >= arrive[previous] + transfer
 * (one transfer at a time, in the sender's order); the receiver's part for j starts after arrive[j].
 * A transfer takes the latency plus the sent segment's bytes over the bandwidth.
 */
import type { LpTerm, ModelBuilder } from "../../src/lp/model.js";
import type { Part } from "../../src/pipeline/order.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";

/** A segment the sender may hold, and the binary column that is 1 when it does. */
export interface SentSegment {
  readonly column: number;
  readonly first: number;
  readonly last: number;
}

/**
 * Contiguity rows over `positions` (per position, the segments it may hold with their columns): for
 * each node k, the columns of position s's segments ending at k equal those of position s + 1's
 * starting at k + 1. O(total segments) per pair of positions.
 */
export function addContiguityRows(b: ModelBuilder, positions: readonly (readonly SentSegment[])[]): void {
  for (let s = 0; s + 1 < positions.length; s++) {
    const byNode = new Map<number, LpTerm[]>();
    const add = (k: number, term: LpTerm) => {
      const terms = byNode.get(k);
      if (terms === undefined) byNode.set(k, [term]);
      else terms.push(term);
    };
    for (const g of positions[s] as readonly SentSegment[]) add(g.last, [g.column, 1]);
    for (const g of positions[s + 1] as readonly SentSegment[]) add(g.first - 1, [g.column, -1]);
    for (const k of [...byNode.keys()].sort((x, y) => x - y))
      b.addConstraint(`chain${s}_${k}`, byNode.get(k) as LpTerm[], { equal: 0 });
  }
}

/** What the link rows need of the sending device. */
export interface LinkSender {
  readonly order: readonly Part[];
  /** start[i]: the column of part i's start time. */
  readonly start: readonly number[];
  /** Terms `-duration` of part i. */
  readonly negativeDuration: (i: number) => LpTerm[];
  readonly segments: readonly SentSegment[];
}

/** Terms of the sender's transfer time above the latency: the held segment's bytes over the bandwidth, negated. */
function transferTerms(problem: PipelineProblem, sender: LinkSender, direction: Part["kind"]): LpTerm[] {
  const { bandwidth } = problem.link;
  if (bandwidth === Number.POSITIVE_INFINITY) return [];
  const nodes = problem.instance.nodes;
  return sender.segments.map((g) => {
    const bytes =
      direction === "forward" ? (nodes[g.last]?.bytes ?? 0) : (nodes[g.first - 1]?.gradBytes ?? 0);
    return [g.column, -bytes / bandwidth];
  });
}

/**
 * Adds the link rows from `sender` to the receiver at position `s`, whose part for micro-batch j in
 * `direction` starts at column `receiverStart(j)`.
 */
export function addLinkRows(
  b: ModelBuilder,
  problem: PipelineProblem,
  sender: LinkSender,
  receiverStart: (j: number) => number,
  s: number,
  direction: Part["kind"],
): void {
  const latency = problem.link.latencyMs;
  const transfer = transferTerms(problem, sender, direction);
  const name = direction === "forward" ? "af" : "ab";
  let previous: number | undefined;
  sender.order.forEach((part, i) => {
    if (part.kind !== direction) return;
    const j = part.microbatch;
    const arrive = b.addVariable(`${name}${s}_${j}`);
    b.addConstraint(
      `${name}${s}_${j}_end`,
      [[arrive, 1], [sender.start[i] as number, -1], ...sender.negativeDuration(i), ...transfer],
      { lower: latency },
    );
    if (previous !== undefined)
      b.addConstraint(`${name}${s}_${j}_link`, [[arrive, 1], [previous, -1], ...transfer], {
        lower: latency,
      });
    previous = arrive;
    b.addConstraint(
      `${name}${s}_${j}_start`,
      [
        [receiverStart(j), 1],
        [arrive, -1],
      ],
      { lower: 0 },
    );
  });
}
