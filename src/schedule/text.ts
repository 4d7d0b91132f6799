/**
 * The compact text form of instructions (`F conv1`, `F relu1 tape`, `B loss`, `D a:conv1`, `O x`,
 * `P x`, `C relu1 bitmap`, `X relu1`, `D s:relu1`), parsed and printed;
 * `parseInstruction(formatInstruction(op))` returns `op` again.
 */
import { describeValue, InputError, type InputIssue } from "../errors.js";
import { NODE_ID_PATTERN } from "../instance/parse.js";
import { STORAGE_MODES, type StorageMode } from "../instance/types.js";
import type { Instruction, Schedule } from "./types.js";

/** Prints one instruction in its text form. */
export function formatInstruction(instruction: Instruction): string {
  switch (instruction.op) {
    case "F":
      return instruction.tape ? `F ${instruction.node} tape` : `F ${instruction.node}`;
    case "D":
      return `D ${instruction.tensor.kind}:${instruction.tensor.node}`;
    case "C":
      return `C ${instruction.node} ${instruction.mode}`;
    default:
      return `${instruction.op} ${instruction.node}`;
  }
}

/** Prints a schedule as a list of text instructions. */
export function formatSchedule(schedule: Schedule): string[] {
  return schedule.map(formatInstruction);
}

/**
 * Parses one instruction; returns the instruction or a description of what was wrong.
 * Whitespace between words may be any run of spaces or tabs.
 */
export function tryParseInstruction(text: string): Instruction | string {
  const words = text.trim().split(/\s+/);
  const [op, target, flag] = words;
  if (words.length > 3 || target === undefined)
    return "an instruction such as `F v`, `F v tape`, `B v`, `D a:v`, `D g:v`, `D s:v`, `O v`, `P v`, `C v bitmap`, `X v`";
  if (op === "D") return parseDelete(target, words.length);
  if (!NODE_ID_PATTERN.test(target)) return "a node id matching [A-Za-z0-9_.:/-]+";
  if (op === "F") {
    if (flag !== undefined && flag !== "tape") return "`F v` or `F v tape`";
    return { op: "F", node: target, tape: flag === "tape" };
  }
  if (op === "C") {
    if (!STORAGE_MODES.includes(flag as StorageMode))
      return `\`C v MODE\` with MODE one of ${STORAGE_MODES.join(", ")}`;
    return { op: "C", node: target, mode: flag as StorageMode };
  }
  if (flag !== undefined) return `\`${op} v\` with one operand`;
  if (op === "B" || op === "O" || op === "P" || op === "X") return { op, node: target };
  return "an instruction starting with F, B, D, O, P, C or X";
}

/** Parses the operand of a `D` instruction (`a:v`, `g:v` or `s:v`), given the instruction's word count. */
function parseDelete(target: string, wordCount: number): Instruction | string {
  const match = /^([ags]):(.+)$/.exec(target);
  if (wordCount !== 2 || match === null) return "`D a:v`, `D g:v` or `D s:v`";
  const node = match[2] as string;
  if (!NODE_ID_PATTERN.test(node)) return "a tensor on a node id matching [A-Za-z0-9_.:/-]+";
  return { op: "D", tensor: { kind: match[1] as "a" | "g" | "s", node } };
}

/**
 * Parses a list of text instructions.
 *
 * @param lines the text form, one instruction per entry
 * @param site call site for the error message; `path` prefix for issue paths (default `ops`)
 * @throws InputError listing every line that does not parse, with its path `ops[i]`
 */
export function parseSchedule(
  lines: readonly unknown[],
  site = "parseSchedule",
  path = "ops",
  file?: string,
): Schedule {
  const issues: InputIssue[] = [];
  const schedule: Instruction[] = [];
  lines.forEach((line, index) => {
    const parsed = typeof line === "string" ? tryParseInstruction(line) : "a string instruction";
    if (typeof parsed === "string")
      issues.push({
        code: "bad-value",
        path: `${path}[${index}]`,
        expected: parsed,
        received: describeValue(line),
      });
    else schedule.push(parsed);
  });
  if (issues.length > 0) throw new InputError(site, issues, file);
  return Object.freeze(schedule);
}
