/**
 * Budgets as users write them: bytes with units, percentages of the store-all peak, none; and the
 * limit every byte budget shares with instance sizes, 2^53 - 1 (src/instance/limits.ts).
 */
import { describe, expect, it } from "vitest";
import { budgetBytes, formatBytes, parseBudget } from "../src/budget.js";
import { InputError } from "../src/errors.js";
import { MAX_BYTES } from "../src/instance/limits.js";

/** The [code, path] of the one issue `run` throws. */
function issueOf(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const issues = (error as InputError).issues;
    expect(issues).toHaveLength(1);
    return [issues[0]?.code as string, issues[0]?.path as string];
  }
  throw new Error("expected an InputError");
}

describe("parseBudget", () => {
  it("reads bytes with decimal and binary units, percentages and none", () => {
    expect(parseBudget("1.5GB")).toEqual({ kind: "bytes", bytes: 1.5e9 });
    expect(parseBudget("512 MiB")).toEqual({ kind: "bytes", bytes: 512 * 1024 ** 2 });
    expect(parseBudget("2PB")).toEqual({ kind: "bytes", bytes: 2e15 });
    expect(parseBudget("50%")).toEqual({ kind: "fraction", fraction: 0.5 });
    expect(parseBudget("none")).toEqual({ kind: "none" });
  });

  it("accepts 2^53 - 1 bytes and refuses one byte more", () => {
    expect(parseBudget(String(MAX_BYTES))).toEqual({ kind: "bytes", bytes: MAX_BYTES });
    expect(issueOf(() => parseBudget(String(MAX_BYTES + 2)))).toEqual(["option", "budget"]);
  });

  it.each(["1e400", "1e30GB", "1e17", "10EB", "9EiB"])(
    "refuses the byte budget %s, beyond 2^53 - 1",
    (text) => {
      expect(issueOf(() => parseBudget(text))).toEqual(["option", "budget"]);
    },
  );

  it("refuses numbers beyond 2^53 - 1 bytes given as numbers", () => {
    expect(issueOf(() => parseBudget(1e30))).toEqual(["option", "budget"]);
    expect(issueOf(() => parseBudget(Number.POSITIVE_INFINITY))).toEqual(["option", "budget"]);
  });

  it.each(["1e999%", "1e400%", "1e20%", "0%", "-5%", "12 parsecs", ""])(
    "refuses %j with code option at the path it was given",
    (text) => {
      expect(issueOf(() => parseBudget(text, "--max-memory"))).toEqual(["option", "--max-memory"]);
    },
  );
});

describe("budgetBytes", () => {
  it("rounds a percentage of the store-all peak down", () => {
    expect(budgetBytes(parseBudget("50%"), 1001)).toBe(500);
    expect(budgetBytes(parseBudget("none"), 1001)).toBe(Number.POSITIVE_INFINITY);
  });

  it("refuses a percentage whose bytes exceed 2^53 - 1 for this peak", () => {
    const peak = 2 ** 52;
    expect(budgetBytes(parseBudget("150%"), peak)).toBe(1.5 * peak);
    expect(issueOf(() => budgetBytes(parseBudget("300%"), peak))).toEqual(["option", "budget"]);
    expect(issueOf(() => budgetBytes(parseBudget("1e15%"), 1700))).toEqual(["option", "budget"]);
  });

  it("refuses budgets built by hand that parseBudget would refuse", () => {
    expect(issueOf(() => budgetBytes({ kind: "fraction", fraction: Number.POSITIVE_INFINITY }, 100))).toEqual(
      ["option", "budget"],
    );
    expect(issueOf(() => budgetBytes({ kind: "fraction", fraction: Number.NaN }, 100))).toEqual([
      "option",
      "budget",
    ]);
    expect(issueOf(() => budgetBytes({ kind: "bytes", bytes: 1e30 }, 100, "budget"))).toEqual([
      "option",
      "budget",
    ]);
  });
});

describe("formatBytes", () => {
  it("keeps small values in bytes and scales others by powers of 1000", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1_230_000_000)).toBe("1.23 GB");
  });

  it("goes on to PB and EB instead of stopping at TB", () => {
    expect(formatBytes(2.5e15)).toBe("2.50 PB");
    expect(formatBytes(MAX_BYTES)).toBe("9.01 PB");
    expect(formatBytes(3e18)).toBe("3.00 EB");
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe("none");
  });
});
