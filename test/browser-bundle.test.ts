/**
 * The main entry as a planner ships it in a web page: the built `dist/src/index.js` (made by `npm test`'s
 * build step) bundled for the browser by esbuild's JS API, as the README's Library section says to.
 * The bundle must build, import no Node module (statically or dynamically), and leave TensorFlow.js and
 * the simulator out (they are `remat/simulate`).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ENTRY = fileURLToPath(new URL("../dist/src/index.js", import.meta.url));
/** A ceiling far above the core's size and far below TensorFlow.js's (several MB), which it must not pull in. */
const MAX_BUNDLE_BYTES = 1_000_000;

describe('the "remat" entry', () => {
  it("bundles for the browser with no Node module and without TensorFlow.js", async ({ annotate }) => {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
    expect(imports).toEqual([]);
    const text = result.outputFiles.map((file) => file.text).join("\n");
    expect(text).not.toMatch(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']node:/);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /@tensorflow|\/simulate\/|\/profile\//.test(path))).toEqual([]);
    const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
    expect(bytes).toBeLessThan(MAX_BUNDLE_BYTES);
    await annotate(`browser bundle of remat: ${(bytes / 1000).toFixed(1)} kB from ${inputs.length} modules`);
  });
});
