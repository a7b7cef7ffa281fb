/**
 * `dollama run --parameter … --system …` opening the chat: the flags are the chat's starting
 * values, which `/show` lists, `/set` changes and every turn sends; and `/set nostream`, which
 * prints each answer once, complete.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { testContext, testIo, WriteLog } from "../support/test_io.ts";
import { scriptedLines } from "../support/scripted_lines.ts";
import { ChatSession } from "../../lib/repl/session.ts";
import { History } from "../../lib/repl/history.ts";
import type { Options } from "../../lib/api/types.ts";

const llama = { name: "llama3:latest", reply: "Hi there, how are you?" };

async function chat(
  texts: string[],
  start: { parameters?: Options; system?: string; noStream?: boolean } = {},
  options: { preload?: boolean } = {},
) {
  const server = new FakeOllama({ models: [llama], chunkDelayMs: 20 });
  try {
    const stdout = new WriteLog();
    const io = { ...testIo(), stdout };
    const ctx = testContext(io, server.url);
    const info = await ctx.client.show({ model: "llama3" });
    const session = new ChatSession(ctx, {
      model: "llama3",
      info,
      thinkExplicit: false,
      verbose: false,
      wordWrap: false,
      hideThinking: false,
      ...start,
    }, { readLine: scriptedLines(texts), history: await History.open({ useFile: false }) });
    if (options.preload) await session.start();
    await session.run();
    return {
      stdout,
      chats: server.requestsTo("/api/chat").map((r) => r.body),
      generates: server.requestsTo("/api/generate").map((r) => r.body),
    };
  } finally {
    await server.close();
  }
}

Deno.test("--parameter and --system are the chat's starting values", async () => {
  const { stdout, chats } = await chat(
    ["/show parameters", "/show system", "hello", "/set parameter seed 7", "again"],
    { parameters: { seed: 42, stop: ["<|end|>", "###"] }, system: "Be brief." },
  );
  assertEquals(
    stdout.text,
    "Model defined parameters:\n" +
      "  No additional parameters were specified for this model.\n\n" +
      "User defined parameters:\n" +
      `  ${"seed".padEnd(30)} 42\n` +
      `  ${"stop".padEnd(30)} [<|end|> ###]\n\n` +
      "Be brief.\n\n" +
      `${llama.reply}\n\n` +
      "Set parameter 'seed' to '7'\n" +
      `${llama.reply}\n\n`,
  );
  assertEquals(chats.map((c) => c.options), [
    { seed: 42, stop: ["<|end|>", "###"] },
    { seed: 7, stop: ["<|end|>", "###"] },
  ]);
  assertEquals(chats[0].messages, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "hello" },
  ]);
});

Deno.test("/set nostream prints each answer once; /set stream streams again", async () => {
  const { stdout } = await chat(["one", "/set nostream", "two", "/set stream", "three"]);
  const answer = `${llama.reply}`;
  const at = (text: string) => stdout.writes.indexOf(text);
  // "two" was answered while nostream was on: the whole answer in one write.
  assert(at("Set 'nostream' mode.\n") >= 0, stdout.writes.join("|"));
  assertEquals(stdout.writes[at("Set 'nostream' mode.\n") + 1], answer);
  // Streamed answers arrive in pieces.
  const firstAnswerWrites = stdout.writes.slice(0, at("Set 'nostream' mode.\n"));
  assert(firstAnswerWrites.length > 2, firstAnswerWrites.join("|"));
  const lastAnswerWrites = stdout.writes.slice(at("Set 'stream' mode.\n") + 1);
  assert(lastAnswerWrites.length > 2, lastAnswerWrites.join("|"));
  assertEquals(stdout.text.split(answer).length - 1, 3);
});

Deno.test("--no-stream starts the chat with nostream on", async () => {
  const { stdout } = await chat(["hello"], { noStream: true });
  assertEquals(stdout.writes, [llama.reply, "\n\n"]);
});

Deno.test("the preload loads the model with the --parameter options", async () => {
  const { generates } = await chat([], { parameters: { num_ctx: 8192 } }, { preload: true });
  assertEquals(generates, [{ model: "llama3", options: { num_ctx: 8192 } }]);
  const plain = await chat([], {}, { preload: true });
  assertEquals(plain.generates, [{ model: "llama3" }]);
});
