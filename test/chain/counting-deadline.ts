/**
 * A deadline that passes at a chosen check instead of at a time, so that tests stop a solve in any
 * phase deterministically; it also records where each phase's checks fall.
 */
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";

/** A {@link Deadline} that passes at its `stopAt`-th check (0-based; never by default). */
export class CountingDeadline extends Deadline {
  /** Checks made so far. */
  count = 0;
  /** Per phase, the index of its first check and how many it made. */
  readonly phases = new Map<string, { readonly first: number; checks: number }>();

  constructor(private readonly stopAt = Number.POSITIVE_INFINITY) {
    super(Number.POSITIVE_INFINITY);
  }

  override passed(): boolean {
    return this.count > this.stopAt;
  }

  override check(phase: string): void {
    const seen = this.phases.get(phase);
    if (seen === undefined) this.phases.set(phase, { first: this.count, checks: 1 });
    else seen.checks++;
    this.count++;
    if (this.count > this.stopAt) throw new TimeLimitReached(phase, 0);
  }
}
