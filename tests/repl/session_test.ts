/**
 * The REPL session driven by scripted lines against the fake server, in-process: exact output
 * of every command and what each chat turn sends.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { testContext, type TestIo, testIo } from "../support/test_io.ts";
import { ChatSession, type ReadLine, type ReadResult } from "../../lib/repl/session.ts";
import { History } from "../../lib/repl/history.ts";
import { isModelName } from "../../lib/repl/commands.ts";
import { ChatRecorder } from "../../lib/chat/recorder.ts";
import { ChatStore, replay } from "../../lib/chat/store.ts";
import {
  helpText,
  PARAMETER_HELP,
  SET_HELP,
  SHORTCUTS_HELP,
  SHOW_HELP,
} from "../../lib/repl/texts.ts";

const llama = { name: "llama3:latest", reply: "Hi there." };
const qwen = {
  name: "qwen3:latest",
  capabilities: ["completion", "thinking"],
  thinking: "Hmm.",
  reply: "Sure.",
};
const llava = { name: "llava:latest", capabilities: ["completion", "vision"], reply: "A cat." };

type Step = string | ReadResult | ((session: ChatSession) => void);

function scripted(steps: Step[], session: () => ChatSession): ReadLine {
  let i = 0;
  return () => {
    while (i < steps.length) {
      const step = steps[i++];
      if (typeof step === "function") {
        step(session());
        continue;
      }
      return Promise.resolve(typeof step === "string" ? { type: "line", text: step } : step);
    }
    return Promise.resolve({ type: "eof" });
  };
}

interface Run {
  io: TestIo;
  server: FakeOllama;
  session: ChatSession;
  chats: () => Record<string, unknown>[];
}

async function chat(
  steps: Step[],
  options: {
    model?: string;
    fake?: FakeOptions;
    env?: Record<string, string>;
    recorder?: ChatRecorder;
    /** `--verbose=json`: the chat starts with verbose statistics as JSON. */
    verboseJson?: boolean;
  } = {},
): Promise<Run> {
  const server = new FakeOllama({ models: [llama, qwen, llava], ...options.fake });
  try {
    const io = testIo({ env: options.env });
    const ctx = testContext(io, server.url);
    const model = options.model ?? "llama3";
    const info = await ctx.client.show({ model });
    const history = await History.open({ useFile: false });
    const session: ChatSession = new ChatSession(ctx, {
      model,
      info,
      think: (info.capabilities ?? []).includes("thinking") ? true : undefined,
      thinkExplicit: false,
      verbose: options.verboseJson ?? false,
      verboseJson: options.verboseJson,
      wordWrap: true,
      hideThinking: false,
    }, { readLine: scripted(steps, () => session), history, recorder: options.recorder });
    await session.run();
    return {
      io,
      server,
      session,
      chats: () => server.requestsTo("/api/chat").map((r) => r.body),
    };
  } finally {
    await server.close();
  }
}

Deno.test("ChatSession handles a message and its answer", async () => {
  const { io, chats } = await chat(["hello"]);
  assertEquals(io.stdout.text, "Hi there.\n\n");
  assertEquals(chats(), [{
    model: "llama3",
    messages: [{ role: "user", content: "hello" }],
    options: {},
  }]);
});

Deno.test("ChatSession handles a conversation: every turn sends the whole history", async () => {
  const { chats } = await chat(["one", "two"]);
  assertEquals(chats()[1].messages as unknown[], [
    { role: "user", content: "one" },
    { role: "assistant", content: "Hi there." },
    { role: "user", content: "two" },
  ]);
});

Deno.test('ChatSession handles """ blocks as one message', async () => {
  const { chats } = await chat(['"""a', 'b"""', '"""', "abc", '"""', '"""one line"""']);
  assertEquals(chats().map((c) => (c.messages as { content: string }[]).at(-1)!.content), [
    "a\nb",
    "\nabc\n",
    "one line",
  ]);
});

Deno.test("ChatSession handles Ctrl+C inside a block by leaving it", async () => {
  const { io, chats } = await chat(['"""start', { type: "interrupt" }, "after"]);
  assertEquals(chats().length, 1);
  assertEquals((chats()[0].messages as { content: string }[])[0].content, "after");
  assertEquals(io.stdout.text.includes("Use Ctrl + d"), false);
});

