/**
 * Dinic's max-flow (solvers/graph/maxflow.ts) proves its answers: on random small networks the flow
 * is feasible, the cut value equals the flow value (the certificate of proofs/graph-mincut.md,
 * section "Max-flow certificate"), and both equal the brute-force minimum over all s-t cuts.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { certificateIssues, cutCapacity } from "../../solvers/graph/flow-certificate.js";
import { FlowNetwork, maxFlow } from "../../solvers/graph/maxflow.js";
import { InternalError } from "../../src/errors.js";

const SEED = 20261122;

interface EdgeSpec {
  readonly from: number;
  readonly to: number;
  readonly capacity: number;
}

/** A random network on 2..8 vertices (source 0, sink n-1), built by construction: no filtering. */
const anyNetwork = fc.integer({ min: 2, max: 8 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(
      fc.record({
        from: fc.integer({ min: 0, max: n - 1 }),
        to: fc.integer({ min: 0, max: n - 1 }),
        capacity: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 0, max: 1000 }) },
          { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) },
        ),
      }),
      { maxLength: 20 },
    ),
  }),
);

function build(n: number, edges: readonly EdgeSpec[]): FlowNetwork {
  const network = new FlowNetwork(n);
  for (const { from, to, capacity } of edges) network.addEdge(from, to, capacity);
  return network;
}

/** The least capacity over all 2^(n-2) cuts with 0 on the source side and n-1 on the sink side. */
function bruteForceMinCut(network: FlowNetwork): number {
  const n = network.vertexCount;
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 2 ** Math.max(0, n - 2); mask++) {
    const side = new Uint8Array(n);
    side[0] = 1;
    for (let v = 1; v < n - 1; v++) side[v] = (mask >> (v - 1)) & 1;
    best = Math.min(best, cutCapacity(network, side));
  }
  return best;
}

describe("maxFlow", () => {
  test.prop([anyNetwork], { seed: SEED, numRuns: 400 })(
    "returns a certified flow whose value is the brute-force minimum cut",
    ({ n, edges }) => {
      const network = build(n, edges);
      const result = maxFlow(network, 0, n - 1);
      const brute = bruteForceMinCut(network);
      expect(result.value).toBe(brute);
      if (brute !== Number.POSITIVE_INFINITY)
        expect(certificateIssues(network, 0, n - 1, result)).toEqual([]);
    },
  );

  it("finds the textbook example's flow of 23 (CLRS figure 26.1)", () => {
    const network = build(6, [
      { from: 0, to: 1, capacity: 16 },
      { from: 0, to: 2, capacity: 13 },
      { from: 2, to: 1, capacity: 4 },
      { from: 1, to: 3, capacity: 12 },
      { from: 3, to: 2, capacity: 9 },
      { from: 2, to: 4, capacity: 14 },
      { from: 4, to: 3, capacity: 7 },
      { from: 3, to: 5, capacity: 20 },
      { from: 4, to: 5, capacity: 4 },
    ]);
    const result = maxFlow(network, 0, 5);
    expect(result.value).toBe(23);
    expect(certificateIssues(network, 0, 5, result)).toEqual([]);
    expect([...result.sourceSide]).toEqual([1, 1, 1, 0, 1, 0]);
  });

  it("reports a tampered flow through the certificate", () => {
    const network = build(3, [
      { from: 0, to: 1, capacity: 5 },
      { from: 1, to: 2, capacity: 3 },
    ]);
    const result = maxFlow(network, 0, 2);
    expect(result.value).toBe(3);
    const tampered = { ...result, flow: Float64Array.from([5, 3]), value: 5 };
    const kinds = certificateIssues(network, 0, 2, tampered).map((issue) => issue.kind);
    expect(kinds).toContain("conservation");
    expect(kinds).toContain("value");
  });

  it("solves a long chain of 20,000 vertices without deep recursion", () => {
    const n = 20_000;
    const network = new FlowNetwork(n);
    for (let v = 0; v + 1 < n; v++) network.addEdge(v, v + 1, 1_000 + (v % 97));
    const result = maxFlow(network, 0, n - 1);
    expect(result.value).toBe(1_000);
    expect(certificateIssues(network, 0, n - 1, result)).toEqual([]);
  });

  it("stays exact when capacities near 2^52 sum far beyond 2^53 but the flow does not", () => {
    // three 2^52-byte edges into a vertex whose only way out carries 7: the capacities sum to about 3 * 2^52
    const big = 2 ** 52;
    const network = build(4, [
      { from: 0, to: 1, capacity: big },
      { from: 0, to: 1, capacity: big },
      { from: 0, to: 2, capacity: big },
      { from: 1, to: 2, capacity: big - 1 },
      { from: 2, to: 3, capacity: 7 },
    ]);
    const result = maxFlow(network, 0, 3);
    expect(result.value).toBe(7);
    expect(certificateIssues(network, 0, 3, result)).toEqual([]);
    const chain = build(3, [
      { from: 0, to: 1, capacity: Number.MAX_SAFE_INTEGER },
      { from: 1, to: 2, capacity: Number.MAX_SAFE_INTEGER },
    ]);
    expect(maxFlow(chain, 0, 2).value).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("refuses a flow above 2^53 - 1 instead of rounding it", () => {
    const big = 2 ** 52;
    const network = build(2, [
      { from: 0, to: 1, capacity: big },
      { from: 0, to: 1, capacity: big + 1 },
    ]);
    expect(() => maxFlow(network, 0, 1)).toThrow(InternalError);
  });

  it("refuses a capacity that is not a safe integer", () => {
    expect(() => build(2, [{ from: 0, to: 1, capacity: 1e16 }])).toThrow(InternalError);
  });
});
