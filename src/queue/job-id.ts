/**
 * Queue job ids: the SHA-256 of a job's canonical text (the caller's canonical JSON of the instance's
 * content and the full setting), in hex. Equal jobs get equal ids, so BullMQ keeps one job for them:
 * adding it again, from a rerun or from another machine, adds nothing.
 */

/**
 * The job id of `canonicalText`: 64 lowercase hex digits (never a plain integer, never a `:`, as BullMQ
 * requires of custom ids). Uses Web Crypto (`globalThis.crypto`, in Node 20 and browsers).
 */
export async function jobIdOf(canonicalText: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalText));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
