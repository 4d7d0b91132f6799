/**
 * Binomial checkpointing counts (Griewank 1992; Griewank & Walther, ACM TOMS 26(1) 2000, Alg. 799;
 * research note 3.1). To reverse n homogeneous steps with s snapshots (the start state's included),
 * each step repeated at most t times, n <= beta(s, t) = C(s + t, s); the least number of forward
 * advances (the taped forward of each reversed step not counted) is
 *
 *   E(n, s) = t n - beta(s + 1, t - 1)   for beta(s, t - 1) < n <= beta(s, t)          (closed form)
 *   E(n, s) = min_{1 <= i < n} i + E(i, s) + E(n - i, s - 1),  E(1, s) = 0,  E(n, 1) = n(n-1)/2  (DP)
 *
 * @see ../../proofs/chain-dp.md, "Revolve"
 */

/** beta(s, t) = C(s + t, s), with beta(s, -1) = 0. Exact while below 2^53. */
export function beta(s: number, t: number): number {
  if (t < 0 || s < 0) return 0;
  let value = 1;
  const k = Math.min(s, t);
  for (let i = 1; i <= k; i++) value = (value * (s + t - k + i)) / i;
  return Math.round(value);
}

/** The repetition number t of (n, s): the least t with beta(s, t) >= n (n >= 1, s >= 1). */
export function repetitions(n: number, s: number): number {
  let t = 0;
  while (beta(s, t) < n) t++;
  return t;
}

/** E(n, s) by the closed form (n >= 1, s >= 1); Infinity when s = 0 and n > 1. */
export function extraForwards(n: number, s: number): number {
  if (n <= 1) return 0;
  if (s < 1) return Number.POSITIVE_INFINITY;
  const t = repetitions(n, s);
  return t * n - beta(s + 1, t - 1);
}

/** E(n, s) by the dynamic program, for cross-checking the closed form; O(n^2 s). */
export function extraForwardsByDp(n: number, s: number): number {
  const E: Float64Array[] = Array.from({ length: s + 1 }, () => new Float64Array(n + 1));
  for (let c = 0; c <= s; c++) {
    const row = E[c] as Float64Array;
    for (let k = 2; k <= n; k++) {
      if (c === 0) {
        row[k] = Number.POSITIVE_INFINITY;
        continue;
      }
      let best = Number.POSITIVE_INFINITY;
      for (let i = 1; i < k; i++)
        best = Math.min(best, i + (row[i] as number) + ((E[c - 1] as Float64Array)[k - i] as number));
      row[k] = best;
    }
  }
  return (E[s] as Float64Array)[n] as number;
}

/**
 * E(k, c) for every k <= n and c <= s by the closed form, row by row (t only grows with k), in
 * O(n s + sum of the t's) time: rows[c][k], with rows[0][k] = Infinity for k > 1.
 */
export function extraForwardsTable(n: number, s: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let c = 0; c <= s; c++) {
    const row = new Float64Array(n + 1);
    let t = 0;
    for (let k = 2; k <= n; k++) {
      if (c === 0) {
        row[k] = Number.POSITIVE_INFINITY;
        continue;
      }
      while (beta(c, t) < k) t++;
      row[k] = t * k - beta(c + 1, t - 1);
    }
    rows.push(row);
  }
  return rows;
}

/** An optimal first advance i for (n, s): the least i attaining min i + E(i, s) + E(n - i, s - 1). */
export function optimalAdvance(table: readonly Float64Array[], n: number, s: number): number {
  const same = table[s] as Float64Array;
  const fewer = table[s - 1] as Float64Array;
  let best = Number.POSITIVE_INFINITY;
  let at = 1;
  for (let i = 1; i < n; i++) {
    const value = i + (same[i] as number) + (fewer[n - i] as number);
    if (value < best) {
      best = value;
      at = i;
    }
  }
  return at;
}
