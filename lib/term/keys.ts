/**
 * Turns the bytes a terminal sends in raw mode into keys.
 *
 * One `read()` may hold several keys (tmux delivers `hello\r` at once), and one key may be cut in
 * two by the read boundary (a UTF-8 character, an escape sequence, a long bracketed paste), so
 * the decoder keeps whatever it cannot finish yet and completes it on the next `push()`.
 */
import { joinBytes } from "../bytes.ts";

/** Every named key the decoder reports; anything with text is a `char` or a `paste`. */
export const KEY_NAMES = [
  "enter",
  "ctrl-j",
  "backspace",
  "delete",
  "left",
  "right",
  "up",
  "down",
  "home",
  "end",
  "ctrl-a",
  "ctrl-e",
  "ctrl-b",
  "ctrl-f",
  "ctrl-p",
  "ctrl-n",
  "ctrl-k",
  "ctrl-u",
  "ctrl-w",
  "alt-backspace",
  "alt-b",
  "alt-f",
  "ctrl-l",
  "ctrl-g",
  "ctrl-c",
  "ctrl-d",
  "ctrl-z",
  "tab",
  "escape",
  "unknown",
] as const;

export type KeyName = (typeof KEY_NAMES)[number];

export type Key = { type: "char"; text: string } | { type: "paste"; text: string } | {
  type: KeyName;
};

const ESC = 0x1b;

/** Single control bytes. Anything else below 0x20 is `unknown`. */
const CONTROL: Record<number, KeyName> = {
  0x01: "ctrl-a",
  0x02: "ctrl-b",
  0x03: "ctrl-c",
  0x04: "ctrl-d",
  0x05: "ctrl-e",
  0x06: "ctrl-f",
  0x07: "ctrl-g",
  0x08: "backspace", // Ctrl+H, what some terminals send for Backspace
  0x09: "tab",
  0x0a: "ctrl-j",
  0x0b: "ctrl-k",
  0x0c: "ctrl-l",
  0x0d: "enter",
  0x0e: "ctrl-n",
  0x10: "ctrl-p",
  0x15: "ctrl-u",
  0x17: "ctrl-w",
  0x1a: "ctrl-z",
  0x7f: "backspace",
};

/** Final bytes of `ESC [ … X` and `ESC O X` that name a key by letter. */
const LETTER_FINAL: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
};

/** `ESC [ n ~` keys (VT220 style, as xterm, tmux and the Linux console send them). */
const TILDE: Record<string, KeyName> = {
  "1": "home",
  "7": "home",
  "4": "end",
  "8": "end",
  "3": "delete",
};

const PASTE_START = "200";
const PASTE_END = new Uint8Array([ESC, 0x5b, 0x32, 0x30, 0x31, 0x7e]); // ESC [ 2 0 1 ~

/** How many bytes the UTF-8 sequence starting with `lead` has; 0 when `lead` cannot start one. */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = Math.max(0, from); i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The last `n` bytes of `chunks` taken together (fewer if there are not that many). */
function lastBytes(chunks: Uint8Array[], n: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let need = n;
  for (let i = chunks.length - 1; i >= 0 && need > 0; i--) {
    const c = chunks[i];
    parts.unshift(c.subarray(Math.max(0, c.length - need)));
    need -= Math.min(need, c.length);
  }
  return joinBytes(parts);
}

/** Inside a paste CR is how the terminal sends a line break; the editor wants "\n". */
function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

export class KeyDecoder {
  /** Bytes of a key not complete at the end of the last push. */
  #pending: Uint8Array = new Uint8Array(0);
  /** Bytes of a bracketed paste whose end marker has not arrived yet; undefined outside one. */
  #paste: Uint8Array[] | undefined;
  #utf8 = new TextDecoder();

  /** True while bytes are held back waiting for the rest of a key or paste. */
  get pending(): boolean {
    return this.#pending.length > 0 || this.#paste !== undefined;
  }

