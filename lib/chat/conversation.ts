/**
 * A chat's state apart from its settings: the messages sent with each turn, the system prompt,
 * the `/set parameter` options, files attached for the next message, and the messages of a saved
 * model. Everything changes through methods, so each change has one name and one place; a turn
 * that fails or is cancelled is taken back out with `rollback`, and `/load` undoes itself with
 * `restore`.
 */
import type { Message, Options } from "../api/types.ts";
import type { Attachment } from "./attachments.ts";

/** Everything a conversation holds, as an independent copy. */
export interface ConversationSnapshot {
  readonly messages: readonly Message[];
  readonly savedMessages: readonly Message[];
  readonly system?: string;
  readonly options: Readonly<Options>;
  readonly pending: readonly Attachment[];
}

/** Where a turn began, for `rollback`. */
export type Mark = number & { readonly __mark: unique symbol };

export class Conversation {
  #messages: Message[] = [];
  #savedMessages: Message[];
  #system?: string;
  #options: Options = {};
  #pending: Attachment[] = [];
  #epoch = 0;

  /** `savedMessages`: the messages stored in a saved model (`/api/show`'s `messages`). */
  constructor(savedMessages: readonly Message[] = []) {
    this.#savedMessages = [...savedMessages];
  }

  /**
   * Counts the times the messages were replaced wholesale (`clear`, `startOver`, `restore`), so
   * whoever saves the conversation can tell an addition from a new start.
   */
  get epoch(): number {
    return this.#epoch;
  }

  /** The messages sent with each turn, oldest first. */
  get messages(): readonly Message[] {
    return this.#messages;
  }

  /**
   * A saved model's messages: shown when the chat starts and kept by `/save`, but never sent,
   * because the server already prepends them.
   */
  get savedMessages(): readonly Message[] {
    return this.#savedMessages;
  }

  get system(): string | undefined {
    return this.#system;
  }

  /** The `/set parameter` values, sent as a request's `options`. */
  get options(): Readonly<Options> {
    return this.#options;
  }

  /** Files attached (`/load PATH`) and waiting for the next message. */
  get pending(): readonly Attachment[] {
    return this.#pending;
  }

  /** What `/save` stores: the saved model's messages, then this chat's. */
  get allMessages(): Message[] {
    return [...this.#savedMessages, ...this.#messages];
  }

  /** The position a turn starts at; `rollback(mark)` removes everything added after it. */
  mark(): Mark {
    return this.#messages.length as Mark;
  }

  /** Takes a failed or cancelled turn back out. */
  rollback(mark: Mark): void {
    this.#messages.splice(mark);
  }

  /** The messages added since `mark`: one turn's worth. */
  since(mark: Mark): readonly Message[] {
    return this.#messages.slice(mark);
  }

  addUser(message: Message & { role: "user" }): void {
    this.#messages.push(message);
  }

  addAssistant(message: Message & { role: "assistant" }): void {
    this.#messages.push(message);
  }

  /** The results of one round of tool calls, in the order of the calls. */
  addToolResults(results: readonly Message[]): void {
    this.#messages.push(...results);
  }

  /** `/set system`: replaces a system message at the end, or appends one. */
  setSystem(text: string): void {
    this.#system = text;
    const last = this.#messages.at(-1);
    if (last?.role === "system") {
      this.#messages[this.#messages.length - 1] = { ...last, content: text };
    } else this.#messages.push({ role: "system", content: text });
  }

  setOption(name: string, value: unknown): void {
    this.#options = { ...this.#options, [name]: value };
  }

  attach(attachment: Attachment): void {
    this.#pending.push(attachment);
  }

  /** The attachments waiting for the next message; they are handed over only once. */
  takePending(): Attachment[] {
    const pending = this.#pending;
    this.#pending = [];
    return pending;
  }

  /** `/clear`: forget the messages and attachments; the system prompt stays in force. */
  clear(): void {
    this.#messages = this.#system === undefined || this.#system === ""
      ? []
      : [{ role: "system", content: this.#system }];
    this.#pending = [];
    this.#epoch++;
  }

  /**
   * A saved conversation continued (`--continue`, `--resume`): its messages, system prompt and
   * options replace this one's; a saved model's messages and pending attachments stay.
   */
  continueFrom(saved: { messages: readonly Message[]; system?: string; options: Options }): void {
    this.restore({
      ...this.snapshot(),
      messages: saved.messages,
      system: saved.system,
      options: saved.options,
    });
  }

  /**
   * Another model: its saved messages replace the old ones and the chat starts over. The system
   * prompt and options are the user's and stay.
   */
  startOver(savedMessages: readonly Message[]): void {
    this.#messages = [];
    this.#savedMessages = [...savedMessages];
    this.#epoch++;
  }

  snapshot(): ConversationSnapshot {
    return {
      messages: [...this.#messages],
      savedMessages: [...this.#savedMessages],
      system: this.#system,
      options: { ...this.#options },
      pending: [...this.#pending],
    };
  }

  restore(snapshot: ConversationSnapshot): void {
    this.#messages = [...snapshot.messages];
    this.#savedMessages = [...snapshot.savedMessages];
    this.#system = snapshot.system;
    this.#options = { ...snapshot.options };
    this.#pending = [...snapshot.pending];
    this.#epoch++;
  }
}
