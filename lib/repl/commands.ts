/**
 * The REPL's slash commands (docs/repl.md, Slash commands), matched by prefix in
 * upstream's order, with upstream's texts. Help goes to stderr, everything else to stdout.
 * They act on the chat through `SlashApi` only. Commands that talk to the server take the
 * signal of their own interrupt scope: Ctrl+C cancels the command and the chat goes on.
 */
import type { ShowResponse, Think } from "../api/types.ts";
import { formatList } from "../format/list.ts";
import { formatShowInfo } from "../format/show.ts";
import { safeFor, sanitizeForTerminal } from "../term/sanitize.ts";
import { findPaths, readFileIfExists, toAttachment, unescapePath } from "../chat/attachments.ts";
import { parseParameter } from "../format/parameters.ts";
import { goFormatValue } from "../format/go.ts";
import { isMultimodal } from "../api/capabilities.ts";
import type { GenerationSettings } from "../chat/settings.ts";
import type { CommandOutcome, SlashApi } from "./slash_api.ts";
import { helpText, PARAMETER_HELP, SET_HELP, SHORTCUTS_HELP, SHOW_HELP } from "./texts.ts";

/**
 * Handles `line` if it is a command. "not a command" leaves the line to the caller; "exit" is
 * `/bye` or `/exit`.
 */
export async function handleCommand(
  repl: SlashApi,
  line: string,
  signal: AbortSignal,
): Promise<CommandOutcome> {
  const args = line.trim().split(/\s+/);
  const rest = args.slice(1);
  if (line.startsWith("/tools") && repl.agent) {
    await repl.out(repl.agent.toolsText(repl.info, repl.io.stdout.columns()));
  } else if (line.startsWith("/list")) await list(repl, rest[0], signal);
  else if (line.startsWith("/load")) await load(repl, rest, signal);
  else if (line.startsWith("/save")) await save(repl, rest, signal);
  else if (line.startsWith("/retry")) await repl.retry(signal);
  else if (line.startsWith("/clear")) await clear(repl);
  else if (line.startsWith("/set")) await set(repl, rest);
  else if (line.startsWith("/show")) await show(repl, rest, signal);
  else if (line.startsWith("/help") || line.startsWith("/?")) await help(repl, rest);
  else if (line.startsWith("/exit") || line.startsWith("/bye")) return "exit";
  else return "not a command";
  return "handled";
}

async function help(repl: SlashApi, rest: string[]): Promise<void> {
  const topic = rest[0];
  if (topic === undefined) {
    const text = helpText(isMultimodal(repl.info), repl.io.os === "windows");
    // Agent mode adds /tools (docs/agent.md).
    return await repl.err(
      repl.agent
        ? text.replace(
          "  /bye ",
          "  /tools          Show available tools and approvals\n  /bye ",
        )
        : text,
    );
  }
  if (topic === "set" || topic === "/set") return await repl.err(SET_HELP);
  if (topic === "show" || topic === "/show") return await repl.err(SHOW_HELP);
  if (topic === "shortcut" || topic === "shortcuts") return await repl.err(SHORTCUTS_HELP);
}

async function list(repl: SlashApi, prefix: string | undefined, signal: AbortSignal) {
  const { models } = await repl.client.list(signal);
  await repl.out(formatList(models ?? [], prefix, repl.io.now()));
}

async function clear(repl: SlashApi): Promise<void> {
  repl.conversation.clear();
  if (repl.agent) {
    // Agent mode (docs/repl.md, /clear): approvals go with the context.
    repl.agent.approvals.clear();
    return await repl.out("Cleared session context and tool approvals\n");
  }
  await repl.out("Cleared session context\n");
}

/** The on/off words of `/set`: the setting each one changes, and to what. */
const SET_MODES = new Map<string, Partial<Omit<GenerationSettings, "think">>>([
  ["wordwrap", { wordWrap: true }],
  ["nowordwrap", { wordWrap: false }],
  ["verbose", { verbose: true }],
  ["quiet", { verbose: false }],
  ["hidethinking", { hideThinking: true }],
  ["nohidethinking", { hideThinking: false }],
  ["stream", { noStream: false }],
  ["nostream", { noStream: true }],
]);

