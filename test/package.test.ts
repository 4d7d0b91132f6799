/**
 * The library as a planner uses it: imported by its package name, typed results, and a core with no
 * Node-only imports (so it runs in a browser or a worker).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as remat from "remat";
import { evaluate, loadInstance, parseInstance, randomChain, solve, solvers } from "remat";
import { profileModel, simulate } from "remat/simulate";
import { describe, expect, it } from "vitest";

describe('import from "remat"', () => {
  it("loads, solves and evaluates through the public API", async () => {
    const instance = await loadInstance("instances/examples/skip-dag.json");
    const result = await solve(instance, { solver: "chen-greedy", budget: "90%" });
    expect(["feasible", "infeasible"]).toContain(result.status);
    expect(solvers.map((solver) => solver.name)).toContain("store-all");
    const again = parseInstance(JSON.parse(readFileSync("instances/examples/skip-dag.json", "utf8")));
    const evaluation = evaluate(again, []);
    expect(evaluation.valid).toBe(false);
    expect(randomChain(1, 3).nodes).toHaveLength(4);
  });
});

describe('import from "remat/simulate"', () => {
  it("gives the simulator and the profiler, which the main entry leaves out", () => {
    expect(typeof simulate).toBe("function");
    expect(typeof profileModel).toBe("function");
    expect(Object.keys(remat)).not.toContain("simulate");
    expect(Object.keys(remat)).not.toContain("profileModel");
  });
});

/**
 * Folders allowed to use Node's own modules: file and CLI code, and the profiler (which names the machine).
 * test/browser-bundle.test.ts checks what the main entry reaches, dynamic imports included.
 */
const NODE_ALLOWED = ["src/cli/", "src/io/", "src/profile/"];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the core", () => {
  it("has no static Node-only imports outside file and CLI code", () => {
    const offenders = [...sourceFiles("src"), ...sourceFiles("solvers")]
      .filter((path) => !NODE_ALLOWED.some((allowed) => path.startsWith(allowed)))
      .filter((path) =>
        /^import[^;]*from\s+"(node:|fs|path|os|child_process|worker_threads)/m.test(
          readFileSync(path, "utf8"),
        ),
      );
    expect(offenders).toEqual([]);
  });
});
