import { assertEquals } from "../support/assert.ts";
import { blank, GREY, LINE, RESET } from "../support/escapes.ts";
import {
  createEditor,
  type EditorEvent,
  type EditorOptions,
  type EditorState,
  onKey,
  render,
  type Screen,
  withWidth,
} from "../../lib/repl/editor.ts";
import { redraw, reflow } from "../../lib/term/screen.ts";
import { type Key, KEY_NAMES, type KeyName } from "../../lib/term/keys.ts";

function editor(options: Partial<EditorOptions> = {}): EditorState {
  return createEditor({
    prompt: ">>> ",
    continuation: "... ",
    placeholder: "Send a message (/? for help)",
    width: 80,
    history: [],
    ...options,
  });
}

/** Strings are typed as char keys; anything else is a key name or a whole key. */
type Input = string | KeyName | Key;
const NAMES = new Set<string>(KEY_NAMES);

function toKey(input: Input): Key {
  if (typeof input !== "string") return input;
  if (NAMES.has(input)) return { type: input as KeyName };
  return { type: "char", text: input };
}

/** Feeds the keys; returns the last state and every event. Literal text: `{type:"char"}`. */
function press(
  state: EditorState,
  ...inputs: Input[]
): { state: EditorState; events: EditorEvent[] } {
  const events: EditorEvent[] = [];
  for (const input of inputs) {
    const result = onKey(state, toKey(input));
    state = result.state;
    if (result.event) events.push(result.event);
  }
  return { state, events };
}

/** Types and returns the screen. */
function screenAfter(state: EditorState, ...inputs: Input[]): Screen {
  return render(press(state, ...inputs).state);
}

function text(state: EditorState): string {
  return state.buffer.join("");
}

const char = (t: string): Key => ({ type: "char", text: t });

Deno.test("render() shows the placeholder in grey when the buffer is empty", () => {
  assertEquals(render(editor()), {
    rows: [`>>> ${GREY}Send a message (/? for help)${RESET}`],
    cursorRow: 0,
    cursorCol: 4,
  });
});

Deno.test("render() hides the placeholder once there is text, and shows it again when empty", () => {
  const typed = press(editor(), "h");
  assertEquals(render(typed.state), { rows: [">>> h"], cursorRow: 0, cursorCol: 5 });
  assertEquals(render(press(typed.state, "backspace").state).rows, [
    `>>> ${GREY}Send a message (/? for help)${RESET}`,
  ]);
});

Deno.test("render() shows only the prompt when the placeholder is empty", () => {
  assertEquals(render(editor({ placeholder: "" })), { rows: [">>> "], cursorRow: 0, cursorCol: 4 });
});

Deno.test("render() cuts a placeholder wider than the row", () => {
  assertEquals(render(editor({ width: 15 })).rows, [`>>> ${GREY}Send a mes${RESET}`]);
});

Deno.test("onKey() handles typing", () => {
  const { state, events } = press(editor(), "hel", "lo");
  assertEquals(events, []);
  assertEquals(render(state), { rows: [">>> hello"], cursorRow: 0, cursorCol: 9 });
});

Deno.test("onKey() handles enter by submitting the text", () => {
  assertEquals(press(editor(), "hi there", "enter").events, [{ type: "submit", text: "hi there" }]);
});

Deno.test("onKey() handles enter on an empty buffer as a submit of the empty string", () => {
  assertEquals(press(editor(), "enter").events, [{ type: "submit", text: "" }]);
});

Deno.test("onKey() handles ctrl-a, home, ctrl-e and end", () => {
  const typed = press(editor(), "abcd").state;
  for (const key of ["ctrl-a", "home"] as const) {
    assertEquals(screenAfter(typed, key), { rows: [">>> abcd"], cursorRow: 0, cursorCol: 4 });
    assertEquals(text(press(typed, key, "X").state), "Xabcd");
  }
  for (const key of ["ctrl-e", "end"] as const) {
    assertEquals(screenAfter(typed, "ctrl-a", key).cursorCol, 8);
    assertEquals(text(press(typed, "ctrl-a", key, "Y").state), "abcdY");
  }
});

