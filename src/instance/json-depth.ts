/**
 * Nesting depth of untrusted JSON, and freezing without recursion. JSON.parse reads any depth (V8's
 * parser is iterative), but code that walks a value recursively does not: on Node 20.20 with the
 * default stack, structuredClone overflows at about 1,950 nested objects and JSON.stringify at about
 * 4,170 (measured), fewer when called deep in a stack. Instances are refused beyond
 * {@link MAX_JSON_DEPTH}, so every later clone, message to a worker or JSON.stringify of one is safe.
 */
import type { InputIssue } from "../errors.js";

/**
 * The deepest nesting of objects and arrays an instance may have, the document itself counting as 1:
 * 100. The bundled instances reach 6 (a `meta` shape list inside a node); 100 leaves room for any
 * free-form `meta` or `model.config` while staying far below the ~1,950 levels at which structuredClone
 * overflows the stack.
 */
export const MAX_JSON_DEPTH = 100;

/** One object or array met by the walk: its parent's index in the walk's frames and its key there. */
interface Frame {
  readonly parent: number;
  readonly key: string | number;
}

/**
 * The issues (code `too-deep`) of a JSON value nested deeper than `limit`: one per object or array at
 * depth `limit + 1`, at its JSON path, without looking further inside. Iterative, so any depth is read;
 * a cyclic in-memory value is reported as too deep rather than walked forever.
 *
 * @param value a parsed JSON value
 * @param limit the deepest nesting allowed, the value itself counting as depth 1
 */
export function depthIssues(value: unknown, limit = MAX_JSON_DEPTH): InputIssue[] {
  const issues: InputIssue[] = [];
  const frames: Frame[] = [];
  const stack: { value: unknown; depth: number; frame: number }[] = [];
  if (isContainer(value)) stack.push({ value, depth: 1, frame: -1 });
  while (stack.length > 0) {
    const { value: container, depth, frame } = stack.pop() as (typeof stack)[number];
    const entries: [string | number, unknown][] = Array.isArray(container)
      ? container.map((item, index) => [index, item])
      : Object.entries(container as Record<string, unknown>);
    for (const [key, inner] of entries) {
      if (!isContainer(inner)) continue;
      frames.push({ parent: frame, key });
      const index = frames.length - 1;
      if (depth + 1 > limit)
        issues.push({
          code: "too-deep",
          path: pathOf(frames, index),
          expected: `JSON nested at most ${limit} objects and arrays deep (deeper values overflow the stack of structuredClone and JSON.stringify)`,
          received: "deeper nesting",
        });
      else stack.push({ value: inner, depth: depth + 1, frame: index });
    }
  }
  return issues;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** The JSON path (`nodes[3].meta.shape`) of frame `index`, built by following the parents. */
function pathOf(frames: readonly Frame[], index: number): string {
  const keys: (string | number)[] = [];
  for (let at = index; at !== -1; at = (frames[at] as Frame).parent) keys.push((frames[at] as Frame).key);
  let path = "";
  for (const key of keys.reverse()) {
    if (typeof key === "number") path += `[${key}]`;
    else path += path === "" ? key : `.${key}`;
  }
  return path;
}

/** Freezes `value` and every object and array reachable from it, with an explicit stack. */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (isContainer(item) && !Object.isFrozen(item)) {
      Object.freeze(item);
      for (const inner of Object.values(item)) stack.push(inner);
    }
  }
  return value;
}
