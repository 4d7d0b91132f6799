/** The writer's pure pieces (src/onnx/write.ts): ONNX pads of a zoo window, zoo-layout weights as ONNX raw data. */
import { InternalError } from "../errors.js";
import type { Padding } from "../zoo/ops/shape.js";
import { permute } from "./permute.js";

/** ONNX pads `[top, left, bottom, right]` of a zoo window (TF's "same": the extra cell after). */
export function convPads(
  x: readonly number[],
  out: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  pad: Padding,
): number[] {
  if (pad === "valid") return [0, 0, 0, 0];
  if (pad !== "same") {
    const [[top = 0, bottom = 0] = [], [left = 0, right = 0] = []] = pad;
    return [top, left, bottom, right];
  }
  const total = [0, 1].map((axis) =>
    Math.max(
      ((out[axis + 1] as number) - 1) * (strides[axis] as number) +
        (kernel[axis] as number) -
        (x[axis + 1] as number),
      0,
    ),
  );
  return [
    Math.floor((total[0] as number) / 2),
    Math.floor((total[1] as number) / 2),
    Math.ceil((total[0] as number) / 2),
    Math.ceil((total[1] as number) / 2),
  ];
}

/** Zoo-layout values as ONNX `raw_data` of shape `dims` (little-endian float32). */
export function rawFloats(
  values: Float32Array,
  dims: readonly number[],
  perm?: readonly number[],
): Uint8Array {
  if (values.length !== dims.reduce((p, e) => p * e, 1))
    throw new InternalError(`zooToOnnx: ${values.length} values for a tensor of shape [${dims}]`);
  let ordered = values;
  if (perm !== undefined) {
    const zooDims = new Array<number>(dims.length);
    perm.forEach((zooAxis, axis) => {
      zooDims[zooAxis] = dims[axis] as number;
    });
    ordered = permute(values, zooDims, perm);
  }
  const raw = new Uint8Array(4 * ordered.length);
  const view = new DataView(raw.buffer);
  ordered.forEach((value, index) => {
    view.setFloat32(4 * index, value, true);
  });
  return raw;
}
