/**
 * The three-way tool approval prompt (docs/agent.md): a pure `render(state)` and
 * `onKey(state, key)`, run by the raw-mode prompt driver (lib/term/prompt.ts) on the session's
 * terminal, which is read even when stdin is piped. The driver restores the terminal on every
 * way out.
 */
import type { Key } from "../term/keys.ts";
import type { Terminal } from "../term/terminal.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";
import { type Settle, settleAfter } from "../term/key_reader.ts";
import { runPrompt } from "../term/prompt.ts";
import { styleIf } from "../term/style.ts";

export { type Settle, settleAfter };

export interface ApprovalRequest {
  /** Display name: `Bash`, `Web Search`, `Web Fetch`. */
  title: string;
  /** Lines describing the call: `Command: ls`, `Query: q`, `Uses internet via ollama.com`. */
  details: string[];
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
}

export type Decision =
  | { choice: "once" }
  | { choice: "session" }
  | { choice: "deny"; reason: string };

export function createApproval(request: ApprovalRequest, style: boolean): ApprovalState {
  return { request, selected: 0, reason: "", style };
}

const OPTIONS = ["Execute once", "Allow for this session", "Deny: "] as const;

/** The prompt's lines, without line endings. */
export function render(state: ApprovalState): string[] {
  const { request } = state;
  const style = styleIf(state.style);
  const bold = style.bold;
  const grey = style.darkGrey;
  const lines: string[] = [];
  if (request.outsideWarning) {
    lines.push(`${bold("warning:")} command targets paths outside project`, "");
  }
  lines.push(`Tool: ${request.title}`, ...request.details, "");
  OPTIONS.forEach((label, i) => {
    const text = `${i + 1}. ${label}`;
    let after = "";
    if (i === 1 && request.allowNote) after = ` ${grey(request.allowNote)}`;
    if (i === 2) after = state.reason ? state.reason : grey("(optional reason)");
    if (!style.enabled) {
      lines.push(`${i === state.selected ? "> " : "  "}${text}${after}`);
      return;
    }
    lines.push(`  ${i === state.selected ? bold(text) : style.white(text)}${after}`);
  });
  lines.push("", grey("up/down select, enter confirm, 1-3 quick select, ctrl+c cancel"));
  return lines;
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
  const safe: ApprovalRequest = {
    ...request,
    details: request.details.flatMap((d) => sanitizeForTerminal(d).split("\n")),
  };
  return await runPrompt<ApprovalState, Decision>(terminal, {
    state: createApproval(safe, style),
    render: (state) => ({ rows: render(state) }),
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
