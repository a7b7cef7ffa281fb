/**
 * The raw-mode prompt driver: the exact bytes written after each key, and raw mode (and the
 * cursor, and bracketed paste) restored on every way out. Two small prompts stand in for the
 * line editor and the approval prompt: a one-row text field with a visible cursor, and a block
 * of rows with the cursor hidden.
 */
import { assertEquals, assertRejects } from "../support/assert.ts";
import { blank, CLEAR, HIDE, LINE, PASTE_OFF, PASTE_ON, SHOW } from "../support/escapes.ts";
import { ScriptedTerminal, type Step as Read } from "../support/fake_terminal.ts";
import { KeyReader, type Settle } from "../../lib/term/key_reader.ts";
import { type Prompt, runPrompt, type Step } from "../../lib/term/prompt.ts";

/** A text field: `name: <text>`, the cursor after the text. */
type Field = { text: string; width: number };
type FieldStep = Step<Field, string | null>;

function field(options: Partial<Prompt<Field, string | null>> = {}): Prompt<Field, string | null> {
  return {
    state: { text: "", width: 80 },
    render: (s) => ({ rows: [`name: ${s.text}`], cursorRow: 0, cursorCol: 6 + s.text.length }),
    onKey: (s, key): FieldStep => {
      switch (key.type) {
        case "char":
          return { type: "redraw", state: { ...s, text: s.text + key.text } };
        case "enter":
          return { type: "done", state: s, result: s.text, leave: "keep" };
        case "ctrl-c":
          return { type: "done", state: s, result: null, leave: "erase" };
        case "ctrl-l":
          return { type: "clear-screen", state: s };
        default:
          return { type: "redraw", state: s };
      }
    },
    onEnd: (s) => ({ type: "done", state: s, result: null, leave: "keep" }),
    ...options,
  };
}

/** A block of rows with the cursor hidden: a title and a body row that may wrap. */
type Block = { body: string; choice: number };

function block(body: string): Prompt<Block, number> {
  return {
    state: { body, choice: 1 },
    render: (s) => ({ rows: ["Pick one", s.body, `> ${s.choice}`] }),
    onKey: (s, key) => {
      if (key.type === "down") return { type: "redraw", state: { ...s, choice: s.choice + 1 } };
      if (key.type === "enter") return { type: "done", state: s, result: s.choice, leave: "erase" };
      return { type: "redraw", state: s };
    },
    onEnd: (s) => ({ type: "done", state: s, result: 0, leave: "erase" }),
  };
}

function terminal(reads: Read[]): ScriptedTerminal {
  return new ScriptedTerminal(reads);
}

Deno.test("runPrompt writes exactly the expected bytes after each key and keeps the result on screen", async () => {
  const term = terminal(["a", "b", "\r"]);
  assertEquals(await runPrompt(term, field()), "ab");
  assertEquals(term.log, [
    "<raw on>",
    `${HIDE}\r${LINE}name: ${SHOW}`,
    `${HIDE}\r${LINE}name: a${SHOW}`,
    `${HIDE}\r${LINE}name: ab${SHOW}`,
    // Leaving with "keep": drawn once more from the final state, then the cursor goes below.
    `${HIDE}\r${LINE}name: ab${SHOW}`,
    "\r\n",
    SHOW,
    "<raw off>",
  ]);
});

Deno.test("runPrompt turns bracketed paste on after raw mode and off with the cursor at the end", async () => {
  const term = terminal(["\r"]);
  assertEquals(await runPrompt(term, field({ paste: true })), "");
  assertEquals(term.log.slice(0, 2), ["<raw on>", PASTE_ON]);
  assertEquals(term.log.slice(-2), [PASTE_OFF + SHOW, "<raw off>"]);
});

Deno.test("runPrompt moves the cursor back into the row when it is not at the end", async () => {
  const cursorAtStart = field({
    render: (s) => ({ rows: [`name: ${s.text}`], cursorRow: 0, cursorCol: 6 }),
  });
  const term = terminal(["ab", "\r"]);
  await runPrompt(term, cursorAtStart);
  assertEquals(term.log[2], `${HIDE}\r${LINE}name: ab\r\x1b[6C${SHOW}`);
});

