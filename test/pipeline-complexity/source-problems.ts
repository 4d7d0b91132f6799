/**
 * Plain exhaustive deciders of the two source problems (PARTITION, 3-PARTITION), written apart from the
 * layer model so that the reductions' tests compare two independent searches.
 */

/** A subset of indices whose sizes sum to half the total, or undefined (enumeration of subsets). */
export function partitionHalf(sizes: readonly number[]): number[] | undefined {
  const total = sizes.reduce((s, y) => s + y, 0);
  for (let mask = 0; mask < 2 ** sizes.length; mask++) {
    const chosen = sizes.flatMap((_, i) => (Math.floor(mask / 2 ** i) % 2 === 1 ? [i] : []));
    if (2 * chosen.reduce((s, i) => s + (sizes[i] as number), 0) === total) return chosen;
  }
  return undefined;
}

/**
 * The triples (indices) of a 3-partition of `items` into groups of sum `sum / (items.length / 3)`, or
 * undefined: a DP over the sets of items already grouped, each extended by one triple holding the
 * lowest ungrouped item.
 */
export function threePartitionTriples(items: readonly number[]): number[][] | undefined {
  const n = items.length;
  const bound = items.reduce((s, x) => s + x, 0) / (n / 3);
  const previous = new Map<number, { from: number; triple: number[] }>([[0, { from: -1, triple: [] }]]);
  const full = 2 ** n - 1;
  for (let mask = 0; mask < full; mask++) {
    if (!previous.has(mask)) continue;
    const first = [...items.keys()].find((i) => Math.floor(mask / 2 ** i) % 2 === 0) as number;
    for (let j = first + 1; j < n; j++)
      for (let k = j + 1; k < n; k++) {
        const next = mask + 2 ** first + 2 ** j + 2 ** k;
        const free = Math.floor(mask / 2 ** j) % 2 === 0 && Math.floor(mask / 2 ** k) % 2 === 0;
        const sum = (items[first] as number) + (items[j] as number) + (items[k] as number);
        if (free && sum === bound && !previous.has(next))
          previous.set(next, { from: mask, triple: [first, j, k] });
      }
  }
  if (!previous.has(full)) return undefined;
  const triples: number[][] = [];
  for (let mask = full; mask !== 0; ) {
    const step = previous.get(mask) as { from: number; triple: number[] };
    triples.push(step.triple);
    mask = step.from;
  }
  return triples;
}
