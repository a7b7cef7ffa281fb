/**
 * What the slash commands may see and do in the chat: read the model and settings, act on the
 * conversation through its methods, and change settings, the system prompt or the model through
 * the session's methods. The session implements it; the commands (lib/repl/commands.ts) depend
 * on this interface only, so the two do not import each other.
 */
import type { OllamaClient } from "../api/client.ts";
import type { ShowResponse, Think } from "../api/types.ts";
import type { Agent } from "../agent/agent.ts";
import type { Conversation, ConversationSnapshot } from "../chat/conversation.ts";
import type { GenerationSettings } from "../chat/settings.ts";
import type { Config } from "../cli/config.ts";
import type { Io } from "../io.ts";
import type { History } from "./history.ts";

/** Everything `/load` changes, to put back when it fails or is cancelled. */
export interface ReplSnapshot {
  readonly model: string;
  readonly info: ShowResponse;
  readonly settings: Readonly<GenerationSettings>;
  readonly conversation: ConversationSnapshot;
}

export interface SlashApi {
  readonly io: Io;
  readonly config: Config;
  readonly client: OllamaClient;
  readonly model: string;
  readonly info: ShowResponse;
  readonly settings: Readonly<GenerationSettings>;
  readonly conversation: Conversation;
  readonly history: History;
  /** The tool-using agent of `--experimental`, if on. */
  readonly agent?: Agent;

  out(text: string): Promise<void>;
  err(text: string): Promise<void>;

  /** `/set wordwrap`, `/set verbose`, `/set format json`, …: the user's choice, kept. */
  changeSettings(change: Partial<Omit<GenerationSettings, "think">>): void;
  /** `/set think` and `/set nothink`: the user's choice, which `/load` no longer re-infers. */
  chooseThink(think: Think): void;
  /** `/set system`: sets it and confirms. */
  setSystem(text: string): Promise<void>;

  snapshot(): ReplSnapshot;
  restore(snapshot: ReplSnapshot): void;
  /**
   * Switches to another model: the conversation starts over with its saved messages, tool
   * approvals are dropped, and thinking follows the new model unless the user chose it.
   */
  switchModel(model: string, info: ShowResponse): void;
  /** Loads the current model with a spinner; cancelled by `signal`. */
  preload(signal: AbortSignal): Promise<void>;
  /** `/retry`: sends the last message again whose turn failed or was cancelled. */
  retry(signal: AbortSignal): Promise<void>;
}

/** What a slash command asks of the read loop afterwards. */
export type CommandOutcome = "handled" | "exit" | "not a command";
