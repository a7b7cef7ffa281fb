/**
 * Model text on its way to a terminal must not be able to drive it: an ESC could change the
 * title, write the clipboard (OSC 52) or clear the screen. Control characters other than newline
 * and tab are swapped for visible stand-ins (docs/terminal.md, Sanitising). Pipes get the bytes as they
 * are; this is only applied when the destination is a terminal.
 */

// C0 controls except \t and \n, a \r that does not start \r\n, DEL, and the C1 range.
// deno-lint-ignore no-control-regex -- matching control characters is the point
const UNSAFE = /\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;

function standIn(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␛ ␇ ␍ …: Control Pictures
  if (code === 0x7f) return "\u2421"; // ␡
  return "\ufffd"; // C1 controls have no pictures; the replacement character marks them
}

export function sanitizeForTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, standIn) : text;
}
