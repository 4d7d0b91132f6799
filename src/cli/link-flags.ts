/**
 * The host-link flags of `remat solve` and `remat batch`: `--hardware NAME`, `--bandwidth B`,
 * `--latency L`, read into the library's `hardware` option by the rule of src/hardware/link.ts.
 */
import { type HardwareChoice, linkSetting } from "../hardware/link.js";
import { type ParsedArgs, stringOption } from "./args.js";

/** The parseArgs options of the three flags. */
export const LINK_OPTIONS = {
  hardware: { type: "string" },
  bandwidth: { type: "string" },
  latency: { type: "string" },
} as const;

/** The help lines of the three flags (options column at 22, as the commands' help texts). */
export const LINK_HELP = `  --hardware NAME     the host link: a preset from \`remat hardware\` (pcie3, pcie4, pcie5,
                      nvlink-c2c, usb2-flash, sd-card) replacing the instance's own hardware
                      block, or none for no link (nothing offloaded)
  --bandwidth B       overrides the bandwidth (each way) of the link in force (the preset's, else
                      the instance's own): bytes/ms (25e6), or a unit per second or ms (25GB/s, 40MB/s)
  --latency L         overrides the latency (per transfer) likewise: ms (0.01) or a unit (10us, 0.11ms)
                      With no link in force (no --hardware and no block in the instance), give both.`;

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