Deno.test("ChatSession handles Ctrl+C at the prompt with the exit hint", async () => {
  const { io } = await chat([{ type: "interrupt" }]);
  assertEquals(io.stdout.text, "Use Ctrl + d or /bye to exit.\n");
});

Deno.test("ChatSession handles /set parameter: confirmation, errors, and options on the wire", async () => {
  const { io, chats } = await chat([
    "/set parameter num_ctx 8192",
    "/set parameter temperature 0.7",
    "/set parameter stop a b",
    "/set parameter foo 1",
    "/set parameter seed x",
    "/set parameter top_p x",
    "/set parameter seed",
    "hi",
  ]);
  assertEquals(
    io.stdout.text,
    "Set parameter 'num_ctx' to '8192'\n" +
      "Set parameter 'temperature' to '0.7'\n" +
      "Set parameter 'stop' to 'a, b'\n" +
      `Couldn't set parameter: "unknown parameter 'foo'"\n` +
      `Couldn't set parameter: "invalid int value [x]"\n` +
      `Couldn't set parameter: "invalid float value [x]"\n` +
      "Hi there.\n\n",
  );
  assertEquals(io.stderr.text, PARAMETER_HELP);
  assertEquals(chats()[0].options, { num_ctx: 8192, temperature: 0.7, stop: ["a", "b"] });
});

Deno.test("each /set on/off word changes its own setting, and only that one", async () => {
  const seen: string[] = [];
  const note = (word: string) => (session: ChatSession) => {
    const { wordWrap, verbose, hideThinking, noStream } = session.settings;
    seen.push(`${word}: ${JSON.stringify({ wordWrap, verbose, hideThinking, noStream })}`);
  };
  const words = [
    "nowordwrap",
    "wordwrap",
    "verbose",
    "quiet",
    "hidethinking",
    "nohidethinking",
    "nostream",
    "stream",
  ];
  await chat(words.flatMap((word) => [`/set ${word}`, note(word)]));
  assertEquals(seen, [
    'nowordwrap: {"wordWrap":false,"verbose":false,"hideThinking":false}',
    'wordwrap: {"wordWrap":true,"verbose":false,"hideThinking":false}',
    'verbose: {"wordWrap":true,"verbose":true,"hideThinking":false}',
    'quiet: {"wordWrap":true,"verbose":false,"hideThinking":false}',
    'hidethinking: {"wordWrap":true,"verbose":false,"hideThinking":true}',
    'nohidethinking: {"wordWrap":true,"verbose":false,"hideThinking":false}',
    'nostream: {"wordWrap":true,"verbose":false,"hideThinking":false,"noStream":true}',
    'stream: {"wordWrap":true,"verbose":false,"hideThinking":false,"noStream":false}',
  ]);
});

Deno.test("ChatSession handles every /set toggle with upstream's texts", async () => {
  const { io, session, chats } = await chat([
    "/set wordwrap",
    "/set nowordwrap",
    "/set verbose",
    "/set quiet",
    "/set format json",
    "/set format xml",
    "/set noformat",
    "/set format json",
    "/set hidethinking",
    "/set nohidethinking",
    "/set nohistory",
    "/set bogus",
    "hi",
  ]);
  assertEquals(
    io.stdout.text,
    "Set 'wordwrap' mode.\nSet 'nowordwrap' mode.\nSet 'verbose' mode.\nSet 'quiet' mode.\n" +
      "Set format to 'json' mode.\n" +
      "Invalid or missing format. For 'json' mode use '/set format json'\n" +
      "Disabled format.\nSet format to 'json' mode.\n" +
      "Set 'hidethinking' mode.\nSet 'nohidethinking' mode.\n" +
      "Unknown command '/set bogus'. Type /? for help\n" +
      "Hi there.\n\n",
  );
  assertEquals(session.settings.wordWrap, false);
  assertEquals(session.history.saving, false);
  assertEquals(chats()[0].format, "json");
});

Deno.test("ChatSession handles /set think on a model without thinking", async () => {
  const { io, chats } = await chat(["/set think", "hi", "/set nothink", "hi again"]);
  assertEquals(io.stderr.text, 'warning: model "llama3" does not support thinking output\n');
  assertEquals(
    io.stdout.text,
    "Set 'think' mode.\n" +
      'error: 400 Bad Request: "llama3" does not support thinking\n' +
      "Set 'nothink' mode.\n" +
      "Hi there.\n\n",
  );
  // The failed turn was taken back out of the conversation.
  assertEquals(chats().at(-1)!.messages, [{ role: "user", content: "hi again" }]);
  assertEquals(chats().at(-1)!.think, false);
});

