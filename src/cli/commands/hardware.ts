/** `remat hardware`: the host-link presets, with their figures and where each comes from. */
import { HARDWARE_PRESETS, type HardwarePreset } from "../../hardware/presets.js";
import { noExtraPositionals, parseCommandArgs } from "../args.js";
import type { Command } from "../command.js";
import { renderTable, wrapText } from "../table.js";

/** Significant digits of the figures in the table. */
const DIGITS = 4;

/** Bytes/ms as GB/s (1 GB/s = 1e6 bytes/ms), to 4 significant digits. */
function gigabytesPerSecond(preset: HardwarePreset): string {
  return String(Number((preset.bandwidth / 1e6).toPrecision(DIGITS)));
}

export const hardwareCommand: Command = {
  name: "hardware",
  summary: "list the host-link presets (--hardware NAME): bandwidth, latency, source",
  help: `remat hardware [--json]

Lists the host-link presets that remat solve and remat batch take as --hardware NAME: bandwidth
each way (GB/s; the instance format counts bytes/ms, 1 GB/s = 1e6 bytes/ms), latency per transfer
(ms), what each link is, and the spec or paper each figure comes from. --json prints them with the
bandwidth in bytes/ms, as an instance's hardware block holds it.
--hardware replaces an instance's own hardware block (none removes it); --bandwidth and --latency
override one figure of the link in force. See remat solve --help.
Example: remat hardware`,
  run: async (args, io) => {
    const parsed = parseCommandArgs("hardware", args, { json: { type: "boolean" } });
    noExtraPositionals("hardware", parsed, 0);
    if (parsed.values.json === true) {
      io.out(JSON.stringify(HARDWARE_PRESETS, null, 2));
      return 0;
    }
    const table = renderTable(
      ["name", "GB/s each way", "latency ms", "description"],
      HARDWARE_PRESETS.map((preset) => [
        preset.name,
        gigabytesPerSecond(preset),
        String(preset.latency),
        preset.description,
      ]),
    );
    const sources = HARDWARE_PRESETS.flatMap((preset) => wrapText(`${preset.name}: ${preset.source}`));
    io.out([table, "", "Sources:", ...sources].join("\n"));
    return 0;
  },
};
