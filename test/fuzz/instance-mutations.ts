/**
 * Mutations of instance documents (test/fuzz/mutations.ts has the shared helpers): missing and
 * mistyped fields, bad and too large numbers and totals, unknown fields, duplicate and unknown ids,
 * cycles, nodes out of order, deep nesting, and every mutation of a JSON file.
 */
import {
  DEEP,
  deepText,
  edit,
  fileMutations,
  type Mutation,
  middle,
  type NodeDoc,
  nodesOf,
  wholeFile,
  withRaw,
} from "./mutations.js";

/** A mutation of the middle node's field `field` to `value` (deleted when `value` is undefined). */
function nodeField(name: string, field: string, value: unknown, pathSuffix = ""): Mutation {
  return edit(name, (doc) => {
    const k = middle(doc);
    const node = nodesOf(doc)[k] as NodeDoc;
    if (value === undefined) delete node[field];
    else node[field] = value;
    return `nodes[${k}].${field}${pathSuffix}`;
  });
}

/** Mutations of instance documents. */
export const instanceMutations: readonly Mutation[] = [
  ...fileMutations,
  wholeFile("the document wrapped in an array", (doc) => JSON.stringify([doc])),
  edit("format deleted", (doc) => {
    delete doc.format;
    return "format";
  }),
  edit("format of another version", (doc) => {
    doc.format = "remat-instance/2";
    return "format";
  }),
  edit("name deleted", (doc) => {
    delete doc.name;
    return "name";
  }),
  edit("name a number", (doc) => {
    doc.name = 7;
    return "name";
  }),
  edit("nodes deleted", (doc) => {
    delete doc.nodes;
    return "nodes";
  }),
  edit("nodes an object", (doc) => {
    doc.nodes = { x: 1 };
    return "nodes";
  }),
  edit("nodes empty", (doc) => {
    doc.nodes = [];
    return "nodes";
  }),
  edit("an unknown top-level field", (doc) => {
    doc.colour = "red";
    return "colour";
  }),
  edit("fixedBytes negative", (doc) => {
    doc.fixedBytes = -1;
    return "fixedBytes";
  }),
  edit("fixedBytes 1e16, beyond 2^53 - 1", (doc) => {
    doc.fixedBytes = 1e16;
    return "fixedBytes";
  }),
  edit("hardware bandwidth zero", (doc) => {
    doc.hardware = { bandwidth: 0 };
    return "hardware.bandwidth";
  }),
  edit("hardware bandwidth so small that transfers take forever", (doc) => {
    doc.hardware = { bandwidth: 1e-300 };
    return "hardware";
  }),
  edit("hardware latency negative", (doc) => {
    doc.hardware = { bandwidth: 1e6, latency: -1 };
    return "hardware.latency";
  }),
  edit("hardware latency 1e300 ms", (doc) => {
    doc.hardware = { bandwidth: 1e6, latency: 1e300 };
    return "hardware.latency";
  }),
  edit("a node that is null", (doc) => {
    const k = middle(doc);
    nodesOf(doc)[k] = null as unknown as NodeDoc;
    return `nodes[${k}]`;
  }),
  nodeField("node id deleted", "id", undefined),
  nodeField("node id with a space", "id", "a b"),
  nodeField("node bytes deleted", "bytes", undefined),
  nodeField("node fwd deleted", "fwd", undefined),
  nodeField("node bytes a string", "bytes", "8"),
  nodeField("node bwd the string NaN", "bwd", "NaN"),
  nodeField("node gradBytes the string Infinity", "gradBytes", "Infinity"),
  nodeField("node bytes negative", "bytes", -3),
  nodeField("node fwd negative", "fwd", -0.5),
  nodeField("node bytes not an integer", "bytes", 1.5),
  nodeField("node bytes 1e308", "bytes", 1e308),
  nodeField("node bytes 1e16, beyond 2^53 - 1", "bytes", 1e16),
  nodeField("node tapeBytes 2^53", "tapeBytes", 2 ** 53),
  nodeField("node bwdTemp 1e300", "bwdTemp", 1e300),
  nodeField("node fwd 1e300 ms", "fwd", 1e300),
  nodeField("node recomputable a string", "recomputable", "yes"),
  nodeField("node inputs a string", "inputs", "x"),
  nodeField("node needs a string", "needs", "inputs"),
  nodeField("node needs an unknown word", "needs", ["grad"], "[0]"),
  nodeField("node meta an array", "meta", [1]),
  nodeField("an unknown node field", "colour", "red"),
  nodeField("node density above 1", "density", 1.5),
  nodeField("node density the string 0.5", "density", "0.5"),
  nodeField("node elementBytes 0", "elementBytes", 0),
  nodeField("node storage an array", "storage", ["bitmap"]),
  nodeField("node storage with an unknown mode", "storage", { zip: { convertMs: 0, expandMs: 0 } }, ".zip"),
  nodeField("node storage mode without expandMs", "storage", { fp16: { convertMs: 1 } }, ".fp16.expandMs"),
  nodeField(
    "node storage convertMs negative",
    "storage",
    { bitmap: { convertMs: -1, expandMs: 0 } },
    ".bitmap.convertMs",
  ),
  edit("every node 2^51 bytes, summing beyond 2^53 - 1", (doc) => {
    for (const node of nodesOf(doc)) {
      node.bytes = 2 ** 51;
      node.gradBytes = 2 ** 51;
    }
    return "nodes";
  }),
  edit("fwd times summing beyond 1e15 ms", (doc) => {
    for (const node of nodesOf(doc)) node.fwd = 9e14;
    return "nodes";
  }),
  edit("a duplicate id", (doc) => {
    const k = middle(doc);
    (nodesOf(doc)[k] as NodeDoc).id = (nodesOf(doc)[0] as NodeDoc).id;
    return `nodes[${k}].id`;
  }),
  edit("an unknown input id", (doc) => {
    const k = middle(doc);
    (nodesOf(doc)[k] as NodeDoc).inputs = ["nope"];
    return `nodes[${k}].inputs[0]`;
  }),
  edit("an input listed twice", (doc) => {
    const k = middle(doc);
    const node = nodesOf(doc)[k] as NodeDoc;
    const first = (node.inputs as string[])[0] as string;
    node.inputs = [first, first];
    return `nodes[${k}].inputs[1]`;
  }),
  edit("a cycle through the loss", (doc) => {
    const nodes = nodesOf(doc);
    const node = nodes[1] as NodeDoc;
    node.inputs = [...(node.inputs as string[]), (nodes[nodes.length - 1] as NodeDoc).id as string];
    return /nodes\[\d+\]\.inputs must be an acyclic graph/;
  }),
  edit("the loss listed first (nodes out of order)", (doc) => {
    const nodes = nodesOf(doc);
    doc.nodes = [nodes[nodes.length - 1], ...nodes.slice(0, -1)];
    return "nodes[0].inputs[0]";
  }),
  edit("a second node without consumers", (doc) => {
    const nodes = nodesOf(doc);
    const orphan = { id: "orphan", fwd: 1, bwd: 1, bytes: 4, inputs: [(nodes[0] as NodeDoc).id] };
    nodes.splice(1, 0, orphan);
    return "nodes[1].id";
  }),
  ...DEEP.map(
    (depth): Mutation => ({
      name: `meta nested ${depth} levels deep`,
      apply: (doc) => ({
        text: withRaw(
          doc,
          (edited, placeholder) => {
            (nodesOf(edited)[middle(edited)] as NodeDoc).meta = placeholder;
          },
          deepText(depth),
        ),
        path: /nodes\[\d+\]\.meta(\.x)+ must be JSON nested at most/,
      }),
    }),
  ),
  ...DEEP.map(
    (depth): Mutation => ({
      name: `model.config nested ${depth} levels deep`,
      apply: (doc) => ({
        text: withRaw(
          doc,
          (edited, placeholder) => {
            edited.model = { zoo: "mlp", config: placeholder };
          },
          deepText(depth),
        ),
        path: /model\.config(\.x)+ must be JSON nested at most/,
      }),
    }),
  ),
  {
    name: "nodes nested 100000 arrays deep",
    apply: (doc) => ({
      text: withRaw(
        doc,
        (edited, placeholder) => {
          edited.nodes = placeholder;
        },
        `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      ),
      path: /nodes(\[0\])+ must be JSON nested at most/,
    }),
  },
];