Deno.test("ChatSession shows a server's thinking refusal with its escape sequences inert", async () => {
  const fake: FakeOptions = {
    handler: (req) =>
      req.path === "/api/chat"
        ? Response.json({
          error: '\x1b]0;pwned\x07\x1b[2J"llama3" does not support thinking\u202e',
        }, {
          status: 400,
        })
        : undefined,
  };
  const { io } = await chat(["hi"], { fake });
  assertEquals(
    io.stdout.text,
    'error: 400 Bad Request: \u241b]0;pwned\u2407\u241b[2J"llama3" does not support thinking\ufffd\n',
  );
});

Deno.test("ChatSession handles /set think LEVEL", async () => {
  const { io, chats } = await chat(["/set think high", "hi"], { model: "qwen3" });
  assertStringIncludes(io.stdout.text, "Set 'think' mode to 'high'.\n");
  assertEquals(chats()[0].think, "high");
});

Deno.test("ChatSession handles a thinking model: thinking on stderr, kept in the history", async () => {
  const { io, chats } = await chat(["q1", "q2"], { model: "qwen3" });
  assertEquals(io.stdout.text, "Sure.\n\nSure.\n\n");
  assertEquals(io.stderr.text, "Thinking...\nHmm.\n...done thinking.\n\n".repeat(2));
  assertEquals((chats()[1].messages as unknown[])[1], {
    role: "assistant",
    content: "Sure.",
    thinking: "Hmm.",
  });
});

Deno.test('ChatSession handles /set system, in a """ block keeping the newline', async () => {
  const { io, chats } = await chat([
    "/set system You   are a pirate.",
    '/set system """You are',
    'a pirate"""',
    "hi",
  ]);
  assertEquals(io.stdout.text, "Set system message.\nSet system message.\nHi there.\n\n");
  assertEquals(chats()[0].messages, [
    { role: "system", content: "You are\na pirate" },
    { role: "user", content: "hi" },
  ]);
});

Deno.test("ChatSession handles /clear: history emptied, the system message kept", async () => {
  const { io, chats } = await chat(["/set system Be brief.", "one", "/clear", "two"]);
  assertStringIncludes(io.stdout.text, "Cleared session context\n");
  assertEquals(chats()[1].messages, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "two" },
  ]);
});

Deno.test("ChatSession handles help commands on stderr", async () => {
  const { io } = await chat([
    "/?",
    "/help",
    "/? set",
    "/? /show",
    "/? shortcuts",
    "/set",
    "/show",
    "/? zzz",
  ]);
  assertEquals(
    io.stderr.text,
    helpText(false) + helpText(false) + SET_HELP + SHOW_HELP + SHORTCUTS_HELP + SET_HELP +
      SHOW_HELP,
  );
  assertEquals(io.stdout.text, "");
});

Deno.test("ChatSession handles unknown commands and prefix matching", async () => {
  const { io, chats } = await chat(["/foo bar", "/clearall", "/byebye", "never sent"]);
  assertEquals(
    io.stdout.text,
    "Unknown command '/foo'. Type /? for help\nCleared session context\n",
  );
  assertEquals(chats().length, 0);
});

Deno.test("ChatSession handles /show subcommands", async () => {
  const fake = {
    models: [{
      ...llama,
      show: {
        license: "MIT",
        parameters: 'stop                           "<|eot_id|>"',
        system: "",
      },
    }],
  };
  const { io } = await chat([
    "/show license",
    "/show parameters",
    "/set parameter temperature 0.5",
    "/set parameter num_ctx 10",
    "/show parameters",
    "/show system",
    "/set system Be nice.",
    "/show system",
    "/show template",
    "/show nope",
  ], { fake });
  assertEquals(
    io.stdout.text,
    "MIT\n" +
      'Model defined parameters:\n  stop                           "<|eot_id|>"\n\n' +
      "Set parameter 'temperature' to '0.5'\nSet parameter 'num_ctx' to '10'\n" +
      'Model defined parameters:\n  stop                           "<|eot_id|>"\n\n' +
      "User defined parameters:\n" +
      `  ${"num_ctx".padEnd(30)} 10\n  ${"temperature".padEnd(30)} 0.5\n\n` +
      "No system message was specified for this model.\n" +
      "Set system message.\nBe nice.\n\n" +
      "{{ .Prompt }}\n" +
      "Unknown command '/show nope'. Type /? for help\n",
  );
});