Deno.test("runPrompt redraws a hidden-cursor block over the rows it took at the terminal's width", async () => {
  const term = terminal(["\x1b[B", "\r"]);
  term.width = 20;
  // "Pick one" takes 1 row, the 45-cell body 3 rows at 20 columns, "> 1" 1 row: 5 in all, so
  // the cursor ends 4 rows below the top.
  const body = "x".repeat(45);
  assertEquals(await runPrompt(term, block(body)), 2);
  assertEquals(term.log, [
    "<raw on>",
    `${HIDE}\r${LINE}Pick one\r\n${body}\r\n> 1`,
    `${HIDE}\r\x1b[4A${blank(5)}Pick one\r\n${body}\r\n> 2`,
    // Leaving with "erase": back to the top, blank each row; the cursor is shown once, at the end.
    `${HIDE}\r\x1b[4A${blank(5)}`,
    SHOW,
    "<raw off>",
  ]);
});

Deno.test("runPrompt counts a row that fills the width exactly as one row", async () => {
  const term = terminal(["\x1b[B", "\r"]);
  term.width = 20;
  await runPrompt(term, block("y".repeat(20)));
  assertEquals(term.log[2].startsWith(`${HIDE}\r\x1b[2A${blank(3)}Pick one`), true);
});

Deno.test("runPrompt erases a field with a visible cursor and shows the cursor again", async () => {
  const term = terminal(["ab", "\x03"]);
  assertEquals(await runPrompt(term, field()), null);
  assertEquals(term.log.slice(-3), [`${HIDE}\r${LINE}${SHOW}`, SHOW, "<raw off>"]);
});

Deno.test("runPrompt ends at end of input with onEnd's result, raw mode left", async () => {
  const term = terminal(["abc"]);
  assertEquals(await runPrompt(term, field()), null);
  assertEquals(term.log.slice(-4), [`${HIDE}\r${LINE}name: abc${SHOW}`, "\r\n", SHOW, "<raw off>"]);
  assertEquals(term.raw, false);
});

Deno.test("runPrompt leaves raw mode and shows the cursor when a read throws", async () => {
  const term = terminal(["ab", new Error("read failed")]);
  await assertRejects(() => runPrompt(term, field({ paste: true })), /read failed/);
  assertEquals(term.log.slice(-2), [PASTE_OFF + SHOW, "<raw off>"]);
  assertEquals(term.raw, false);
});

Deno.test("runPrompt leaves raw mode when writing fails", async () => {
  const term = terminal(["a", () => term.failWrites = true, "b"]);
  await assertRejects(() => runPrompt(term, field()), /write failed/);
  assertEquals(term.log.at(-1), "<raw off>");
  assertEquals(term.raw, false);
});

Deno.test("runPrompt leaves raw mode when the prompt's own code throws", async () => {
  const term = terminal(["a"]);
  const broken = field({
    onKey: () => {
      throw new Error("bug");
    },
  });
  await assertRejects(() => runPrompt(term, broken), /bug/);
  assertEquals(term.log.slice(-2), [SHOW, "<raw off>"]);
});

Deno.test("runPrompt clears the screen and draws the prompt afresh at its top", async () => {
  const term = terminal(["ab", "\x0c", "\r"]);
  await runPrompt(term, field());
  assertEquals(term.log.slice(3, 5), [CLEAR, `${HIDE}\r${LINE}name: ab${SHOW}`]);
});

Deno.test("runPrompt hands the terminal over in cooked mode, erasing first, then draws afresh", async () => {
  const term = terminal(["ab", "\x07", "\r"]);
  const prompt = field({
    paste: true,
    onKey: (s, key): FieldStep => {
      if (key.type !== "ctrl-g") return field().onKey(s, key);
      return {
        type: "hand-over",
        state: s,
        leave: "erase",
        run: () => {
          term.log.push(term.raw ? "<run in raw mode>" : "<run>");
          return Promise.resolve({ ...s, text: "edited" });
        },
      };
    },
  });
  assertEquals(await runPrompt(term, prompt), "edited");
  const at = term.log.indexOf("<run>");
  assertEquals(term.log.slice(at - 3, at + 4), [
    `${HIDE}\r${LINE}${SHOW}`,
    PASTE_OFF,
    "<raw off>",
    "<run>",
    "<raw on>",
    PASTE_ON,
    `${HIDE}\r${LINE}name: edited${SHOW}`,
  ]);
});

