/**
 * The host-link flags of `remat solve` and `remat batch`: `--hardware NAME`, `--bandwidth B`,
 * `--latency L`, read into the library's `hardware` option by the rule of src/hardware/link.ts.
 */
import { type HardwareChoice, linkSetting } from "../hardware/link.js";
import { HARDWARE_PRESETS } from "../hardware/presets.js";
import { type ParsedArgs, stringOption } from "./args.js";

/** The parseArgs options of the three flags. */
export const LINK_OPTIONS = {
  hardware: { type: "string" },
  bandwidth: { type: "string" },
  latency: { type: "string" },
} as const;

/** The help lines of the three flags (options column at 22, as the commands' help texts). */
export const LINK_HELP = `  --hardware NAME     the host link, replacing the instance's own hardware block: a preset of
                      \`remat hardware\` (${HARDWARE_PRESETS.map((preset) => preset.name).join(", ")}),
                      or none for no link (nothing can be offloaded)
  --bandwidth B       overrides the bandwidth (each way) of the link in force (the preset's, else the
                      instance's own): bytes/ms (25e6), or bytes per second or ms (25GB/s, 40MB/s)
  --latency L         overrides the latency (per transfer) of the link in force: ms (0.01), or with
                      a unit (10us, 0.11ms). With no link in force (no --hardware, no hardware block
                      in the instance) give both --bandwidth and --latency`;

/**
 * The `hardware` option the flags ask for, undefined when none is given; checked at once (preset name,
 * figures, figures with `none`) so that bad flags exit 2 before any file is read.
 * @throws InputError (code `option`, paths `hardware`, `hardware.bandwidth`, `hardware.latency`, shown
 *   as the flags)
 */
export function linkChoice(command: string, parsed: ParsedArgs): HardwareChoice | undefined {
  const preset = stringOption(parsed, "hardware");
  const bandwidth = stringOption(parsed, "bandwidth");
  const latency = stringOption(parsed, "latency");
  if (preset === undefined && bandwidth === undefined && latency === undefined) return undefined;
  const choice = {
    ...(preset === undefined ? {} : { preset }),
    ...(bandwidth === undefined ? {} : { bandwidth }),
    ...(latency === undefined ? {} : { latency }),
  };
  linkSetting(choice, `remat ${command}`);
  return choice;
}
