/**
 * Partition mode (solvers/graph/partition.ts; proofs/graph-mincut.md, "Partition mode"): the saved set
 * lets the backward recompute everything else without ever re-running a banned op, and its schedule
 * passes solve()'s evaluator checks.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_BANNED_OPS } from "../../solvers/graph/partition.js";
import { solve } from "../../solvers/index.js";
import { parseInstance } from "../../src/instance/parse.js";
import { generateInstance } from "../../src/zoo/generate.js";

describe("graph-mincut partition mode", () => {
  for (const zoo of ["resnet-18", "mobilenet-v2", "densenet-121"]) {
    it(`never recomputes a banned op on the ${zoo} op graph`, async () => {
      const instance = parseInstance(JSON.parse(generateInstance({ zoo, config: {}, level: "op" }).text));
      const result = await solve(instance, { solver: "graph-mincut", extra: { method: "partition" } });
      expect(result.status).toBe("feasible");
      const banned = new Set(
        instance.nodes
          .filter((node) => DEFAULT_BANNED_OPS.includes(String(node.meta?.op)))
          .map((node) => node.id),
      );
      expect(banned.size).toBeGreaterThan(0);
      const forwards = new Map<string, number>();
      for (const line of result.schedule) {
        const [op, id] = line.split(" ");
        if (op === "F" && id !== undefined) forwards.set(id, (forwards.get(id) ?? 0) + 1);
      }
      for (const id of banned) expect(forwards.get(id), id).toBe(1);
      expect(result.stats.savedBytes).toBeGreaterThan(0);
    });
  }
});
