/** Byte arrays: what the streams, the key decoder and the downloads all need once. */

/** `parts` end to end in one new array (a copy even when there is only one part). */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}
