/**
 * Saves a conversation as it happens: after each completed turn, the messages added since the
 * last save become one record (lib/chat/store.ts). The REPL and one-shot runs only call
 * `turnDone`; when saving is off (OLLAMA_NOHISTORY, `--nohistory`) there is no store and
 * nothing is written.
 */
import { osReason } from "../errors.ts";
import type { Message, Metrics } from "../api/types.ts";
import type { Conversation } from "./conversation.ts";
import type { WireSettings } from "./settings.ts";
import { type ChatStore, isoTime, newChatId, RECORD_VERSION, type TurnRecord } from "./store.ts";
import { StreamedRecord } from "./streamed_record.ts";

export interface RecorderOptions {
  /** Undefined when saving is off, or when there is nowhere to save. */
  store?: ChatStore;
  /**
   * Why there is no store although saving is on (no home directory): said at the first turn,
   * as a save that failed would be, so the user knows the conversation is not kept.
   */
  nowhere?: string;
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
    const { store, now, nowhere } = this.#options;
    if (!store) {
      if (nowhere !== undefined) await this.#failed(new Error(nowhere));
      return;
    }
    const all = conversation.messages;
    // Replaced wholesale since the last save (/clear, /load): the record restarts the chat.
    const restart = this.#epoch !== undefined &&
      (conversation.epoch !== this.#epoch || this.#savedUpTo > all.length);
    const record: TurnRecord = {
      ...this.#head(conversation, turn, restart),
      at: isoTime(now()),
      messages: [...all.slice(restart ? 0 : this.#savedUpTo)],
      ...(turn.metrics && { metrics: turn.metrics }),
    };
    this.#id ??= newChatId(turn.started);
    try {
      store.append(this.#id, record);
      this.markSaved(conversation);
    } catch (err) {
      await this.#failed(err);
    }
  }

  /**
   * Starts saving a new conversation's first turn while its answer streams, so the answer is
   * never held (lib/chat/streamed_record.ts). `conversation` already holds the question.
   * Undefined when saving is off, when the conversation already has a file (its turns are
   * appended whole), or when the file cannot be made: `turnDone` then saves the turn, or says
   * why it cannot.
   */
  streamAnswer(
    conversation: Conversation,
    turn: Omit<CompletedTurn, "metrics">,
  ): AnswerSaver | undefined {
    const { store, now } = this.#options;
    if (!store || this.#id !== undefined) return undefined;
    const id = newChatId(turn.started);
    let created;
    try {
      created = store.createNew(id);
    } catch {
      return undefined;
    }
    const assistant: Message = { role: "assistant", content: "" };
    const json = JSON.stringify({
      ...this.#head(conversation, turn, false),
      messages: [...conversation.messages.slice(this.#savedUpTo), assistant],
    });
    // The record ends with the empty answer: `"}]}` are its closing quote and brackets.
    const head = json.slice(0, -'"}]}'.length);
    let record: StreamedRecord | undefined;
    let failure: unknown;
    const fail = (err: unknown) => {
      failure ??= err;
      record = undefined;
      created.remove();
    };
    try {
      record = new StreamedRecord(created.file, head);
    } catch (err) {
      fail(err);
    }
    return {
      add: (piece) => {
        try {
          record?.add(piece);
        } catch (err) {
          fail(err);
        }
      },
      done: async (metrics, thinking) => {
        if (record) {
          const tail = `"${thinking ? `,"thinking":${JSON.stringify(thinking)}` : ""}}]` +
            `,"at":${JSON.stringify(isoTime(now()))}` +
            `${metrics ? `,"metrics":${JSON.stringify(metrics)}` : ""}}`;
          try {
            record.finish(tail);
            this.#id = id;
            this.markSaved(conversation);
            return;
          } catch (err) {
            fail(err);
          }
        }
        await this.#failed(failure);
      },
      abandon: () => {
        if (record) created.remove();
        record = undefined;
      },
    };
  }

  /** The fields a record starts with, which the turn's messages follow. */
  #head(
    conversation: Conversation,
    turn: Omit<CompletedTurn, "metrics">,
    restart: boolean,
  ): Omit<TurnRecord, "at" | "messages" | "metrics"> {
    return {
      v: RECORD_VERSION,
      type: "turn",
      started: isoTime(turn.started),
      model: turn.model,
      via: this.#options.via,
      ...(restart && { restart: true as const }),
      ...(conversation.system !== undefined && { system: conversation.system }),
      ...(Object.keys(conversation.options).length > 0 && { options: { ...conversation.options } }),
      settings: { ...definedOnly(turn.settings) },
    };
  }

  async #failed(err: unknown): Promise<void> {
    if (this.#warned) return;
    this.#warned = true;
    await this.#options.warn(`warning: the conversation could not be saved: ${osReason(err)}\n`);
  }
}

/** The answer of a turn being saved as it streams (`ChatRecorder.streamAnswer`). */
export interface AnswerSaver {
  /** A piece of the answer's text. A failing write ends the saving, never the answer. */
  add(piece: string): void;
  /** The answer is complete: the record is finished, or why it could not be is said once. */
  done(metrics: Metrics | undefined, thinking: string | undefined): Promise<void>;
  /** The answer did not complete (an error, Ctrl+C): the turn is not saved, as any other. */
  abandon(): void;
}

function definedOnly(settings: WireSettings): WireSettings {
  const { think, format, keepAlive } = settings;
  return {
    ...(think !== undefined && { think }),
    ...(format !== undefined && { format }),
    ...(keepAlive !== undefined && { keepAlive }),
  };
}
