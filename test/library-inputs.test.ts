/**
 * The library validates its inputs: an unparsed instance is an InputError naming `instance`,
 * a schedule may be given as its text form (a result's `schedule`), and recompute-all's quadratic
 * schedule is bounded: refused beyond its stated cap, stopped at the time limit.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../solvers/index.js";
import { InputError } from "../src/errors.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomChain } from "../src/generate/families.js";
import { recomputeAllSchedule, storeAllSchedule } from "../src/schedule/builders.js";
import { ScheduleTooLarge } from "../src/schedule/checkpoint-schedule.js";
import { formatSchedule } from "../src/schedule/text.js";
import { example } from "./helpers.js";

describe("evaluate", () => {
  it("takes a schedule in its text form, as a result carries it", async () => {
    const chain = example("chain");
    const result = await solve(chain, { solver: "chen-sqrt" });
    const evaluation = evaluate(chain, result.schedule);
    expect(evaluation).toMatchObject({
      valid: true,
      makespanMs: result.makespanMs,
      peakBytes: result.peakBytes,
    });
    expect(evaluate(chain, formatSchedule(storeAllSchedule(chain)))).toEqual(
      evaluate(chain, storeAllSchedule(chain)),
    );
  });

  it("refuses an unparsed instance, a schedule that is not a list, and text that does not parse", () => {
    const chain = example("chain");
    const paths = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).issues.map((issue) => issue.path);
      }
      throw new Error("no error");
    };
    expect(paths(() => evaluate(JSON.parse(JSON.stringify(chain)), []))).toEqual(["instance"]);
    expect(paths(() => evaluate(chain, "F x" as never))).toEqual(["schedule"]);
    expect(paths(() => evaluate(chain, ["F x", "G a"]))).toEqual(["schedule[1]"]);
  });
});

describe("recompute-all's quadratic schedule", () => {
  it("is refused beyond the cap with an InputError saying why", () => {
    const chain = randomChain(1, 60);
    expect(() => recomputeAllSchedule(chain, undefined, 1000)).toThrow(ScheduleTooLarge);
    expect(recomputeAllSchedule(chain, undefined, 10_000).length).toBeGreaterThan(1000);
  });

  it("answers timeout, not a hang, when the limit passes while it is built", async () => {
    const result = await solve(randomChain(1, 3000), { solver: "recompute-all", timeLimitSec: 0.001 });
    expect(result.status).toBe("timeout");
    expect(result.reason).toMatch(/time limit/);
  });
});

describe("chen-greedy under a time limit", () => {
  it("answers timeout with the best schedule within the budget swept so far, or none", async () => {
    const result = await solve(randomChain(2, 4000), {
      solver: "chen-greedy",
      budget: "60%",
      timeLimitSec: 0.001,
    });
    expect(result.status).toBe("timeout");
    if (result.peakBytes !== null) expect(result.peakBytes).toBeLessThanOrEqual(result.budgetBytes as number);
  });
});
