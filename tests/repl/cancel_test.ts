/**
 * Ctrl+C during a REPL operation cancels that operation only: in-process against a fake server
 * that stalls one endpoint, the session goes on, the next message gets its answer, and the
 * process-wide signal is never aborted.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { testContext, type TestIo, testIo } from "../support/test_io.ts";
import { scriptedLines } from "../support/scripted_lines.ts";
import { ChatSession, type ReadLine } from "../../lib/repl/session.ts";
import { History } from "../../lib/repl/history.ts";
import type { Context } from "../../lib/context.ts";

const llama = { name: "llama3:latest", reply: "Hi there." };
const slow = { name: "slow:latest", reply: "Slowly." };

interface Run {
  io: TestIo;
  ctx: Context;
  server: FakeOllama;
  session: ChatSession;
  chats: () => { model: string; messages: unknown[] }[];
}

/**
 * Runs `lines` through a session on llama3 whose server stalls `stall`; Ctrl+C is pressed as
 * soon as the stalled request arrives. `start` runs the preload first.
 */
async function cancelled(
  lines: string[],
  stall: FakeOptions["stall"],
  options: { start?: boolean } = {},
): Promise<Run> {
  const server = new FakeOllama({ models: [llama, slow], stall });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    // Built by hand: a stalled /api/show must not hold up the test's own set-up.
    const info = { capabilities: ["completion"] };
    const readLine = scriptedLines(lines);
    const session = new ChatSession(ctx, {
      model: "llama3",
      info,
      thinkExplicit: false,
      verbose: false,
      wordWrap: true,
      hideThinking: false,
    }, { readLine, history: await History.open({ useFile: false }) });
    server.stallStarted.then(() => io.interrupt());
    // Should Ctrl+C not cancel the request, the test fails on the 503 instead of hanging.
    const guard = setTimeout(() => server.releaseStalls(), 15_000);
    try {
      if (options.start) await session.start();
      await session.run();
      await server.clientWentAway;
    } finally {
      clearTimeout(guard);
    }
    return {
      io,
      ctx,
      server,
      session,
      chats: () => server.requestsTo("/api/chat").map((r) => r.body),
    };
  } finally {
    await server.close();
  }
}

Deno.test("Ctrl+C during /load of a slow model keeps the old model and the conversation", async () => {
  const { io, ctx, chats, session } = await cancelled(
    ["one", "/load slow", "two"],
    [{ path: "/api/generate", model: "slow" }],
  );
  assertEquals(io.stdout.text, "Hi there.\n\nLoading model 'slow'\nHi there.\n\n");
  assertEquals(chats().map((c) => c.model), ["llama3", "llama3"]);
  assertEquals(chats()[1].messages, [
    { role: "user", content: "one" },
    { role: "assistant", content: "Hi there." },
    { role: "user", content: "two" },
  ]);
  assertEquals(session.model, "llama3");
  assertEquals(ctx.signal.aborted, false);
});

Deno.test("Ctrl+C during /show info returns to the prompt without a word", async () => {
  const { io, ctx, chats } = await cancelled(["/show info", "hi"], [{ path: "/api/show" }]);
  assertEquals(io.stdout.text, "Hi there.\n\n");
  assertEquals(io.stderr.text, "");
  assertEquals(chats().length, 1);
  assertEquals(ctx.signal.aborted, false);
});

Deno.test("Ctrl+C during /list returns to the prompt", async () => {
  const { io, ctx, chats } = await cancelled(["/list", "hi"], [{ path: "/api/tags" }]);
  assertEquals(io.stdout.text, "Hi there.\n\n");
  assertEquals(chats().length, 1);
  assertEquals(ctx.signal.aborted, false);
});

Deno.test("Ctrl+C during /save returns to the prompt, the conversation intact", async () => {
  const { io, ctx, chats } = await cancelled(
    ["one", "/save snap", "two"],
    [{ path: "/api/create" }],
  );
  assertEquals(io.stdout.text, "Hi there.\n\nHi there.\n\n");
  assertEquals((chats()[1].messages as unknown[]).length, 3);
  assertEquals(ctx.signal.aborted, false);
});

Deno.test("Ctrl+C during the preload starts the chat anyway", async () => {
  const { io, ctx, chats, server } = await cancelled(["hi"], [{ path: "/api/generate" }], {
    start: true,
  });
  assertEquals(server.requestsTo("/api/generate").length, 1);
  assertEquals(io.stdout.text, "Hi there.\n\n");
  assertEquals(chats().length, 1);
  assertEquals(ctx.signal.aborted, false);
});

Deno.test("Ctrl+C between operations reaches neither the chat nor the process signal", async () => {
  const server = new FakeOllama({ models: [llama] });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const lines = ["one", "two"];
    const readLine: ReadLine = () => {
      // A stray SIGINT while the prompt waits (the line editor reads Ctrl+C as a key).
      io.interrupt();
      const text = lines.shift();
      return Promise.resolve(text === undefined ? { type: "eof" } : { type: "line", text });
    };
    const session = new ChatSession(ctx, {
      model: "llama3",
      info: { capabilities: ["completion"] },
      thinkExplicit: false,
      verbose: false,
      wordWrap: true,
      hideThinking: false,
    }, { readLine, history: await History.open({ useFile: false }) });
    await session.run();
    assertEquals(io.stdout.text, "Hi there.\n\nHi there.\n\n");
    assertEquals(ctx.signal.aborted, false);
  } finally {
    await server.close();
  }
});

Deno.test("without an operation in progress, Ctrl+C aborts the process-wide signal", () => {
  // The control for the tests above: the test context's signal is one that Ctrl+C can fire.
  const io = testIo();
  const ctx = testContext(io, "http://127.0.0.1:9");
  io.interrupt();
  assertEquals(ctx.signal.aborted, true);
});