Deno.test("onKey() handles ctrl-b, left, ctrl-f and right one character at a time", () => {
  const typed = press(editor(), "abcd").state;
  assertEquals(screenAfter(typed, "left").cursorCol, 7);
  assertEquals(screenAfter(typed, "ctrl-b", "ctrl-b").cursorCol, 6);
  assertEquals(screenAfter(typed, "ctrl-a", "right").cursorCol, 5);
  assertEquals(screenAfter(typed, "ctrl-a", "ctrl-f", "ctrl-f").cursorCol, 6);
  assertEquals(text(press(typed, "left", "left", "X").state), "abXcd");
  // Movement stops at both ends.
  assertEquals(screenAfter(typed, "right").cursorCol, 8);
  assertEquals(screenAfter(typed, "ctrl-a", "left").cursorCol, 4);
});

Deno.test("onKey() handles alt-b and alt-f by words separated by spaces", () => {
  const typed = press(editor(), "foo  bar-baz qux").state;
  assertEquals(text(press(typed, "alt-b", "X").state), "foo  bar-baz Xqux");
  assertEquals(text(press(typed, "alt-b", "alt-b", "X").state), "foo  Xbar-baz qux");
  assertEquals(
    text(press(typed, "alt-b", "alt-b", "alt-b", "alt-b", "X").state),
    "Xfoo  bar-baz qux",
  );
  assertEquals(text(press(typed, "ctrl-a", "alt-f", "X").state), "fooX  bar-baz qux");
  assertEquals(text(press(typed, "ctrl-a", "alt-f", "alt-f", "X").state), "foo  bar-bazX qux");
});

Deno.test("onKey() handles backspace and delete", () => {
  const typed = press(editor(), "abcd", "left", "left").state;
  assertEquals(text(press(typed, "backspace").state), "acd");
  assertEquals(screenAfter(typed, "backspace"), { rows: [">>> acd"], cursorRow: 0, cursorCol: 5 });
  assertEquals(text(press(typed, "delete").state), "abd");
  assertEquals(screenAfter(typed, "delete"), { rows: [">>> abd"], cursorRow: 0, cursorCol: 6 });
  // Nothing to delete at the ends.
  assertEquals(text(press(typed, "ctrl-a", "backspace").state), "abcd");
  assertEquals(text(press(typed, "ctrl-e", "delete").state), "abcd");
});

Deno.test("onKey() handles ctrl-d by deleting under the cursor, eof only when empty", () => {
  const typed = press(editor(), "abc", "ctrl-a");
  const deleted = press(typed.state, "ctrl-d");
  assertEquals(deleted.events, []);
  assertEquals(text(deleted.state), "bc");
  // At the end of a non-empty line there is nothing under the cursor: no eof either.
  assertEquals(press(typed.state, "ctrl-e", "ctrl-d").events, []);
  assertEquals(press(editor(), "ctrl-d").events, [{ type: "eof" }]);
  assertEquals(press(editor(), "x", "backspace", "ctrl-d").events, [{ type: "eof" }]);
  // A lone empty Ctrl+J row is not an empty buffer.
  assertEquals(press(editor(), "ctrl-j", "ctrl-d").events, []);
});

Deno.test("onKey() handles ctrl-k and ctrl-u within the current row", () => {
  const typed = press(editor(), "one two three", "alt-b").state;
  assertEquals(screenAfter(typed, "ctrl-k"), {
    rows: [">>> one two "],
    cursorRow: 0,
    cursorCol: 12,
  });
  assertEquals(screenAfter(typed, "ctrl-u"), { rows: [">>> three"], cursorRow: 0, cursorCol: 4 });
  const rows = press(editor(), "ab", "ctrl-j", "cd", "ctrl-j", "ef", "up", "down").state;
  const middle = press(rows, "left", "left", "left", "left").state; // between c and d
  assertEquals(text(press(middle, "ctrl-k").state), "ab\nc\nef");
  assertEquals(text(press(middle, "ctrl-u").state), "ab\nd\nef");
});

Deno.test("onKey() handles ctrl-w after trailing spaces", () => {
  const { state } = press(editor(), "one two   ", "ctrl-w");
  assertEquals(render(state), { rows: [">>> one "], cursorRow: 0, cursorCol: 8 });
  assertEquals(text(press(state, "ctrl-w").state), "");
});

Deno.test("onKey() handles ctrl-w in the middle of a word", () => {
  assertEquals(text(press(editor(), "one two", "left", "ctrl-w").state), "one o");
});

Deno.test("onKey() handles alt-backspace like ctrl-w", () => {
  assertEquals(text(press(editor(), "one two three", "alt-backspace").state), "one two ");
  assertEquals(text(press(editor(), "a b  ", "alt-backspace").state), "a ");
});

