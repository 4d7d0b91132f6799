/**
 * `remat profile --batches` on real kernels (issue 15 item 2): the batch model fitted to profiles at
 * batches 1, 2 and 4 predicts the held-out batch 8, compared with a fresh profile at 8.
 */
import { describe, expect, it } from "vitest";
import { predictDocument } from "../../src/batch-model/predict.js";
import { profileBatches } from "../../src/profile/batches.js";
import { profileModel } from "../../src/profile/profile.js";

const TIMING = { warmup: 3, repeats: 5, backend: "cpu" } as const;
const CONFIG = { hidden: 64, layers: 2, inputSize: 128 };

describe("a batch model fitted to real profiles", () => {
  it("predicts every size of a held-out batch exactly and its step time within a factor of 2", async () => {
    const { document, profiles } = await profileBatches("mlp", [1, 2, 4], { ...TIMING, config: CONFIG });
    expect(profiles.map((profile) => profile.batch)).toEqual([1, 2, 4]);
    expect(document.model?.config?.batch).toBe(4);
    const predicted = predictDocument(document, 8);
    const fresh = await profileModel("mlp", { ...TIMING, config: { ...CONFIG, batch: 8 } });
    expect(predicted.fixedBytes).toBe(fresh.fixedBytes);
    for (const [i, node] of predicted.nodes.entries()) {
      const measured = fresh.nodes[i];
      expect([node.id, node.bytes, node.gradBytes ?? node.bytes, node.fwdTemp ?? 0]).toEqual([
        measured?.id,
        measured?.bytes,
        measured?.gradBytes ?? measured?.bytes,
        measured?.fwdTemp ?? 0,
      ]);
    }
    // Times of ops this small are mostly per-instruction overhead, measured on a shared machine: the
    // stated error is a factor of 2 on the whole step (bench/regression.ts measures it on larger nets).
    const total = (doc: { nodes: { fwd: number; bwd: number }[] }) =>
      doc.nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);
    const ratio = total(predicted) / total(fresh);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
