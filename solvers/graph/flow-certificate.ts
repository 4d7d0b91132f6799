/**
 * Checks that a max-flow answer proves itself (max-flow min-cut theorem, Ford & Fulkerson 1956): the
 * flow respects capacities and conservation, the cut separates source from sink, and the cut's
 * capacity equals the flow value. A feasible flow of value F and a cut of capacity F are each optimal
 * (weak duality), so passing this check proves both, independently of how they were found.
 * O(V + E).
 */
import { InternalError } from "../../src/errors.js";
import { type FlowNetwork, type MaxFlowResult, maxFlow } from "./maxflow.js";

/** What is wrong with a certificate (empty when it proves optimality). */
export type CertificateIssue =
  | { readonly kind: "capacity"; readonly edge: number }
  | { readonly kind: "conservation"; readonly vertex: number; readonly excess: number }
  | { readonly kind: "value"; readonly expected: number; readonly received: number }
  | { readonly kind: "cut"; readonly detail: string };

/**
 * Lists every way in which `result` fails to certify a maximum flow and minimum cut of `network`.
 * @returns an empty list when flow value = cut capacity and the flow is feasible
 * @see ../../proofs/graph-mincut.md, section "Max-flow certificate"
 */
export function certificateIssues(
  network: FlowNetwork,
  source: number,
  sink: number,
  result: MaxFlowResult,
): CertificateIssue[] {
  const issues: CertificateIssue[] = [];
  const excess = new Float64Array(network.vertexCount);
  for (let e = 0; e < network.edgeCount; e++) {
    const f = result.flow[e] as number;
    if (!(f >= 0 && f <= network.capacity(e))) issues.push({ kind: "capacity", edge: e });
    excess[network.head(e)] = (excess[network.head(e)] as number) + f;
    excess[network.tail(e)] = (excess[network.tail(e)] as number) - f;
  }
  for (let v = 0; v < network.vertexCount; v++) {
    if (v !== source && v !== sink && excess[v] !== 0)
      issues.push({ kind: "conservation", vertex: v, excess: excess[v] as number });
  }
  if (-(excess[source] as number) !== result.value)
    issues.push({ kind: "value", expected: result.value, received: -(excess[source] as number) });
  if (result.sourceSide[source] !== 1) issues.push({ kind: "cut", detail: "source not on the source side" });
  if (result.sourceSide[sink] !== 0) issues.push({ kind: "cut", detail: "sink on the source side" });
  const capacity = cutCapacity(network, result.sourceSide);
  if (capacity !== result.value) issues.push({ kind: "value", expected: result.value, received: capacity });
  return issues;
}

/** Capacity of the cut whose source side is `sourceSide` (edges leaving it). O(E). */
export function cutCapacity(network: FlowNetwork, sourceSide: Uint8Array): number {
  let total = 0;
  for (let e = 0; e < network.edgeCount; e++)
    if (sourceSide[network.tail(e)] === 1 && sourceSide[network.head(e)] === 0) total += network.capacity(e);
  return total;
}

/**
 * A maximum flow whose certificate has been checked (O(V + E) on top of the flow): every max-flow of
 * the solver goes through here, so a wrong cut never reaches a bound or a seed.
 * @param site the caller, for the error
 * @param beforePhase passed to maxFlow (a time-limit check)
 * @throws InternalError when the certificate fails (a bug in maxFlow)
 */
export function certifiedMaxFlow(
  network: FlowNetwork,
  source: number,
  sink: number,
  site: string,
  beforePhase?: () => void,
): MaxFlowResult {
  const result = maxFlow(network, source, sink, beforePhase);
  const issues = certificateIssues(network, source, sink, result);
  if (issues.length > 0)
    throw new InternalError(
      `${site}: the max-flow certificate fails (${issues.length} issues, first ${JSON.stringify(issues[0])})`,
    );
  return result;
}