Deno.test("onKey() handles ctrl-w at the start of a row by joining it to the row above", () => {
  assertEquals(text(press(editor(), "ab", "ctrl-j", "ctrl-w").state), "ab");
  assertEquals(text(press(editor(), "ab", "ctrl-j", "cd", "ctrl-w").state), "ab\n");
});

Deno.test("onKey() handles ctrl-l, ctrl-g, ctrl-c and ctrl-z as events that keep the state", () => {
  const typed = press(editor(), "ab", "ctrl-j", "cd").state;
  for (
    const [key, event] of [
      ["ctrl-l", { type: "clear-screen" }],
      ["ctrl-g", { type: "edit", text: "ab\ncd" }],
      ["ctrl-c", { type: "interrupt" }],
      ["ctrl-z", { type: "suspend" }],
    ] as const
  ) {
    const result = onKey(typed, { type: key });
    assertEquals(result.event, event, key);
    assertEquals(result.state, typed, key);
  }
});

Deno.test("onKey() handles tab by inserting 8 spaces", () => {
  const { state } = press(editor(), "a", "tab", "b");
  assertEquals(text(state), "a        b");
  assertEquals(render(state).cursorCol, 14);
});

Deno.test("onKey() ignores escape and unknown keys", () => {
  const typed = press(editor(), "ab").state;
  assertEquals(press(typed, "escape", "unknown"), { state: typed, events: [] });
});

Deno.test("onKey() handles up and down through history, restoring the draft", () => {
  const start = editor({ history: ["first", "second"] });
  const draft = press(start, "my dra", "left").state;
  const up1 = press(draft, "up").state;
  assertEquals(render(up1), { rows: [">>> second"], cursorRow: 0, cursorCol: 10 });
  const up2 = press(up1, "ctrl-p").state;
  assertEquals(text(up2), "first");
  // Past the oldest entry nothing changes.
  assertEquals(text(press(up2, "up").state), "first");
  assertEquals(text(press(up2, "down").state), "second");
  const back = press(up2, "down", "ctrl-n").state;
  assertEquals(text(back), "my dra");
  assertEquals(render(back).cursorCol, 10);
  // Past the draft nothing changes.
  assertEquals(text(press(back, "down").state), "my dra");
  assertEquals(press(up1, "enter").events, [{ type: "submit", text: "second" }]);
});

Deno.test("onKey() handles up with an empty history by doing nothing", () => {
  const typed = press(editor(), "x").state;
  assertEquals(press(typed, "up", "down").state, typed);
});

Deno.test("onKey() handles history entries with newlines as several rows", () => {
  const { state } = press(editor({ history: ["one\ntwo"] }), "up");
  assertEquals(render(state), { rows: [">>> one", "... two"], cursorRow: 1, cursorCol: 7 });
});

Deno.test("onKey() handles ctrl-j by starting a new row with the continuation prompt", () => {
  const { state, events } = press(editor(), "ab", "ctrl-j", "cd");
  assertEquals(events, []);
  assertEquals(render(state), { rows: [">>> ab", "... cd"], cursorRow: 1, cursorCol: 6 });
  assertEquals(press(state, "enter").events, [{ type: "submit", text: "ab\ncd" }]);
});

Deno.test("onKey() handles ctrl-j on an empty buffer", () => {
  const { state } = press(editor(), "ctrl-j");
  assertEquals(render(state), { rows: [">>> ", "... "], cursorRow: 1, cursorCol: 4 });
});

Deno.test("onKey() handles backspace on an empty ctrl-j row by joining the previous row", () => {
  const { state } = press(editor(), "ab", "ctrl-j", "ctrl-j", "backspace");
  assertEquals(render(state), { rows: [">>> ab", "... "], cursorRow: 1, cursorCol: 4 });
  const joined = press(state, "backspace").state;
  assertEquals(render(joined), { rows: [">>> ab"], cursorRow: 0, cursorCol: 6 });
});

Deno.test("onKey() handles left and right across ctrl-j rows", () => {
  const rows = press(editor(), "ab", "ctrl-j", "cd").state;
  assertEquals(screenAfter(rows, "ctrl-a", "left"), {
    rows: [">>> ab", "... cd"],
    cursorRow: 0,
    cursorCol: 6,
  });
  assertEquals(screenAfter(rows, "ctrl-a", "left", "right").cursorRow, 1);
  assertEquals(text(press(rows, "ctrl-a", "left", "delete").state), "abcd");
});

