/**
 * The chain view of an instance (DESIGN.md, "Chain view = rotor's model, exactly"): for a chain
 * `v_0 -> v_1 -> ... -> v_L`, stage `l` (0 <= l < L) computes `v_{l+1}`, and rotor's per-stage
 * parameters are read off the nodes. Sizes stay in bytes here; `discretize.ts` turns them into slots.
 *
 * @see ../../proofs/NOTATION.md for each symbol and its code name
 */
import { InputError } from "../../src/errors.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";

/** Per-stage costs of a chain, indexed as in Beaumont et al. 2019 (stage `l` computes node `l+1`). */
export interface ChainView {
  /** Number of stages L (the chain has L + 1 nodes, `v_0` the input, `v_L` the loss). */
  readonly length: number;
  /** Node ids, `ids[k]` for node `v_k`, k = 0..L. */
  readonly ids: readonly string[];
  /** u_f[l] = fwd(v_{l+1}), ms, l = 0..L-1. */
  readonly uf: Float64Array;
  /** u_b[l] = bwd(v_{l+1}), ms, l = 0..L-1. */
  readonly ub: Float64Array;
  /** x[k] = bytes(v_k), k = 0..L. */
  readonly x: Float64Array;
  /** xbar[k] = bytes(v_k) + tapeBytes(v_k), k = 1..L (xbar[0] = x[0]): what `F v_k tape` leaves. */
  readonly xbar: Float64Array;
  /**
   * delta[k] = gradBytes(v_k) for 1 <= k < L; delta[0] = 0 (the input is a source: no gradient) and
   * delta[L] = 0 (`B loss` needs no incoming gradient). rotor counts both; remat does not.
   */
  readonly delta: Float64Array;
  /** o_f[l] = fwdTemp(v_{l+1}), bytes, l = 0..L-1. */
  readonly of: Float64Array;
  /** o_b[l] = bwdTemp(v_{l+1}), bytes, l = 0..L-1. */
  readonly ob: Float64Array;
  /** 1 where stage l's node may be recomputed; a stage with 0 must run forward exactly once. */
  readonly recomputable: Uint8Array;
  /** fwd(v_0): loading the input, paid once, ms. */
  readonly inputMs: number;
}

/** Why `instance` is not a chain this family accepts, or undefined when it is one. */
export function chainRejection(instance: Instance): string | undefined {
  const g = graphOf(instance);
  if (g.size < 2) return "a chain needs an input and at least one stage (2 nodes or more)";
  if ((g.inputs[0] as readonly number[]).length !== 0)
    return `the first node ${g.ids[0]} must have no inputs`;
  for (let k = 1; k < g.size; k++) {
    const inputs = g.inputs[k] as readonly number[];
    if (inputs.length !== 1 || inputs[0] !== k - 1)
      return `node ${g.ids[k]} must read exactly the node listed before it (${g.ids[k - 1]}); its inputs are [${inputs
        .map((u) => g.ids[u])
        .join(", ")}]`;
  }
  return undefined;
}

/** The chain view of `instance`, which must be a chain (see {@link chainRejection}). */
export function chainView(instance: Instance): ChainView {
  const g = graphOf(instance);
  const length = g.size - 1;
  const stage = (pick: (node: number) => number) => Float64Array.from({ length }, (_, l) => pick(l + 1));
  const x = Float64Array.from(g.bytes);
  const xbar = Float64Array.from({ length: length + 1 }, (_, k) =>
    k === 0 ? (x[0] as number) : (g.bytes[k] as number) + (g.tapeBytes[k] as number),
  );
  const delta = Float64Array.from({ length: length + 1 }, (_, k) =>
    k === 0 || k === length ? 0 : (g.gradBytes[k] as number),
  );
  return {
    length,
    ids: g.ids,
    uf: stage((v) => g.fwd[v] as number),
    ub: stage((v) => g.bwd[v] as number),
    x,
    xbar,
    delta,
    of: stage((v) => g.fwdTemp[v] as number),
    ob: stage((v) => g.bwdTemp[v] as number),
    recomputable: Uint8Array.from({ length }, (_, l) => g.recomputable[l + 1] as number),
    inputMs: g.fwd[0] as number,
  };
}

/**
 * The chain view of `instance`, refusing an instance that is not a chain.
 * @param site the solver that asks, for the error
 * @throws InputError (code `structure`, path `nodes`) naming why it is not a chain
 */
export function requireChainView(instance: Instance, site: string): ChainView {
  const rejection = chainRejection(instance);
  if (rejection !== undefined)
    throw new InputError(
      site,
      [{ code: "structure", path: "nodes", expected: "a chain", received: rejection }],
      instance.name,
    );
  return chainView(instance);
}
