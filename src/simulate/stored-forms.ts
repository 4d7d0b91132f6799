/**
 * The stored forms of activations as real data (DESIGN.md, "Storage modes"), for the simulator's `C v
 * MODE` and `X v`. Every routine is one O(n) loop over the element bit patterns (through `Uint32Array`
 * views, so that no value passes through a JavaScript number and no NaN payload or sign of zero is lost):
 * - `bitmap` (BitTrain, Hosny, Neseem, Reda 2021, `BitmapTensor`: a bitset plus the non-zero values): a
 *   `Uint8Array` of `ceil(n / 8)` bytes, bit `i % 8` of byte `i / 8` set when element `i` is non-zero
 *   (any bit set: `-0` and NaN count as non-zero and are kept as they are), plus the non-zero elements
 *   in order, 4 bytes each. Lossless: expanding gives back every bit.
 * - `fp16`: IEEE 754 binary16, rounded to nearest, ties to even (overflow to infinity, gradual
 *   underflow to subnormals, NaN kept quiet), 2 bytes per element. `Math.fround` rounds to binary32, not
 *   binary16, so the rounding is written out here.
 * - `bf16`: bfloat16 (the top 16 bits of binary32), rounded to nearest, ties to even (not truncated),
 *   NaN kept quiet, 2 bytes per element.
 * Expanding a 16-bit form is exact (every binary16 and bfloat16 value is a binary32 value).
 */
import type { StorageMode } from "../instance/types.js";

/** Element data of an activation: float32 or int32 values. */
export type ElementArray = Float32Array | Int32Array;

/** A stored form: its mode, the typed arrays that hold it, and what it was made from. */
export interface StoredForm {
  readonly mode: StorageMode;
  /** The bitmap's mask (`ceil(n / 8)` bytes); empty for the 16-bit modes. */
  readonly mask: Uint8Array;
  /** The bitmap's non-zero elements (bit patterns), or the 16-bit values. */
  readonly values: Uint32Array | Uint16Array;
  /** Elements of the activation it was made from. */
  readonly elements: number;
  readonly dtype: "float32" | "int32";
}

/** Bytes held by a stored form: the byte lengths of its arrays. */
export function storedFormBytes(form: StoredForm): number {
  return form.mask.byteLength + form.values.byteLength;
}

/** The non-zero elements of a stored form as it holds them (every element for the 16-bit modes). */
export function storedNonzeros(form: StoredForm): number {
  return form.mode === "bitmap" ? form.values.length : form.elements;
}

/** The bit patterns of `data`, without copying. */
function bitsOf(data: ElementArray): Uint32Array {
  return new Uint32Array(data.buffer, data.byteOffset, data.length);
}

/** Elements of `data` whose bit pattern is not all zeros (what the bitmap stores). */
export function countNonzeros(data: ElementArray): number {
  const bits = bitsOf(data);
  let count = 0;
  for (let i = 0; i < bits.length; i++) if (bits[i] !== 0) count++;
  return count;
}

/**
 * Converts `data` into its stored form in `mode`.
 * @throws Error for a 16-bit mode of int32 data (the simulator's validation refuses it before any kernel)
 */
export function convertTo(mode: StorageMode, data: ElementArray): StoredForm {
  const dtype = data instanceof Int32Array ? "int32" : "float32";
  const bits = bitsOf(data);
  if (mode === "bitmap") {
    const mask = new Uint8Array(Math.ceil(bits.length / 8));
    const values = new Uint32Array(countNonzeros(data));
    let k = 0;
    for (let i = 0; i < bits.length; i++) {
      const word = bits[i] as number;
      if (word === 0) continue;
      mask[i >>> 3] = (mask[i >>> 3] as number) | (1 << (i & 7));
      values[k++] = word;
    }
    return { mode, mask, values, elements: bits.length, dtype };
  }
  if (dtype === "int32") throw new Error(`convertTo: ${mode} of int32 data`);
  const round = mode === "fp16" ? halfFromFloatBits : bfloat16FromFloatBits;
  const values = new Uint16Array(bits.length);
  for (let i = 0; i < bits.length; i++) values[i] = round(bits[i] as number);
  return { mode, mask: new Uint8Array(0), values, elements: bits.length, dtype };
}

/** Expands a stored form back into element data (a new array). */
export function expand(form: StoredForm): ElementArray {
  const bits = new Uint32Array(form.elements);
  if (form.mode === "bitmap") {
    let k = 0;
    for (let i = 0; i < form.elements; i++)
      if ((((form.mask[i >>> 3] as number) >>> (i & 7)) & 1) === 1) bits[i] = form.values[k++] as number;
  } else {
    const widen = form.mode === "fp16" ? floatBitsFromHalf : floatBitsFromBfloat16;
    for (let i = 0; i < form.elements; i++) bits[i] = widen(form.values[i] as number);
  }
  return form.dtype === "int32" ? new Int32Array(bits.buffer) : new Float32Array(bits.buffer);
}

/** Binary16 exponent bias and binary32 exponent bias. */
const HALF_BIAS = 15;
const FLOAT_BIAS = 127;

/**
 * The binary16 bit pattern nearest to the binary32 value with bit pattern `x` (ties to even).
 * @param x a binary32 bit pattern, 0 to 2^32 - 1
 */
export function halfFromFloatBits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200 | (mantissa >>> 13));
  const e = exponent - FLOAT_BIAS + HALF_BIAS;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // subnormal: value = m * 2^(exponent - 150) = (m >> shift) * 2^-24 with shift = 14 - e (implicit bit
    // included; binary32 subnormals, exponent 0, are far below 2^-25 and round to zero)
    const shift = 14 - e;
    if (exponent === 0 || shift > 25) return sign;
    return sign | roundShift(mantissa | 0x800000, shift);
  }
  return sign | roundShift((e << 23) | mantissa, 13);
}

/** `m >> shift`, rounded to nearest, ties to even (a carry may step into the next exponent: correct). */
function roundShift(m: number, shift: number): number {
  const kept = m >>> shift;
  const rest = m - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** The binary32 bit pattern of the binary16 value with bit pattern `h` (exact). */
export function floatBitsFromHalf(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent - HALF_BIAS + FLOAT_BIAS) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // subnormal: normalise the mantissa (value = mantissa * 2^-24)
  let shift = 0;
  let m = mantissa;
  while ((m & 0x400) === 0) {
    m <<= 1;
    shift++;
  }
  return (sign | ((1 - HALF_BIAS - shift + FLOAT_BIAS) << 23) | ((m & 0x3ff) << 13)) >>> 0;
}

/** The bfloat16 bit pattern nearest to the binary32 value with bit pattern `x` (ties to even; NaN quiet). */
export function bfloat16FromFloatBits(x: number): number {
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  return Math.floor((x + 0x7fff + ((x >>> 16) & 1)) / 0x10000) & 0xffff;
}

/** The binary32 bit pattern of the bfloat16 value with bit pattern `h` (exact). */
export function floatBitsFromBfloat16(h: number): number {
  return (h << 16) >>> 0;
}
