/**
 * Time limits (STYLE.md, "An answer never depends on the clock"): a solver bounds its effort by counted
 * work, and the clock only decides whether an unfinished search stops early and answers `timeout` with
 * the best it has. Every phase that grows with the input calls `check`, so an overrun is at most one
 * unit of that phase's work.
 */

/** Thrown by {@link Deadline.check} when the limit has passed; the solver turns it into `timeout`. */
export class TimeLimitReached extends Error {
  override readonly name = "TimeLimitReached";
  /**
   * @param phase the phase that was running (for the answer's reason)
   * @param limitSec the limit, seconds
   */
  constructor(
    readonly phase: string,
    readonly limitSec: number,
  ) {
    super(`the time limit was reached during ${phase}`);
  }
}

/** A wall-clock deadline. `check` costs one `performance.now()` call; call it between units of work. */
export class Deadline {
  /** `performance.now()` at which the limit passes (Infinity for none). */
  readonly atMs: number;
  readonly limitSec: number;

  /** A deadline `limitSec` seconds after `startMs` (default now); `Infinity` for none. */
  constructor(limitSec: number, startMs: number = performance.now()) {
    this.limitSec = limitSec;
    this.atMs = Number.isFinite(limitSec) ? startMs + limitSec * 1000 : Number.POSITIVE_INFINITY;
  }

  /** Whether the limit has passed. */
  passed(): boolean {
    return this.atMs !== Number.POSITIVE_INFINITY && performance.now() > this.atMs;
  }

  /** @throws TimeLimitReached naming `phase` when the limit has passed */
  check(phase: string): void {
    if (this.passed()) throw new TimeLimitReached(phase, this.limitSec);
  }
}

/** A deadline that never passes. */
export const NO_DEADLINE = new Deadline(Number.POSITIVE_INFINITY);
