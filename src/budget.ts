/**
 * Memory budgets (DESIGN.md, "Problems"): bytes with an optional unit (`1.5GB`, `512MiB`, `1e9`), or a
 * percentage of the store-all peak (`50%`). Decimal units are powers of 1000, binary ones of 1024.
 */
import { describeValue, InputError } from "./errors.js";

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
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
};

const BUDGET_PATTERN = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(%|[a-z]*)\s*$/i;

/**
 * Parses a budget written by a user.
 *
 * @param text e.g. `123456`, `1.5GB`, `512 MiB`, `50%`, `none`
 * @param path the option or field it came from, for the error (default `budget`)
 * @throws InputError (code `option`) for anything else, including zero, negative and non-finite budgets
 */
export function parseBudget(text: string | number, path = "budget"): Budget {
  if (typeof text === "number") return checkedBytes(text, path, text);
  if (text.trim().toLowerCase() === "none") return { kind: "none" };
  const match = BUDGET_PATTERN.exec(text);
  const unit = match?.[2]?.toUpperCase() ?? "";
  const amount = Number(match?.[1]);
  if (match === null || !(unit === "%" || unit === "" || unit in UNITS)) {
    throw new InputError("parseBudget", [
      {
        code: "option",
        path,
        expected: "bytes with an optional unit (B KB MB GB KiB MiB GiB), a percentage such as 50%, or none",
        received: describeValue(text),
      },
    ]);
  }
  if (unit === "%") {
    if (!(amount > 0))
      throw new InputError("parseBudget", [
        { code: "option", path, expected: "a positive percentage", received: describeValue(text) },
      ]);
    return { kind: "fraction", fraction: amount / 100 };
  }
  return checkedBytes(Math.floor(amount * (UNITS[unit] ?? 1)), path, text);
}

function checkedBytes(bytes: number, path: string, original: unknown): Budget {
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new InputError("parseBudget", [
      {
        code: "option",
        path,
        expected: "a positive finite number of bytes",
        received: describeValue(original),
      },
    ]);
  }
  return { kind: "bytes", bytes: Math.floor(bytes) };
}

/** Bytes for a budget, given the store-all peak of the instance (fractions are rounded down). */
export function budgetBytes(budget: Budget, storeAllPeakBytes: number): number {
  switch (budget.kind) {
    case "bytes":
      return budget.bytes;
    case "fraction":
      return Math.floor(budget.fraction * storeAllPeakBytes);
    case "none":
      return Number.POSITIVE_INFINITY;
  }
}

/** Formats bytes for tables: `1.23 GB`, `512 B` (decimal units). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "none";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(2)} ${units[unit]}`;
}