Deno.test("ChatSession handles /load of another model and of an unknown one", async () => {
  const { io, chats, server } = await chat([
    "hi",
    "/load qwen3",
    "again",
    "/load nosuch",
    "third",
    "/load",
  ]);
  assertEquals(
    io.stdout.text,
    "Hi there.\n\n" +
      "Loading model 'qwen3'\n" +
      "Sure.\n\n" +
      "Loading model 'nosuch'\n" +
      "Couldn't find model 'nosuch'\n" +
      "Sure.\n\n" +
      "Usage:\n  /load <modelname>\n",
  );
  // The conversation starts over with the new model, and thinking follows it (docs/differences.md D5).
  assertEquals(chats()[1].model, "qwen3");
  assertEquals(chats()[1].think, true);
  assertEquals(chats()[1].messages, [{ role: "user", content: "again" }]);
  assertEquals(server.requestsTo("/api/pull").length, 0);
});

Deno.test("ChatSession handles /load of an image: sent base64 with the next message", async () => {
  const dir = Deno.makeTempDirSync();
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  Deno.writeFileSync(`${dir}/cat.png`, png);
  const { io, chats } = await chat([`/load ${dir}/cat.png`, "what is this?"], { model: "llava" });
  assertEquals(io.stderr.text, `Added image '${dir}/cat.png'\n`);
  assertEquals(chats()[0].messages, [{
    role: "user",
    content: "what is this?",
    images: ["iVBORw0KGgoAAAAA"],
  }]);
});

Deno.test("ChatSession handles an image path typed in a message for a vision model", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeFileSync(`${dir}/a.jpg`, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]));
  const { io, chats } = await chat([`describe ${dir}/a.jpg please`], { model: "llava" });
  assertEquals(io.stderr.text, `Added image '${dir}/a.jpg'\n`);
  assertEquals(chats()[0].messages, [{
    role: "user",
    content: "describe  please",
    images: ["/9j/4A=="],
  }]);
});

Deno.test("ChatSession handles /save through /api/create", async () => {
  const { io, server } = await chat([
    "/set system Be brief.",
    "/set parameter temperature 0.2",
    "hi",
    "/save mymodel",
    "/save bad name!",
    "/save bad!",
  ]);
  assertStringIncludes(io.stdout.text, "Created new model 'mymodel'\n");
  assertStringIncludes(io.stdout.text, "Usage:\n  /save <modelname>\n");
  assertStringIncludes(io.stdout.text, "error: The model name 'bad!' is invalid\n");
  assertEquals(server.requestsTo("/api/create")[0].body, {
    model: "mymodel",
    from: "llama3",
    system: "Be brief.",
    parameters: { temperature: 0.2 },
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hi there." },
    ],
  });
});

Deno.test("ChatSession handles Ctrl+C during an answer: turn removed, prompt back", async () => {
  let sawRequest: () => void;
  const requested = new Promise<void>((r) => sawRequest = r);
  const fake: FakeOptions = {
    chunkDelayMs: 100,
    handler: (req) => {
      if (req.path === "/api/chat") sawRequest();
      return undefined;
    },
  };
  const server = new FakeOllama({
    models: [{ ...llama, reply: "a b c d e f g h i j k l" }],
    ...fake,
  });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const info = await ctx.client.show({ model: "llama3" });
    let lines = 0;
    const session = new ChatSession(ctx, {
      model: "llama3",
      info,
      thinkExplicit: false,
      verbose: false,
      wordWrap: true,
      hideThinking: false,
    }, {
      history: await History.open({ useFile: false }),
      readLine: () => {
        lines++;
        if (lines === 1) {
          requested.then(() => setTimeout(() => io.interrupt(), 150));
          return Promise.resolve({ type: "line", text: "slow one" });
        }
        if (lines === 2) return Promise.resolve({ type: "line", text: "next" });
        return Promise.resolve({ type: "eof" });
      },
    });
    await session.run();
    await server.clientWentAway;
    const chats = server.requestsTo("/api/chat").map((r) => r.body);
    assertEquals(chats.length, 2);
    assertEquals(chats[1].messages[0], { role: "user", content: "next" });
    assertEquals(chats[1].messages.length, 1);
  } finally {
    await server.close();
  }
});

