/**
 * The `storage` option (issue 14 item 4; DESIGN.md, "Storage modes"): which stored forms a solver may
 * plan for kept activations. Default none; a lossy mode (`fp16`, `bf16`) only when named. A solver plans
 * only the modes its `storage` field lists and refuses the others by name, rather than ignoring them. The
 * checks after the solve: every `C v MODE` of an answer uses a mode that was allowed, and a result whose
 * schedule holds a lossy stored form says so (`lossy`). Every function is O(modes) or O(|schedule|).
 */
import { describeValue, type InputIssue } from "../src/errors.js";
import { STORAGE_MODES, type StorageMode } from "../src/instance/types.js";
import type { Schedule } from "../src/schedule/types.js";
import type { Solver } from "../src/solver.js";

/** What the option accepts: `none`, `bitmap`, `bitmap,bf16`, ... or a list of modes. */
export type StorageChoice = string | readonly string[];

/** The text form of no storage modes. */
const NONE = "none";

/** The modes a solver plans (none when it has no `storage` field). */
export function modesOf(solver: Solver): readonly StorageMode[] {
  return solver.storage ?? [];
}

/**
 * The modes of `choice` in the order of STORAGE_MODES (duplicates once), with one issue (path
 * `storage`) per word that is not a mode, for `none` next to a mode, and per mode `solver` does not plan
 * (naming the solver and the mode).
 *
 * @param choice undefined, `"none"` or `[]` for no modes; `"bitmap,bf16"` or `["bitmap", "bf16"]`
 */
export function storageModes(
  solver: Solver,
  choice: StorageChoice | undefined,
): { readonly modes: readonly StorageMode[]; readonly issues: readonly InputIssue[] } {
  if (choice === undefined) return { modes: [], issues: [] };
  const words = wordsOf(choice);
  if (words === undefined)
    return {
      modes: [],
      issues: [issue(`${NONE} or a list of storage modes (${STORAGE_MODES.join(", ")})`, choice)],
    };
  const issues: InputIssue[] = [];
  const named = new Set<StorageMode>();
  for (const word of words) {
    if (word === NONE) continue;
    if ((STORAGE_MODES as readonly string[]).includes(word)) named.add(word as StorageMode);
    else issues.push(issue(`${NONE} or storage modes among ${STORAGE_MODES.join(", ")}`, word));
  }
  if (words.includes(NONE) && words.length > 1)
    issues.push(issue(`${NONE} alone, or storage modes without ${NONE}`, choice));
  const modes = STORAGE_MODES.filter((mode) => named.has(mode));
  issues.push(...unplannedIssues(solver, modes));
  return { modes: Object.freeze(modes), issues };
}

/** One issue per mode of `modes` that `solver` does not plan, naming both. */
function unplannedIssues(solver: Solver, modes: readonly StorageMode[]): InputIssue[] {
  const supported = modesOf(solver);
  return modes
    .filter((mode) => !supported.includes(mode))
    .map((mode) => ({
      code: "option",
      path: "storage",
      expected:
        supported.length === 0
          ? `${NONE}: ${solver.name} does not plan storage modes`
          : `modes ${solver.name} plans (${supported.join(", ")})`,
      received: `storage mode "${mode}", which ${solver.name} does not plan`,
    }));
}

/** The words of a choice (comma-separated text or a list), undefined when it is neither. */
function wordsOf(choice: unknown): string[] | undefined {
  if (typeof choice === "string") return choice.split(",").map((word) => word.trim().toLowerCase());
  if (Array.isArray(choice) && choice.every((word) => typeof word === "string"))
    return choice.map((word: string) => word.trim().toLowerCase());
  return undefined;
}

function issue(expected: string, value: unknown): InputIssue {
  return { code: "option", path: "storage", expected, received: describeValue(value) };
}

/** The first `C v MODE` of `schedule` whose mode is not in `allowed`, as text; undefined when none. */
export function unallowedConversion(schedule: Schedule, allowed: readonly StorageMode[]): string | undefined {
  for (const instruction of schedule)
    if (instruction.op === "C" && !allowed.includes(instruction.mode))
      return `C ${instruction.node} ${instruction.mode}`;
  return undefined;
}

/** The modes `schedule` converts to (`C v MODE`), in the order of STORAGE_MODES. */
export function storedModesUsed(schedule: Schedule): readonly StorageMode[] {
  const used = new Set<StorageMode>();
  for (const instruction of schedule) if (instruction.op === "C") used.add(instruction.mode);
  return STORAGE_MODES.filter((mode) => used.has(mode));
}
