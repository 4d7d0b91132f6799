/**
 * Memory budgets (DESIGN.md, "Problems"): bytes with an optional unit (`1.5GB`, `512MiB`, `1e9`), or a
 * percentage of the store-all peak (`50%`). Decimal units are powers of 1000, binary ones of 1024.
 * A budget in bytes is at most 2^53 - 1 (Number.MAX_SAFE_INTEGER, about 9 PB), the same limit as an
 * instance's memory total (src/instance/limits.ts), so that comparing it with a peak is exact.
 */
import { describeValue, InputError } from "./errors.js";
import { MAX_BYTES } from "./instance/limits.js";

/** A budget as given: absolute bytes, a fraction of the store-all peak, or no limit. */
export type Budget =
  | { readonly kind: "bytes"; readonly bytes: number }
  | { readonly kind: "fraction"; readonly fraction: number }
  | { readonly kind: "none" };

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  EB: 1e18,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
  PIB: 1024 ** 5,
  EIB: 1024 ** 6,
};

const BUDGET_PATTERN = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(%|[a-z]*)\s*$/i;

/** What a byte budget must be, with the limit and why. */
const BYTES_EXPECTED = `a positive number of bytes at most 2^53 - 1 = ${MAX_BYTES} (about 9 PB: the largest integer a double holds exactly, so that comparing it with a peak is exact)`;

/** A percentage beyond this is beyond 2^53 - 1 bytes for any instance whose store-all peak is a byte or more. */
const MAX_PERCENT = MAX_BYTES * 100;

function optionError(path: string, expected: string, received: unknown): InputError {
  return new InputError("parseBudget", [
    { code: "option", path, expected, received: describeValue(received) },
  ]);
}

/**
 * Parses a budget written by a user.
 *
 * @param text e.g. `123456`, `1.5GB`, `512 MiB`, `50%`, `none`
 * @param path the option or field it came from, for the error (default `budget`)
 * @throws InputError (code `option`) for anything else: zero, negative and non-finite budgets, byte
 *   budgets beyond 2^53 - 1 (`1e30GB`), and percentages that are not finite or whose bytes would be
 *   beyond 2^53 - 1 for every instance (`1e999%`, `1e20%`)
 */
export function parseBudget(text: string | number, path = "budget"): Budget {
  if (typeof text === "number") return checkedBytes(text, path, text);
  if (text.trim().toLowerCase() === "none") return { kind: "none" };
  const match = BUDGET_PATTERN.exec(text);
  const unit = match?.[2]?.toUpperCase() ?? "";
  const amount = Number(match?.[1]);
  if (match === null || !(unit === "%" || unit === "" || unit in UNITS)) {
    throw optionError(
      path,
      "bytes with an optional unit (B KB MB GB TB PB EB KiB MiB GiB TiB PiB EiB), a percentage such as 50%, or none",
      text,
    );
  }
  if (unit === "%") return checkedFraction(amount / 100, path, text);
  return checkedBytes(Math.floor(amount * (UNITS[unit] ?? 1)), path, text);
}

function checkedBytes(bytes: number, path: string, original: unknown): Budget {
  if (!(Number.isFinite(bytes) && bytes >= 1 && bytes <= MAX_BYTES))
    throw optionError(path, BYTES_EXPECTED, original);
  return { kind: "bytes", bytes: Math.floor(bytes) };
}

function checkedFraction(fraction: number, path: string, original: unknown): Budget {
  if (!(Number.isFinite(fraction) && fraction > 0 && fraction * 100 <= MAX_PERCENT))
    throw optionError(
      path,
      `a positive finite percentage at most ${MAX_PERCENT}% (beyond it the budget exceeds 2^53 - 1 bytes for any instance)`,
      original,
    );
  return { kind: "fraction", fraction };
}

/**
 * Bytes for a budget, given the store-all peak of the instance (fractions are rounded down). An
 * infinite peak (no instance to measure) leaves a fraction without a limit.
 *
 * @param path the option or field the budget came from, for the error (default `budget`)
 * @throws InputError (code `option`) for a budget that is not one {@link parseBudget} returns (a byte
 *   count that is not a positive integer <= 2^53 - 1, a fraction that is not positive and finite), or
 *   a fraction of a finite peak whose bytes exceed 2^53 - 1
 */
export function budgetBytes(budget: Budget, storeAllPeakBytes: number, path = "budget"): number {
  switch (budget.kind) {
    case "bytes":
      if (!(Number.isInteger(budget.bytes) && budget.bytes >= 1 && budget.bytes <= MAX_BYTES))
        throw optionError(path, BYTES_EXPECTED, budget.bytes);
      return budget.bytes;
    case "fraction": {
      checkedFraction(budget.fraction, path, `${budget.fraction * 100}%`);
      const bytes = Math.floor(budget.fraction * storeAllPeakBytes);
      if (Number.isFinite(storeAllPeakBytes) && bytes > MAX_BYTES)
        throw optionError(
          path,
          `a percentage of the store-all peak (${storeAllPeakBytes} bytes) that is ${BYTES_EXPECTED}`,
          `${budget.fraction * 100}% = ${bytes} bytes`,
        );
      return bytes;
    }
    case "none":
      return Number.POSITIVE_INFINITY;
  }
}

/** Formats bytes for tables: `1.23 GB`, `512 B` (decimal units, up to EB). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "none";
  const units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(2)} ${units[unit]}`;
}
