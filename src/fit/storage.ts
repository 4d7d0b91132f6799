/**
 * Storage modes in a fit (issue 14 item 3, issue 15 item 5): with modes named, the zoo instance at each
 * probed batch carries the zoo's measured densities and roofline conversion times (src/zoo/densities.ts)
 * and every solve is asked for those modes; a solver that plans none of them makes its row not
 * applicable (its refusal names the mode). With none named (`none`, empty or absent) nothing changes.
 */
import { InputError } from "../errors.js";
import { STORAGE_MODES } from "../instance/types.js";

/** What the fit's `storage` option accepts: `none`, `bitmap`, `bitmap,fp16`, ... or a list of modes. */
export type FitStorage = string | readonly string[];

/** What a report says of the storage modes planned. */
export interface FitStorageNote {
  readonly modes: readonly string[];
  /** Where the densities come from. */
  readonly densities: string;
}

/**
 * The modes of `choice` (`none` and empty words dropped; O(words)).
 * @throws InputError (code `option`, path `storage`) naming every word that is not a mode
 */
export function storageWords(choice: FitStorage | undefined): readonly string[] {
  if (choice === undefined) return [];
  const words = (typeof choice === "string" ? choice.split(",") : [...choice])
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== "none" && word !== "");
  const unknown = words.filter((word) => !(STORAGE_MODES as readonly string[]).includes(word));
  if (unknown.length > 0)
    throw new InputError(
      "remat fit",
      unknown.map((word) => ({
        code: "option",
        path: "storage",
        expected: `none or storage modes among ${STORAGE_MODES.join(", ")}`,
        received: JSON.stringify(word),
      })),
    );
  return words;
}

/** `solve` asked for `modes` at every call (itself when there are none). */
export function solveWithStorage<I, O extends object, R>(
  solve: (instance: I, options: O & { readonly storage?: readonly string[] }) => R,
  modes: readonly string[],
): (instance: I, options: O) => R {
  return modes.length === 0 ? solve : (instance, options) => solve(instance, { ...options, storage: modes });
}

/** The report's note, for the zoo's table or for instances supplied by the caller. */
export function storageNote(modes: readonly string[], zooTable: boolean, measuredAt: string): FitStorageNote {
  return {
    modes,
    densities: zooTable
      ? `measured by the simulator at initialisation (seed 1, random parameters and input data) at ${measuredAt}, carried op by op to each batch (trained networks are typically sparser after ReLU, so a bitmap saves more on them); conversion times a 900 GB/s roofline`
      : "those of the supplied instances (--batch-model: the profile's)",
  };
}
