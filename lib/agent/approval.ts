/**
 * The three-way tool approval prompt (reference/ollama-run.md §18), dax-style: a pure
 * `render(state)` and `onKey(state, key)`, and one small driver, `askApproval()`, that owns raw
 * mode on the session's terminal (DESIGN.md decision 12: read from the terminal even when stdin
 * is piped) and always restores it in `finally`.
 */
import stringWidth from "string-width";
import { type Key, KeyDecoder } from "../term/keys.ts";
import type { Terminal } from "../term/terminal.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";

import { BOLD, HIDE_CURSOR, RESET, SHOW_CURSOR } from "../term/ansi.ts";

/** The prompt's own greys, as upstream's approval prompt drew them. */
const GREY = "\x1b[90m";
const WHITE = "\x1b[37m";

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
  const { request, style } = state;
  const bold = (t: string) => style ? `${BOLD}${t}${RESET}` : t;
  const grey = (t: string) => style ? `${GREY}${t}${RESET}` : t;
  const lines: string[] = [];
  if (request.outsideWarning) {
    lines.push(`${bold("warning:")} command targets paths outside project`, "");
  }
  lines.push(`Tool: ${request.title}`, ...request.details, "");
  OPTIONS.forEach((label, i) => {
    let text = `${i + 1}. ${label}`;
    let after = "";
    if (i === 1 && request.allowNote) after = ` ${grey(request.allowNote)}`;
    if (i === 2) after = state.reason ? state.reason : grey("(optional reason)");
    if (!style) {
      lines.push(`${i === state.selected ? "> " : "  "}${text}${after}`);
      return;
    }
    text = i === state.selected ? `${BOLD}${text}${RESET}` : `${WHITE}${text}${RESET}`;
    lines.push(`  ${text}${after}`);
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

/** How many terminal rows `lines` take at `columns`. */
function rows(lines: string[], columns: number): number {
  return lines.reduce((n, line) => n + Math.max(1, Math.ceil(stringWidth(line) / columns)), 0);
}

/**
 * Shows the prompt on `terminal` in raw mode until the user decides; then erases it. A closed
 * terminal counts as a denial ("cancelled").
 */
/**
 * The window after the prompt appears in which arriving keys count as typed before it. Keys
 * typed while the model was answering wait in the terminal and would otherwise answer the
 * prompt — a stray `1` would run the command. Deno cannot flush terminal input, so what arrives
 * at once is read and dropped instead (upstream discards pending input the same way).
 */
export const TYPE_AHEAD_MS = 50;

/** A timer that can be cancelled, so no timer outlives the prompt. */
export interface Settle {
  promise: Promise<void>;
  cancel(): void;
}

export function settleAfter(ms: number): () => Settle {
  return () => {
    let id: ReturnType<typeof setTimeout> | undefined;
    const promise = new Promise<void>((resolve) => id = setTimeout(resolve, ms));
    return { promise, cancel: () => clearTimeout(id) };
  };
}

/**
 * Starts reading and drops whatever arrives before the type-ahead window closes; returns the
 * read that is still waiting for the user's first real key.
 */
async function skipTypeAhead(
  terminal: Terminal,
  buffer: Uint8Array,
  settle: () => Settle,
): Promise<Promise<number | null>> {
  let pending = terminal.read(buffer);
  while (true) {
    const window = settle();
    const early = await Promise.race([
      pending.then((n) => ({ n })),
      window.promise.then(() => undefined),
    ]);
    window.cancel();
    if (early === undefined || early.n === null) return pending;
    pending = terminal.read(buffer);
  }
}

export async function askApproval(
  terminal: Terminal,
  request: ApprovalRequest,
  style: boolean,
  /** The type-ahead window; null reads from the first key on (a fake terminal in tests). */
  typeAhead: (() => Settle) | null = settleAfter(TYPE_AHEAD_MS),
): Promise<Decision> {
  const out = terminal.output;
  const safe: ApprovalRequest = {
    ...request,
    details: request.details.flatMap((d) => sanitizeForTerminal(d).split("\n")),
  };
  let state = createApproval(safe, style);
  let drawn = 0;
  const clear = () => drawn > 1 ? `\r\x1b[${drawn - 1}A\x1b[J` : "\r\x1b[J";
  const draw = async () => {
    const lines = render(state);
    const text = lines.join("\r\n");
    await out.write(HIDE_CURSOR + (drawn ? clear() : "") + text);
    drawn = rows(lines, Math.max(1, terminal.columns()));
  };
  const decoder = new KeyDecoder();
  const buffer = new Uint8Array(1024);
  let decision: Decision | undefined;
  try {
    terminal.setRaw(true);
    await draw();
    let first = typeAhead ? await skipTypeAhead(terminal, buffer, typeAhead) : undefined;
    while (decision === undefined) {
      const n = await (first ?? terminal.read(buffer));
      first = undefined;
      if (n === null) {
        decision = { choice: "deny", reason: "cancelled" };
        break;
      }
      for (const key of decoder.push(buffer.subarray(0, n))) {
        const result = onKey(state, key);
        state = result.state;
        if (result.decision) {
          decision = result.decision;
          break;
        }
      }
      if (decision === undefined) await draw();
    }
  } finally {
    try {
      await out.write((drawn ? clear() : "") + SHOW_CURSOR);
    } finally {
      terminal.setRaw(false);
    }
  }
  return decision;
}

/** The line printed once the prompt is gone: `Approved: Bash: ls`. */
export function summaryLine(decision: Decision, short: string, style: boolean): string {
  const label = decision.choice === "once"
    ? "Approved:"
    : decision.choice === "session"
    ? "Always allowed:"
    : "Denied:";
  return `${style ? `${BOLD}${label}${RESET}` : label} ${short}\n`;
}
