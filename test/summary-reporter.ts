/**
 * A vitest reporter that ends the run with one plain line, `N passed, N failed, N skipped`, which CI
 * logs and tools read without parsing vitest's coloured summary. With coverage on, the line waits for the
 * coverage report, so it stays the last line of the run.
 */
import type { Reporter, SerializedError, TestModule, Vitest } from "vitest/node";

export default class SummaryReporter implements Reporter {
  private coverage = false;
  private line: string | undefined;

  onInit(vitest: Vitest): void {
    this.coverage = vitest.config.coverage.enabled;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const testModule of testModules) {
      // a file that fails to load has no failed test of its own: count the file
      if (testModule.state() === "failed" && ![...testModule.children.allTests("failed")].length) failed++;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    this.line = `${passed} passed, ${failed} failed, ${skipped} skipped\n`;
    if (!this.coverage) this.flush();
  }

  onCoverage(): void {
    // the coverage report prints after the run; print the line after it
    setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.line !== undefined) process.stdout.write(this.line);
    this.line = undefined;
  }
}
