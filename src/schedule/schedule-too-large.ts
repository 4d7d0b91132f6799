/**
 * How long a schedule the builders may make: recompute-all's schedule grows as the square of the
 * length, so a caller bounds it and turns the refusal into a clear answer. Constants and one error
 * class; O(1).
 */

/**
 * Default cap on recompute-all's schedule (`per-backward` without a forward phase), in instructions.
 * recompute-all of a chain of n nodes has about n * n instructions (4,003,470 for 2,000 nodes).
 * Measured by bench/schedule-build.ts on this project's 2-core AMD EPYC machine (Node 20, shared with
 * other jobs: load average 6 to 10): building and evaluating the 10,003,706 instructions of a
 * 3,162-node chain took 4.1 to 5.1 s (medians of 3 in three bench runs; slowest run 6.0 s) at 400 to
 * 600 ns per instruction, and peaked at 660 MiB resident, about 65 bytes per instruction, of which the
 * schedule itself retains 8 (its instruction objects are shared); the rest is the builder's steps and
 * free lists, the evaluator's timeline and garbage not yet collected. Hence 10 million: build +
 * evaluate stays under 10 s and 1 GB here even under load, with room for `solve`'s second evaluation
 * of the schedule. Refusing a longer one costs the build up to the cap: 3.4 s and 390 MiB for a
 * 20,000-node chain.
 */
export const RECOMPUTE_ALL_MAX_INSTRUCTIONS = 10_000_000;

/**
 * Thrown by `checkpointSchedule` (and `insertFrees`) when the schedule would exceed `maxInstructions`:
 * the request is valid but too large to build, so a caller can turn it into a clear refusal. Not a bug
 * (not an `InternalError`) and not bad input (not an `InputError`).
 */
export class ScheduleTooLarge extends Error {
  override readonly name = "ScheduleTooLarge";

  /**
   * @param instructions how many instructions the build had reached when it stopped (more than `limit`;
   *   the full schedule would be at least this long)
   * @param limit the `maxInstructions` it was given
   */
  constructor(
    readonly instructions: number,
    readonly limit: number,
  ) {
    super(
      `checkpointSchedule: the schedule would have more than ${limit} instructions (stopped at ${instructions}); ` +
        "keep more activations or raise maxInstructions",
    );
  }
}