async function set(repl: SlashApi, rest: string[]): Promise<void> {
  const [what, ...values] = rest;
  const mode = what === undefined ? undefined : SET_MODES.get(what);
  if (mode) {
    repl.changeSettings(mode);
    return await repl.out(`Set '${what}' mode.\n`);
  }
  switch (what) {
    case undefined:
      return await repl.err(SET_HELP);
    case "history":
    case "nohistory":
      // OLLAMA_NOHISTORY wins over the session: say so rather than seem to comply.
      if (what === "history" && repl.config.noHistory) {
        return await repl.out("History is disabled (OLLAMA_NOHISTORY is set).\n");
      }
      repl.history.saving = what === "history";
      return;
    case "think":
    case "nothink": {
      const level = what === "think" ? values[0] : undefined;
      // Any level word is accepted here; the server judges it on the next turn (docs/repl.md, /set).
      repl.chooseThink(what === "nothink" ? false : (level as Think | undefined) ?? true);
      if (what === "think" && !(repl.info.capabilities ?? []).includes("thinking")) {
        await repl.err(
          `warning: model ${JSON.stringify(repl.model)} does not support thinking output\n`,
        );
      }
      return await repl.out(
        level ? `Set 'think' mode to '${level}'.\n` : `Set '${what}' mode.\n`,
      );
    }
    case "format":
      if (values[0] !== "json") {
        return await repl.out(
          "Invalid or missing format. For 'json' mode use '/set format json'\n",
        );
      }
      repl.changeSettings({ format: "json" });
      return await repl.out("Set format to 'json' mode.\n");
    case "noformat":
      repl.changeSettings({ format: undefined });
      return await repl.out("Disabled format.\n");
    case "parameter": {
      const [name, ...paramValues] = values;
      if (name === undefined || paramValues.length === 0) return await repl.err(PARAMETER_HELP);
      const parsed = parseParameter(name, paramValues);
      if (!parsed.ok) {
        return await repl.out(`Couldn't set parameter: ${JSON.stringify(parsed.error)}\n`);
      }
      repl.conversation.setOption(name, parsed.value);
      return await repl.out(`Set parameter '${name}' to '${paramValues.join(", ")}'\n`);
    }
    case "system": {
      if (values.length === 0) return await repl.err(SET_HELP);
      return await repl.setSystem(values.join(" "));
    }
    default:
      return await repl.out(`Unknown command '/set ${what}'. Type /? for help\n`);
  }
}

async function show(repl: SlashApi, rest: string[], signal: AbortSignal): Promise<void> {
  const what = rest[0];
  if (what === undefined) return await repl.err(SHOW_HELP);
  const { system, options } = repl.conversation;
  let info: ShowResponse;
  try {
    info = await repl.client.show({
      model: repl.model,
      ...(system !== undefined && { system }),
      options: { ...options },
    }, signal);
  } catch (err) {
    // Cancelled by Ctrl+C: the user knows, and the prompt comes back without a word.
    if (!signal.aborted) await repl.out("error: couldn't get model\n");
    throw err;
  }
  // Server text, shown on the chat's terminal: harmless there, as `dollama show` prints it.
  const out = (text: string) => repl.out(safeFor(repl.io.stdout, text));
  switch (what) {
    case "info":
      return await repl.err(formatShowInfo(info));
    case "license":
      return await out(
        info.license ? `${info.license}\n` : "No license was specified for this model.\n",
      );
    case "modelfile":
      return await out(`${info.modelfile ?? ""}\n`);
    case "parameters":
      return await out(parametersText(info.parameters, options));
    case "system": {
      const shown = system || info.system;
      return await out(
        shown ? `${shown}\n\n` : "No system message was specified for this model.\n",
      );
    }
    case "template":
      return await out(
        info.template ? `${info.template}\n` : "No prompt template was specified for this model.\n",
      );
    default:
      return await out(`Unknown command '/show ${what}'. Type /? for help\n`);
  }
}

