/**
 * The ONNX file behind an imported instance's `model.onnx` block, for the CLI: the block `remat import`
 * writes (the file relative to the instance, its SHA-256, the import options) and the bytes `remat
 * simulate` reads back (refused when the file changed since the import).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { OnnxModelSource } from "../instance/types.js";
import type { ImportOptions } from "../onnx/import.js";

/** SHA-256 of `bytes`, lower-case hex. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The `model.onnx` block of an instance written to `out` from the ONNX file `file` (its `bytes`). */
export function onnxSource(
  file: string,
  out: string,
  bytes: Uint8Array,
  options: ImportOptions & { readonly loss: OnnxModelSource["loss"] },
): OnnxModelSource {
  const shapes = options.inputShapes ?? {};
  return {
    file: relative(dirname(resolve(out)), resolve(file)) || file,
    sha256: sha256Of(bytes),
    loss: options.loss,
    ...(options.batch === undefined ? {} : { batch: options.batch }),
    ...(Object.keys(shapes).length === 0 ? {} : { inputShapes: shapes }),
  };
}

/**
 * The bytes of the ONNX file `source` names, relative to the folder of the instance file `instancePath`.
 * @throws InputError (path `model.onnx.file` when unreadable, `model.onnx.sha256` when it changed)
 */
export async function readOnnxSource(source: OnnxModelSource, instancePath: string): Promise<Uint8Array> {
  const path = isAbsolute(source.file) ? source.file : resolve(dirname(instancePath), source.file);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(
      "remat simulate",
      [
        {
          code: "file",
          path: "model.onnx.file",
          expected: "the ONNX file the instance was imported from",
          received: `${path}: ${code === "ENOENT" ? "no such file" : code}`,
        },
      ],
      instancePath,
    );
  }
  const sha256 = sha256Of(bytes);
  if (sha256 !== source.sha256)
    throw new InputError(
      "remat simulate",
      [
        {
          code: "bad-value",
          path: "model.onnx.sha256",
          expected: `the file the instance was imported from (SHA-256 ${source.sha256}; import it again)`,
          received: `${path} with SHA-256 ${sha256}`,
        },
      ],
      instancePath,
    );
  return bytes;
}