Deno.test("ChatSession handles an upstream error without ending the chat", async () => {
  let calls = 0;
  const fake: FakeOptions = {
    handler: (req) =>
      req.path === "/api/chat" && ++calls === 1
        ? new Response(JSON.stringify({ error: "upstream error: 502" }), { status: 502 })
        : undefined,
  };
  const { io, chats } = await chat(["first", "second"], { fake });
  assertEquals(
    io.stdout.text,
    "An error occurred while processing your message. Please try again.\n\nHi there.\n\n",
  );
  assertEquals(chats()[1].messages, [{ role: "user", content: "second" }]);
});

Deno.test("ChatSession handles other chat errors: an Error line, and the chat goes on", async () => {
  let calls = 0;
  const fake: FakeOptions = {
    handler: (req) =>
      req.path === "/api/chat" && ++calls === 2
        ? new Response(JSON.stringify({ error: "model runner has unexpectedly stopped" }), {
          status: 500,
        })
        : undefined,
  };
  const { io, chats } = await chat(["one", "two", "three"], { fake });
  assertEquals(
    io.stderr.text,
    "Error: 500 Internal Server Error: model runner has unexpectedly stopped\n",
  );
  assertEquals(io.stdout.text, "Hi there.\n\nHi there.\n\n");
  // The failed turn is not part of the conversation.
  assertEquals(chats()[2].messages, [
    { role: "user", content: "one" },
    { role: "assistant", content: "Hi there." },
    { role: "user", content: "three" },
  ]);
});

Deno.test("ChatSession handles --verbose stats after each answer", async () => {
  const { io } = await chat(["/set verbose", "hi"]);
  assertStringIncludes(io.stderr.text, "eval rate:            271.23 tokens/s\n");
});

Deno.test("ChatSession handles --verbose=json: the stats as one JSON line after each answer", async () => {
  const { io } = await chat(["hi"], { verboseJson: true });
  const line = io.stderr.text.split("\n").find((l) => l.startsWith("{"));
  assertEquals(JSON.parse(line ?? "null")?.eval_rate, 271.23);
  assertEquals(io.stderr.text.includes("eval rate:"), false);
});

Deno.test("ChatSession.start() handles a saved model: preload, then its messages shown", async () => {
  const saved = {
    ...llama,
    show: {
      messages: [
        { role: "user" as const, content: "Who are you?" },
        { role: "assistant" as const, content: "A pirate." },
        { role: "system" as const, content: "not shown" },
      ],
    },
  };
  const server = new FakeOllama({ models: [saved] });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const info = await ctx.client.show({ model: "llama3" });
    const session: ChatSession = new ChatSession(ctx, {
      model: "llama3",
      info,
      keepAlive: "5m0s",
      thinkExplicit: false,
      verbose: false,
      wordWrap: true,
      hideThinking: false,
    }, { readLine: scripted([], () => session), history: await History.open({ useFile: false }) });
    await session.start();
    assertEquals(io.stdout.text, ">>> Who are you?\nA pirate.\n\n");
    assertEquals(server.requestsTo("/api/generate")[0].body, {
      model: "llama3",
      keep_alive: "5m0s",
    });
    // Saved messages are the server's business: the first turn does not repeat them.
    await session.send("hi");
    assertEquals(server.requestsTo("/api/chat")[0].body.messages, [{
      role: "user",
      content: "hi",
    }]);
  } finally {
    await server.close();
  }
});

Deno.test("ChatSession.start() loads the model inside whileAnswering, so keys typed meanwhile stay quiet", async () => {
  let answering = 0;
  const seen: number[] = [];
  const server = new FakeOllama({
    models: [llama],
    handler: (req) => {
      if (req.path === "/api/generate") seen.push(answering);
      return undefined;
    },
  });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const info = await ctx.client.show({ model: "llama3" });
    const session: ChatSession = new ChatSession(ctx, {
      model: "llama3",
      info,
      thinkExplicit: false,
      verbose: false,
      wordWrap: true,
      hideThinking: false,
    }, {
      readLine: scripted([], () => session),
      history: await History.open({ useFile: false }),
      whileAnswering: async (operation) => {
        answering++;
        try {
          return await operation();
        } finally {
          answering--;
        }
      },
    });
    await session.start();
    assertEquals(seen, [1]);
    assertEquals(answering, 0);
  } finally {
    await server.close();
  }
});

