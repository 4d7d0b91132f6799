/** simulate rejects what it cannot run before any kernel runs, and reports a memory divergence where it happens. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { storeAcrossTurn } from "../../src/schedule/stored-forms.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { simulate } from "../../src/simulate/simulate.js";
import { loadTf } from "../../src/simulate/tf.js";
import { instanceOf, tinyMlp } from "./fixtures.js";

const storeAll = (instance: Instance) =>
  checkpointSchedule(
    instance,
    instance.nodes.map((_, i) => i),
    { policy: "segments", tapeKept: true, forwardPhase: true },
  );

/** `instance` with `change` applied to its JSON form. */
function edited(
  instance: Instance,
  change: (json: { nodes: Record<string, unknown>[] } & Record<string, unknown>) => void,
): Instance {
  const json = structuredClone(instance) as unknown as { nodes: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;
  change(json);
  return parseInstance(json);
}

async function issueOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).issues[0];
}

describe("simulate", () => {
  const graph = tinyMlp();
  const instance = instanceOf(graph);

  it("leaves no tensor behind", async () => {
    const tf = await loadTf("cpu");
    const before = tf.memory().numTensors;
    const schedule = checkpointSchedule(instance, [0, 1], {
      policy: "per-backward",
      tapeKept: false,
      forwardPhase: true,
    });
    await simulate(instance, schedule, { graph });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reads the backend a profiled instance names, and parseInstance refuses any other at model.backend", () => {
    const wasm = edited(instance, (json) => {
      json.model = { ...(json.model as object), backend: "wasm" };
    });
    expect(wasm.model?.backend).toBe("wasm");
    let caught: unknown;
    try {
      edited(instance, (json) => {
        json.model = { ...(json.model as object), backend: "gpu" };
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).issues).toMatchObject([{ code: "bad-value", path: "model.backend" }]);
  });

  it("rejects an instance without a model block", async () => {
    const bare = edited(instance, (json) => {
      delete json.model;
    });
    expect(await issueOf(simulate(bare, storeAll(bare)))).toMatchObject({ code: "required", path: "model" });
  });

  it("rejects an invalid schedule at its first bad instruction", async () => {
    const schedule = parseSchedule(["F x", "F labels", "F fc2.dense"]);
    expect(await issueOf(simulate(instance, schedule, { graph }))).toMatchObject({
      code: "bad-value",
      path: "ops[2]",
    });
  });

  it("rejects an incomplete schedule", async () => {
    const schedule = parseSchedule(["F x", "F labels"]);
    expect(await issueOf(simulate(instance, schedule, { graph }))).toMatchObject({
      code: "bad-value",
      path: "ops",
    });
  });

  it("rejects a node whose needs do not keep what its backward reads", async () => {
    const index = instance.nodes.findIndex((node) => node.id === "fc1.dense");
    const wrong = edited(instance, (json) => {
      (json.nodes[index] as Record<string, unknown>).needs = ["output"];
    });
    expect(await issueOf(simulate(wrong, storeAll(wrong), { graph }))).toMatchObject({
      code: "bad-value",
      path: `nodes[${index}].needs`,
    });
  });

  it("reports the first instruction where measured bytes leave the evaluator's timeline", async () => {
    const index = instance.nodes.findIndex((node) => node.id === "fc2.relu");
    const wrong = edited(instance, (json) => {
      (json.nodes[index] as Record<string, unknown>).bytes = 12;
    });
    const schedule = storeAll(wrong);
    const result = await simulate(wrong, schedule, { graph });
    expect(result.memoryMatches).toBe(false);
    const at = schedule.findIndex((op) => op.op === "F" && op.node === "fc2.relu");
    expect(result.firstDivergence?.index).toBe(at);
    expect((result.firstDivergence?.measuredBytes ?? 0) - (result.firstDivergence?.predictedBytes ?? 0)).toBe(
      4 * 4 * 16 - 12,
    );
    expect(result.gradientsMatch).toBe(true);
  });

  /** `instance` with `fc2.relu` and `labels` offering every stored form, `fc2.relu` with `elementBytes`. */
  const offering = (elementBytes: number) =>
    edited(instance, (json) => {
      for (const node of json.nodes)
        if (node.id === "fc2.relu" || node.id === "labels") {
          const costs = { convertMs: 0, expandMs: 0 };
          node.storage = { bitmap: costs, fp16: costs, bf16: costs };
          if (node.id === "fc2.relu") node.elementBytes = elementBytes;
        }
    });

  it("rejects a conversion of a node whose elements are not 4 bytes, and a 16-bit form of int32 data", async () => {
    const two = offering(2);
    const index = two.nodes.findIndex((node) => node.id === "fc2.relu");
    const bitmap = storeAcrossTurn(two, storeAll(two), new Map([["fc2.relu", "bitmap" as const]]));
    expect(await issueOf(simulate(two, bitmap, { graph }))).toMatchObject({
      code: "bad-value",
      path: `nodes[${index}].elementBytes`,
    });
    const four = offering(4);
    const labels = storeAcrossTurn(four, storeAll(four), new Map([["labels", "fp16" as const]]));
    const at = labels.findIndex((op) => op.op === "C");
    expect(at).toBeGreaterThan(0);
    expect(await issueOf(simulate(four, labels, { graph }))).toMatchObject({
      code: "bad-value",
      path: `ops[${at}]`,
    });
  });

  it("reports a divergence at the conversion when the instance's density is not the data's", async () => {
    const dense = offering(4); // density 1: the evaluator counts every element of fc2.relu as non-zero
    const schedule = storeAcrossTurn(dense, storeAll(dense), new Map([["fc2.relu", "bitmap" as const]]));
    const result = await simulate(dense, schedule, { graph });
    const at = schedule.findIndex((op) => op.op === "C");
    expect(result.firstDivergence?.index).toBe(at);
    const form = result.storedForms[0];
    expect(form?.nonzeros).toBeLessThan(form?.elements ?? 0);
    expect((result.firstDivergence?.predictedBytes ?? 0) - (result.firstDivergence?.measuredBytes ?? 0)).toBe(
      4 * ((form?.elements ?? 0) - (form?.nonzeros ?? 0)),
    );
    expect(result.gradientsMatch).toBe(true);
  });
});
