/**
 * Saved conversations: one JSON Lines file per conversation in a private directory, one line
 * per completed turn (docs/conversations.md). A turn is written with a single append and synced
 * to disk before the next prompt, so a process killed at any moment loses at most the turn in
 * flight; a line cut short by such a kill is skipped when reading, never fatal.
 *
 * The directory is created 0700 and each file 0600: conversations are as private as the user's
 * shell history.
 */
import type { Message, Metrics, Options } from "../api/types.ts";
import { CliError } from "../errors.ts";
import type { WireSettings } from "./settings.ts";
import type { RecordFile } from "./streamed_record.ts";

/** The version of the record format, written into every line. */
export const RECORD_VERSION = 1;

/** One completed turn, as one line of a conversation's file. */
export interface TurnRecord {
  v: typeof RECORD_VERSION;
  type: "turn";
  /** When the turn was sent and when it completed (ISO 8601, UTC). */
  started: string;
  at: string;
  model: string;
  /** `repl` for the interactive chat, `run` for a one-shot answer. */
  via: "repl" | "run";
  /**
   * The conversation started over before this turn (`/clear`, `/load` of another model): its
   * `messages` are then the whole conversation, not an addition to the previous turns.
   */
  restart?: true;
  /** The system prompt and `/set parameter` options in force for this turn. */
  system?: string;
  options?: Options;
  settings?: WireSettings;
  /** The messages the turn added: the user's, the assistant's (with thinking), tool calls. */
  messages: Message[];
  metrics?: Metrics;
}

/** One line of `dollama chats`. */
export interface ChatSummary {
  id: string;
  /** The model of the last turn: the one `--continue` matches. */
  model: string;
  turns: number;
  /** When the last turn completed (ISO 8601). */
  lastUsed: string;
  /** The first user message, as typed. */
  firstPrompt: string;
}

/** A conversation rebuilt from its records: what a resumed chat starts from. */
export interface ReplayedChat {
  model: string;
  messages: Message[];
  system?: string;
  options: Options;
}

/** The saved conversations' store, or undefined when there is no place for one. */
export function openChatStore(
  where: { stateHome?: string; localAppData?: string; home?: string },
  os: string,
): ChatStore | undefined {
  const dir = chatsDir(where, os);
  return dir === undefined ? undefined : new ChatStore(dir);
}

/** Where conversations are saved: `$XDG_STATE_HOME/dollama/chats`, `%LOCALAPPDATA%` on Windows. */
export function chatsDir(
  where: { stateHome?: string; localAppData?: string; home?: string },
  os: string,
): string | undefined {
  const trim = (path: string) => path.replace(/[\\/]+$/, "");
  if (os === "windows") {
    if (where.localAppData) return `${trim(where.localAppData)}\\dollama\\chats`;
    return where.home ? `${trim(where.home)}\\AppData\\Local\\dollama\\chats` : undefined;
  }
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  if (where.stateHome?.startsWith("/")) return `${trim(where.stateHome)}/dollama/chats`;
  return where.home ? `${trim(where.home)}/.local/state/dollama/chats` : undefined;
}

/** How many of the ids an ambiguous start matches are named in its error. */
const AMBIGUOUS_SHOWN = 5;

/** Ids are file names; nothing else may reach the file system (`chats rm ../x`). */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `ms` since the epoch as ISO 8601 in UTC, as `Date.prototype.toISOString` writes it for the
 * years 0–9999. Written out because the first `toISOString` costs about 0.8 MB of resident
 * memory (measured in a three-line script against `getUTCFullYear`).
 */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => n < 10 ? `0${n}` : `${n}`;
  const millis = d.getUTCMilliseconds();
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${two(d.getUTCMonth() + 1)}-` +
    `${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:` +
    `${two(d.getUTCSeconds())}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

/** A new conversation's id: its start time (sortable, readable) and a random suffix. */
export function newChatId(now: number, random: () => number = Math.random): string {
  const stamp = isoTime(now).replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = Math.floor(random() * 0x10000).toString(16).padStart(4, "0");
  return `${stamp}-${suffix}`;
}

/** `llama3` and `llama3:latest` are the same model to the server, so to `--continue` too. */
export function sameModel(a: string, b: string): boolean {
  const tagged = (name: string) => {
    const base = name.slice(name.lastIndexOf("/") + 1);
    return (base.includes(":") ? name : `${name}:latest`).toLowerCase();
  };
  return tagged(a) === tagged(b);
}

/** The valid records of a file's text; a corrupt or truncated line is skipped. */
export function parseRecords(text: string): TurnRecord[] {
  const records: TurnRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (isTurnRecord(value)) records.push(value);
  }
  return records;
}

function isTurnRecord(value: unknown): value is TurnRecord {
  if (value === null || typeof value !== "object") return false;
  const r = value as Record<string, unknown>;
  return r.type === "turn" && typeof r.model === "string" && typeof r.at === "string" &&
    Array.isArray(r.messages) &&
    r.messages.every((m) =>
      m !== null && typeof m === "object" && typeof (m as Message).role === "string" &&
      typeof (m as Message).content === "string"
    );
}

/** The conversation as it stood after the last record. */
export function replay(records: readonly TurnRecord[]): ReplayedChat {
  let messages: Message[] = [];
  for (const record of records) {
    if (record.restart) messages = [];
    messages.push(...record.messages);
  }
  const last = records.at(-1);
  return {
    model: last?.model ?? "",
    messages,
    ...(last?.system !== undefined && { system: last.system }),
    options: { ...last?.options },
  };
}

