/**
 * Which host link a solve runs under: the instance's own `hardware` block, a preset, or figures given
 * as options, by one rule (README "Host links"; `remat solve --help`):
 *
 * 1. Nothing given: the instance's own `hardware` block, or no link when it has none.
 * 2. A preset (`--hardware NAME`, `hardware: "pcie4"`) replaces the instance's block whole; the name
 *    `none` (null in the library) removes it (no link: nothing can be offloaded).
 * 3. `bandwidth` / `latency` (`--bandwidth B`, `--latency L`) override that one figure of the link in
 *    force after step 2: the preset's, else the instance's own.
 * 4. With no link in force (no preset and an instance without a block), both figures must be given:
 *    one alone is an error, as is either one together with `none`.
 *
 * Steps 2 and 3 need no instance, so a {@link LinkSetting} (what a batch resumes on) is fixed before any
 * file is read; step 4 needs the instance and is checked when the link is applied.
 */
import { collectIssues, InputError, type InputIssue } from "../errors.js";
import type { Hardware } from "../instance/types.js";
import { findPreset, HARDWARE_PRESETS } from "./presets.js";
import { parseBandwidth, parseLatency } from "./units.js";

/** The preset name that means "no link": the instance's block is removed. */
export const NO_LINK = "none";

/**
 * A link as a library caller asks for it: a preset name (`"pcie4"`, `"none"`), null (no link, as
 * `"none"`), or an object with any of a preset (null: none named) and the two figures, each a number
 * (bytes/ms, ms) or text with a unit (`"16GB/s"`, `"10us"`). A result's `options.hardware` is one, so
 * passing it back solves under the same link.
 */
export type HardwareChoice =
  | string
  | null
  | {
      readonly preset?: string | null;
      readonly bandwidth?: number | string;
      readonly latency?: number | string;
    };

/**
 * A choice normalized without the instance (rule steps 2 and 3): the preset named (null for none
 * named), and each figure in force after the preset and the overrides, null where it is the
 * instance's own. Equal choices give equal settings, however they were written.
 */
export interface LinkSetting {
  readonly preset: string | null;
  /** Bytes/ms, null for the instance's own (or for no link, with preset `none`). */
  readonly bandwidth: number | null;
  /** Ms, null for the instance's own (or for no link, with preset `none`). */
  readonly latency: number | null;
}

/** The link a solve ran under, as its result records it (null: no link). */
export interface LinkRecord extends Hardware {
  /** The preset named, whose figures the link started from before overrides; null for none named (the instance's own block, or both figures given). */
  readonly preset: string | null;
}

const CHOICE_FIELDS = ["preset", "bandwidth", "latency"];

/** The preset names, for messages. */
function presetNames(): string {
  return [...HARDWARE_PRESETS.map((preset) => preset.name), NO_LINK].join(", ");
}

function issue(path: string, expected: string, received: string): InputIssue {
  return { code: "option", path, expected, received };
}

/** The issue of an unknown preset name at `path`, or undefined. */
function presetIssue(name: unknown, path: string): InputIssue | undefined {
  if (typeof name === "string" && (name === NO_LINK || findPreset(name) !== undefined)) return undefined;
  return issue(
    path,
    `a preset name (${presetNames()}; see remat hardware)`,
    JSON.stringify(name) ?? "missing",
  );
}

/**
 * Normalizes a choice (rule steps 2 and 3): the preset's figures filled in, overrides applied.
 *
 * @param choice a preset name, or `{ preset?, bandwidth?, latency? }`
 * @param site the function or command, for errors
 * @throws InputError (code `option`, paths `hardware`, `hardware.preset`, `hardware.bandwidth`,
 *   `hardware.latency`) for an unknown preset, bad figures, unknown fields, or figures given with `none`
 */
