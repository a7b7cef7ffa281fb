/**
 * Text without the escape sequences in it, for measuring: what takes no cells on a terminal.
 *
 * It recognises exactly what `string-width` (through `strip-ansi`) removes, so that the widths
 * dollama computes stay the ones its tests check against that package: OSC strings (hyperlinks,
 * titles) ended by BEL or ST, the DCS / SOS / PM / APC strings ended by ST, CSI sequences (colours,
 * cursor moves), two-byte and intermediate-byte escapes, and the Linux console's palette
 * sequences; each with its 7-bit introducer (ESC …) and its 8-bit C1 one. A sequence that does not
 * end where it must is no sequence: its ESC stays (a control, no width) and what follows is text.
 *
 * Written as a scanner over UTF-16 code units rather than one large regular expression, and
 * without spelling out ESC (lib/term/ansi.ts names the sequences dollama writes; this only reads).
 */

const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const ESC = 0x1b;
const BACKSLASH = 0x5c;
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;

const ESC_TEXT = String.fromCharCode(ESC);
const C1_CSI_TEXT = String.fromCharCode(C1_CSI);

/**
 * Whether `text` may hold a sequence at all. Only text with a 7-bit ESC or an 8-bit CSI is
 * scanned (other C1 introducers alone leave the text as it is, as `string-width` does).
 */
export function mayHoldEscapes(text: string): boolean {
  return text.includes(ESC_TEXT) || text.includes(C1_CSI_TEXT);
}

/** `text` with every escape sequence removed. */
export function withoutEscapes(text: string): string {
  let out = "";
  let copiedTo = 0;
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    const end = code === ESC || (code >= C1_DCS && code <= C1_APC) ? sequenceEnd(text, i) : -1;
    if (end === -1) {
      i++;
      continue;
    }
    out += text.slice(copiedTo, i);
    copiedTo = i = end;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** Where the sequence starting at `start` ends (exclusive), or -1 when none starts there. */
function sequenceEnd(text: string, start: number): number {
  const code = text.charCodeAt(start);
  const next = text.charCodeAt(start + 1);
  if (code === ESC && next === 0x5d /* ] */) {
    const palette = paletteEnd(text, start + 2);
    if (palette !== -1) return palette;
  }
  // OSC: ended by BEL or ST; its payload may not hold another control string's bytes.
  if (code === C1_OSC || (code === ESC && next === 0x5d /* ] */)) {
    const payloadEnd = skipPayload(text, start + (code === ESC ? 2 : 1), true);
    if (text.charCodeAt(payloadEnd) === BEL) return payloadEnd + 1;
    const end = stringTerminatorEnd(text, payloadEnd);
    if (end !== -1) return end;
  }
  // DCS (P), SOS (X), PM (^), APC (_) and screen's title (k): ended by ST only.
  const controlString = code === ESC
    ? next === 0x50 || next === 0x58 || next === 0x5e || next === 0x5f || next === 0x6b
    : code === C1_DCS || code === C1_SOS || code === C1_PM || code === C1_APC;
  if (controlString) {
    const end = stringTerminatorEnd(text, skipPayload(text, start + (code === ESC ? 2 : 1), false));
    if (end !== -1) return end;
  }
  // CSI: parameter bytes, then intermediate bytes, then one final byte.
  if (code === C1_CSI || (code === ESC && next === 0x5b /* [ */)) {
    let i = start + (code === ESC ? 2 : 1);
    while (inRange(text.charCodeAt(i), 0x30, 0x3f)) i++;
    while (inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
    if (inRange(text.charCodeAt(i), 0x40, 0x7e)) return i + 1;
  }
  if (code !== ESC) return -1;
  // nF escapes: intermediate bytes, then a final byte (`ESC ( 0`, `ESC # 8`).
  if (inRange(next, 0x20, 0x2f)) {
    let i = start + 2;
    while (inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
    return inRange(text.charCodeAt(i), 0x30, 0x7e) ? i + 1 : -1;
  }
  return isTwoByteFinal(next) ? start + 2 : -1;
}

/** After `ESC ]`: `P` and seven hex digits, or `R`, then an optional BEL or ST. */
function paletteEnd(text: string, at: number): number {
  let i: number;
  if (text.charCodeAt(at) === 0x52 /* R */) i = at + 1;
  else if (text.charCodeAt(at) === 0x50 /* P */) {
    for (i = at + 1; i < at + 8; i++) if (!isHexDigit(text.charCodeAt(i))) return -1;
  } else return -1;
  if (text.charCodeAt(i) === BEL) return i + 1;
  const end = stringTerminatorEnd(text, i);
  return end === -1 ? i : end;
}

/** The end of a control string's payload: the first byte that cannot be in one. */
function skipPayload(text: string, at: number, belEnds: boolean): number {
  let i = at;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === CAN || code === SUB || code === ESC || inRange(code, 0x80, 0x9f)) break;
    if (belEnds && code === BEL) break;
  }
  return i;
}

/** The end of an ST (`ESC \` or C1 ST) at `at`, or -1 when there is none. */
function stringTerminatorEnd(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === C1_ST) return at + 1;
  if (code === ESC && text.charCodeAt(at + 1) === BACKSLASH) return at + 2;
  return -1;
}

/**
 * The final bytes of the two-byte escapes that are removed (`ESC 7`, `ESC c`, `ESC =`, …). It
 * leaves out some printable bytes on purpose, so that an ESC before ordinary text is not taken to
 * start a sequence that swallows the text's first character.
 */
function isTwoByteFinal(code: number): boolean {
  return inRange(code, 0x30, 0x39) || // 0-9
    inRange(code, 0x41, 0x50) || // A-P
    inRange(code, 0x52, 0x54) || // R-T
    code === 0x5a || // Z
    code === 0x63 || // c
    inRange(code, 0x66, 0x6f) || // f-o
    inRange(code, 0x71, 0x75) || // q-u
    code === 0x79 || // y
    code === 0x3c || code === 0x3d || code === 0x3e || // < = >
    code === 0x7c || code === 0x7d || code === 0x7e; // | } ~
}

function isHexDigit(code: number): boolean {
  return inRange(code, 0x30, 0x39) || inRange(code, 0x41, 0x46) || inRange(code, 0x61, 0x66);
}

/** `low <= code <= high`; false for NaN, what charCodeAt gives past the end. */
function inRange(code: number, low: number, high: number): boolean {
  return code >= low && code <= high;
}
