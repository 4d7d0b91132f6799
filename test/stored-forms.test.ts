/**
 * The simulator's stored-form kernels (src/simulate/stored-forms.ts), checked without TensorFlow.js:
 * the bitmap gives back every bit and holds `ceil(n/8) + 4 * nonzeros` bytes; fp16 and bf16 round to
 * nearest, ties to even, as an independent reference computed in doubles says, and expand exactly.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  bfloat16FromFloatBits,
  convertTo,
  countNonzeros,
  expand,
  floatBitsFromBfloat16,
  floatBitsFromHalf,
  halfFromFloatBits,
  storedFormBytes,
} from "../src/simulate/stored-forms.js";
import { PROPERTY_SEED } from "./arbitraries.js";

const scratch = new DataView(new ArrayBuffer(4));
function floatOf(bits: number): number {
  scratch.setUint32(0, bits);
  return scratch.getFloat32(0);
}
function bitsOf(value: number): number {
  scratch.setFloat32(0, value);
  return scratch.getUint32(0);
}

/**
 * The nearest value to `x` on a binary floating-point grid with `mantissaBits` fraction bits, least
 * normal exponent `minExponent`, overflowing to infinity at `overflow` (ties to even), in doubles: every
 * step is exact for binary32 inputs.
 */
function reference(x: number, mantissaBits: number, minExponent: number, overflow: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const magnitude = Math.abs(x);
  const exponent = Math.max(minExponent, Math.floor(Math.log2(magnitude)));
  // Math.log2 may be off by one near powers of two: correct it
  const e =
    magnitude >= 2 ** (exponent + 1)
      ? exponent + 1
      : magnitude < 2 ** exponent && exponent > minExponent
        ? exponent - 1
        : exponent;
  const ulp = 2 ** (e - mantissaBits);
  const q = magnitude / ulp;
  let r = Math.floor(q);
  const rest = q - r;
  if (rest > 0.5 || (rest === 0.5 && r % 2 === 1)) r++;
  const rounded = r * ulp;
  const result = rounded >= overflow ? Number.POSITIVE_INFINITY : rounded;
  return x < 0 ? -result : result;
}

const HALF_OVERFLOW = 65520; // halfway between 65504 (largest binary16) and 2^16
const BFLOAT_OVERFLOW = 2 ** 128 - 2 ** (127 - 8); // halfway between the largest bfloat16 and 2^128

describe("fp16 conversion", () => {
  it("rounds the documented cases", () => {
    const cases: [number, number][] = [
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // tie between 0 and the least subnormal: even
      [1 + 2 ** -11, 0x3c00], // tie: even
      [1 + 3 * 2 ** -11, 0x3c02], // tie: even (up)
      [2 ** -14, 0x0400],
      [Number.POSITIVE_INFINITY, 0x7c00],
    ];
    for (const [value, half] of cases) expect(halfFromFloatBits(bitsOf(value)), String(value)).toBe(half);
    expect(halfFromFloatBits(0x80000000)).toBe(0x8000); // -0
    const nan = halfFromFloatBits(0x7fc00001);
    expect(nan & 0x7c00).toBe(0x7c00);
    expect(nan & 0x3ff).not.toBe(0);
  });

  it("expands every binary16 value exactly and converts it back to itself", () => {
    for (let h = 0; h < 0x10000; h++) {
      const bits = floatBitsFromHalf(h);
      if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) {
        expect(Number.isNaN(floatOf(bits))).toBe(true);
        continue;
      }
      expect(halfFromFloatBits(bits)).toBe(h);
    }
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 32 - 1 })], { seed: PROPERTY_SEED, numRuns: 20000 })(
    "rounds any binary32 value to the nearest binary16, ties to even",
    (bits) => {
      const x = floatOf(bits);
      fc.pre(!Number.isNaN(x));
      expect(
        Object.is(floatOf(floatBitsFromHalf(halfFromFloatBits(bits))), reference(x, 10, -14, HALF_OVERFLOW)),
      ).toBe(true);
    },
  );
});

describe("bf16 conversion", () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 32 - 1 })], { seed: PROPERTY_SEED, numRuns: 20000 })(
    "rounds any binary32 value to the nearest bfloat16, ties to even (not truncation)",
    (bits) => {
      const x = floatOf(bits);
      fc.pre(!Number.isNaN(x));
      const got = floatOf(floatBitsFromBfloat16(bfloat16FromFloatBits(bits)));
      expect(Object.is(got, reference(x, 7, -126, BFLOAT_OVERFLOW))).toBe(true);
    },
  );

  it("rounds a tie to even and keeps NaN a NaN", () => {
    expect(bfloat16FromFloatBits(0x3f808000)).toBe(0x3f80); // tie, even down
    expect(bfloat16FromFloatBits(0x3f818000)).toBe(0x3f82); // tie, even up
    expect(bfloat16FromFloatBits(0x3f808001)).toBe(0x3f81); // above the tie: up (truncation would give 0x3f80)
    expect(Number.isNaN(floatOf(floatBitsFromBfloat16(bfloat16FromFloatBits(0x7f800001))))).toBe(true);
  });
});

describe("bitmap form", () => {
  test.prop(
    [fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 100 })],
    {
      seed: PROPERTY_SEED,
    },
  )("gives back every bit, -0 and NaN payloads included, in ceil(n/8) + 4 * nonzeros bytes", (words) => {
    const data = new Float32Array(new Uint32Array(words).buffer);
    const form = convertTo("bitmap", data);
    const nonzeros = words.filter((w) => w !== 0).length;
    expect(countNonzeros(data)).toBe(nonzeros);
    expect(storedFormBytes(form)).toBe(Math.ceil(words.length / 8) + 4 * nonzeros);
    const back = expand(form);
    expect(back).toBeInstanceOf(Float32Array);
    expect([...new Uint32Array(back.buffer)]).toEqual(words);
  });

  it("keeps int32 data int32", () => {
    const data = Int32Array.from([0, 3, 0, -7, 0, 0, 0, 0, 9]);
    const back = expand(convertTo("bitmap", data));
    expect(back).toBeInstanceOf(Int32Array);
    expect([...back]).toEqual([...data]);
    expect(() => convertTo("fp16", data)).toThrow();
  });

  it("holds 2 bytes per element in the 16-bit forms", () => {
    expect(storedFormBytes(convertTo("fp16", new Float32Array(13)))).toBe(26);
    expect(storedFormBytes(convertTo("bf16", new Float32Array(13)))).toBe(26);
  });
});
