/**
 * Failures inside a backend library surface as LpBackendError (an InternalError) naming the backend:
 * a model HiGHS rejects, runtimes that fail to load or crash (injected through each backend's seam),
 * unknown statuses, and javascript-lp-solver answers that fail the re-check. Invalid options are an
 * InternalError of the caller, not of the backend.
 */
import loadGlpk from "glpk.js/node";
import { describe, expect, test } from "vitest";
import { InternalError } from "../../src/errors.js";
import {
  backends,
  createGlpkBackend,
  createHighsBackend,
  createJslpBackend,
  type JslpRunner,
  type LpBackend,
  LpBackendError,
  type LpModel,
  ModelBuilder,
} from "../../src/lp/index.js";

/** min x + y with x + y >= 1.5, x, y integer in [0, 3]. */
function smallMilp(): LpModel {
  const b = new ModelBuilder("small", "minimize");
  const x = b.addVariable("x", { kind: "integer", upper: 3, objective: 1 });
  const y = b.addVariable("y", { kind: "integer", upper: 3, objective: 1 });
  b.addConstraint(
    "cover",
    [
      [x, 1],
      [y, 1],
    ],
    { lower: 1.5 },
  );
  return b.build();
}

/** Resolves to the error `backend.solve` rejects with (fails the test when it resolves). */
async function failure(backend: LpBackend, model: LpModel): Promise<LpBackendError> {
  const error: unknown = await backend.solve(model).then(
    (result) => new Error(`expected a failure, got status ${result.status}`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LpBackendError);
  return error as LpBackendError;
}

function expectNamed(error: LpBackendError, backend: string): void {
  expect(error).toBeInstanceOf(InternalError);
  expect(error.backend).toBe(backend);
  expect(error.message).toContain(`LP backend ${backend} failed`);
}

const crash = (): Error => Object.assign(new Error("Aborted()"), { name: "RuntimeError" });

describe("a backend failure", () => {
  test("is raised naming highs when HiGHS rejects a coefficient of 1e300", async () => {
    const b = new ModelBuilder("huge", "minimize");
    const x = b.addVariable("x", { objective: 1 });
    b.addConstraint("c", [[x, 1e300]], { lower: 1 });
    expectNamed(await failure(backends.highs, b.build()), "highs");
    // the shared runtime still works afterwards
    expect((await backends.highs.solve(smallMilp())).status).toBe("optimal");
  });

  test("is raised naming highs when its runtime fails to load", async () => {
    const broken = createHighsBackend(() => Promise.reject(new Error("highs.wasm not found")));
    expectNamed(await failure(broken, smallMilp()), "highs");
  });

  test("is raised naming glpk when GLPK crashes, and the crashed runtime is loaded again", async () => {
    const real = await loadGlpk();
    let loads = 0;
    let solves = 0;
    const flaky = createGlpkBackend(async () => {
      loads++;
      return {
        ...real,
        solve: (lp, options) => {
          solves++;
          if (solves === 1) throw crash();
          return real.solve(lp, options);
        },
      };
    });
    expectNamed(await failure(flaky, smallMilp()), "glpk");
    expect((await flaky.solve(smallMilp())).status).toBe("optimal");
    expect(loads).toBe(2);
  });

  test("is raised naming glpk for a status GLPK does not define, or an optimum without objective", async () => {
    const real = await loadGlpk();
    const answering = (status: number, z: number) =>
      createGlpkBackend(async () => ({
        ...real,
        solve: () => ({ name: "remat", time: 0, result: { status, z, vars: { x0: 1, x1: 1 } } }),
      }));
    expectNamed(await failure(answering(99, 0), smallMilp()), "glpk");
    const missing: unknown = null;
    expectNamed(await failure(answering(real.GLP_OPT, missing as number), smallMilp()), "glpk");
  });

  test("is raised naming jslp for a non-integral point, a row violation, a malformed answer or a crash", async () => {
    const answering =
      (answer: unknown): JslpRunner =>
      async () =>
        answer;
    const fractional = { feasible: true, bounded: true, result: 1.5, x0: 0.75, x1: 0.75 };
    expectNamed(await failure(createJslpBackend(answering(fractional)), smallMilp()), "jslp");
    const short = { feasible: true, bounded: true, result: 1, x0: 1 };
    expectNamed(await failure(createJslpBackend(answering(short)), smallMilp()), "jslp");
    expectNamed(await failure(createJslpBackend(answering(null)), smallMilp()), "jslp");
    expectNamed(
      await failure(createJslpBackend(answering({ feasible: true, x0: "1" })), smallMilp()),
      "jslp",
    );
    const crashing: JslpRunner = () => Promise.reject(crash());
    expectNamed(await failure(createJslpBackend(crashing), smallMilp()), "jslp");
  });
});

describe("javascript-lp-solver answers after a time limit", () => {
  test("drop a non-integral point: status timeout without incumbent", async () => {
    const late: JslpRunner = async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return { feasible: true, bounded: true, result: 1.5, x0: 0.75, x1: 0.75 };
    };
    const result = await createJslpBackend(late).solve(smallMilp(), { timeLimitSec: 0.05 });
    expect(result.status).toBe("timeout");
    expect(result.values).toBeUndefined();
  });

  test("become status timeout when the worker had to be killed", async () => {
    const killed: JslpRunner = async () => "killed";
    const result = await createJslpBackend(killed).solve(smallMilp(), { timeLimitSec: 1 });
    expect(result).toMatchObject({ status: "timeout", backend: "jslp" });
  });
});

describe("invalid options", () => {
  test.each([
    { timeLimitSec: 0 },
    { timeLimitSec: -1 },
    { timeLimitSec: Number.NaN },
    { mipGap: -0.1 },
    { mipGap: Number.POSITIVE_INFINITY },
  ])("are an InternalError of the caller, not a backend failure: %o", async (options) => {
    for (const backend of Object.values(backends)) {
      const error: unknown = await backend.solve(smallMilp(), options).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(InternalError);
      expect(error).not.toBeInstanceOf(LpBackendError);
    }
  });
});
