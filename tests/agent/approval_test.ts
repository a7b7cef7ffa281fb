/** The approval prompt: exact text after each key, and the raw-mode driver. */
import { assertEquals } from "../support/assert.ts";
import {
  type ApprovalRequest,
  askApproval,
  createApproval,
  onKey,
  render,
  summaryLine,
} from "../../lib/agent/approval.ts";
import type { Key } from "../../lib/term/keys.ts";
import { fakeTerminal } from "../support/fake_terminal.ts";

const request: ApprovalRequest = { title: "Bash", details: ["Command: ls -la"] };
const HINT = "up/down select, enter confirm, 1-3 quick select, ctrl+c cancel";

function plain(keys: Key[]) {
  let state = createApproval(request, false);
  const screens: string[] = [];
  let decision;
  for (const key of keys) {
    const result = onKey(state, key);
    state = result.state;
    decision ??= result.decision;
    screens.push(render(state).join("\n"));
  }
  return { state, screens, decision };
}

Deno.test("approval render handles the plain layout", () => {
  assertEquals(render(createApproval(request, false)), [
    "Tool: Bash",
    "Command: ls -la",
    "",
    "> 1. Execute once",
    "  2. Allow for this session",
    "  3. Deny: (optional reason)",
    "",
    HINT,
  ]);
});

Deno.test("approval render handles the styled layout with a warning and an allow note", () => {
  const state = createApproval({
    ...request,
    outsideWarning: true,
    allowNote: "cat in tools/ directory (includes subdirs)",
  }, true);
  assertEquals(render({ ...state, selected: 1 }), [
    "\x1b[1mwarning:\x1b[0m command targets paths outside project",
    "",
    "Tool: Bash",
    "Command: ls -la",
    "",
    "  \x1b[37m1. Execute once\x1b[0m",
    "  \x1b[1m2. Allow for this session\x1b[0m \x1b[90mcat in tools/ directory (includes subdirs)\x1b[0m",
    "  \x1b[37m3. Deny: \x1b[0m\x1b[90m(optional reason)\x1b[0m",
    "",
    `\x1b[90m${HINT}\x1b[0m`,
  ]);
});

Deno.test("approval onKey handles up/down and Enter", () => {
  const { screens, decision } = plain([
    { type: "down" },
    { type: "down" },
    { type: "down" },
    { type: "up" },
    { type: "enter" },
  ]);
  assertEquals(screens[0].split("\n").slice(3, 6), [
    "  1. Execute once",
    "> 2. Allow for this session",
    "  3. Deny: (optional reason)",
  ]);
  assertEquals(screens[2].split("\n")[5], "> 3. Deny: (optional reason)");
  assertEquals(screens[3].split("\n")[4], "> 2. Allow for this session");
  assertEquals(decision, { choice: "session" });
});

Deno.test("approval onKey handles 1-3 as quick select", () => {
  assertEquals(plain([{ type: "char", text: "1" }]).decision, { choice: "once" });
  assertEquals(plain([{ type: "char", text: "2" }]).decision, { choice: "session" });
  assertEquals(plain([{ type: "char", text: "3" }]).decision, { choice: "deny", reason: "" });
});

Deno.test("approval onKey handles typing a reason, Backspace, Esc and Enter", () => {
  const { screens, decision } = plain([
    { type: "char", text: "n" },
    { type: "char", text: "o" },
    { type: "char", text: "2" },
    { type: "backspace" },
    { type: "escape" },
    { type: "char", text: "n" },
    { type: "char", text: "o" },
    { type: "enter" },
  ]);
  assertEquals(screens[0].split("\n")[5], "> 3. Deny: n");
  assertEquals(screens[2].split("\n")[5], "> 3. Deny: no2");
  assertEquals(screens[3].split("\n")[5], "> 3. Deny: no");
  assertEquals(screens[4].split("\n")[5], "> 3. Deny: (optional reason)");
  assertEquals(decision, { choice: "deny", reason: "no" });
});

Deno.test("approval onKey handles Ctrl+C as a denial with reason cancelled", () => {
  assertEquals(plain([{ type: "ctrl-c" }]).decision, { choice: "deny", reason: "cancelled" });
});

Deno.test("summaryLine handles each decision", () => {
  assertEquals(summaryLine({ choice: "once" }, "Bash: ls", false), "Approved: Bash: ls\n");
  assertEquals(
    summaryLine({ choice: "session" }, "Bash: ls", true),
    "\x1b[1mAlways allowed:\x1b[0m Bash: ls\n",
  );
  assertEquals(
    summaryLine({ choice: "deny", reason: "" }, "Bash: ls", false),
    "Denied: Bash: ls\n",
  );
});

Deno.test("askApproval handles keys from the terminal in raw mode, then restores and erases", async () => {
  const terminal = fakeTerminal(["\x1b[B", "\r"]);
  const decision = await askApproval(terminal, request, false, null);
  assertEquals(decision, { choice: "session" });
  assertEquals(terminal.raw, [true, false]);
  const text = terminal.out.text;
  // Drawn twice (8 lines each), each redraw and the end blank the 8 rows from 7 rows up.
  const blank = "\r\x1b[7A" + "\x1b[2K\x1b[1B".repeat(7) + "\x1b[2K\x1b[7A";
  assertEquals(text.split(blank).length, 3);
  assertEquals(text.endsWith(blank + "\x1b[?25h"), true);
});

Deno.test("askApproval handles a closed terminal as cancelled, still leaving raw mode", async () => {
  const terminal = fakeTerminal([]);
  assertEquals(await askApproval(terminal, request, false, null), {
    choice: "deny",
    reason: "cancelled",
  });
  assertEquals(terminal.raw, [true, false]);
});

Deno.test("askApproval handles a failing read: raw mode is still left", async () => {
  const terminal = fakeTerminal([]);
  terminal.read = () => Promise.reject(new Error("gone"));
  let failed = false;
  try {
    await askApproval(terminal, request, false, null);
  } catch {
    failed = true;
  }
  assertEquals(failed, true);
  assertEquals(terminal.raw, [true, false]);
});

Deno.test("askApproval handles keys typed before the prompt appeared by dropping them", async () => {
  const terminal = fakeTerminal([]);
  // The first read returns at once: a "1" typed while the model was still answering. The user's
  // real answer, "3", only comes once the type-ahead window has closed.
  let closeWindow!: () => void;
  const settle = () => ({ promise: new Promise<void>((r) => closeWindow = r), cancel() {} });
  let reads = 0;
  let answer!: (n: number) => void;
  terminal.read = (buffer) => {
    reads++;
    if (reads === 1) {
      buffer.set(new TextEncoder().encode("1"));
      return Promise.resolve(1);
    }
    return new Promise((resolve) => {
      answer = (n) => {
        buffer.set(new TextEncoder().encode("3"));
        resolve(n);
      };
      // The window closes while this read waits; then the user types.
      queueMicrotask(() => {
        closeWindow();
        setTimeout(() => answer(1), 0);
      });
    });
  };
  const decision = await askApproval(terminal, request, false, settle);
  assertEquals(decision, { choice: "deny", reason: "" });
  assertEquals(reads, 2);
});
