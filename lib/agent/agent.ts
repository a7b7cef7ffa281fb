/**
 * The experimental agent (`--experimental`, docs/agent.md): which tools a model is offered, the
 * start-up banner, and running one round of tool calls — the analyser first (its deny-list
 * blocks with or without yolo), then yolo for what it judges harmless, a session rule, or the
 * approval prompt.
 * The chat loop itself lives in lib/chat/chat_turn.ts, which runs tools through `ToolRunner`.
 */
import { wrapString } from "../format/table.ts";
import { displayWidth } from "../term/width.ts";
import type { Message, ShowResponse, ToolCall } from "../api/types.ts";
import type { ToolRunner } from "../chat/chat_turn.ts";
import type { Output } from "../io.ts";
import type { Terminal } from "../term/terminal.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";
import { styleIf } from "../term/style.ts";
import { Approvals, normalizeRelative, ruleNote, sessionRule } from "./allow.ts";
import {
  type ApprovalRequest,
  askApproval,
  type Decision,
  settleAfter,
  summaryLine,
  TYPE_AHEAD_MS,
} from "./approval.ts";
import { analyse } from "./analyse.ts";
import type { Sandbox } from "./sandbox.ts";
import { parseShell } from "./shell_words.ts";
import {
  capForModel,
  displayName,
  displayOutput,
  runBash,
  shortForm,
  type ToolDefinition,
  toolDefinitions,
  type WebContext,
  webFetch,
  webSearch,
} from "./tools.ts";

export const NO_TOOLS = "Tools not available - model does not support tool calling";
/** `/tools` when the model could call tools but OLLAMA_AGENT_DISABLE_BASH left none to offer. */
export const NO_TOOLS_OFFERED = "Tools not available - OLLAMA_AGENT_DISABLE_BASH is set";

export interface AgentOptions {
  yolo: boolean;
  webSearch: boolean;
  /** `OLLAMA_AGENT_DISABLE_BASH` is set (non-empty). */
  disableBash: boolean;
  /** Where approvals are read from; without one every call that needs approval is denied. */
  terminal?: Terminal;
  stderr: Output;
  /** Bold and grey may be written to stderr (a terminal, NO_COLOR unset). */
  style: boolean;
  /** Runs a bash command; replaceable in tests. Defaults to `bash -c` with the 60 s timeout. */
  runBash?: (command: string, signal: AbortSignal) => Promise<string>;
  /** Where bash commands run (and what the sandbox leaves writable); the process's cwd if unset. */
  cwd?: string;
  /**
   * The sandbox found at start-up; the banner says whether it is on. Unset (in-process tests
   * with their own `runBash`), the banner says nothing about it and commands run unsandboxed.
   */
  sandbox?: Sandbox;
  web?: Omit<WebContext, "signal">;
  /** Asks for approval; defaults to the prompt on `terminal`. */
  ask?: (request: ApprovalRequest) => Promise<Decision>;
  /**
   * Keys arriving this soon after the prompt appears were typed before it and are dropped;
   * 0 turns that off (a scripted terminal in tests, where every key is already waiting).
   */
  typeAheadMs?: number;
}

export function hasToolsCapability(info: ShowResponse): boolean {
  return (info.capabilities ?? []).includes("tools");
}

/** True when an argument names a path outside the current directory. */
function outsidePaths(command: string): boolean {
  for (const simple of parseShell(command).commands) {
    for (const word of [...simple.words.slice(1), ...simple.redirects.map((r) => r.target)]) {
      if (word.startsWith("-") || word === "/dev/null") continue;
      if (word.startsWith("/") || word.startsWith("~")) return true;
      if (word.startsWith("..") && normalizeRelative(word) === undefined) return true;
    }
  }
  return false;
}

/**
 * `  bash - Execute a bash command…`: on a terminal the description is wrapped at word
 * boundaries under itself, instead of being cut mid-word by the terminal's own wrap.
 */
function toolLine(head: string, description: string, columns?: number): string {
  const room = columns === undefined ? Infinity : columns - displayWidth(head);
  if (room === Infinity || room < 20) return `${head}${description}\n`;
  const indent = " ".repeat(displayWidth(head));
  return wrapString(description, room).map((line, i) => `${i === 0 ? head : indent}${line}\n`)
    .join("");
}

export class Agent implements ToolRunner {
  readonly approvals = new Approvals();
  readonly #options: AgentOptions;

  constructor(options: AgentOptions) {
    this.#options = options;
  }

