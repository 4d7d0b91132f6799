/**
 * The protobuf wire format, as much of it as ONNX files use: a reader that walks the fields of one
 * message (varints, 64-bit and 32-bit fixed values, length-delimited bytes) and reports a truncated or
 * malformed message by its byte offset, and a writer that emits the same encoding.
 * (Wire format: protobuf's encoding guide; no code generator or runtime dependency.)
 */

/** A malformed message: what was wrong and the byte offset where it was found. */
export class WireError extends Error {
  override readonly name = "WireError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

/** Wire types of protobuf: varint, 64-bit, length-delimited, 32-bit (groups, 3 and 4, are refused). */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** One field of a message: its number, wire type, and its value (a varint, or the bytes it spans). */
export interface Field {
  readonly number: number;
  readonly wire: number;
  /** For varint fields. */
  readonly varint: bigint;
  /** For length-delimited and fixed fields: the field's bytes (a view, not a copy). */
  readonly bytes: Uint8Array;
  /** Offset of the field's value in the whole buffer, for error messages. */
  readonly offset: number;
}

/**
 * The fields of the message in `buffer` (a view into the file), in order. `base` is the offset of
 * `buffer` in the file, so errors name absolute byte offsets.
 * @throws WireError on a truncated or malformed message
 */
export function readFields(buffer: Uint8Array, base = 0): Field[] {
  const fields: Field[] = [];
  const cursor = { at: 0 };
  while (cursor.at < buffer.length) {
    const tagAt = cursor.at;
    const tag = readVarint(buffer, cursor, base);
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (number === 0) throw new WireError("field number 0 (not a protobuf message)", base + tagAt);
    const offset = base + cursor.at;
    if (wire === WIRE.varint) {
      fields.push({ number, wire, varint: readVarint(buffer, cursor, base), bytes: EMPTY, offset });
      continue;
    }
    const size = sizeOf(wire, buffer, cursor, base);
    if (size < 0) throw new WireError(`unsupported wire type ${wire} of field ${number}`, base + tagAt);
    const start = cursor.at;
    if (start + size > buffer.length)
      throw new WireError(`field ${number} runs past the end of its message (${size} bytes)`, base + start);
    cursor.at = start + size;
    fields.push({
      number,
      wire,
      varint: 0n,
      bytes: buffer.subarray(start, start + size),
      offset: base + start,
    });
  }
  return fields;
}

const EMPTY = new Uint8Array(0);

/** Bytes of a non-varint field's value (reading a length prefix), or -1 for an unsupported wire type. */
function sizeOf(wire: number, buffer: Uint8Array, cursor: { at: number }, base: number): number {
  if (wire === WIRE.fixed64) return 8;
  if (wire === WIRE.fixed32) return 4;
  return wire === WIRE.bytes ? lengthOf(buffer, cursor, base) : -1;
}

function lengthOf(buffer: Uint8Array, cursor: { at: number }, base: number): number {
  const at = cursor.at;
  const length = readVarint(buffer, cursor, base);
  if (length > BigInt(buffer.length))
    throw new WireError(`a length of ${length} bytes runs past the end of the data (truncated?)`, base + at);
  return Number(length);
}

/** Reads one varint at `cursor.at` and advances it. */
function readVarint(buffer: Uint8Array, cursor: { at: number }, base: number): bigint {
  let result = 0n;
  let shift = 0n;
  const start = cursor.at;
  for (let index = 0; index < 10; index++) {
    const byte = buffer[cursor.at];
    if (byte === undefined) throw new WireError("truncated varint", base + start);
    cursor.at++;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
  }
  throw new WireError("varint longer than 10 bytes", base + start);
}

/** A signed 64-bit integer (two's complement, as protobuf's int64) as a number. */
export function int64(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}

/** The varints packed in a length-delimited field (a `repeated int64 [packed]`). */
export function packedVarints(field: Field): number[] {
  const values: number[] = [];
  const cursor = { at: 0 };
  while (cursor.at < field.bytes.length) values.push(int64(readVarint(field.bytes, cursor, field.offset)));
  return values;
}

/** The little-endian float32 values packed in a length-delimited (or one 32-bit) field. */
export function packedFloats(field: Field): number[] {
  if (field.bytes.length % 4 !== 0)
    throw new WireError("packed floats not a multiple of 4 bytes", field.offset);
  const view = new DataView(field.bytes.buffer, field.bytes.byteOffset, field.bytes.byteLength);
  const values: number[] = [];
  for (let at = 0; at < field.bytes.length; at += 4) values.push(view.getFloat32(at, true));
  return values;
}

/** A field's bytes as UTF-8 text. */
export function text(field: Field): string {
  return DECODER.decode(field.bytes);
}

const DECODER = new TextDecoder("utf-8");
const ENCODER = new TextEncoder();

/** Builds one message's bytes field by field (nested messages are written as finished byte arrays). */
export class MessageWriter {
  private readonly parts: Uint8Array[] = [];

  /** A varint field (int32, int64, enum); negative numbers as 10-byte two's complement, as protobuf. */
  varint(number: number, value: number): this {
    this.parts.push(varintBytes(BigInt(number) << 3n), varintBytes(BigInt.asUintN(64, BigInt(value))));
    return this;
  }

  /** A length-delimited field: a string, raw bytes or a nested message. */
  bytes(number: number, value: Uint8Array | string): this {
    const payload = typeof value === "string" ? ENCODER.encode(value) : value;
    this.parts.push(varintBytes((BigInt(number) << 3n) | 2n), varintBytes(BigInt(payload.length)), payload);
    return this;
  }

  /** A 32-bit float field. */
  float(number: number, value: number): this {
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setFloat32(0, value, true);
    this.parts.push(varintBytes((BigInt(number) << 3n) | 5n), payload);
    return this;
  }

  /** A packed repeated int64 field. */
  packed(number: number, values: readonly number[]): this {
    const payload = concat(values.map((value) => varintBytes(BigInt.asUintN(64, BigInt(value)))));
    return this.bytes(number, payload);
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    return concat(this.parts);
  }
}

function varintBytes(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return Uint8Array.from(bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
