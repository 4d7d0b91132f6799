/**
 * The numeric limits of an instance: the largest sizes, times and totals the parser accepts, chosen so
 * that every sum the evaluator or a solver forms stays exact (sizes) or finite (times). parseInstance
 * refuses anything beyond them with an InputError instead of letting a solver meet it later.
 */
import type { InputIssue } from "../errors.js";
import { largestStoredBytes } from "../evaluate/storage.js";
import type { Hardware, InstanceNode } from "./types.js";

/**
 * The largest size in bytes, and the largest total of sizes: 2^53 - 1 (Number.MAX_SAFE_INTEGER), the
 * largest integer up to which a double holds every integer exactly. Beyond it `a + b` can round, so a
 * peak could be wrong by some bytes, a budget compare the wrong way, and the min-cut solver's integer
 * capacities (solvers/graph/maxflow.ts) are refused outright.
 */
export const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/**
 * The largest time in ms, and the largest total of times: 1e15 ms, about 31,700 years. A training step
 * that long is a unit mistake, not a measurement. Below it a schedule of k instructions has a makespan
 * of at most about 2k × 1e15 ms (each instruction's op or transfer, each under the limit), finite for
 * any schedule a machine can hold and far from Number.MAX_VALUE (1.8e308), where a sum would turn into
 * Infinity and a budget or overhead into NaN.
 */
export const MAX_TOTAL_MS = 1e15;

/** The limit and its reason, as said in `expected` of a size issue. */
export const BYTES_LIMIT_TEXT = `at most 2^53 - 1 = ${MAX_BYTES} (the largest integer a double holds exactly, so that memory sums stay exact)`;

/** The limit and its reason, as said in `expected` of a time issue. */
export const TIME_LIMIT_TEXT = `at most ${MAX_TOTAL_MS} ms (about 31,700 years: longer is a unit mistake, and larger times would let makespans overflow)`;

/**
 * The largest memory total an instance can reach: `fixedBytes` plus every node's activation, gradient,
 * tape and largest stored form (`s:v`, src/evaluate/storage.ts; 0 for a node that offers none) held at
 * once, plus the largest temporaries of the one op that runs (its `fwdTemp` or `bwdTemp`). Every peak the evaluator computes, every budget compare and every sum of capacities a
 * solver forms is at most this, so keeping it <= {@link MAX_BYTES} keeps them exact.
 */
export function memoryTotalBytes(fixedBytes: number, nodes: readonly InstanceNode[]): number {
  let total = fixedBytes;
  let largestTemp = 0;
  for (const node of nodes) {
    total += node.bytes + node.gradBytes + node.tapeBytes + largestStoredBytes(node);
    largestTemp = Math.max(largestTemp, node.fwdTemp, node.bwdTemp);
  }
  return total + largestTemp;
}

/**
 * The issues of totals beyond the limits (code `total-too-large`): the memory total of
 * {@link memoryTotalBytes} beyond {@link MAX_BYTES} (path `nodes`); one forward and one backward of
 * every node beyond {@link MAX_TOTAL_MS} (path `nodes`); one offload and one prefetch of every
 * activation beyond {@link MAX_TOTAL_MS} (path `hardware`). Partial sums of non-negative numbers only
 * grow, and rounding is monotone, so a computed total <= the limit means the exact one is too.
 */
export function totalIssues(
  fixedBytes: number,
  nodes: readonly InstanceNode[],
  hardware: Hardware | undefined,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const memory = memoryTotalBytes(fixedBytes, nodes);
  if (memory > MAX_BYTES)
    issues.push({
      code: "total-too-large",
      path: "nodes",
      expected: `sizes whose total (fixedBytes + every node's bytes, gradBytes, tapeBytes and largest stored form + the largest fwdTemp or bwdTemp) is ${BYTES_LIMIT_TEXT}`,
      received: `a total of ${memory} bytes`,
    });
  let computeMs = 0;
  let transferMs = 0;
  for (const node of nodes) {
    computeMs += node.fwd + node.bwd;
    if (hardware !== undefined) transferMs += 2 * (hardware.latency + node.bytes / hardware.bandwidth);
  }
  if (computeMs > MAX_TOTAL_MS)
    issues.push({
      code: "total-too-large",
      path: "nodes",
      expected: `times whose total (every node's fwd + bwd) is ${TIME_LIMIT_TEXT}`,
      received: `a total of ${computeMs} ms`,
    });
  if (transferMs > MAX_TOTAL_MS)
    issues.push({
      code: "total-too-large",
      path: "hardware",
      expected: `a link on which one offload and one prefetch of every activation (latency + bytes / bandwidth each) take ${TIME_LIMIT_TEXT}`,
      received: `a total of ${transferMs} ms`,
    });
  return issues;
}
