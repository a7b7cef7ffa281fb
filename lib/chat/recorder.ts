/**
 * Saves a conversation as it happens: after each completed turn, the messages added since the
 * last save become one record (lib/chat/store.ts). The REPL and one-shot runs only call
 * `turnDone`; when saving is off (OLLAMA_NOHISTORY, `--nohistory`) there is no store and
 * nothing is written.
 */
import { osReason } from "../errors.ts";
import type { Metrics } from "../api/types.ts";
import type { Conversation } from "./conversation.ts";
import type { WireSettings } from "./settings.ts";
import { type ChatStore, newChatId, RECORD_VERSION, type TurnRecord } from "./store.ts";

export interface RecorderOptions {
  /** Undefined when saving is off. */
  store?: ChatStore;
  /** The conversation's id when it continues a saved one; a new one is made on first save. */
  id?: string;
  via: TurnRecord["via"];
  now: () => number;
  /** Told once when a save fails: saving is a safety net and must not end the chat. */
  warn: (text: string) => Promise<void>;
}

export interface CompletedTurn {
  model: string;
  settings: WireSettings;
  /** When the turn was sent (ms since the epoch). */
  started: number;
  metrics?: Metrics;
}

export class ChatRecorder {
  readonly #options: RecorderOptions;
  #id?: string;
  /** How many of the conversation's messages the file already has, and in which epoch. */
  #savedUpTo = 0;
  #epoch?: number;
  #warned = false;

  constructor(options: RecorderOptions) {
    this.#options = options;
    this.#id = options.id;
  }

  /** The conversation's id, once it has one. */
  get id(): string | undefined {
    return this.#id;
  }

  /** Everything in `conversation` now is already saved (a new chat, or a resumed one). */
  markSaved(conversation: Conversation): void {
    this.#savedUpTo = conversation.messages.length;
    this.#epoch = conversation.epoch;
  }

  /** Appends the turn that just completed: everything added to `conversation` since the last. */
  async turnDone(conversation: Conversation, turn: CompletedTurn): Promise<void> {
    const { store, via, now } = this.#options;
    if (!store) return;
    const all = conversation.messages;
    // Replaced wholesale since the last save (/clear, /load): the record restarts the chat.
    const restart = this.#epoch !== undefined &&
      (conversation.epoch !== this.#epoch || this.#savedUpTo > all.length);
    const record: TurnRecord = {
      v: RECORD_VERSION,
      type: "turn",
      started: new Date(turn.started).toISOString(),
      at: new Date(now()).toISOString(),
      model: turn.model,
      via,
      ...(restart && { restart: true as const }),
      ...(conversation.system !== undefined && { system: conversation.system }),
      ...(Object.keys(conversation.options).length > 0 && { options: { ...conversation.options } }),
      settings: { ...definedOnly(turn.settings) },
      messages: [...all.slice(restart ? 0 : this.#savedUpTo)],
      ...(turn.metrics && { metrics: turn.metrics }),
    };
    this.#id ??= newChatId(turn.started);
    try {
      store.append(this.#id, record);
      this.markSaved(conversation);
    } catch (err) {
      if (this.#warned) return;
      this.#warned = true;
      await this.#options.warn(
        `warning: the conversation could not be saved: ${osReason(err)}\n`,
      );
    }
  }
}

function definedOnly(settings: WireSettings): WireSettings {
  const { think, format, keepAlive } = settings;
  return {
    ...(think !== undefined && { think }),
    ...(format !== undefined && { format }),
    ...(keepAlive !== undefined && { keepAlive }),
  };
}
