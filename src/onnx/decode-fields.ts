/**
 * Reads one protobuf field of an ONNX file as the type its message expects (decode.ts), with an
 * OnnxFormatError naming the field's message path when the wire type or the bytes do not fit.
 */
import { OnnxFormatError } from "./model.js";
import { type Field, int64, packedFloats, packedVarints, readFields, text, WIRE, WireError } from "./wire.js";

/** A varint field (int32, int64, enum), or an error naming `path` for another wire type. */
export function varint(field: Field, path: string): number {
  if (field.wire !== WIRE.varint) throw wrongWire(field, path, "a varint");
  return int64(field.varint);
}

/** A string field. */
export function str(field: Field, path: string): string {
  bytesOf(field, path);
  return text(field);
}

/** A bytes field. */
export function bytesOf(field: Field, path: string): Uint8Array {
  if (field.wire !== WIRE.bytes) throw wrongWire(field, path, "length-delimited");
  return field.bytes;
}

/** A repeated int64 field: packed or one varint. */
export function intsOf(field: Field, path: string): number[] {
  if (field.wire === WIRE.varint) return [int64(field.varint)];
  return within(path, () => packedVarints({ ...field, bytes: bytesOf(field, path) }));
}

/** A float or repeated float field: one 32-bit value or packed. */
export function floatsOf(field: Field, path: string): number[] {
  if (field.wire !== WIRE.fixed32 && field.wire !== WIRE.bytes)
    throw wrongWire(field, path, "32-bit or packed floats");
  return within(path, () => packedFloats(field));
}

function wrongWire(field: Field, path: string, expected: string): OnnxFormatError {
  return new OnnxFormatError(
    path,
    `has wire type ${field.wire} at byte ${field.offset}, expected ${expected}`,
  );
}

/** The fields of a nested message, errors located at `path`. */
export function sub(field: Field, path: string): Field[] {
  if (field.wire !== 2) throw new OnnxFormatError(path, `is not a message (wire type ${field.wire})`);
  return within(path, () => readFields(field.bytes, field.offset));
}

/** Runs `read`, a wire-level read, turning its WireError into an OnnxFormatError located at `path`. */
export function within<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof WireError) throw new OnnxFormatError(path, error.message);
    throw error;
  }
}
