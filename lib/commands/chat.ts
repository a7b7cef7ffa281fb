/**
 * Starts the interactive chat for `dollama run`: opens the terminal (stdin, or the controlling
 * terminal when stdin is a pipe and `-i` was given), the history file and the line editor, then
 * hands over to the REPL session.
 */
import type { Context } from "../context.ts";
import { Agent } from "../agent/agent.ts";
import { detectSandbox } from "../agent/sandbox.ts";
import { styleFor } from "../term/style.ts";
import type { ShowResponse, Think } from "../api/types.ts";
import { CliError, osReason } from "../errors.ts";
import { ChatSession } from "../repl/session.ts";
import { History, historyPath } from "../repl/history.ts";
import { LineReader } from "../repl/line_reader.ts";
import { denoTerminal } from "../term/deno_terminal.ts";
import type { Terminal } from "../term/terminal.ts";
import { openExternalEditor } from "../repl/external_editor.ts";
import type { RunOptions } from "./run_options.ts";
import type { ChatRecorder } from "../chat/recorder.ts";
import type { ReplayedChat } from "../chat/store.ts";

export interface ChatStart {
  model: string;
  info: ShowResponse;
  options: RunOptions;
  think?: Think;
  /** With `-i`: the prompt from the arguments or stdin, answered before the first `>>> `. */
  firstPrompt?: string;
  /** A saved conversation to continue (`--continue`, `--resume`). */
  resumed?: ReplayedChat;
  /** Saves each completed turn (does nothing when saving is off). */
  recorder?: ChatRecorder;
}

async function openTerminal(ctx: Context): Promise<Terminal> {
  if (ctx.io.stdin.isTerminal) return await denoTerminal("stdin");
  try {
    return await denoTerminal("tty");
  } catch (err) {
    throw new CliError(
      `-i needs a terminal to read the chat from, and there is none (${osReason(err)})`,
    );
  }
}

export async function startChat(ctx: Context, start: ChatStart): Promise<void> {
  const { io } = ctx;
  const terminal = await openTerminal(ctx);
  const history = await History.open({
    path: historyPath(ctx.config.home),
    useFile: !ctx.config.noHistory,
  });
  const reader = new LineReader(terminal, {
    openEditor: async (text) => {
      try {
        return await openExternalEditor(text, ctx.config);
      } catch (err) {
        await io.stderr.write(`error: ${(err as Error).message}\n`);
        return undefined;
      }
    },
  });
  // `--experimental`: the tool-using agent (docs/agent.md). Approvals are read from the same
  // terminal as the chat, even when stdin is a pipe. The sandbox is looked for once, up front,
  // so the banner can say whether commands will run in it.
  const experimental = start.options.experimental;
  const sandbox = experimental.enabled && !ctx.config.agentDisableBash
    ? await detectSandbox({
      setting: ctx.config.agentSandbox,
      os: Deno.build.os,
      env: { path: ctx.config.path, home: ctx.config.home },
    })
    : undefined;
  const agent = experimental.enabled
    ? new Agent({
      yolo: experimental.yolo,
      sandbox,
      webSearch: experimental.webSearch,
      disableBash: ctx.config.agentDisableBash,
      terminal,
      stderr: io.stderr,
      style: styleFor(io.stderr, ctx.config.noColor).enabled,
      web: { client: ctx.client },
      typeAheadMs: ctx.config.approvalTypeAheadMs,
    })
    : undefined;
  const session = new ChatSession(ctx, {
    ...start.options,
    think: start.think,
    model: start.model,
    info: start.info,
    thinkExplicit: start.options.think !== undefined,
    resumed: start.resumed,
  }, {
    readLine: (options) => reader.readLine(options),
    whileAnswering: (operation) => reader.whileAnswering(operation),
    history,
    agent,
    recorder: start.recorder,
  });
  await session.start();
  if (agent) await io.stderr.write(agent.banner(start.info));
  if (start.firstPrompt) await session.send(start.firstPrompt);
  await session.run();
}
