/**
 * Text from a model or a server on its way to a terminal must not be able to drive it: an ESC
 * could change the title, write the clipboard (OSC 52) or clear the screen, and a bidirectional
 * override could make `rm -rf ~` read as something harmless. Control characters other than
 * newline and tab, and the bidi overrides, are swapped for visible stand-ins (docs/terminal.md,
 * Sanitising; docs/reliability.md lists every place that applies this).
 */

// C0 controls except \t and \n, a \r that does not start \r\n, DEL, the C1 range, and the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
// deno-lint-ignore no-control-regex -- matching control characters is the point
const UNSAFE = /\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function standIn(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␛ ␇ ␍ …: Control Pictures
  if (code === 0x7f) return "\u2421"; // ␡
  // C1 controls and bidi controls have no pictures; the replacement character marks them.
  return "\ufffd";
}

export function sanitizeForTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, standIn) : text;
}

/**
 * A server string for `output`: sanitised on a terminal, unchanged on a pipe or file, where the
 * bytes are data (`dollama show --modelfile > Modelfile` must stay byte-exact).
 */
export function safeFor(output: { readonly isTerminal: boolean }, text: string): string {
  return output.isTerminal ? sanitizeForTerminal(text) : text;
}

// Everything that would break a one-line display: all C0/C1 controls (newline and tab too),
// DEL and the bidi controls.
// deno-lint-ignore no-control-regex -- matching control characters is the point
const NOT_ONE_LINE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` on one line with its control characters written as escapes (`\n`, `\x1b`, `\u202e`),
 * for values the user typed that are shown back, such as a malformed `OLLAMA_HOST`.
 */
export function escapeControls(text: string): string {
  return text.replace(NOT_ONE_LINE, (ch) => {
    const code = ch.charCodeAt(0);
    return NAMED_ESCAPES[ch] ??
      (code <= 0xff
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}
