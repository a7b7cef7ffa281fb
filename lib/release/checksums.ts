/** SHA256SUMS files as `sha256sum` writes them, and SHA-256 of bytes. */

/**
 * File name → lower-case hex digest. Accepts `sha256sum` text and binary mode (`*name`),
 * CRLF line ends and blank lines; other lines are ignored.
 */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (m && !sums.has(m[2])) sums.set(m[2], m[1].toLowerCase());
  }
  return sums;
}

/** One SHA256SUMS file for the given files, sorted by name. */
export function formatSha256Sums(entries: Iterable<[name: string, digest: string]>): string {
  return [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, digest]) => `${digest}  ${name}\n`).join("");
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
