/**
 * Systematic mutations of valid documents into malformed ones, each with the JSON path at which the
 * parser must report it: the shared helpers, the mutations of any JSON file and those of schedule
 * files (test/fuzz/instance-mutations.ts has the instance ones). A mutation is a pure function of its
 * base document, so the corpus is derived, never hand-kept: new bases or new mutations grow it.
 */

/** A JSON document as read from a file (an instance or a schedule file). */
export type Doc = Record<string, unknown>;

/** One node of an instance document. */
export type NodeDoc = Record<string, unknown>;

/** A malformed file: its text, and the path the error must name (`""` is the document itself). */
export interface Mutant {
  readonly text: string;
  /** The JSON path of the issue, or a pattern for the message when the position is not fixed. */
  readonly path: string | RegExp;
}

/** A named mutation; it returns undefined when it does not apply to a base. */
export interface Mutation {
  readonly name: string;
  readonly apply: (doc: Doc) => Mutant | undefined;
}

/**
 * Depths of the deep mutations: 3,000 is beyond where structuredClone overflows the stack (~1,950
 * levels on Node 20.20), 100,000 beyond JSON.stringify too (~4,170); see src/instance/json-depth.ts.
 */
export const DEEP = [3_000, 100_000] as const;

/** A deep copy of a document that JSON can write (every base is one). */
export function copy(doc: Doc): Doc {
  return JSON.parse(JSON.stringify(doc)) as Doc;
}

/** The nodes list of an instance document. */
export function nodesOf(doc: Doc): NodeDoc[] {
  return doc.nodes as NodeDoc[];
}

/** A node in the middle of the graph: not the input (0), not the loss (last). */
export function middle(doc: Doc): number {
  return Math.max(1, Math.floor((nodesOf(doc).length - 1) / 2));
}

/** `{"x":{"x":...{}}}` nested `depth` objects deep, as text (JSON.stringify would overflow). */
export function deepText(depth: number): string {
  return `${'{"x":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
}

/** The document with `placeholder` replaced by raw JSON text (for values too deep to stringify). */
export function withRaw(doc: Doc, set: (doc: Doc, placeholder: string) => void, raw: string): string {
  const placeholder = "__RAW_JSON__";
  const edited = copy(doc);
  set(edited, placeholder);
  return JSON.stringify(edited).replace(JSON.stringify(placeholder), raw);
}

/** A mutation that edits a copy of the document; `edit` returns the path it broke. */
export function edit(name: string, change: (doc: Doc) => string | RegExp | undefined): Mutation {
  return {
    name,
    apply: (doc) => {
      const edited = copy(doc);
      const path = change(edited);
      return path === undefined ? undefined : { text: JSON.stringify(edited), path };
    },
  };
}

/** A mutation replacing the whole file with `text`, reported on the document itself. */
export function wholeFile(name: string, text: (doc: Doc) => string): Mutation {
  return { name, apply: (doc) => ({ text: text(doc), path: "" }) };
}

/** Mutations that apply to any JSON file (instances and schedule files alike). */
export const fileMutations: readonly Mutation[] = [
  wholeFile("truncated in the middle", (doc) => {
    const text = JSON.stringify(doc);
    return text.slice(0, Math.floor(text.length / 2));
  }),
  wholeFile("truncated by one character", (doc) => JSON.stringify(doc).slice(0, -1)),
  wholeFile("empty file", () => ""),
  wholeFile("byte-order mark then garbage", () => "\uFEFFgarbage"),
  wholeFile("two byte-order marks", (doc) => `\uFEFF\uFEFF${JSON.stringify(doc)}`),
  wholeFile("byte-order mark in the middle", (doc) => {
    const text = JSON.stringify(doc);
    return `${text.slice(0, 1)}\uFEFF${text.slice(1)}`;
  }),
  wholeFile("a number at the top level", () => "42"),
  wholeFile("a string at the top level", () => '"remat"'),
  wholeFile("null at the top level", () => "null"),
  wholeFile("JSON with a trailing comma", (doc) => `${JSON.stringify(doc).slice(0, -1)},}`),
];

/** Mutations of schedule files (`remat-schedule/1`). */
export const scheduleMutations: readonly Mutation[] = [
  ...fileMutations,
  ...(
    [
      ["an unknown instruction", "Q x"],
      ["an instruction without its node", "F"],
      ["an unknown tensor kind", "D z:x"],
      ["an unknown forward flag", "F x fast"],
      ["too many words", "F a b c"],
      ["a node id with a bad character", "B x!"],
      ["an empty line", ""],
    ] as const
  ).map(
    ([name, line]): Mutation =>
      edit(name, (doc) => {
        const ops = doc.ops as unknown[];
        const k = Math.floor(ops.length / 2);
        ops[k] = line;
        return `ops[${k}]`;
      }),
  ),
  edit("an instruction that is a number", (doc) => {
    (doc.ops as unknown[])[0] = 7;
    return "ops[0]";
  }),
  edit("ops deleted", (doc) => {
    delete doc.ops;
    return "ops";
  }),
  edit("ops a string", (doc) => {
    doc.ops = "F x";
    return "ops";
  }),
  edit("a format of another kind and no schedule", (doc) => {
    doc.format = "remat-plan/9";
    return "";
  }),
  edit("a result whose schedule is empty", (doc) => {
    delete doc.ops;
    doc.format = "remat-result/1";
    doc.status = "infeasible";
    doc.schedule = [];
    return "schedule";
  }),
  {
    name: "an instruction nested 100000 arrays deep",
    apply: (doc) => ({
      text: withRaw(
        doc,
        (edited, placeholder) => {
          (edited.ops as unknown[])[0] = placeholder;
        },
        `${"[".repeat(100_000)}"F x"${"]".repeat(100_000)}`,
      ),
      path: "ops[0]",
    }),
  },
  edit("an instruction on a node the instance does not have", (doc) => {
    const ops = doc.ops as unknown[];
    const k = Math.floor(ops.length / 2);
    ops.splice(k, 0, "F nope");
    return `ops[${k}]`;
  }),
];
