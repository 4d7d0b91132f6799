/**
 * A small seeded pseudo-random generator (mulberry32), so generated instances are reproducible from
 * their seed on every platform.
 */

/** A deterministic source of numbers in [0, 1). */
export interface Random {
  next(): number;
  /** An integer in [min, max]. */
  integer(min: number, max: number): number;
}

/** mulberry32 over a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, integer: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}
