/**
 * The REPL's slash commands (reference/ollama-run.md §13.2–§13.3), matched by prefix in
 * upstream's order, with upstream's texts. Help goes to stderr, everything else to stdout.
 */
import type { ShowResponse, Think } from "../api/types.ts";
import { CliError } from "../errors.ts";
import { formatList } from "../commands/list.ts";
import { formatShowInfo } from "../commands/show.ts";
import { findPaths, readFileIfExists, toAttachment, unescapePath } from "../chat/attachments.ts";
import { parseParameter } from "../format/parameters.ts";
import { goFormatValue } from "../format/go.ts";
import { type ChatSession, ExitChat } from "./session.ts";
import { inferThink, isMultimodal } from "../api/capabilities.ts";
import { helpText, PARAMETER_HELP, SET_HELP, SHORTCUTS_HELP, SHOW_HELP } from "./texts.ts";

/** Handles `line` if it is a command; false means "not a command", for the caller to decide. */
export async function handleCommand(session: ChatSession, line: string): Promise<boolean> {
  const args = line.trim().split(/\s+/);
  const rest = args.slice(1);
  if (line.startsWith("/tools") && session.agent) {
    await session.out(session.agent.toolsText(session.settings.info));
  } else if (line.startsWith("/list")) await list(session, rest[0]);
  else if (line.startsWith("/load")) await load(session, rest);
  else if (line.startsWith("/save")) await save(session, rest);
  else if (line.startsWith("/clear")) await clear(session);
  else if (line.startsWith("/set")) await set(session, rest);
  else if (line.startsWith("/show")) await show(session, rest);
  else if (line.startsWith("/help") || line.startsWith("/?")) await help(session, rest);
  else if (line.startsWith("/exit") || line.startsWith("/bye")) throw new ExitChat();
  else return false;
  return true;
}

async function help(session: ChatSession, rest: string[]): Promise<void> {
  const topic = rest[0];
  if (topic === undefined) {
    const text = helpText(isMultimodal(session.settings.info), session.io.os === "windows");
    // Agent mode adds /tools (reference/ollama-run.md §18).
    return await session.err(
      session.agent
        ? text.replace(
          "  /bye ",
          "  /tools          Show available tools and approvals\n  /bye ",
        )
        : text,
    );
  }
  if (topic === "set" || topic === "/set") return await session.err(SET_HELP);
  if (topic === "show" || topic === "/show") return await session.err(SHOW_HELP);
  if (topic === "shortcut" || topic === "shortcuts") return await session.err(SHORTCUTS_HELP);
}

async function list(session: ChatSession, prefix?: string): Promise<void> {
  const { models } = await session.ctx.client.list(session.ctx.signal);
  await session.out(formatList(models ?? [], prefix, session.io.now()));
}

async function clear(session: ChatSession): Promise<void> {
  session.messages = session.system ? [{ role: "system", content: session.system }] : [];
  session.pending = [];
  if (session.agent) {
    // Agent mode (reference/ollama-run.md §18): approvals go with the context.
    session.agent.approvals.clear();
    return await session.out("Cleared session context and tool approvals\n");
  }
  await session.out("Cleared session context\n");
}

async function set(session: ChatSession, rest: string[]): Promise<void> {
  const { settings } = session;
  const [what, ...values] = rest;
  switch (what) {
    case undefined:
      return await session.err(SET_HELP);
    case "history":
      session.history.saving = true;
      return;
    case "nohistory":
      session.history.saving = false;
      return;
    case "wordwrap":
    case "nowordwrap":
      settings.wordWrap = what === "wordwrap";
      return await session.out(`Set '${what}' mode.\n`);
    case "verbose":
    case "quiet":
      settings.verbose = what === "verbose";
      return await session.out(`Set '${what}' mode.\n`);
    case "hidethinking":
    case "nohidethinking":
      settings.hideThinking = what === "hidethinking";
      return await session.out(`Set '${what}' mode.\n`);
    case "think":
    case "nothink": {
      const level = what === "think" ? values[0] : undefined;
      // Any level word is accepted here; the server judges it on the next turn (§13.3).
      settings.think = what === "nothink" ? false : (level as Think | undefined) ?? true;
      settings.thinkExplicit = true;
      if (what === "think" && !(settings.info.capabilities ?? []).includes("thinking")) {
        await session.err(
          `warning: model ${JSON.stringify(settings.model)} does not support thinking output\n`,
        );
      }
      return await session.out(
        level ? `Set 'think' mode to '${level}'.\n` : `Set '${what}' mode.\n`,
      );
    }
    case "format":
      if (values[0] !== "json") {
        return await session.out(
          "Invalid or missing format. For 'json' mode use '/set format json'\n",
        );
      }
      settings.format = "json";
      return await session.out("Set format to 'json' mode.\n");
    case "noformat":
      settings.format = undefined;
      return await session.out("Disabled format.\n");
    case "parameter": {
      const [name, ...paramValues] = values;
      if (name === undefined || paramValues.length === 0) return await session.err(PARAMETER_HELP);
      const parsed = parseParameter(name, paramValues);
      if (!parsed.ok) {
        return await session.out(`Couldn't set parameter: ${JSON.stringify(parsed.error)}\n`);
      }
      session.options[name] = parsed.value;
      return await session.out(`Set parameter '${name}' to '${paramValues.join(", ")}'\n`);
    }
    case "system": {
      if (values.length === 0) return await session.err(SET_HELP);
      return await session.setSystem(values.join(" "));
    }
    default:
      return await session.out(`Unknown command '/set ${what}'. Type /? for help\n`);
  }
}

