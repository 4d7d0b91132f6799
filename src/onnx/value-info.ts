/** Shapes the file states: of a graph input (with the batch size or the user's shape) and of a value_info entry. */
import type { InputIssue } from "../errors.js";
import type { OnnxGraph, OnnxValueInfo } from "./model.js";
import { DTYPE_BYTES } from "./values.js";

/**
 * The shape and element type of graph input `index`: the user's shape, else the file's with the batch
 * size in the first dimension.
 * @returns the shape, or the issue (path `graph.input[i]`) saying what is missing
 */
export function inputShape(
  input: OnnxValueInfo,
  index: number,
  given: readonly number[] | undefined,
  batch: number | undefined,
): { readonly shape: readonly number[]; readonly dtype: number } | InputIssue {
  const path = `graph.input[${index}]`;
  const fromFile = (input.shape ?? []).map((dim) => (typeof dim === "number" ? dim : undefined));
  const shape =
    given ?? (batch !== undefined && fromFile.length > 0 ? [batch, ...fromFile.slice(1)] : fromFile);
  const dtype = input.elemType ?? 1;
  if (input.shape === undefined && given === undefined)
    return {
      code: "structure",
      path,
      expected: `a tensor input with a shape (give it with --input ${input.name}=SHAPE)`,
      received: `"${input.name}" without a shape`,
    };
  if (shape.some((dim) => dim === undefined || dim < 0))
    return {
      code: "structure",
      path: `${path}.shape`,
      expected: `static sizes (give them with --batch N or --input ${input.name}=SHAPE)`,
      received: `[${(input.shape ?? []).map((dim) => dim ?? "?")}]`,
    };
  if (DTYPE_BYTES[dtype] === undefined)
    return {
      code: "structure",
      path: `${path}.type`,
      expected: "a tensor of a fixed-width element type",
      received: `data type ${dtype}`,
    };
  return { shape: shape as number[], dtype };
}

/** The static shape of tensor `name` from the graph's value_info or outputs (a symbolic first dimension read as `batch`). */
export function valueInfoShape(
  graph: OnnxGraph,
  name: string,
  batch: number | undefined,
): { shape: number[]; dtype: number } | undefined {
  const info = [...graph.valueInfo, ...graph.outputs].find((entry) => entry.name === name);
  if (info?.shape === undefined || info.elemType === undefined) return undefined;
  const dims = info.shape.map((dim, axis) =>
    typeof dim === "number" ? dim : axis === 0 ? batch : undefined,
  );
  return dims.every((dim) => dim !== undefined && dim >= 0)
    ? { shape: dims as number[], dtype: info.elemType }
    : undefined;
}