Deno.test("ChatSession handles /show info, /show modelfile and /list", async () => {
  const { io } = await chat(["/show info", "/show modelfile", "/list", "/list qw"]);
  assertEquals(
    io.stderr.text,
    "  Model\n    architecture    llama    \n    parameters      3.2B     \n" +
      "    quantization             \n\n" +
      "  Capabilities\n    completion    \n\n",
  );
  assertEquals(
    io.stdout.text,
    '# Modelfile generated by "ollama show"\nFROM llama3:latest\n\n' +
      "NAME             ID              SIZE      MODIFIED   \n" +
      "llama3:latest    a80c4f17acd5    2.0 GB    4 days ago    \n" +
      "qwen3:latest     a80c4f17acd5    2.0 GB    4 days ago    \n" +
      "llava:latest     a80c4f17acd5    2.0 GB    4 days ago    \n" +
      "NAME            ID              SIZE      MODIFIED   \n" +
      "qwen3:latest    a80c4f17acd5    2.0 GB    4 days ago    \n",
  );
});

Deno.test("ChatSession handles an audio file typed in a message", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeFileSync(`${dir}/a.wav`, new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt "));
  const { io, chats } = await chat([`transcribe ${dir}/a.wav`], { model: "llava" });
  assertEquals(io.stderr.text, `Added audio '${dir}/a.wav'\n`);
  assertEquals((chats()[0].messages as { images: string[] }[])[0].images, [
    "UklGRgAAAABXQVZFZm10IA==",
  ]);
});

Deno.test("ChatSession handles a file that is not an image: an Error line, and the chat goes on", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/notes.png`, "plain text");
  const { io, chats } = await chat([`look at ${dir}/notes.png`, "hello"], { model: "llava" });
  assertEquals(
    io.stderr.text,
    `Couldn't process file: "invalid file type: text/plain; charset=utf-8"\n` +
      "Error: invalid file type: text/plain; charset=utf-8\n",
  );
  assertEquals(chats().map((c) => c.messages), [[{ role: "user", content: "hello" }]]);
});

/** An NDJSON chat stream: `pieces` of content, then the given last line (an error, say). */
function chatStream(pieces: string[], last: unknown): Response {
  const lines = pieces.map((content) =>
    JSON.stringify({ model: "llama3", message: { role: "assistant", content }, done: false })
  );
  return new Response([...lines, JSON.stringify(last)].join("\n") + "\n", {
    headers: { "content-type": "application/x-ndjson" },
  });
}

Deno.test("ChatSession handles a mid-stream error: partial answer kept, Error line, /retry resends", async () => {
  let calls = 0;
  const fake: FakeOptions = {
    handler: (req) =>
      req.path === "/api/chat" && ++calls === 1
        ? chatStream(["Half ", "an"], { error: "the model crashed" })
        : undefined,
  };
  const { io, chats } = await chat(["first", "/retry", "/retry", "next"], { fake });
  // The partial answer stays and its line is ended before the error line.
  assertEquals(io.stdout.text, "Half an\nHi there.\n\nNo message to retry.\nHi there.\n\n");
  assertEquals(io.stderr.text, "Error: the model crashed\n");
  assertEquals(chats()[1].messages, [{ role: "user", content: "first" }]);
  assertEquals(chats()[2].messages, [
    { role: "user", content: "first" },
    { role: "assistant", content: "Hi there." },
    { role: "user", content: "next" },
  ]);
});

Deno.test("ChatSession handles /list and /save failing with a 500: Error line, chat goes on", async () => {
  const fake: FakeOptions = {
    handler: (req) =>
      req.path === "/api/tags" || req.path === "/api/create"
        ? new Response(JSON.stringify({ error: "disk full" }), { status: 500 })
        : undefined,
  };
  const { io, chats } = await chat(["hi", "/list", "/save snap", "again"], { fake });
  assertEquals(
    io.stderr.text,
    "Error: disk full\nError: 500 Internal Server Error: disk full\n",
  );
  assertEquals(io.stdout.text, "Hi there.\n\nHi there.\n\n");
  assertEquals((chats()[1].messages as unknown[]).length, 3);
});

