/**
 * BullMQ and ioredis load only for the queue: no module the CLI reaches through static imports from
 * src/cli/main.ts imports them (src/cli/commands/batch.ts and worker.ts import the queue's code
 * dynamically), so every other command starts without their seconds of import time.
 */
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/** Static `import ... from "X"` specifiers of a file (not `import type`, not `import("X")`). */
function staticImports(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+"([^"]+)"/gms)].map(
    (match) => match[1] as string,
  );
}

/** Every file reached from `entry` through static relative imports, with its package imports. */
function reached(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    const specifiers = staticImports(file);
    seen.set(
      file,
      specifiers.filter((specifier) => !specifier.startsWith(".")),
    );
    for (const specifier of specifiers.filter((s) => s.startsWith(".")))
      stack.push(normalize(join(dirname(file), specifier)).replace(/\.js$/, ".ts"));
  }
  return seen;
}

describe("the CLI's static imports", () => {
  it("reach neither bullmq nor ioredis", () => {
    const files = reached("src/cli/main.ts");
    expect(files.size).toBeGreaterThan(50);
    expect(files.has("src/cli/commands/worker.ts")).toBe(true);
    const offenders = [...files].filter(([, packages]) =>
      packages.some((name) => name === "bullmq" || name === "ioredis"),
    );
    expect(offenders).toEqual([]);
  });

  it("would see one that did (the walk itself works)", () => {
    const files = reached("src/cli/queue-worker.ts");
    expect([...files.values()].flat()).toContain("bullmq");
  });
});