async function show(session: ChatSession, rest: string[]): Promise<void> {
  const what = rest[0];
  if (what === undefined) return await session.err(SHOW_HELP);
  let info: ShowResponse;
  try {
    info = await session.ctx.client.show({
      model: session.settings.model,
      ...(session.system !== undefined && { system: session.system }),
      options: session.options,
    }, session.ctx.signal);
  } catch (err) {
    await session.out("error: couldn't get model\n");
    throw err;
  }
  switch (what) {
    case "info":
      return await session.err(formatShowInfo(info));
    case "license":
      return await session.out(
        info.license ? `${info.license}\n` : "No license was specified for this model.\n",
      );
    case "modelfile":
      return await session.out(`${info.modelfile ?? ""}\n`);
    case "parameters":
      return await session.out(parametersText(info.parameters, session.options));
    case "system": {
      const system = session.system || info.system;
      return await session.out(
        system ? `${system}\n\n` : "No system message was specified for this model.\n",
      );
    }
    case "template":
      return await session.out(
        info.template ? `${info.template}\n` : "No prompt template was specified for this model.\n",
      );
    default:
      return await session.out(`Unknown command '/show ${what}'. Type /? for help\n`);
  }
}

/** `/show parameters`: the model's lines, then the session's in a stable order (decision 8). */
export function parametersText(
  modelParameters: string | undefined,
  user: Record<string, unknown>,
): string {
  let text = "Model defined parameters:\n";
  const lines = (modelParameters ?? "").split("\n").filter((l) => l.trim() !== "");
  text += lines.length
    ? lines.map((l) => `  ${l}\n`).join("")
    : "  No additional parameters were specified for this model.\n";
  text += "\n";
  const names = Object.keys(user).sort();
  if (names.length) {
    text += "User defined parameters:\n";
    text += names.map((n) => `  ${n.padEnd(30)} ${goFormatValue(user[n])}\n`).join("");
    text += "\n";
  }
  return text;
}

/**
 * `/load PATH` attaches an image or audio file to the next message (DESIGN.md decision 7);
 * `/load MODEL` switches model, without pulling (§13.3).
 */
async function load(session: ChatSession, rest: string[]): Promise<void> {
  if (rest.length !== 1) return await session.out("Usage:\n  /load <modelname>\n");
  const arg = rest[0];
  if (findPaths(arg)[0] === arg || /^[~.]?[\\/]/.test(arg)) {
    const path = unescapePath(arg.replace(/^~(?=[\\/])/, session.ctx.config.home ?? "~"));
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readFileIfExists(path);
      if (bytes === undefined) throw new Error(`no such file: ${path}`);
      const attachment = toAttachment(path, bytes);
      session.pending.push(attachment);
      return await session.err(`Added ${attachment.kind} '${path}'\n`);
    } catch (err) {
      return await session.out(`Couldn't load file: ${JSON.stringify((err as Error).message)}\n`);
    }
  }
  await loadModel(session, arg);
}

async function loadModel(session: ChatSession, model: string): Promise<void> {
  const { settings } = session;
  const saved = {
    settings: { ...settings },
    messages: session.messages,
    savedMessages: session.savedMessages,
  };
  const restore = () => {
    Object.assign(settings, saved.settings);
    session.messages = saved.messages;
    session.savedMessages = saved.savedMessages;
  };
  await session.out(`Loading model '${model}'\n`);
  session.messages = [];
  session.savedMessages = [];
  let info: ShowResponse;
  try {
    info = await session.ctx.client.show({ model }, session.ctx.signal);
  } catch (err) {
    if ((err as Error).message.includes("not found")) {
      restore();
      return await session.out(`Couldn't find model '${model}'\n`);
    }
    throw err;
  }
  settings.model = model;
  settings.info = info;
  session.agent?.approvals.clear();
  session.savedMessages = [...(info.messages ?? [])];
  // DESIGN.md decision 5: thinking follows the new model unless the user chose it.
  if (!settings.thinkExplicit) settings.think = inferThink(undefined, info);
  try {
    if (!info.remote_host) await session.preload();
  } catch (err) {
    const text = (err as Error).message;
    if (text.includes("not found")) {
      restore();
      return await session.out(`Couldn't find model '${model}'\n`);
    }
    if (text.includes("does not support thinking")) return await session.out(`error: ${text}\n`);
    throw err;
  }
}

/** `/save NAME`: a new model from this session via `/api/create` (§13.3). */
async function save(session: ChatSession, rest: string[]): Promise<void> {
  if (rest.length !== 1) return await session.out("Usage:\n  /save <modelname>\n");
  const name = rest[0];
  const { settings } = session;
  const parent = settings.info.details?.parent_model;
  const from = parent && /^[\w.:/-]+$/.test(parent) ? parent : settings.model;
  const messages = [...session.savedMessages, ...session.messages];
  try {
    for await (
      const _ of session.ctx.client.create({
        model: name,
        from,
        ...(session.system !== undefined && { system: session.system }),
        ...(Object.keys(session.options).length && { parameters: session.options }),
        ...(messages.length && { messages }),
      }, session.ctx.signal)
    ) {
      // progress of a create is not shown, as upstream
    }
  } catch (err) {
    const text = (err as Error).message;
    if (text.includes("invalid model name")) {
      return await session.out(`error: The model name '${name}' is invalid\n`);
    }
    throw new CliError(text);
  }
  await session.out(`Created new model '${name}'\n`);
}