Deno.test("render() measures wide characters in cells", () => {
  const typed = press(editor(), "日本語").state;
  assertEquals(render(typed), { rows: [">>> 日本語"], cursorRow: 0, cursorCol: 10 });
  assertEquals(render(press(typed, "left").state).cursorCol, 8);
  assertEquals(render(press(typed, "ctrl-a", "right").state).cursorCol, 6);
  assertEquals(text(press(typed, "left", "X").state), "日本X語");
  assertEquals(text(press(typed, "backspace").state), "日本");
});

Deno.test("onKey() keeps a combining mark typed separately in one grapheme", () => {
  const { state } = press(editor(), "e", "\u0301", "left", "X");
  assertEquals(text(state), "Xe\u0301");
  assertEquals(render(state).cursorCol, 5);
});

Deno.test("render() wraps input longer than the width onto continuation rows", () => {
  // Width 20: 15 cells of content per row, the last column never used.
  const { state } = press(editor({ width: 20 }), "abcdefghijklmnopqrstuvwxyz0123456789");
  assertEquals(render(state), {
    rows: [">>> abcdefghijklmno", "... pqrstuvwxyz0123", "... 456789"],
    cursorRow: 2,
    cursorCol: 10,
  });
  assertEquals(render(press(state, "ctrl-a").state), {
    ...render(state),
    cursorRow: 0,
    cursorCol: 4,
  });
  // The cursor before "p": the start of the second row, not the end of the first.
  const beforeP = press(state, "ctrl-a", ...Array<Input>(15).fill("right")).state;
  assertEquals(render(beforeP).cursorRow, 1);
  assertEquals(render(beforeP).cursorCol, 4);
});

Deno.test("render() wraps a row filled exactly with the cursor at its end", () => {
  const { state } = press(editor({ width: 20 }), "abcdefghijklmno");
  assertEquals(render(state), { rows: [">>> abcdefghijklmno"], cursorRow: 0, cursorCol: 19 });
  assertEquals(render(press(state, "p").state), {
    rows: [">>> abcdefghijklmno", "... p"],
    cursorRow: 1,
    cursorCol: 5,
  });
});

Deno.test("render() wraps before a wide character instead of splitting it", () => {
  // 15 cells of room: 14 ASCII + a wide char does not fit, so the wide char starts row 2.
  const { state } = press(editor({ width: 20 }), "abcdefghijklmn", "日本");
  assertEquals(render(state), {
    rows: [">>> abcdefghijklmn", "... 日本"],
    cursorRow: 1,
    cursorCol: 8,
  });
  assertEquals(render(press(state, "left", "left").state).cursorRow, 1);
  assertEquals(render(press(state, "left", "left").state).cursorCol, 4);
});

Deno.test("render() wraps each ctrl-j row on its own", () => {
  const { state } = press(editor({ width: 12 }), "abcdefghij", "ctrl-j", "xy");
  assertEquals(render(state), {
    rows: [">>> abcdefg", "... hij", "... xy"],
    cursorRow: 2,
    cursorCol: 6,
  });
});

Deno.test("withWidth() re-wraps the same input", () => {
  const { state } = press(editor({ width: 80 }), "abcdefghijklmnopqrst");
  assertEquals(render(state).rows, [">>> abcdefghijklmnopqrst"]);
  assertEquals(render(withWidth(state, 15)), {
    rows: [">>> abcdefghij", "... klmnopqrst"],
    cursorRow: 1,
    cursorCol: 14,
  });
});

Deno.test("onKey() handles a paste with newlines as rows without submitting", () => {
  const { state, events } = press(editor(), "x", { type: "paste", text: "line one\nline two\n" });
  assertEquals(events, []);
  assertEquals(render(state), {
    rows: [">>> xline one", "... line two", "... "],
    cursorRow: 2,
    cursorCol: 4,
  });
  assertEquals(press(state, "enter").events, [{ type: "submit", text: "xline one\nline two\n" }]);
});

Deno.test("render() draws control characters from a paste visibly and tabs as spaces", () => {
  const { state } = press(editor(), { type: "paste", text: "a\tb\x1b[31m" });
  assertEquals(render(state), { rows: [">>> a        b\u241b[31m"], cursorRow: 0, cursorCol: 19 });
  assertEquals(press(state, "enter").events, [{ type: "submit", text: "a\tb\x1b[31m" }]);
});

Deno.test("createEditor() pre-fills the initial text with the cursor at its end", () => {
  const state = editor({ initial: "from\r\nthe editor" });
  assertEquals(render(state), {
    rows: [">>> from", "... the editor"],
    cursorRow: 1,
    cursorCol: 14,
  });
});

