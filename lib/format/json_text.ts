/**
 * JSON for output that may land on a terminal (`--json` of `list`, `ps`, `show`, `chats`).
 * `JSON.stringify` escapes the C0 controls only, so a server's string could still carry DEL, a C1
 * control (U+009B is a one-character CSI to terminals that read 8-bit controls) or a bidi
 * override that makes the rest of a line read backwards, raw onto the screen. Those are written
 * as `\u` escapes instead: the text is still JSON and parses to the same value.
 */

/** DEL, the C1 controls, and the bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * `JSON.stringify(value, null, indent)` with the characters above escaped. Outside strings JSON
 * has only ASCII, so every one of them found in the text is inside a string, where an escape
 * means the same character.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE, escape);
}
