/**
 * A one-line description of this machine, for provenance. Node's `os` is reached through
 * `process.getBuiltinModule` rather than an import, as `loadInstance` reaches `fs` (src/instance/load.ts),
 * so that `remat/simulate` names no Node module for a bundler either.
 */

/** `Node v20.19.0, linux x64, 2 x Intel(R) Xeon(R) ...`; outside Node, that it is not Node. */
export function machineDescription(): string {
  const os = globalThis.process?.getBuiltinModule?.("os");
  if (os === undefined) return "a JavaScript runtime other than Node (no os module to describe it)";
  const cores = os.cpus();
  return `Node ${process.version}, ${os.platform()} ${os.arch()}, ${cores.length} x ${cores[0]?.model.trim() ?? "unknown CPU"}`;
}