export function summarize(id: string, records: readonly TurnRecord[]): ChatSummary {
  const firstUser = records.flatMap((r) => r.messages).find((m) => m.role === "user");
  return {
    id,
    model: records.at(-1)?.model ?? "",
    turns: records.length,
    lastUsed: records.at(-1)?.at ?? "",
    firstPrompt: firstUser?.content ?? "",
  };
}

export class ChatStore {
  constructor(readonly dir: string) {}

  #path(id: string): string {
    if (!ID_PATTERN.test(id)) throw new CliError(`invalid conversation id '${id}'`);
    return `${this.dir}/${id}.jsonl`;
  }

  /**
   * Appends one record and syncs it to disk; creates the directory and the file privately. The
   * calls are synchronous: this is the last thing a one-shot run does and nothing waits beside
   * it, and each asynchronous file call would cost a trip to a worker thread and back.
   */
  append(id: string, record: TurnRecord): void {
    const path = this.#path(id);
    this.#makeDir();
    const file = Deno.openSync(path, { append: true, create: true, mode: 0o600 });
    try {
      // One write call per record: O_APPEND keeps two processes' lines whole. The record is
      // encoded straight into a buffer large enough for any text (3 bytes per UTF-16 unit),
      // rather than joined to its newline and copied: a fresh buffer's pages cost memory only
      // once written, and a long answer is not held a third time.
      const json = JSON.stringify(record);
      const buffer = new Uint8Array(json.length * 3 + 1);
      const length = new TextEncoder().encodeInto(json, buffer).written;
      buffer[length] = 0x0a;
      const bytes = buffer.subarray(0, length + 1);
      let written = 0;
      while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
      file.syncDataSync();
    } finally {
      file.close();
    }
  }

  /**
   * Creates a new conversation's file, for a record written as its answer streams
   * (lib/chat/streamed_record.ts); fails if the file exists. Only a new conversation's first
   * record is written this way: no other process knows the file, so writing the line in many
   * calls cannot interleave with another's, as appending to a shared file could.
   */
  createNew(id: string): { file: RecordFile; remove(): void } {
    const path = this.#path(id);
    this.#makeDir();
    const file = Deno.openSync(path, { write: true, createNew: true, mode: 0o600 });
    return {
      file,
      remove: () => {
        try {
          file.close();
        } catch {
          // already closed
        }
        try {
          Deno.removeSync(path);
        } catch {
          // gone already, or never ours to remove: reading skips a line cut short anyway
        }
      },
    };
  }

  #makeDir(): void {
    Deno.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // The directory may predate us with a looser mode; conversations stay private either way.
    try {
      Deno.chmodSync(this.dir, 0o700);
    } catch {
      // not ours to change: the files inside are still created 0600
    }
  }

  /** A conversation's valid records, oldest first; an unknown id is an error. */
  async read(id: string): Promise<TurnRecord[]> {
    try {
      return parseRecords(await Deno.readTextFile(this.#path(id)));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) throw notFound(id);
      throw err;
    }
  }

  /** The ids of every saved conversation, in no particular order. */
  async ids(): Promise<string[]> {
    const ids: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.dir)) {
        if (!entry.isFile || !entry.name.endsWith(".jsonl")) continue;
        const id = entry.name.slice(0, -".jsonl".length);
        if (ID_PATTERN.test(id)) ids.push(id);
      }
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return [];
      throw err;
    }
    return ids;
  }

  /** Every conversation with at least one turn, most recently used first. */
  async list(): Promise<ChatSummary[]> {
    const summaries: ChatSummary[] = [];
    for (const id of await this.ids()) {
      const records = await this.read(id).catch(() => []);
      if (records.length > 0) summaries.push(summarize(id, records));
    }
    return summaries.sort((a, b) =>
      a.lastUsed === b.lastUsed ? (a.id < b.id ? 1 : -1) : a.lastUsed < b.lastUsed ? 1 : -1
    );
  }

  /** The newest conversation whose last turn used `model`. */
  async newestWith(model: string): Promise<string | undefined> {
    return (await this.list()).find((s) => sameModel(s.model, model))?.id;
  }

  /** An id as typed: exact, or the start of exactly one id. */
  async resolve(typed: string): Promise<string> {
    if (!ID_PATTERN.test(typed)) throw new CliError(`invalid conversation id '${typed}'`);
    const ids = await this.ids();
    if (ids.includes(typed)) return typed;
    const matches = ids.filter((id) => id.startsWith(typed));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      // A few are enough to show what more to type; all of them could fill the screen.
      const shown = matches.sort().slice(0, AMBIGUOUS_SHOWN).join(", ");
      const more = matches.length > AMBIGUOUS_SHOWN
        ? ` and ${matches.length - AMBIGUOUS_SHOWN} more`
        : "";
      throw new CliError(`conversation id '${typed}' is ambiguous: ${shown}${more}`);
    }
    throw notFound(typed);
  }

  async remove(id: string): Promise<void> {
    try {
      await Deno.remove(this.#path(id));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) throw notFound(id);
      throw err;
    }
  }
}

function notFound(id: string): CliError {
  return new CliError(`conversation '${id}' not found (see dollama chats)`);
}
