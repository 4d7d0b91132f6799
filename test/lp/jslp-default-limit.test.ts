/**
 * javascript-lp-solver can loop forever on some MILPs, and proves nothing about them, so a MILP solved
 * without a time limit runs under JSLP_MILP_DEFAULT_LIMIT_SEC (in a worker killed after it); an LP keeps
 * no limit. Checked through the runner seam, which sees the library's own timeout and the kill deadline.
 */
import { describe, expect, it } from "vitest";
import { createJslpBackend, type JslpRunner, ModelBuilder } from "../../src/lp/index.js";
import { JSLP_MILP_DEFAULT_LIMIT_SEC } from "../../src/lp/jslp.js";
import { defaultJslpRunner } from "../../src/lp/jslp-runner.js";

/** min x with x >= 1.5, x integer (or continuous) in [0, 3]. */
function model(kind: "integer" | "continuous") {
  const b = new ModelBuilder("small", "minimize");
  const x = b.addVariable("x", { kind, upper: 3, objective: 1 });
  b.addConstraint("floor", [[x, 1]], { lower: 1.5 });
  return b.build();
}

/** A runner that records what it was given and runs the library on this thread. */
function recording(seen: { timeout?: unknown; killAfterMs?: number }[]): JslpRunner {
  return async (jsModel, killAfterMs) => {
    seen.push({ timeout: (jsModel as { timeout?: unknown }).timeout, killAfterMs });
    return defaultJslpRunner(jsModel, Number.POSITIVE_INFINITY);
  };
}

describe("javascript-lp-solver without a time limit", () => {
  it("runs a MILP under the default limit, killed shortly after it", async () => {
    const seen: { timeout?: unknown; killAfterMs?: number }[] = [];
    await createJslpBackend(recording(seen)).solve(model("integer"));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.timeout).toBe(JSLP_MILP_DEFAULT_LIMIT_SEC * 1000);
    expect(seen[0]?.killAfterMs).toBeGreaterThan(JSLP_MILP_DEFAULT_LIMIT_SEC * 1000);
    expect(seen[0]?.killAfterMs).toBeLessThan(JSLP_MILP_DEFAULT_LIMIT_SEC * 1000 + 5000);
  });

  it("keeps a given limit for a MILP and no limit for an LP", async () => {
    const seen: { timeout?: unknown; killAfterMs?: number }[] = [];
    await createJslpBackend(recording(seen)).solve(model("integer"), { timeLimitSec: 3 });
    await createJslpBackend(recording(seen)).solve(model("continuous"));
    expect(seen[0]?.timeout).toBe(3000);
    expect(seen[1]?.timeout).toBeUndefined();
    expect(seen[1]?.killAfterMs).toBe(Number.POSITIVE_INFINITY);
  });
});
