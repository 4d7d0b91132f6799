/**
 * The largest batch size that passes a test, by doubling then bisection: probe 1, 2, 4, ... until a
 * size fails (or the cap is passed), then bisect between the last size that passed and the first that
 * failed. This finds the largest passing size under the assumption that the test is monotone (a size
 * passes when a larger one does); every probe is kept so that a caller can check what it can.
 * About 2 log2(answer) + 1 probes.
 */

/** What one probe of a batch size gave. */
export interface Probe<T> {
  readonly batch: number;
  readonly passes: boolean;
  /** The test's own record of the probe (the solve's figures). */
  readonly detail: T;
}

/** The outcome of a search. */
export interface SearchOutcome<T> {
  /** The largest passing size found, 0 when batch 1 fails. */
  readonly batch: number;
  /** True when every size probed up to `maxBatch` passed: the answer is at least `batch`. */
  readonly capped: boolean;
  /** Every probe, in the order made. */
  readonly probes: readonly Probe<T>[];
}

/**
 * Searches for the largest batch in [1, maxBatch] that `test` passes.
 * @param test probes one batch size (called at most once per size)
 * @param maxBatch the largest size tried (a positive integer)
 */
export async function largestPassing<T>(
  test: (batch: number) => Promise<{ passes: boolean; detail: T }>,
  maxBatch: number,
): Promise<SearchOutcome<T>> {
  const probes: Probe<T>[] = [];
  const probe = async (batch: number) => {
    const { passes, detail } = await test(batch);
    probes.push({ batch, passes, detail });
    return passes;
  };
  if (!(await probe(1))) return { batch: 0, capped: false, probes };
  let low = 1;
  let high = 0;
  while (high === 0) {
    const next = Math.min(2 * low, maxBatch);
    if (next === low) return { batch: low, capped: true, probes };
    if (await probe(next)) low = next;
    else high = next;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await probe(middle)) low = middle;
    else high = middle;
  }
  return { batch: low, capped: false, probes };
}
