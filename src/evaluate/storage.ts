/**
 * Storage-mode sizes (DESIGN.md, "Storage modes"): the bytes of `s:v`, the stored form of `a_v`, in
 * each mode. With `n = ceil(bytes(v) / elementBytes(v))` elements:
 * - `bitmap` (BitTrain, Hosny, Neseem, Reda 2021: a 1-bit mask plus the non-zero values, each in the
 *   element's own type): `ceil(n / 8) + ceil(density(v) * n) * elementBytes(v)`;
 * - `fp16`, `bf16` (Sohoni et al. 2019, 16-bit storage): `2 * n`.
 * A tensor whose bytes are not a multiple of its element size counts as padded to whole elements.
 * Every function is O(1), except `densityFor`, which takes at most a few steps of one ulp.
 */
import type { InstanceNode, StorageMode } from "../instance/types.js";

/** Bytes per element of the 16-bit modes. */
const HALF_BYTES = 2;
/** Mask bits per byte of the bitmap. */
const BITS_PER_BYTE = 8;

/** The number of elements of `a_v`: `ceil(bytes / elementBytes)`. */
export function elementsOf(node: Pick<InstanceNode, "bytes" | "elementBytes">): number {
  return Math.ceil(node.bytes / node.elementBytes);
}

/** The non-zero elements the cost model counts in `a_v`: `ceil(density * elements)`. */
export function nonzerosOf(node: Pick<InstanceNode, "bytes" | "elementBytes" | "density">): number {
  return Math.ceil(node.density * elementsOf(node));
}

/** Bytes of `s:v` in `mode` (see the file comment). */
export function storedBytes(
  node: Pick<InstanceNode, "bytes" | "elementBytes" | "density">,
  mode: StorageMode,
): number {
  const elements = elementsOf(node);
  if (mode === "bitmap") return Math.ceil(elements / BITS_PER_BYTE) + nonzerosOf(node) * node.elementBytes;
  return HALF_BYTES * elements;
}

/** The largest stored form a node offers, bytes (0 when it offers none). */
export function largestStoredBytes(
  node: Pick<InstanceNode, "bytes" | "elementBytes" | "density" | "storage">,
): number {
  let largest = 0;
  for (const mode of Object.keys(node.storage) as StorageMode[])
    largest = Math.max(largest, storedBytes(node, mode));
  return largest;
}

/**
 * A density for a tensor of `elements` elements of which `nonzeros` were measured non-zero, such that
 * the cost model counts exactly `nonzeros` (`ceil(density * elements) === nonzeros`): `nonzeros /
 * elements`, moved by an ulp at a time when the floating-point product rounds across an integer. What a
 * profiler should write, so that the evaluator's bitmap bytes equal the measured ones.
 *
 * @param nonzeros measured non-zero elements, an integer in [0, elements]
 * @param elements the tensor's elements (1 when there are none: any density counts 0 of 0)
 */
export function densityFor(nonzeros: number, elements: number): number {
  if (elements === 0) return 1;
  let density = nonzeros / elements;
  while (density > 0 && Math.ceil(density * elements) > nonzeros) density = nextDouble(density, -1);
  while (density < 1 && Math.ceil(density * elements) < nonzeros) density = nextDouble(density, 1);
  return density;
}

/** The double next to a positive finite `x` towards `+Infinity` (direction 1) or 0 (direction -1). */
function nextDouble(x: number, direction: 1 | -1): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(direction));
  return view.getFloat64(0);
}
