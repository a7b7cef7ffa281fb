/**
 * The three-way tool approval prompt (docs/agent.md): a pure `render(state)` and
 * `onKey(state, key)`, run by the raw-mode prompt driver (lib/term/prompt.ts) on the session's
 * terminal, which is read even when stdin is piped. The driver restores the terminal on every
 * way out.
 */
import type { Key } from "../term/keys.ts";
import type { Terminal } from "../term/terminal.ts";
import { type Settle, settleAfter } from "../term/key_reader.ts";
import { runPrompt } from "../term/prompt.ts";
import { rowsTaken } from "../term/screen.ts";
import { styleIf } from "../term/style.ts";
import { commandRows, visibleLines } from "./command_display.ts";

export { type Settle, settleAfter };

export interface ApprovalRequest {
  /** Display name: `Bash`, `Web Search`, `Web Fetch`. */
  title: string;
  /**
   * Lines describing the call: `Query: q`, `Uses internet via ollama.com`. Without a command the
   * first is the call's subject, shown like a command (made visible, shortened, `v` to view).
   */
  details: string[];
  /**
   * A bash command, shown after `Command: ` with every invisible character made visible, wrapped,
   * and shortened when the screen is too small for it and the options together.
   */
  command?: string;
  /** Why yolo mode could not run the command without asking (`cannot verify: eval`). */
  yoloReason?: string;
  /** Show `warning: command targets paths outside project`. */
  outsideWarning?: boolean;
  /** Grey note beside "Allow for this session", e.g. `cat in tools/ directory (includes subdirs)`. */
  allowNote?: string;
}

export interface ApprovalState {
  request: ApprovalRequest;
  /** 0 execute once, 1 allow for this session, 2 deny. */
  selected: 0 | 1 | 2;
  reason: string;
  /** Bold, grey and white may be used; otherwise the selection is marked with `>`. */
  style: boolean;
  /** The terminal's size: the prompt never draws more rows than fit. */
  columns: number;
  rows: number;
  /** Viewing the whole command (`v`), scrolled to this row; the options are hidden meanwhile. */
  view?: number;
}

export type Decision =
  | { choice: "once" }
  | { choice: "session" }
  | { choice: "deny"; reason: string };

export function createApproval(
  request: ApprovalRequest,
  style: boolean,
  size: { columns: number; rows: number } = { columns: 80, rows: 24 },
): ApprovalState {
  return { request, selected: 0, reason: "", style, ...size };
}

const OPTIONS = ["Execute once", "Allow for this session", "Deny: "] as const;
const PREFIX = "Command: ";
const INDENT = " ".repeat(PREFIX.length);

/** The prompt's lines, without line endings. */
export function render(state: ApprovalState): string[] {
  return state.view === undefined ? layout(state).lines : viewLines(state).lines;
}

/**
 * What the prompt shows as the call's subject, at `width` columns: a bash command, or else the
 * first detail (a web call's `URL: …` or `Query: …`), which comes from the model just the same
 * and so is made visible and shortened the same way.
 */
function subjectRows(request: ApprovalRequest, width: number): string[] {
  if (request.command !== undefined) return commandRows(request.command, width);
  return request.details.length ? commandRows(request.details[0], width) : [];
}

/** The details that are not the subject, each on one visible line. */
function otherDetails(request: ApprovalRequest): string[] {
  const rest = request.command !== undefined ? request.details : request.details.slice(1);
  return rest.map((d) => visibleLines(d).join(""));
}

/**
 * The prompt with its options, and how many of the subject's rows did not fit. The subject's
 * first row is always drawn with the options: a command or URL padded with newlines or spaces
 * cannot push itself off screen and leave only the options and its harmless tail in view.
 */
function layout(state: ApprovalState): { lines: string[]; hidden: number } {
  const { request } = state;
  const style = styleIf(state.style);
  const bold = style.bold;
  const grey = style.darkGrey;
  const head: string[] = [];
  if (request.outsideWarning) {
    head.push(`${bold("warning:")} command targets paths outside project`, "");
  }
  head.push(`Tool: ${request.title}`);
  const tail: string[] = [];
  if (request.yoloReason !== undefined) tail.push(`${bold("yolo:")} asking, ${request.yoloReason}`);
  tail.push(...otherDetails(request), "");
  OPTIONS.forEach((label, i) => {
    const text = `${i + 1}. ${label}`;
    let after = "";
    if (i === 1 && request.allowNote) after = ` ${grey(request.allowNote)}`;
    if (i === 2) after = state.reason ? state.reason : grey("(optional reason)");
    if (!style.enabled) {
      tail.push(`${i === state.selected ? "> " : "  "}${text}${after}`);
      return;
    }
    tail.push(`  ${i === state.selected ? bold(text) : style.white(text)}${after}`);
  });
  tail.push("", grey("up/down select, enter confirm, 1-3 quick select, ctrl+c cancel"));

  const isCommand = request.command !== undefined;
  const indent = isCommand ? INDENT : "";
  const rows = subjectRows(request, Math.max(10, state.columns - indent.length));
  const fixed = [...head, ...tail].reduce((n, row) => n + rowsTaken(row, state.columns), 0);
  // One screen row stays free: the cursor rests below the prompt's last row.
  const room = Math.max(2, state.rows - fixed - 1);
  let shown = rows;
  const more: string[] = [];
  if (rows.length > room) {
    shown = rows.slice(0, room - 1);
    const hidden = rows.length - shown.length;
    more.push(indent + grey(`(${hidden} more lines — press v to view all)`));
  }
  const subject = shown.map((row, i) => (i === 0 && isCommand ? PREFIX : indent) + row);
  return { lines: [...head, ...subject, ...more, ...tail], hidden: rows.length - shown.length };
}

