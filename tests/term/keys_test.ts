import { assert, assertEquals } from "../support/assert.ts";
import { type Key, KeyDecoder, type KeyName } from "../../lib/term/keys.ts";

const encoder = new TextEncoder();

function bytes(input: string | number[]): Uint8Array {
  return typeof input === "string" ? encoder.encode(input) : new Uint8Array(input);
}

/** Pushes each chunk in turn and collects all keys. */
function decode(...chunks: (string | number[])[]): Key[] {
  const decoder = new KeyDecoder();
  return chunks.flatMap((chunk) => decoder.push(bytes(chunk)));
}

Deno.test("KeyDecoder decodes printable text as one char key", () => {
  assertEquals(decode("hello"), [{ type: "char", text: "hello" }]);
});

Deno.test("KeyDecoder decodes several keys in one read", () => {
  assertEquals(decode("hi\r"), [{ type: "char", text: "hi" }, { type: "enter" }]);
  assertEquals(decode("ab\x1b[Dc\x7f\x03"), [
    { type: "char", text: "ab" },
    { type: "left" },
    { type: "char", text: "c" },
    { type: "backspace" },
    { type: "ctrl-c" },
  ]);
});

Deno.test("KeyDecoder decodes control keys", () => {
  const cases: [number, KeyName][] = [
    [0x01, "ctrl-a"],
    [0x02, "ctrl-b"],
    [0x03, "ctrl-c"],
    [0x04, "ctrl-d"],
    [0x05, "ctrl-e"],
    [0x06, "ctrl-f"],
    [0x07, "ctrl-g"],
    [0x08, "backspace"],
    [0x09, "tab"],
    [0x0a, "ctrl-j"],
    [0x0b, "ctrl-k"],
    [0x0c, "ctrl-l"],
    [0x0d, "enter"],
    [0x0e, "ctrl-n"],
    [0x10, "ctrl-p"],
    [0x15, "ctrl-u"],
    [0x17, "ctrl-w"],
    [0x1a, "ctrl-z"],
    [0x7f, "backspace"],
    [0x00, "unknown"],
    [0x12, "unknown"],
  ];
  for (const [byte, type] of cases) {
    assertEquals(decode([byte]), [{ type }], `byte 0x${byte.toString(16)}`);
  }
});

Deno.test("KeyDecoder decodes escape sequences for movement and editing keys", () => {
  const cases: [string, KeyName][] = [
    ["\x1b[A", "up"],
    ["\x1b[B", "down"],
    ["\x1b[C", "right"],
    ["\x1b[D", "left"],
    ["\x1bOA", "up"],
    ["\x1bOD", "left"],
    ["\x1b[H", "home"],
    ["\x1b[F", "end"],
    ["\x1bOH", "home"],
    ["\x1bOF", "end"],
    ["\x1b[1~", "home"],
    ["\x1b[4~", "end"],
    ["\x1b[7~", "home"],
    ["\x1b[8~", "end"],
    ["\x1b[3~", "delete"],
    ["\x1bb", "alt-b"],
    ["\x1bf", "alt-f"],
    ["\x1b\x7f", "alt-backspace"],
    ["\x1b\x08", "alt-backspace"],
    ["\x1b[1;5D", "alt-b"],
    ["\x1b[1;5C", "alt-f"],
    ["\x1b[1;2A", "up"],
    ["\x1b[5~", "unknown"],
    ["\x1b[Z", "unknown"],
    ["\x1bx", "unknown"],
    ["\x1b[201~", "unknown"],
  ];
  for (const [sequence, type] of cases) {
    assertEquals(decode(sequence), [{ type }], JSON.stringify(sequence));
  }
});

Deno.test("KeyDecoder decodes ESC ESC as escape followed by the next sequence", () => {
  assertEquals(decode("\x1b\x1b[A"), [{ type: "escape" }, { type: "up" }]);
});

Deno.test("KeyDecoder decodes ESC before a control key as escape, keeping the control key", () => {
  assertEquals(decode("\x1b\r"), [{ type: "escape" }, { type: "enter" }]);
  assertEquals(decode("\x1b", "\x03"), [{ type: "escape" }, { type: "ctrl-c" }]);
});