Deno.test("runPrompt hands the terminal over keeping the prompt visible above it", async () => {
  const term = terminal(["ab", "\x1a", "\r"]);
  const prompt = field({
    onKey: (s, key): FieldStep => {
      if (key.type !== "ctrl-z") return field().onKey(s, key);
      return {
        type: "hand-over",
        state: { ...s, text: s.text + "!" },
        leave: "keep",
        run: () => {
          term.log.push("<run>");
          return Promise.resolve(s);
        },
      };
    },
  });
  assertEquals(await runPrompt(term, prompt), "ab");
  const at = term.log.indexOf("<run>");
  assertEquals(term.log.slice(at - 3, at + 3), [
    `${HIDE}\r${LINE}name: ab!${SHOW}`,
    "\r\n",
    "<raw off>",
    "<run>",
    "<raw on>",
    `${HIDE}\r${LINE}name: ab${SHOW}`,
  ]);
});

Deno.test("runPrompt follows a resize: re-wraps what is on screen and redraws at the new width", async () => {
  const widths: number[] = [];
  const term = terminal([
    "abcdefghijklmnopqrst",
    () => {
      term.width = 10;
      term.resize?.();
    },
    "\r",
  ]);
  const prompt = field({
    resize: (s, width) => {
      widths.push(width);
      return { ...s, width };
    },
  });
  assertEquals(await runPrompt(term, prompt), "abcdefghijklmnopqrst");
  assertEquals(widths, [10]);
  // "name: abcdefghijklmnopqrst" (26 cells) is three rows at 10 columns, cursor on the last.
  assertEquals(term.log[3], `${HIDE}\r\x1b[2A${blank(3)}name: abcdefghijklmnopqrst${SHOW}`);
  assertEquals(term.resize, undefined, "resize handler removed");
});

Deno.test("runPrompt draws nothing on a resize while the terminal is handed over", async () => {
  const term = terminal(["a", "\x07", "\r"]);
  const prompt = field({
    resize: (s, width) => ({ ...s, width }),
    render: (s) => ({
      rows: [`${s.width}: ${s.text}`],
      cursorRow: 0,
      cursorCol: 4 + s.text.length,
    }),
    onKey: (s, key): FieldStep => {
      if (key.type !== "ctrl-g") return field().onKey(s, key);
      return {
        type: "hand-over",
        state: s,
        leave: "erase",
        run: () => {
          term.log.push("<run>");
          term.width = 30;
          term.resize?.();
          return Promise.resolve(s);
        },
      };
    },
  });
  await runPrompt(term, prompt);
  const at = term.log.indexOf("<run>");
  // Drawn afresh once it is back, from the state at the new width.
  assertEquals(term.log.slice(at, at + 3), ["<run>", "<raw on>", `${HIDE}\r${LINE}30: a${SHOW}`]);
});

Deno.test("runPrompt drops keys typed before the prompt appeared", async () => {
  let closeWindow!: () => void;
  let windows = 0;
  const settle = (): Settle => {
    windows++;
    return { promise: new Promise<void>((resolve) => closeWindow = resolve), cancel() {} };
  };
  const term = terminal([]);
  let reads = 0;
  term.read = (buffer) => {
    reads++;
    // The first read returns at once: "x\r" typed while the model answered.
    const bytes = new TextEncoder().encode(reads === 1 ? "x\r" : "ok\r");
    if (reads === 1) {
      buffer.set(bytes);
      return Promise.resolve(bytes.length);
    }
    // The second waits: the window closes first, then the user types.
    return new Promise((resolve) => {
      queueMicrotask(() => {
        closeWindow();
        setTimeout(() => {
          buffer.set(bytes);
          resolve(bytes.length);
        }, 0);
      });
    });
  };
  assertEquals(await runPrompt(term, field({ typeAhead: settle })), "ok");
  assertEquals(reads, 2);
  assertEquals(windows, 2);
});

Deno.test("runPrompt leaves keys typed after the decision to a shared reader's next prompt", async () => {
  const term = terminal(["one\rtwo\r"]);
  const keys = new KeyReader(term);
  assertEquals(await runPrompt(term, field(), keys), "one");
  assertEquals(await runPrompt(term, field(), keys), "two");
  assertEquals(term.reads, 1);
});