  /** The tool definitions for a model, or none when it lacks the `tools` capability. */
  definitions(info: ShowResponse): ToolDefinition[] {
    if (!hasToolsCapability(info)) return [];
    return toolDefinitions({ bash: !this.#options.disableBash, web: this.#options.webSearch });
  }

  /** The start-up banner for stderr, or "" when the model gets no tools. */
  banner(info: ShowResponse): string {
    const tools = this.definitions(info).map((t) => t.function.name);
    if (tools.length === 0) return "";
    const bold = styleIf(this.#options.style).bold;
    let text = "";
    const sandbox = this.#options.sandbox?.status;
    if (tools.includes("bash")) {
      text += `\nThis experimental version of Ollama has the ${bold("bash")} tool enabled.\n` +
        "Models can read files on your computer, or run commands (after you allow them).\n";
      if (sandbox?.on) {
        text += `${bold("sandbox:")} on (${sandbox.tool}) - writes only in the working ` +
          "directory and a private /tmp\n";
      } else if (sandbox) text += `${bold("sandbox:")} off (${sandbox.reason})\n`;
      text += "\n";
    }
    if (tools.includes("web_search")) {
      if (text === "") text = "\n";
      text += `The ${bold("Web Search")} and ${
        bold("Web Fetch")
      } tools are enabled. Models can search and fetch web content via ollama.com.\n\n`;
    }
    if (this.#options.yolo) {
      text += `${bold("warning:")} yolo mode - calls run without asking, except commands ` +
        "the analyser cannot verify as harmless\n";
      if (tools.includes("bash") && sandbox && !sandbox.on) {
        text += `${bold("warning:")} yolo mode without a sandbox\n`;
      }
    }
    return text;
  }

  /** `/tools`: the tools with their descriptions, then the session's approvals. */
  toolsText(info: ShowResponse, columns?: number): string {
    const tools = this.definitions(info);
    if (tools.length === 0 && hasToolsCapability(info)) return `${NO_TOOLS_OFFERED}\n`;
    if (tools.length === 0) return `${NO_TOOLS}\n`;
    let text = "Available tools:\n";
    for (const t of tools) {
      text += toolLine(`  ${t.function.name} - `, t.function.description, columns);
    }
    text += "\n";
    const entries = this.approvals.entries();
    if (entries.length === 0) return text + "No tools approved for this session yet\n";
    return text + "Session approvals:\n" + entries.map((e) => `  ${e}\n`).join("");
  }

  #bold(text: string): string {
    return styleIf(this.#options.style).bold(text);
  }

  async #err(text: string): Promise<void> {
    await this.#options.stderr.write(text);
  }

  #safe(text: string): string {
    return this.#options.stderr.isTerminal ? sanitizeForTerminal(text) : text;
  }

  /**
   * Runs each call in turn and returns the `tool` messages for the model. Throws an AbortError
   * when `signal` fires (Ctrl+C), so the turn is cancelled.
   */
  async runCalls(
    calls: ToolCall[],
    options: { signal: AbortSignal; cloud: boolean },
  ): Promise<Message[]> {
    const messages: Message[] = [];
    for (const call of calls) {
      options.signal.throwIfAborted();
      const checked = checkCall(call);
      let content: string;
      if (checked.problem !== undefined) {
        // The model gets the error as the call's result and can try again; the chat goes on.
        await this.#err(`${this.#bold("error:")} malformed tool call: ${checked.problem}\n`);
        content = `Error: malformed tool call: ${checked.problem}`;
      } else content = await this.#runCall(checked.name, checked.args, options);
      const id = (call as { id?: unknown } | null)?.id;
      messages.push({
        role: "tool",
        content,
        tool_name: checked.name,
        ...(typeof id === "string" && id !== "" && { tool_call_id: id }),
      });
    }
    options.signal.throwIfAborted();
    return messages;
  }

  async #runCall(
    name: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; cloud: boolean },
  ) {
    const known = toolDefinitions({
      bash: !this.#options.disableBash,
      web: this.#options.webSearch,
    })
      .some((t) => t.function.name === name);
    if (!known) {
      await this.#err(`${this.#bold("error:")} unknown tool: ${this.#safe(name)}\n`);
      return `Error: unknown tool: ${name}`;
    }
    const command = name === "bash" ? String(args.command ?? "") : undefined;
    const short = this.#safe(shortForm(name, args));
    // Yolo skips the prompt for a bash command only when the analyser understood all of it and
    // found it harmless; its reason otherwise is shown in the prompt.
    let unverified: string | undefined;
    let yoloRuns = this.#options.yolo;
    if (command !== undefined) {
      const verdict = analyse(command, { yolo: this.#options.yolo });
      if (verdict.action === "block") {
        const pattern = verdict.rule;
        await this.#err(
          `${this.#bold("blocked:")} ${short}\n  matches dangerous pattern: ${pattern}\n`,
        );
        return `Command blocked: this command matches a dangerous pattern (${pattern}) and cannot be executed. If this command is necessary, please ask the user to run it manually.`;
      }
      yoloRuns = verdict.action === "run";
      if (verdict.action === "ask" && this.#options.yolo) unverified = verdict.reason;
    }
    if (yoloRuns || this.approvals.isAllowed(name, command)) {
      await this.#err(`${this.#bold("running:")} ${short}\n`);
    } else {
      let decision = await this.#ask(name, args, command, unverified);
      // A command that never gets a session rule (sed, find, interpreters, …) runs once.
      if (decision.choice === "session" && !this.approvals.allow(name, command)) {
        decision = { choice: "once" };
      }
      await this.#err(
        summaryLine(decision, this.#safe(shortForm(name, args, 40)), this.#options.style),
      );
      if (decision.choice === "deny") {
        const tool = name;
        return decision.reason
          ? `User denied execution of ${tool}. Reason: ${decision.reason}`
          : `User denied execution of ${tool}.`;
      }
    }
    let output: string;
    try {
      output = await this.#execute(name, args, options.signal);
    } catch (err) {
      if (options.signal.aborted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      await this.#err(`${this.#bold("error:")} ${this.#safe(message)}\n`);
      return `Error: ${message}`;
    }
    if (output !== "") await this.#err(displayOutput(this.#safe(output), this.#options.style));
    return capForModel(output, options.cloud);
  }

  async #ask(
    name: string,
    args: Record<string, unknown>,
    command?: string,
    unverified?: string,
  ): Promise<Decision> {
    const request: ApprovalRequest = { title: displayName(name), details: [] };
    if (command !== undefined) {
      request.command = command;
      request.outsideWarning = outsidePaths(command);
      request.allowNote = ruleNote(sessionRule(command));
      if (unverified !== undefined) request.yoloReason = unverified;
    } else if (name === "web_search") {
      request.details = [`Query: ${args.query ?? ""}`, "Uses internet via ollama.com"];
    } else if (name === "web_fetch") {
      request.details = [`URL: ${args.url ?? ""}`, "Uses internet via ollama.com"];
    } else {
      request.details = [
        `Arguments: ${Object.entries(args).map(([k, v]) => `${k}=${String(v)}`).join(", ")}`,
      ];
    }
    if (this.#options.ask) return await this.#options.ask(request);
    const terminal = this.#options.terminal;
    if (!terminal) return { choice: "deny", reason: "no terminal to ask for approval" };
    const ms = this.#options.typeAheadMs ?? TYPE_AHEAD_MS;
    return await askApproval(
      terminal,
      request,
      this.#options.style,
      ms > 0 ? settleAfter(ms) : null,
    );
  }

  async #execute(name: string, args: Record<string, unknown>, signal: AbortSignal) {
    if (name === "bash") {
      const command = String(args.command ?? "");
      if (command.trim() === "") throw new Error("command parameter is required");
      const sandbox = this.#options.sandbox;
      const run = this.#options.runBash ?? ((c, s) =>
        runBash(c, {
          signal: s,
          cwd: this.#options.cwd,
          launch: sandbox?.status.on ? sandbox.launch : undefined,
        }));
      return await run(command, signal);
    }
    const web = this.#options.web;
    if (!web) throw new Error("web tools are not available");
    if (name === "web_search") {
      const query = String(args.query ?? "");
      if (query === "") throw new Error("query parameter is required");
      return await webSearch({ ...web, signal }, query);
    }
    const url = String(args.url ?? "");
    if (url === "") throw new Error("url parameter is required");
    return await webFetch({ ...web, signal }, url);
  }
}

/**
 * A tool call as the model sent it, checked: a server may relay anything, and a call without a
 * `function`, with a name that is not a string or arguments that are not an object must become
 * an error for the model, not a crash of the chat.
 */
export function checkCall(
  call: unknown,
): { name: string; args: Record<string, unknown>; problem?: string } {
  const fn = (call as { function?: unknown } | null)?.function;
  if (typeof fn !== "object" || fn === null || Array.isArray(fn)) {
    return { name: "", args: {}, problem: "no function" };
  }
  const { name, arguments: args } = fn as { name?: unknown; arguments?: unknown };
  if (typeof name !== "string" || name === "") {
    return { name: "", args: {}, problem: "no tool name" };
  }
  if (args === undefined) return { name, args: {} };
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return { name, args: {}, problem: "arguments are not an object" };
  }
  return { name, args: args as Record<string, unknown> };
}
