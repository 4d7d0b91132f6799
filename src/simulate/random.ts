/**
 * Deterministic pseudo-random numbers for parameters and input data: mulberry32 seeded from a 32-bit
 * hash of (seed, name), so each tensor's values depend only on the seed and its own name, never on the
 * order tensors are made in.
 */

/** FNV-1a hash of `text`, mixed with `seed`, as an unsigned 32-bit integer. */
function hash(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A generator of floats uniform in [0, 1) for `(seed, name)` (mulberry32). */
export function uniformSource(seed: number, name: string): () => number {
  let state = hash(seed, name);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` floats uniform in [-limit, limit). */
export function uniformArray(seed: number, name: string, size: number, limit: number): Float32Array {
  const next = uniformSource(seed, name);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (next() * 2 - 1) * limit;
  return values;
}

/** `size` integers uniform in [0, bound). */
export function integerArray(seed: number, name: string, size: number, bound: number): Int32Array {
  const next = uniformSource(seed, name);
  const values = new Int32Array(size);
  for (let i = 0; i < size; i++) values[i] = Math.floor(next() * bound);
  return values;
}
