/**
 * `dollama chats`: the saved conversations as a table like `list`'s, and one conversation as a
 * transcript in the chat's own layout (`>>> ` before what the user typed).
 */
import type { Message } from "../api/types.ts";
import { humanTime } from "./human.ts";
import { renderTable } from "./table.ts";

/** One saved conversation's line (lib/chat/store.ts makes them). */
export interface ChatRow {
  id: string;
  model: string;
  turns: number;
  /** ISO 8601. */
  lastUsed: string;
  firstPrompt: string;
}

/** What a transcript needs of a saved turn. */
export interface TranscriptTurn {
  restart?: boolean;
  messages: readonly Message[];
}

export const CHATS_HEADER = ["ID", "MODEL", "TURNS", "LAST USED", "FIRST PROMPT"];

/** How much of the first prompt the table shows. */
export const PROMPT_PREVIEW = 40;

/** A prompt as one short line: whitespace runs become one space, the rest is cut with `…`. */
export function promptPreview(prompt: string, limit = PROMPT_PREVIEW): string {
  const line = prompt.replace(/\s+/g, " ").trim();
  const chars = [...line];
  return chars.length <= limit ? line : chars.slice(0, limit - 1).join("") + "…";
}

/** The table of `dollama chats`, rows in the order given (newest first). */
export function formatChats(chats: readonly ChatRow[], now: number): string {
  const rows = chats.map((c) => [
    c.id,
    c.model,
    String(c.turns),
    humanTime(c.lastUsed, now, "Never"),
    promptPreview(c.firstPrompt),
  ]);
  // The preview is already one short line; the table must not wrap it again.
  return renderTable(rows, { header: CHATS_HEADER, wrapWidth: PROMPT_PREVIEW + 1 });
}

/** `dollama chats show ID`: every turn as the chat showed it. */
export function formatTranscript(records: readonly TranscriptTurn[]): string {
  let text = "";
  for (const record of records) {
    if (record.restart) text += "(the conversation started over)\n\n";
    for (const message of record.messages) text += transcriptOf(message);
  }
  return text;
}

function transcriptOf(message: Message): string {
  switch (message.role) {
    case "system":
      return `>>> /set system ${message.content}\n`;
    case "user":
      return `>>> ${message.content}${imagesNote(message)}\n`;
    case "tool":
      return `Tool result${message.tool_name ? ` (${message.tool_name})` : ""}:\n` +
        `${message.content}\n\n`;
    case "assistant": {
      let text = "";
      if (message.thinking) text += `Thinking...\n${message.thinking}\n...done thinking.\n\n`;
      if (message.content) text += `${message.content}\n\n`;
      for (const call of message.tool_calls ?? []) {
        text += `Tool call: ${call.function.name}(${JSON.stringify(call.function.arguments)})\n\n`;
      }
      return text;
    }
  }
}

function imagesNote(message: Message): string {
  const count = message.images?.length ?? 0;
  return count === 0 ? "" : ` [${count} attachment${count === 1 ? "" : "s"}]`;
}
