/**
 * CLI tables and paragraphs fit 100 columns: long text cells continue on the next lines within their
 * column, numbers stay right-aligned, and nothing of a cell is lost.
 */
import { describe, expect, it } from "vitest";
import { renderTable, TEXT_WIDTH, wrapText } from "../../src/cli/table.js";
import { cli } from "./run.js";

const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));
const words = (text: string) => text.split(/\s+/).filter((word) => word !== "");

describe("CLI tables", () => {
  it("wrap long text cells within their column and keep every word", () => {
    const long = "optimal over persistent schedules for the budget discretized into slots ".repeat(4).trim();
    const rows = [
      ["chain-dp", long, "12.5", long.toUpperCase()],
      ["store-all", "short", "3", "plain"],
    ];
    const table = renderTable(["name", "guarantee", "ms", "reference"], rows);
    expect(widest(table)).toBeLessThanOrEqual(TEXT_WIDTH);
    const lines = table.split("\n");
    expect(lines.length).toBeGreaterThan(2 + rows.length);
    const msColumn = (lines[0] as string).indexOf("ms");
    const storeAll = lines.find((line) => line.startsWith("store-all")) as string;
    expect(storeAll.slice(msColumn, msColumn + 2)).toBe(" 3");
    expect(words(table)).toEqual(
      expect.arrayContaining([...words(long), ...words(long.toUpperCase()), "12.5", "store-all"]),
    );
  });

  it("leave a table that fits as it was", () => {
    expect(renderTable(["a", "bb"], [["x", "1"]])).toBe("a  bb\n-  --\nx   1");
  });

  it("wrap paragraphs at spaces, and inside words longer than the width", () => {
    expect(wrapText("aaa bbb ccc", 7)).toEqual(["aaa bbb", "ccc"]);
    expect(wrapText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(wrapText("one\ntwo", 10)).toEqual(["one", "two"]);
  });

  it("print remat solvers and remat zoo within 100 columns", async () => {
    for (const command of ["solvers", "zoo"]) {
      const { code, out } = await cli(command);
      expect(code).toBe(0);
      expect(widest(out), command).toBeLessThanOrEqual(TEXT_WIDTH);
    }
    expect((await cli("solvers")).out).toContain("Feng & Huang 2021");
  });
});
