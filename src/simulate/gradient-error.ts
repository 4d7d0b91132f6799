/**
 * How far a run's parameter gradients are from plain backprop's: the largest absolute difference, the
 * largest relative error per gradient tensor, the relative error in norm, and the largest entry (to show
 * that a comparison is not vacuous). Each is one O(entries) pass over both runs' gradients.
 */
/** Max |a - b| over every entry of every parameter gradient present in both runs (Infinity on a shape mismatch). */
export function gradientDifference(
  a: ReadonlyMap<string, Float32Array>,
  b: ReadonlyMap<string, Float32Array>,
): number {
  let max = 0;
  for (const [key, x] of a) {
    const y = b.get(key);
    if (y === undefined || y.length !== x.length) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs((x[i] as number) - (y[i] as number)));
  }
  return max;
}

/** ||a - b|| / ||a|| over every entry of every array together (Infinity on a shape mismatch). */
export function normRelativeError(
  reference: ReadonlyMap<string, Float32Array>,
  run: ReadonlyMap<string, Float32Array>,
): number {
  let error = 0;
  let scale = 0;
  for (const [key, a] of reference) {
    const b = run.get(key);
    if (b === undefined || b.length !== a.length) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < a.length; i++) {
      const d = (a[i] as number) - (b[i] as number);
      error += d * d;
      scale += (a[i] as number) * (a[i] as number);
    }
  }
  if (error === 0) return 0;
  return scale === 0 ? Number.POSITIVE_INFINITY : Math.sqrt(error / scale);
}

/** Largest |entry| over every array of `arrays`. */
export function largestEntry(arrays: ReadonlyMap<string, Float32Array>): number {
  let max = 0;
  for (const a of arrays.values())
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] as number));
  return max;
}

/** Max over the parameter gradients of max |a - b| / max |a|, `a` the reference (Infinity on a shape mismatch). */
export function relativeGradientError(
  reference: ReadonlyMap<string, Float32Array>,
  run: ReadonlyMap<string, Float32Array>,
): number {
  let max = 0;
  for (const [key, a] of reference) {
    const b = run.get(key);
    if (b === undefined || b.length !== a.length) return Number.POSITIVE_INFINITY;
    let scale = 0;
    let error = 0;
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i] as number));
      error = Math.max(error, Math.abs((a[i] as number) - (b[i] as number)));
    }
    if (error > 0) max = Math.max(max, scale === 0 ? Number.POSITIVE_INFINITY : error / scale);
  }
  return max;
}
