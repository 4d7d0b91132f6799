/** Axis permutation of a dense row-major array (ONNX layouts <-> the kernels' NHWC layouts). */

/** `values` of shape `dims` with its axes permuted: output axis `a` is input axis `perm[a]`. */
export function permute(
  values: Float32Array,
  dims: readonly number[],
  perm: readonly number[],
): Float32Array {
  const rank = dims.length;
  const strides = new Array<number>(rank).fill(1);
  for (let axis = rank - 2; axis >= 0; axis--)
    strides[axis] = (strides[axis + 1] as number) * (dims[axis + 1] as number);
  const outDims = perm.map((axis) => dims[axis] as number);
  const out = new Float32Array(values.length);
  const position = new Array<number>(rank).fill(0);
  for (let i = 0; i < values.length; i++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++)
      source += (position[axis] as number) * (strides[perm[axis] as number] as number);
    out[i] = values[source] as number;
    for (let axis = rank - 1; axis >= 0; axis--) {
      position[axis] = (position[axis] as number) + 1;
      if ((position[axis] as number) < (outDims[axis] as number)) break;
      position[axis] = 0;
    }
  }
  return out;
}