Deno.test("ChatSession handles /save of a model made from a file: sends the model's name as from", async () => {
  const local = {
    ...llama,
    show: {
      details: { parent_model: "/root/.ollama/models/blobs/sha256-4c1c2b4f", format: "gguf" },
    },
  };
  const fake: FakeOptions = {
    models: [local],
    handler: (req) =>
      req.path === "/api/create" && req.body.model === "refused"
        ? new Response(JSON.stringify({ error: "invalid model name" }), { status: 400 })
        : undefined,
  };
  const { io, server } = await chat(["/save mysnap", "/save refused"], { fake });
  assertEquals(server.requestsTo("/api/create")[0].body, { model: "mysnap", from: "llama3" });
  assertStringIncludes(io.stdout.text, "Created new model 'mysnap'\n");
  // The server's refusal is reported in its words, not blamed on the name.
  assertEquals(io.stdout.text.includes("is invalid"), false);
  assertEquals(io.stderr.text, "Error: 400 Bad Request: invalid model name\n");
});

Deno.test("ChatSession handles /set history with OLLAMA_NOHISTORY: says history is disabled", async () => {
  const { io } = await chat(["/set history", "/set nohistory"], { env: { OLLAMA_NOHISTORY: "1" } });
  assertEquals(io.stdout.text, "History is disabled (OLLAMA_NOHISTORY is set).\n");
});

Deno.test("ChatSession saves each completed turn; /clear restarts the saved conversation", async () => {
  const store = new ChatStore(`${Deno.makeTempDirSync()}/chats`);
  const recorder = new ChatRecorder({
    store,
    via: "repl",
    now: () => Date.parse("2026-11-24T12:00:00Z"),
    warn: () => Promise.resolve(),
  });
  const fake: FakeOptions = {
    handler: (req) =>
      req.path === "/api/chat" && req.body.messages.at(-1).content === "fails"
        ? new Response(JSON.stringify({ error: "no" }), { status: 500 })
        : undefined,
  };
  await chat(["/set system Be brief.", "one", "fails", "two", "/clear", "three"], {
    fake,
    recorder,
  });
  const records = await store.read(recorder.id!);
  assertEquals(records.map((r) => r.messages.map((m) => m.content)), [
    ["Be brief.", "one", "Hi there."],
    ["two", "Hi there."],
    ["Be brief.", "three", "Hi there."],
  ]);
  assertEquals(records.map((r) => r.restart), [undefined, undefined, true]);
  assertEquals(records[0].system, "Be brief.");
  assertEquals(records[0].model, "llama3");
  assertEquals(records[0].via, "repl");
  assertEquals(records[0].metrics?.eval_count, 298);
  assertEquals(replay(records).messages.map((m) => m.content), ["Be brief.", "three", "Hi there."]);
});

Deno.test("isModelName() accepts model names and refuses paths and punctuation", () => {
  for (
    const name of ["mysnap", "llama3:8b", "ns/model:tag", "registry.io:5000/ns/model:v1.2", "_x"]
  ) {
    assertEquals(isModelName(name), true, name);
  }
  const refused = [
    "/root/.ollama/models/blobs/sha256-4c1c",
    "bad!",
    "a/b/c/d",
    "-x",
    "x:",
    "ns//m",
    "",
  ];
  for (const name of refused) assertEquals(isModelName(name), false, name);
});

Deno.test("ChatSession continues a resumed conversation: shown at start, sent with each turn", async () => {
  const server = new FakeOllama({ models: [llama] });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const info = await ctx.client.show({ model: "llama3" });
    const session: ChatSession = new ChatSession(ctx, {
      model: "llama3",
      info,
      thinkExplicit: false,
      verbose: false,
      wordWrap: true,
      hideThinking: false,
      resumed: {
        model: "llama3",
        messages: [{ role: "user", content: "earlier" }, { role: "assistant", content: "Reply." }],
        system: "Be brief.",
        options: { seed: 7 },
      },
    }, {
      readLine: scripted(["now"], () => session),
      history: await History.open({ useFile: false }),
    });
    await session.start();
    await session.run();
    assertEquals(io.stdout.text, ">>> earlier\nReply.\n\nHi there.\n\n");
    const [body] = server.requestsTo("/api/chat").map((r) => r.body);
    assertEquals(body.messages, [
      { role: "user", content: "earlier" },
      { role: "assistant", content: "Reply." },
      { role: "user", content: "now" },
    ]);
    assertEquals(body.options, { seed: 7 });
  } finally {
    await server.close();
  }
});
