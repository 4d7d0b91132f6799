/** Host links: named presets of real links, and applying a link to an instance (README "Host links"). */
export { applyHardware, withHardware } from "./apply.js";
export {
  type HardwareChoice,
  type LinkRecord,
  type LinkSetting,
  linkSetting,
  NO_LINK,
  resolveLink,
} from "./link.js";
export { findPreset, HARDWARE_PRESETS, type HardwarePreset } from "./presets.js";
export { parseBandwidth, parseLatency } from "./units.js";