  push(bytes: Uint8Array): Key[] {
    const keys: Key[] = [];
    let data = concat(this.#pending, bytes);
    this.#pending = new Uint8Array(0);
    if (this.#paste !== undefined) {
      data = this.#continuePaste(data, keys);
      if (this.#paste !== undefined) return keys;
    }
    let i = 0;
    let chars = "";
    const flushChars = () => {
      if (chars !== "") keys.push({ type: "char", text: chars });
      chars = "";
    };
    while (i < data.length) {
      const b = data[i];
      if (b === ESC) {
        const seq = this.#escape(data, i);
        if (seq === undefined) {
          // Incomplete: keep it for the next push.
          this.#pending = data.slice(i);
          break;
        }
        flushChars();
        i = seq.end;
        if (seq.key === "paste-start") {
          this.#paste = [];
          const rest = this.#continuePaste(data.subarray(i), keys);
          if (this.#paste !== undefined) return keys;
          data = rest;
          i = 0;
          continue;
        }
        keys.push({ type: seq.key });
        continue;
      }
      if (b < 0x20 || b === 0x7f) {
        flushChars();
        keys.push({ type: CONTROL[b] ?? "unknown" });
        i++;
        continue;
      }
      if (b < 0x80) {
        chars += String.fromCharCode(b);
        i++;
        continue;
      }
      const length = utf8Length(b);
      if (length === 0) {
        chars += "\ufffd";
        i++;
        continue;
      }
      let end = i + 1;
      while (end < data.length && end < i + length && (data[end] & 0xc0) === 0x80) end++;
      if (end === data.length && end < i + length) {
        this.#pending = data.slice(i);
        break;
      }
      if (end < i + length) {
        // A lead byte without enough continuation bytes: show it as broken, keep the rest.
        chars += "\ufffd";
        i = end;
        continue;
      }
      const text = this.#utf8.decode(data.subarray(i, end));
      i = end;
      const code = text.codePointAt(0) ?? 0;
      if (code >= 0x80 && code <= 0x9f) {
        // C1 controls: some terminals act on them, so they never reach the buffer.
        flushChars();
        keys.push({ type: "unknown" });
        continue;
      }
      chars += text;
    }
    flushChars();
    return keys;
  }

  /**
   * Adds `data` to the paste being collected. When the end marker is found, emits the paste
   * key and returns the bytes after the marker; otherwise keeps everything and returns nothing.
   */
  #continuePaste(data: Uint8Array, keys: Key[]): Uint8Array {
    const chunks = this.#paste ?? [];
    // The marker may straddle the previous push, so search from the last few bytes kept.
    const tail = lastBytes(chunks, PASTE_END.length - 1);
    const at = indexOfBytes(concat(tail, data), PASTE_END, 0);
    if (at < 0) {
      // Copy: `data` may be a view of the caller's read buffer, which is reused.
      chunks.push(data.slice());
      this.#paste = chunks;
      return new Uint8Array(0);
    }
    this.#paste = undefined;
    const cut = at - tail.length; // where the marker starts in `data`; negative: in `chunks`
    let body = joinBytes(chunks);
    body = cut >= 0 ? concat(body, data.subarray(0, cut)) : body.subarray(0, body.length + cut);
    keys.push({ type: "paste", text: normalizeNewlines(this.#utf8.decode(body)) });
    return data.subarray(cut + PASTE_END.length);
  }

  /**
   * Decodes the escape sequence at `data[start]` (an ESC). Returns undefined when the bytes end
   * before the sequence does.
   */
  #escape(
    data: Uint8Array,
    start: number,
  ): { key: KeyName | "paste-start"; end: number } | undefined {
    if (start + 1 >= data.length) return undefined;
    const next = data[start + 1];
    if (next === 0x5b /* [ */) {
      // CSI: parameter bytes 0x30–0x3f, intermediate bytes 0x20–0x2f, one final byte 0x40–0x7e.
      let j = start + 2;
      while (j < data.length && data[j] >= 0x20 && data[j] <= 0x3f) j++;
      if (j >= data.length) return undefined;
      const final = data[j];
      const params = String.fromCharCode(...data.subarray(start + 2, j));
      const end = j + 1;
      if (final < 0x40 || final > 0x7e) return { key: "unknown", end: j };
      return { key: csiKey(params, String.fromCharCode(final)), end };
    }
    if (next === 0x4f /* O */) {
      // SS3: what arrow keys send in the terminal's application cursor mode.
      if (start + 2 >= data.length) return undefined;
      return {
        key: LETTER_FINAL[String.fromCharCode(data[start + 2])] ?? "unknown",
        end: start + 3,
      };
    }
    // ESC + key is how terminals send Alt+key.
    if (next === 0x62 /* b */) return { key: "alt-b", end: start + 2 };
    if (next === 0x66 /* f */) return { key: "alt-f", end: start + 2 };
    if (next === 0x7f || next === 0x08) return { key: "alt-backspace", end: start + 2 };
    // ESC before a control byte (ESC itself, Enter, Ctrl+C…) is a lone Escape key press; the
    // control byte keeps its meaning, so Escape then Enter still submits.
    if (next === ESC || next < 0x20) return { key: "escape", end: start + 1 };
    // Any other Alt+key has no binding; swallowing both keeps the letter out of the buffer.
    if (next < 0x80) return { key: "unknown", end: start + 2 };
    // Alt + a non-ASCII character: drop the ESC, let the character be decoded on its own.
    return { key: "unknown", end: start + 1 };
  }
}

function csiKey(params: string, final: string): KeyName | "paste-start" {
  if (final === "~") {
    const [code, modifier] = params.split(";");
    if (code === PASTE_START && modifier === undefined) return "paste-start";
    return TILDE[code] ?? "unknown";
  }
  const name = LETTER_FINAL[final];
  if (name === undefined) return "unknown";
  // `ESC[1;5D` (Ctrl+←) and `ESC[1;3D` (Alt+←) move by words in most line editors.
  const modifier = params.split(";")[1];
  if (modifier === "3" || modifier === "5") {
    if (name === "left") return "alt-b";
    if (name === "right") return "alt-f";
  }
  return name;
}
