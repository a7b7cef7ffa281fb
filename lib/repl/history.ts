/**
 * The chat's input history at `~/.ollama/history`, shared with the official client
 * (reference/ollama-run.md §14.3, DESIGN.md decision 9): one entry per line, at most 100, the
 * directory created 0755 and the file 0600, rewritten through `history.tmp` and a rename after
 * every entry. With OLLAMA_NOHISTORY the file is neither read nor written; `/set nohistory`
 * stops saving while the session still remembers what was typed.
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
    if (this.saving) await this.#save();
  }

  async #save(): Promise<void> {
    if (!this.#path) return;
    const dir = this.#path.slice(0, this.#path.lastIndexOf("/"));
    const tmp = `${dir}/history.tmp`;
    // An entry with newlines becomes several lines, as upstream writes it.
    const lines = this.entries.flatMap((e) => e.split("\n")).map((l) => l.trim()).filter(Boolean);
    try {
      await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
      await Deno.writeTextFile(tmp, lines.slice(-HISTORY_LIMIT).join("\n") + "\n", { mode: 0o600 });
      await Deno.chmod(tmp, 0o600).catch(() => {});
      await Deno.rename(tmp, this.#path);
    } catch {
      // History is a convenience: a read-only home must not end the chat.
    }
  }
}