/** The whole command, a screenful at a time, with the options hidden (`v`). */
function viewLines(state: ApprovalState): { lines: string[]; top: number; page: number } {
  const grey = styleIf(state.style).darkGrey;
  const rows = subjectRows(state.request, state.columns);
  const page = Math.max(1, state.rows - 3);
  const top = Math.max(0, Math.min(state.view ?? 0, rows.length - page));
  const last = Math.min(rows.length, top + page);
  const what = state.request.command !== undefined ? "Command" : "Details";
  return {
    lines: [
      `${what}, rows ${top + 1}-${last} of ${rows.length}:`,
      ...rows.slice(top, last),
      grey("up/down scroll, space next page, v back to the options"),
    ],
    top,
    page,
  };
}

/**
 * Keys while the whole command is shown: scrolling, and back to the options with `v` or `q`.
 * Enter and Esc do nothing here: a lone Esc is only decoded with the key after it, and Esc then
 * Enter must not go back and confirm in one go.
 */
function onViewKey(state: ApprovalState, key: Key): { state: ApprovalState; decision?: Decision } {
  const { top, page } = viewLines(state);
  switch (key.type) {
    case "up":
      return { state: { ...state, view: Math.max(0, top - 1) } };
    case "down":
      return { state: { ...state, view: top + 1 } };
    case "char":
      if (key.text === " ") return { state: { ...state, view: top + page } };
      if (key.text === "v" || key.text === "q") return { state: { ...state, view: undefined } };
      return { state };
    case "ctrl-c":
      return {
        state: { ...state, view: undefined, selected: 2, reason: "cancelled" },
        decision: { choice: "deny", reason: "cancelled" },
      };
    default:
      return { state };
  }
}

function decide(state: ApprovalState, selected: 0 | 1 | 2): Decision {
  if (selected === 0) return { choice: "once" };
  if (selected === 1) return { choice: "session" };
  return { choice: "deny", reason: state.reason };
}

/** One key: the next state, and a decision once the user made one. */
export function onKey(
  state: ApprovalState,
  key: Key,
): { state: ApprovalState; decision?: Decision } {
  if (state.view !== undefined) return onViewKey(state, key);
  if (
    key.type === "char" && key.text === "v" && state.reason === "" && layout(state).hidden > 0
  ) {
    return { state: { ...state, view: 0 } };
  }
  switch (key.type) {
    case "up":
      return { state: { ...state, selected: Math.max(0, state.selected - 1) as 0 | 1 | 2 } };
    case "down":
      return { state: { ...state, selected: Math.min(2, state.selected + 1) as 0 | 1 | 2 } };
    case "enter":
      return { state, decision: decide(state, state.selected) };
    case "ctrl-c":
      return {
        state: { ...state, selected: 2, reason: "cancelled" },
        decision: { choice: "deny", reason: "cancelled" },
      };
    case "escape":
      return { state: { ...state, reason: "" } };
    case "backspace":
      return { state: { ...state, reason: [...state.reason].slice(0, -1).join("") } };
    case "char":
    case "paste": {
      if (key.type === "char" && state.reason === "" && /^[1-3]$/.test(key.text)) {
        const selected = (Number(key.text) - 1) as 0 | 1 | 2;
        return { state: { ...state, selected }, decision: decide(state, selected) };
      }
      const text = key.text.replace(/[\r\n\t]+/g, " ").replace(/\p{Cc}/gu, "");
      if (text === "") return { state };
      return { state: { ...state, selected: 2, reason: state.reason + text } };
    }
    default:
      return { state };
  }
}

/**
 * The window after the prompt appears in which arriving keys count as typed before it. Keys
 * typed while the model was answering wait in the terminal and would otherwise answer the
 * prompt — a stray `1` would run the command.
 */
export const TYPE_AHEAD_MS = 50;

/**
 * Shows the prompt on `terminal` in raw mode until the user decides; then erases it. A closed
 * terminal counts as a denial ("cancelled").
 */
export async function askApproval(
  terminal: Terminal,
  request: ApprovalRequest,
  style: boolean,
  /** The type-ahead window; null reads from the first key on (a fake terminal in tests). */
  typeAhead: (() => Settle) | null = settleAfter(TYPE_AHEAD_MS),
): Promise<Decision> {
  // Everything here may come from the model; the command and the details are made visible by
  // the layout itself (a detail is not split at its newlines: that would hide them).
  const oneLine = (text: string) => visibleLines(text).join("");
  const safe: ApprovalRequest = {
    ...request,
    ...(request.yoloReason !== undefined && { yoloReason: oneLine(request.yoloReason) }),
    ...(request.allowNote !== undefined && { allowNote: oneLine(request.allowNote) }),
  };
  const rows = () => terminal.rows?.() ?? 24;
  return await runPrompt<ApprovalState, Decision>(terminal, {
    state: createApproval(safe, style, { columns: terminal.columns(), rows: rows() }),
    render: (state) => ({ rows: render(state) }),
    resize: (state, columns) => ({ ...state, columns, rows: rows() }),
    onKey: (state, key) => {
      const result = onKey(state, key);
      if (result.decision === undefined) return { type: "redraw", state: result.state };
      return { type: "done", state: result.state, result: result.decision, leave: "erase" };
    },
    onEnd: (state) => ({
      type: "done",
      state,
      result: { choice: "deny", reason: "cancelled" },
      leave: "erase",
    }),
    typeAhead: typeAhead ?? undefined,
  });
}

/** The line printed once the prompt is gone: `Approved: Bash: ls`. */
export function summaryLine(decision: Decision, short: string, style: boolean): string {
  const label = decision.choice === "once"
    ? "Approved:"
    : decision.choice === "session"
    ? "Always allowed:"
    : "Denied:";
  return `${styleIf(style).bold(label)} ${short}\n`;
}