Deno.test("onKey() returns a new state and leaves the old one untouched", () => {
  const before = press(editor(), "abc").state;
  const copy = structuredClone(before);
  press(before, "backspace", "ctrl-a", "X", "ctrl-j", "up");
  assertEquals(before, copy);
});

Deno.test("redraw() without a previous screen draws from the start of the line", () => {
  const screen = render(editor());
  assertEquals(
    redraw(undefined, screen, 80),
    `\r${LINE}>>> ${GREY}Send a message (/? for help)${RESET}\r\x1b[4C`,
  );
});

Deno.test("redraw() leaves the cursor in place when it is at the end of the input", () => {
  const one = render(press(editor(), "a").state);
  assertEquals(redraw(render(editor()), one, 80), `\r${LINE}>>> a`);
  const two = render(press(editor(), "ab").state);
  assertEquals(redraw(one, two, 80), `\r${LINE}>>> ab`);
});

Deno.test("redraw() moves up from the previous cursor row and back to the cursor", () => {
  const previous: Screen = { rows: [">>> ab", "... cd", "... ef"], cursorRow: 1, cursorCol: 5 };
  const next = render(press(editor(), "ab", "ctrl-j", "cd", "ctrl-j", "ef", "up", "down").state);
  assertEquals(redraw(previous, next, 80), `\r\x1b[1A${blank(3)}>>> ab\r\n... cd\r\n... ef`);
  const moved = render(
    press(editor(), "ab", "ctrl-j", "cd", "ctrl-j", "ef", "ctrl-a", "left").state,
  );
  assertEquals(moved.cursorRow, 1);
  assertEquals(redraw(undefined, moved, 80), `\r${LINE}>>> ab\r\n... cd\r\n... ef\x1b[1A\r\x1b[6C`);
});

Deno.test("redraw() moves within the last row when the cursor is not at its end", () => {
  const screen = render(press(editor(), "hello", "ctrl-a").state);
  assertEquals(redraw(screen, screen, 80), `\r${LINE}>>> hello\r\x1b[4C`);
});

Deno.test("redraw() after wrapping uses the wrapped row count", () => {
  const wide = press(editor({ width: 20 }), "abcdefghijklmnopq").state;
  const screen = render(wide);
  assertEquals(screen.cursorRow, 1);
  const next = render(press(wide, "r").state);
  assertEquals(redraw(screen, next, 20), `\r\x1b[1A${blank(2)}>>> abcdefghijklmno\r\n... pqr`);
});

Deno.test("redraw() with a cursor at column 0 of a row does not move right", () => {
  const next: Screen = { rows: ["ab", "cd"], cursorRow: 1, cursorCol: 0 };
  assertEquals(redraw(undefined, next, 80), `\r${LINE}ab\r\ncd\r`);
});

Deno.test("onKey() handles a typed char key with several characters", () => {
  assertEquals(text(press(editor(), char("abc"), "left", char("XY")).state), "abXYc");
});

Deno.test("reflow() follows a terminal that re-wraps rows when it gets narrower", () => {
  const screen: Screen = {
    rows: [">>> abcdefghijklmnopqrstuvwxyz0123", "... second row here"],
    cursorRow: 1,
    cursorCol: 19,
  };
  assertEquals(reflow(screen, 20), {
    rows: [">>> abcdefghijklmnop", "qrstuvwxyz0123", "... second row here"],
    cursorRow: 2,
    cursorCol: 19,
  });
  assertEquals(reflow(screen, 13), {
    rows: [">>> abcdefghi", "jklmnopqrstuv", "wxyz0123", "... second ro", "w here"],
    cursorRow: 4,
    cursorCol: 6,
  });
  // Wider: nothing moves.
  assertEquals(reflow(screen, 80), screen);
});

Deno.test("reflow() keeps the cursor inside a row and moves wide characters whole", () => {
  const screen: Screen = { rows: [">>> ab日本"], cursorRow: 0, cursorCol: 8 };
  assertEquals(reflow(screen, 7), { rows: [">>> ab", "日本"], cursorRow: 1, cursorCol: 2 });
  const placeholder = render(editor());
  assertEquals(reflow(placeholder, 10).cursorRow, 0);
  assertEquals(reflow(placeholder, 10).cursorCol, 4);
  assertEquals(reflow(placeholder, 10).rows[0], ">>> Send a");
});