/** `/show parameters`: the model's lines, then the session's in a stable order (docs/differences.md D8). */
export function parametersText(
  modelParameters: string | undefined,
  user: Readonly<Record<string, unknown>>,
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
 * `/load PATH` attaches an image or audio file to the next message (docs/differences.md D7);
 * `/load MODEL` switches model, without pulling (docs/repl.md, /load).
 */
async function load(repl: SlashApi, rest: string[], signal: AbortSignal): Promise<void> {
  const target = loadTarget(rest);
  if (target === undefined) return await repl.out("Usage:\n  /load <modelname>\n");
  const { text, quoted } = target;
  const path = quoted ? text : unescapePath(text.replace(/^~(?=[\\/])/, repl.config.home ?? "~"));
  const named = quoted || rest.length > 1 || findPaths(text)[0] === text ||
    /^[~.]?[\\/]/.test(text);
  // A bare `pic.png` is a file in the working directory when there is one, else a model name.
  if (named || ATTACHMENT_NAME.test(text)) {
    try {
      const bytes = await readFileIfExists(path);
      if (bytes === undefined && named) throw new Error(`no such file: ${path}`);
      if (bytes !== undefined) return await attachFile(repl, path, bytes);
    } catch (err) {
      return await repl.out(`Couldn't load file: ${JSON.stringify((err as Error).message)}\n`);
    }
  }
  await loadModel(repl, text, signal);
}

const ATTACHMENT_NAME = /\.(?:jpe?g|png|webp|wav)$/i;

/**
 * What `/load` names: one word, a quoted path (`"my cat.png"`), or a path whose spaces are
 * escaped (`my\ cat.png`). Undefined when that is not what was typed.
 */
function loadTarget(rest: string[]): { text: string; quoted: boolean } | undefined {
  const joined = rest.join(" ");
  const quoted = /^(["'])(.+)\1$/s.exec(joined);
  if (quoted) return { text: quoted[2], quoted: true };
  if (rest.length === 1) return { text: joined, quoted: false };
  const escapedSpaces = rest.length > 1 && rest.slice(0, -1).every((w) => w.endsWith("\\"));
  return escapedSpaces ? { text: joined, quoted: false } : undefined;
}

/** Attaches a file to the next message; a model that cannot take it gets a warning. */
async function attachFile(repl: SlashApi, path: string, bytes: Uint8Array): Promise<void> {
  const attachment = toAttachment(path, bytes);
  repl.conversation.attach(attachment);
  await repl.err(`Added ${attachment.kind} '${path}'\n`);
  if (!isMultimodal(repl.info)) {
    await repl.err(
      `warning: model ${
        JSON.stringify(repl.model)
      } does not take images or audio; it will not see this ${attachment.kind}\n`,
    );
  }
}

/**
 * Switches model: show, then preload. A model that is not found, a failure, or Ctrl+C puts the
 * old model and its conversation back.
 */
async function loadModel(repl: SlashApi, model: string, signal: AbortSignal): Promise<void> {
  const before = repl.snapshot();
  await repl.out(`Loading model '${model}'\n`);
  try {
    const info = await repl.client.show({ model }, signal);
    repl.switchModel(model, info);
    if (!info.remote_host) await repl.preload(signal);
  } catch (err) {
    const text = (err as Error).message;
    if (!signal.aborted && text.includes("does not support thinking")) {
      // The model is loaded; only thinking is refused, and the next /set nothink fixes that.
      return await repl.out(`error: ${sanitizeForTerminal(text)}\n`);
    }
    repl.restore(before);
    if (!signal.aborted && text.includes("not found")) {
      return await repl.out(`Couldn't find model '${model}'\n`);
    }
    throw err;
  }
}

/**
 * Whether `name` is a model name the server can accept: `[host/][namespace/]model[:tag]`, each
 * part letters, digits, `_`, `-` and `.`, not starting with a punctuation mark. A file path
 * (a model created from a local GGUF has one as its `parent_model`) is not.
 */
export function isModelName(name: string): boolean {
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const hasTag = colon > slash;
  const parts = (hasTag ? name.slice(0, colon) : name).split("/");
  if (parts.length > 3) return false;
  const host = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/; // a registry host may carry a port
  const part = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/;
  const partsOk = parts.every((p, i) => (i === 0 && parts.length === 3 ? host : part).test(p));
  return partsOk && (!hasTag || /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(name.slice(colon + 1)));
}

/**
 * `/save NAME`: a new model from this session via `/api/create`, from the model's parent when
 * that is a model name and from the model itself otherwise, as the official client does. A
 * name that cannot be a model name is refused here; a refusal by the server is reported in its
 * own words, never as a fault of the name the user chose.
 */
async function save(repl: SlashApi, rest: string[], signal: AbortSignal): Promise<void> {
  if (rest.length !== 1) return await repl.out("Usage:\n  /save <modelname>\n");
  const name = rest[0];
  if (!isModelName(name)) return await repl.out(`error: The model name '${name}' is invalid\n`);
  const parent = repl.info.details?.parent_model;
  const from = parent && isModelName(parent) ? parent : repl.model;
  const { system, options } = repl.conversation;
  const messages = repl.conversation.allMessages;
  // A refusal by the server ends up in the REPL's error line, in the server's words.
  // The progress of a create is not shown, as upstream.
  await repl.client.create({
    model: name,
    from,
    ...(system !== undefined && { system }),
    ...(Object.keys(options).length && { parameters: { ...options } }),
    ...(messages.length && { messages }),
  }, signal).each(() => undefined);
  await repl.out(`Created new model '${name}'\n`);
}
