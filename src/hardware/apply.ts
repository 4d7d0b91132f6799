/**
 * Putting a host link on an instance: {@link withHardware} replaces the `hardware` block of a parsed
 * instance and returns a parsed instance again (checked as parseInstance checks a block: the figures,
 * and the transfer total of src/instance/limits.ts); {@link applyHardware} resolves a choice by the rule
 * of link.ts first. The input instance is never changed; the nodes are shared, not copied.
 */
import { describeValue, InputError, type InputIssue } from "../errors.js";
import { MAX_TOTAL_MS, totalIssues } from "../instance/limits.js";
import { markParsed, requireInstance } from "../instance/parsed.js";
import type { Hardware, Instance } from "../instance/types.js";
import { type HardwareChoice, type LinkRecord, type LinkSetting, linkSetting, resolveLink } from "./link.js";
import { BANDWIDTH_EXPECTED, LATENCY_EXPECTED } from "./units.js";

/** The issues of a link's figures as numbers: bandwidth positive and finite, latency in [0, 1e15] ms. */
function linkIssues(link: Hardware): InputIssue[] {
  const issues: InputIssue[] = [];
  const { bandwidth, latency } = link as { bandwidth: unknown; latency: unknown };
  if (!(typeof bandwidth === "number" && Number.isFinite(bandwidth) && bandwidth > 0))
    issues.push({
      code: "option",
      path: "hardware.bandwidth",
      expected: BANDWIDTH_EXPECTED,
      received: describeValue(bandwidth),
    });
  if (!(typeof latency === "number" && Number.isFinite(latency) && latency >= 0 && latency <= MAX_TOTAL_MS))
    issues.push({
      code: "option",
      path: "hardware.latency",
      expected: LATENCY_EXPECTED,
      received: describeValue(latency),
    });
  return issues;
}

/**
 * The instance with its `hardware` block replaced by `link` (removed when `link` is undefined),
 * marked parsed like parseInstance's output, frozen.
 *
 * @param instance an instance from parseInstance or loadInstance (or from withHardware)
 * @param link bandwidth in bytes/ms each way (positive, finite), latency in ms per transfer (>= 0)
 * @throws InputError for an unparsed instance (path `instance`), bad figures (code `option`, paths
 *   `hardware.bandwidth`, `hardware.latency`), or a link so slow that one offload and one prefetch of
 *   every activation would exceed 1e15 ms (code `total-too-large`, path `hardware`)
 */
export function withHardware(instance: Instance, link: Hardware | undefined): Instance {
  requireInstance(instance, "withHardware");
  if (link === undefined) {
    const { hardware: _dropped, ...rest } = instance;
    return markParsed(Object.freeze({ ...rest }));
  }
  const shapeIssues =
    typeof link === "object" && link !== null
      ? linkIssues(link)
      : [
          {
            code: "option" as const,
            path: "hardware",
            expected: "{ bandwidth, latency }",
            received: describeValue(link),
          },
        ];
  if (shapeIssues.length > 0) throw new InputError("withHardware", shapeIssues, instance.name);
  const hardware: Hardware = Object.freeze({ bandwidth: link.bandwidth, latency: link.latency });
  const totals = totalIssues(instance.fixedBytes, instance.nodes, hardware).filter(
    (item) => item.path === "hardware",
  );
  if (totals.length > 0) throw new InputError("withHardware", totals, instance.name);
  return markParsed(Object.freeze({ ...instance, hardware }));
}

/**
 * The instance under a link chosen by the rule of link.ts, and the link recorded.
 *
 * @param choice a preset name or `{ preset?, bandwidth?, latency? }`; undefined keeps the instance's own
 * @param site the function or command, for errors
 * @returns the instance to solve (the same object when the choice changes nothing) and the link in
 *   force (null for none)
 * @throws InputError as linkSetting, resolveLink and withHardware throw
 */
export function applyHardware(
  instance: Instance,
  choice: HardwareChoice | undefined,
  site: string,
): { readonly instance: Instance; readonly link: LinkRecord | null } {
  return applyLink(instance, choice === undefined ? undefined : linkSetting(choice, site), site);
}

/**
 * {@link applyHardware} for a choice already normalized by linkSetting (undefined: none given).
 * @throws InputError as resolveLink and withHardware throw
 */
export function applyLink(
  instance: Instance,
  setting: LinkSetting | undefined,
  site: string,
): { readonly instance: Instance; readonly link: LinkRecord | null } {
  const link = resolveLink(instance.hardware, setting, site, instance.name);
  const same =
    link === undefined
      ? instance.hardware === undefined
      : instance.hardware?.bandwidth === link.bandwidth && instance.hardware.latency === link.latency;
  if (same) return { instance, link: link ?? null };
  const hardware = link === undefined ? undefined : { bandwidth: link.bandwidth, latency: link.latency };
  return { instance: withHardware(instance, hardware), link: link ?? null };
}
