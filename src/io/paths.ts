/** Paths inside the installed package (for bundled instances), found from this module's location. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding remat's package.json, from src/ or from the compiled dist/src/. */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error("remat: cannot find the package folder");
    folder = parent;
  }
  return folder;
}

/** A path inside the package, e.g. `bundledPath("instances", "demo.json")`. */
export function bundledPath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
