/**
 * The chat's input history at `~/.ollama/history`, shared with the official client
 * (docs/repl.md): one entry per line, at most 100, the directory created 0755 and the file 0600.
 * New lines are appended under an exclusive lock, never rewritten from memory, so two chats open
 * at once both keep their lines and a symlinked history file stays a symlink (its target gets
 * the lines). With OLLAMA_NOHISTORY the file is neither read nor written; `/set nohistory` stops
 * saving while the session still remembers what was typed.
 */

export const HISTORY_LIMIT = 100;

export interface HistoryOptions {
  /** `~/.ollama/history`, or undefined when there is no home directory. */
  path?: string;
  /** False with OLLAMA_NOHISTORY: the file is not touched at all. */
  useFile: boolean;
}

export function historyPath(home: string | undefined): string | undefined {
  return home ? `${home.replace(/[\\/]+$/, "")}/.ollama/history` : undefined;
}

/** The entries stored in a history file's text: trimmed lines, blanks skipped, newest last. */
export function parseHistory(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "")
    .slice(-HISTORY_LIMIT);
}

export class History {
  readonly entries: string[] = [];
  /** Whether new entries are written to the file (`/set history` / `/set nohistory`). */
  saving: boolean;
  readonly #path?: string;
  #unwritten: string[] = [];

  private constructor(path: string | undefined, saving: boolean) {
    this.#path = path;
    this.saving = saving;
  }

  static async open(options: HistoryOptions): Promise<History> {
    const history = new History(options.useFile ? options.path : undefined, options.useFile);
    if (history.#path) {
      try {
        history.entries.push(...parseHistory(await Deno.readTextFile(history.#path)));
      } catch {
        // no history yet, or unreadable: start empty rather than refuse to chat
      }
    }
    return history;
  }

  /** Records a submitted line; blank lines are not history. */
  async add(entry: string): Promise<void> {
    if (entry.trim() === "") return;
    this.entries.push(entry);
    if (this.entries.length > HISTORY_LIMIT) {
      this.entries.splice(0, this.entries.length - HISTORY_LIMIT);
    }
    if (!this.#path) return;
    // Lines typed under `/set nohistory` are written once saving is back on, as upstream does.
    this.#unwritten.push(entry);
    if (this.saving) await this.#append();
  }

  async #append(): Promise<void> {
    const path = this.#path!;
    // An entry with newlines becomes several lines, as upstream writes it.
    const lines = this.#unwritten.flatMap((e) => e.split("\n")).map((l) => l.trim())
      .filter(Boolean);
    this.#unwritten = [];
    try {
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o755 });
      // Opening the path follows a symlink, so the link stays and its target gets the lines.
      const file = await Deno.open(path, { read: true, append: true, create: true, mode: 0o600 });
      try {
        // Another chat may be appending or trimming at the same moment.
        await file.lock(true);
        await writeAll(file, new TextEncoder().encode(lines.join("\n") + "\n"));
        await trimToLimit(file);
      } finally {
        file.close();
      }
      await Deno.chmod(path, 0o600).catch(() => {});
    } catch {
      // History is a convenience: a read-only home must not end the chat.
    }
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

/** Keeps the file's last HISTORY_LIMIT lines, rewriting it in place (the lock is held). */
async function trimToLimit(file: Deno.FsFile): Promise<void> {
  await file.seek(0, Deno.SeekMode.Start);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(16384);
  let text = "";
  while (true) {
    const n = await file.read(buffer);
    if (n === null) break;
    text += decoder.decode(buffer.subarray(0, n), { stream: true });
  }
  text += decoder.decode();
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length <= HISTORY_LIMIT) return;
  await file.truncate(0);
  await writeAll(file, new TextEncoder().encode(lines.slice(-HISTORY_LIMIT).join("\n") + "\n"));
}
