/** The profiler: measures a zoo network's ops on this machine and writes an instance with the measured times. */
export { type ProfileOptions, profileModel, profileText } from "./profile.js";
