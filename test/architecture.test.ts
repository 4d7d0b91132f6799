/**
 * The house's shape (STYLE.md, "Shape of the house"; DESIGN.md, "Where the parts go"): no import cycles
 * among the library's modules, and lower rooms never import higher ones (`src/` reaches `solvers/` only
 * from the CLI and the public entry).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports of a file, as repository paths (`.js` specifiers mapped to their `.ts` source). */
function importsOf(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const specifiers = [...text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)].map(
    (match) => match[1] as string,
  );
  return specifiers.map((specifier) => normalize(join(dirname(path), specifier)).replace(/\.js$/, ".ts"));
}

/** One cycle of the import graph among `files`, or undefined (iterative depth-first search). */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    const stack: { file: string; next: number }[] = [{ file: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { file: string; next: number };
      const targets = graph.get(top.file) ?? [];
      if (top.next >= targets.length) {
        state.set(top.file, 2);
        stack.pop();
        continue;
      }
      const target = targets[top.next++] as string;
      if (!graph.has(target)) continue;
      if (state.get(target) === 1) {
        const from = stack.findIndex((frame) => frame.file === target);
        return [...stack.slice(from).map((frame) => frame.file), target];
      }
      if (!state.has(target)) {
        state.set(target, 1);
        stack.push({ file: target, next: 0 });
      }
    }
  }
  return undefined;
}

const files = [...sourceFiles("src"), ...sourceFiles("solvers")];
const graph = new Map(files.map((file) => [file, importsOf(file)] as const));

describe("the module graph", () => {
  it("has no import cycles in src/ and solvers/", () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it("finds a cycle when there is one (the check itself works)", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(findCycle(looped)).toEqual(["a.ts", "b.ts", "c.ts", "a.ts"]);
  });

  it("reaches solvers/ from src/ only in the CLI and the public entry", () => {
    const offenders = files
      .filter((file) => file.startsWith("src/") && !file.startsWith("src/cli/") && file !== "src/index.ts")
      .filter((file) => (graph.get(file) ?? []).some((target) => target.startsWith("solvers/")));
    expect(offenders).toEqual([]);
  });
});

/** A line git leaves where a merge conflicted: `<<<<<<< ours`, `=======`, `>>>>>>> theirs`. */
const CONFLICT_MARKER = /^(?:<{7} |={7}$|>{7} )/m;

describe("the working files", () => {
  it("hold no merge conflict markers (in src, solvers, test, bench, proofs and the README)", () => {
    const texts = [
      ...["src", "solvers", "test", "bench", "proofs"].flatMap((folder) => textFiles(folder)),
      "README.md",
    ];
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.filter((path) => CONFLICT_MARKER.test(readFileSync(path, "utf8")))).toEqual([]);
  });

  it("would see a marker left inside a doc comment", () => {
    expect(CONFLICT_MARKER.test("/**\n * text\n>>>>>>> h-parse\n */")).toBe(true);
    expect(CONFLICT_MARKER.test("a = b; // ======= not a marker")).toBe(false);
  });
});

/** Every .ts and .md file under `folder`. */
function textFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return textFiles(path);
    return /\.(?:ts|md)$/.test(path) ? [path] : [];
  });
}
