/**
 * Binomial checkpointing counts (Griewank 1992; Griewank & Walther, ACM TOMS 26(1) 2000, Alg. 799). To reverse n homogeneous steps with s snapshots (the start state's included),
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

/**
 * Whether beta(s, t) >= n, computing C(s + t, k), k = min(s, t), as C(s + t - k + i, i) for i = 1..k and
 * stopping once it reaches n (the partial values only grow): exact for n up to 2^53 / (s + t).
 */
function betaAtLeast(s: number, t: number, n: number): boolean {
  if (t < 0 || s < 0) return n <= 0;
  let value = 1;
  const k = Math.min(s, t);
  for (let i = 1; i <= k && value < n; i++) value = (value * (s + t - k + i)) / i;
  return value >= n;
}

/**
 * The repetition number t of (n, s): the least t with beta(s, t) >= n (n >= 1, s >= 1), by bisection
 * over t in [0, n - 1] (beta(s, n - 1) >= beta(1, n - 1) = n), O(log n min(s, t)).
 */
export function repetitions(n: number, s: number): number {
  let low = 0;
  let high = Math.max(0, n - 1);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (betaAtLeast(s, mid, n)) high = mid;
    else low = mid + 1;
  }
  return low;
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
 * An optimal first advance for (n, s), n >= 2: the least i in [1, n - 1] attaining
 * min_i i + E(i, s) + E(n - i, s - 1). For s = 1 only i = n - 1 is finite. For s >= 2 the function is
 * convex in i: E(k, s) - E(k - 1, s) = r(k, s), the repetition number, which does not decrease in k (from
 * the closed form, with Pascal's rule at the ends of each range of t), so its forward difference
 * `1 + r(i + 1, s) - r(n - i, s - 1)` does not decrease in i, and the least minimizer is the first i
 * where it is >= 0 (n - 1 when there is none): found by bisection, O(log^2 n min(s, t)).
 * @see ../../proofs/chain-dp.md, "Revolve"
 */
export function leastAdvance(n: number, s: number): number {
  if (s <= 1) return n - 1;
  let low = 1;
  let high = n - 1;
  while (low < high) {
    const i = Math.floor((low + high) / 2);
    if (1 + repetitions(i + 1, s) - repetitions(n - i, s - 1) >= 0) high = i;
    else low = i + 1;
  }
  return low;
}