export function linkSetting(choice: HardwareChoice, site: string): LinkSetting {
  if (choice === null) return settingOf(NO_LINK, undefined, undefined);
  if (typeof choice === "string") {
    const bad = presetIssue(choice, "hardware");
    if (bad !== undefined) throw new InputError(site, [bad]);
    return settingOf(choice, undefined, undefined);
  }
  if (typeof choice !== "object" || choice === null || Array.isArray(choice))
    throw new InputError(site, [
      issue("hardware", "a preset name or { preset?, bandwidth?, latency? }", String(choice)),
    ]);
  const issues = shapeIssues(choice);
  const bandwidth =
    choice.bandwidth === undefined
      ? undefined
      : collectIssues(issues, () => parseBandwidth(choice.bandwidth, "hardware.bandwidth", site));
  const latency =
    choice.latency === undefined
      ? undefined
      : collectIssues(issues, () => parseLatency(choice.latency, "hardware.latency", site));
  if (issues.length > 0) throw new InputError(site, issues);
  return settingOf(choice.preset, bandwidth, latency);
}

/** The issues of a choice object but its figures: unknown fields, an unknown preset, figures with `none`. */
function shapeIssues(choice: Exclude<HardwareChoice, string | null>): InputIssue[] {
  const issues: InputIssue[] = Object.keys(choice)
    .filter((key) => !CHOICE_FIELDS.includes(key))
    .map((key) => ({
      ...issue(`hardware.${key}`, "one of preset, bandwidth, latency", `unknown field "${key}"`),
      code: "unknown-field",
    }));
  if (choice.preset !== undefined && choice.preset !== null) {
    const bad = presetIssue(choice.preset, "hardware.preset");
    if (bad !== undefined) issues.push(bad);
  }
  if (choice.preset !== NO_LINK) return issues;
  for (const field of ["bandwidth", "latency"] as const)
    if (choice[field] !== undefined)
      issues.push(
        issue(
          `hardware.${field}`,
          `absent: the preset ${NO_LINK} means no link, so there is no ${field} to set`,
          String(choice[field]),
        ),
      );
  return issues;
}

function settingOf(
  preset: string | null | undefined,
  bandwidth: number | undefined,
  latency: number | undefined,
): LinkSetting {
  const base = preset === undefined || preset === null ? undefined : findPreset(preset);
  return {
    preset: preset ?? null,
    bandwidth: bandwidth ?? base?.bandwidth ?? null,
    latency: latency ?? base?.latency ?? null,
  };
}

/**
 * The link in force for an instance whose own block is `own` under `setting` (rule steps 1 to 4).
 *
 * @returns the link and where it came from, or undefined for no link
 * @throws InputError (code `option`, path `hardware.bandwidth` or `hardware.latency`) when one figure
 *   is given, no preset is named and the instance has no block of its own (rule step 4)
 */
export function resolveLink(
  own: Hardware | undefined,
  setting: LinkSetting | undefined,
  site: string,
  file?: string,
): LinkRecord | undefined {
  if (setting?.preset === NO_LINK) return undefined;
  const preset = setting?.preset ?? null;
  const bandwidth = setting?.bandwidth ?? own?.bandwidth;
  const latency = setting?.latency ?? own?.latency;
  if (bandwidth !== undefined && latency !== undefined) return { preset, bandwidth, latency };
  if (bandwidth === undefined && latency === undefined) return undefined;
  const missing = bandwidth === undefined ? "bandwidth" : "latency";
  const given = missing === "bandwidth" ? "latency" : "bandwidth";
  throw new InputError(
    site,
    [
      issue(
        `hardware.${missing}`,
        `given too, or a preset: the instance has no hardware block, so a ${given} alone leaves the link without a ${missing}`,
        "missing",
      ),
    ],
    file,
  );
}

/** The choice that gives `setting` back (for a worker that receives a setting and calls `solve`). */
export function choiceOf(setting: LinkSetting): HardwareChoice {
  return {
    ...(setting.preset === null ? {} : { preset: setting.preset }),
    ...(setting.bandwidth === null ? {} : { bandwidth: setting.bandwidth }),
    ...(setting.latency === null ? {} : { latency: setting.latency }),
  };
}