Deno.test("KeyDecoder holds an escape sequence split across pushes", () => {
  const decoder = new KeyDecoder();
  assertEquals(decoder.push(bytes("a\x1b")), [{ type: "char", text: "a" }]);
  assert(decoder.pending);
  assertEquals(decoder.push(bytes("[")), []);
  assertEquals(decoder.push(bytes("3")), []);
  assertEquals(decoder.push(bytes("~b")), [{ type: "delete" }, { type: "char", text: "b" }]);
  assert(!decoder.pending);
});

Deno.test("KeyDecoder holds UTF-8 split across pushes", () => {
  const all = bytes("é日本😀");
  const decoder = new KeyDecoder();
  const keys: Key[] = [];
  for (const b of all) keys.push(...decoder.push(new Uint8Array([b])));
  assertEquals(keys.map((k) => k.type === "char" ? k.text : k.type).join(""), "é日本😀");
  assert(keys.every((k) => k.type === "char"));
});

Deno.test("KeyDecoder turns invalid UTF-8 into the replacement character", () => {
  assertEquals(decode([0xff, 0x61]), [{ type: "char", text: "\ufffda" }]);
  assertEquals(decode([0xe6, 0x61]), [{ type: "char", text: "\ufffda" }]);
});

Deno.test("KeyDecoder does not pass C1 control characters on as text", () => {
  assertEquals(decode("a\u009bb"), [
    { type: "char", text: "a" },
    { type: "unknown" },
    { type: "char", text: "b" },
  ]);
});

Deno.test("KeyDecoder decodes a bracketed paste as one key with newlines normalised", () => {
  assertEquals(decode("x\x1b[200~one\rtwo\r\nthree\nfour\x1b[201~\r"), [
    { type: "char", text: "x" },
    { type: "paste", text: "one\ntwo\nthree\nfour" },
    { type: "enter" },
  ]);
});

Deno.test("KeyDecoder keeps control keys inside a paste as text", () => {
  assertEquals(decode("\x1b[200~a\x03\x1b[Ab\x1b[201~"), [
    { type: "paste", text: "a\x03\x1b[Ab" },
  ]);
});

Deno.test("KeyDecoder decodes a paste split across many pushes, marker and UTF-8 included", () => {
  const decoder = new KeyDecoder();
  const keys: Key[] = [];
  const all = bytes("\x1b[200~日本\r\nline\x1b[201~z");
  // One byte at a time: the start marker, a character and the end marker are all cut.
  for (const b of all) keys.push(...decoder.push(new Uint8Array([b])));
  assertEquals(keys, [{ type: "paste", text: "日本\nline" }, { type: "char", text: "z" }]);
});

Deno.test("KeyDecoder decodes a paste whose end marker straddles two pushes", () => {
  assertEquals(decode("\x1b[200~abc\x1b[2", "01~d"), [
    { type: "paste", text: "abc" },
    { type: "char", text: "d" },
  ]);
  assertEquals(decode("\x1b[200~", "a", "b\x1b", "[201~"), [{ type: "paste", text: "ab" }]);
});

Deno.test("KeyDecoder decodes an empty paste and two pastes in a row", () => {
  assertEquals(decode("\x1b[200~\x1b[201~\x1b[200~b\x1b[201~"), [
    { type: "paste", text: "" },
    { type: "paste", text: "b" },
  ]);
});

Deno.test("KeyDecoder copies held bytes, so a reused read buffer does not corrupt them", () => {
  const decoder = new KeyDecoder();
  const buffer = new Uint8Array(16);
  const feed = (text: string) => {
    const b = bytes(text);
    buffer.set(b);
    return decoder.push(buffer.subarray(0, b.length));
  };
  assertEquals(feed("\x1b[200~abc"), []);
  assertEquals(feed("ZZZZZZZZZ"), []);
  assertEquals(feed("\x1b[201~"), [{ type: "paste", text: "abcZZZZZZZZZ" }]);
  assertEquals(feed("\xc3".slice(0, 1) + "\x1b"), [{ type: "char", text: "Ã" }]);
  assertEquals(feed("[C"), [{ type: "right" }]);
});
