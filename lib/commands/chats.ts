/**
 * `dollama chats`: the saved conversations (docs/conversations.md). Without an action it lists
 * them, newest first; `chats show ID` prints one as a transcript, `chats rm ID` deletes one.
 * `--json` prints the list as a JSON array, or a conversation's records as JSON Lines. Nothing
 * here talks to the server.
 */
import type { Context } from "../context.ts";
import { openChatStore } from "../chat/store.ts";
import { CliError, osReason } from "../errors.ts";
import { formatChats, formatTranscript } from "../format/chats.ts";
import { jsonText } from "../format/json_text.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";

/**
 * The saved conversations' folder could not be read or changed (a file where the folder should
 * be, no permission): one line that names the place, in words.
 */
async function inStore<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof CliError || !/\(os error \d+\)/.test(String(err))) throw err;
    throw new CliError(`the saved conversations cannot be read: ${osReason(err)}`);
  }
}

export async function chatsCommand(
  ctx: Context,
  action: string | undefined,
  typedId: string | undefined,
  flags: { json?: boolean },
): Promise<void> {
  const { stdout } = ctx.io;
  const store = openChatStore(ctx.config, ctx.io.os);
  if (action === undefined) {
    const chats = store ? await inStore(() => store.list()) : [];
    return await stdout.write(
      flags.json ? jsonText(chats, 2) + "\n" : formatChats(chats, ctx.io.now()),
    );
  }
  if (action !== "show" && action !== "rm") {
    throw new CliError(`unknown action '${action}' for chats (use show or rm)`);
  }
  if (typedId === undefined) throw new CliError(`chats ${action} needs a conversation ID`);
  if (!store) throw new CliError(`conversation '${typedId}' not found (see dollama chats)`);
  const id = await inStore(() => store.resolve(typedId));
  if (action === "rm") {
    await inStore(() => store.remove(id));
    return await stdout.write(`deleted '${id}'\n`);
  }
  const records = await inStore(() => store.read(id));
  if (flags.json) {
    // Prompts and answers are the model's text: their control characters stay escapes.
    return await stdout.write(records.map((r) => jsonText(r) + "\n").join(""));
  }
  const transcript = formatTranscript(records);
  // What the model wrote is the server's text: harmless on a terminal, as the chat shows it.
  await stdout.write(stdout.isTerminal ? sanitizeForTerminal(transcript) : transcript);
}
