/** Reads an instance's `model.onnx` block (src/instance/types.ts, {@link OnnxModelSource}). */
import type { Checker } from "./checker.js";
import type { OnnxModelSource } from "./types.js";

/** The fields of `model.onnx`. */
export const ONNX_SOURCE_FIELDS = ["file", "sha256", "batch", "inputShapes", "loss"] as const;

const SHA256 = /^[0-9a-f]{64}$/;
const LOSSES = ["mean-square", "cross-entropy"] as const;

/** `model.onnx`, each bad field an issue at its path. */
export function readOnnxSource(check: Checker, value: unknown): OnnxModelSource | undefined {
  const record = check.object(value, "model.onnx");
  if (record === undefined) return undefined;
  check.knownFields(record, "model.onnx", ONNX_SOURCE_FIELDS);
  const file = check.string(record.file, "model.onnx.file");
  const sha256 = check.string(record.sha256, "model.onnx.sha256");
  if (typeof record.sha256 === "string" && !SHA256.test(sha256))
    check.add("bad-value", "model.onnx.sha256", "64 lower-case hex digits (SHA-256)", record.sha256);
  const loss = (LOSSES as readonly unknown[]).includes(record.loss)
    ? (record.loss as OnnxModelSource["loss"])
    : undefined;
  if (loss === undefined)
    check.add("bad-value", "model.onnx.loss", '"mean-square" or "cross-entropy"', record.loss);
  const batch =
    record.batch === undefined
      ? undefined
      : check.amount(record.batch, "model.onnx.batch", { kind: "count" });
  const inputShapes = readShapes(check, record.inputShapes);
  return {
    file,
    sha256,
    loss: loss ?? "mean-square",
    ...(batch === undefined ? {} : { batch }),
    ...(inputShapes === undefined ? {} : { inputShapes }),
  };
}

function readShapes(check: Checker, value: unknown): Record<string, readonly number[]> | undefined {
  if (value === undefined) return undefined;
  const record = check.object(value, "model.onnx.inputShapes");
  if (record === undefined) return undefined;
  const shapes: Record<string, readonly number[]> = {};
  for (const [name, shape] of Object.entries(record)) {
    const path = `model.onnx.inputShapes.${name}`;
    if (Array.isArray(shape) && shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0))
      shapes[name] = [...(shape as number[])];
    else check.add("bad-value", path, "an array of non-negative integers", shape);
  }
  return shapes;
}
