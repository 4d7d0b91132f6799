/** A one-line description of this machine, for provenance (node:os imported lazily, so the library stays browser-safe). */

/** `Node v20.19.0, linux x64, 2 x Intel(R) Xeon(R) ...`. */
export async function machineDescription(): Promise<string> {
  const { arch, cpus, platform } = await import("node:os");
  const cores = cpus();
  return `Node ${process.version}, ${platform()} ${arch()}, ${cores.length} x ${cores[0]?.model.trim() ?? "unknown CPU"}`;
}
