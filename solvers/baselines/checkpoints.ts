/**
 * checkpoints: turns any given set of kept nodes (from a paper, a user, another tool) into the standard
 * checkpoint schedule (src/schedule/builders.ts, `keepSchedule`) that the evaluator then judges.
 */
import { InputError } from "../../src/errors.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { NO_SWITCHES } from "../../src/options.js";
import { keepSchedule } from "../../src/schedule/builders.js";
import type { Solver } from "../../src/solver.js";
import { judgeFixedSchedule } from "./judge.js";

/**
 * Resolves checkpoint ids to node indices.
 * @throws InputError (code `unknown-id`, path `checkpoints[i]`) for ids not in the instance
 */
export function checkpointIndices(instance: Instance, ids: readonly string[]): number[] {
  const g = graphOf(instance);
  const unknown = ids.flatMap((id, index) =>
    g.indexOf.has(id)
      ? []
      : [
          {
            code: "unknown-id" as const,
            path: `checkpoints[${index}]`,
            expected: "the id of a node in the instance",
            received: JSON.stringify(id),
          },
        ],
  );
  if (unknown.length > 0) throw new InputError("checkpoints", unknown, instance.name);
  return ids.map((id) => g.indexOf.get(id) as number);
}

export const checkpoints: Solver = {
  name: "checkpoints",
  family: "baselines",
  problem: "any DAG, with a given set of kept nodes (--checkpoints)",
  guarantee: "feasible only (judges the given set)",
  reference: "Chen et al. 2016, segments recomputed once",
  objectives: ["time", "memory"],
  emits: { time: "checkpoint", memory: "checkpoint" },
  switches: NO_SWITCHES,
  reads: ["checkpoints"],
  solve: (instance, options) => {
    if (options.checkpoints === undefined) {
      throw new InputError("checkpoints", [
        {
          code: "option",
          path: "checkpoints",
          expected: "a list of node ids (ID,ID,... or @FILE)",
          received: "missing",
        },
      ]);
    }
    return judgeFixedSchedule(
      instance,
      keepSchedule(instance, checkpointIndices(instance, options.checkpoints)),
      options,
    );
  },
};
