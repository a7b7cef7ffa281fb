/**
 * Every exchange recorded with a real Ollama server (tests/fixtures/transcripts/) is served back to
 * dollama byte for byte, in the recorded pieces, and dollama must do what the official client's
 * behaviour implies: the same requests (model, prompt and the fields each flag sets), and the
 * answer, errors and exit code the official client would give, with dollama's documented
 * differences (docs/differences.md: stdout carries the answer only, one final newline).
 *
 * Scenarios the official client recorded run the dollama command that matches it, as a
 * subprocess. `list` and `ps` run in-process with the clock set to the recording's, because
 * their ages and expiry times are relative. The exchanges sent by hand (curl) are answers the
 * client cannot provoke on its own; they go through dollama's HTTP client, and the streamed
 * thinking also through the interactive chat in a terminal.
 */
import denoJson from "../../deno.json" with { type: "json" };
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { type CliResult, runCli } from "../support/cli.ts";
import { testIo } from "../support/test_io.ts";
import { startDollama } from "../support/tmux.ts";
import { OllamaClient } from "../../lib/api/client.ts";
import { StatusError, StreamError } from "../../lib/api/errors.ts";
import type { ChatRequest, GenerateChunk } from "../../lib/api/types.ts";
import { runProgram } from "../../lib/program.ts";
import { bodyOf, byOfficialClient, type Exchange, linesOf, scenarios } from "./recording.ts";
import { ReplayServer } from "./replay_server.ts";
import { LIST, PS, SHOW_ALL_MINILM, SHOW_SMOLLM2, SHOW_SMOLLM2_TOOLS } from "./official_output.ts";

const RECORDED = scenarios();

/** The recorded exchanges of the named scenarios, in order. */
function exchangesOf(...names: string[]): Exchange[] {
  return names.flatMap((name) => {
    const exchanges = RECORDED.get(name);
    if (!exchanges) throw new Error(`no scenario ${name} in the recording`);
    return exchanges;
  });
}

function only(exchanges: Exchange[], path: string): Exchange {
  const found = exchanges.filter((e) => e.path === path);
  assertEquals(found.length, 1, `one exchange with ${path}`);
  return found[0];
}

/** The streamed answer of a recorded /api/generate: every `response` piece joined. */
function answerOf(exchange: Exchange): string {
  return linesOf(exchange).map((line) => line.response ?? "").join("");
}

/** dollama's piped output: the answer and exactly one final newline (none when empty). */
function piped(answer: string): string {
  return answer === "" || answer.endsWith("\n") ? answer : `${answer}\n`;
}

/** The `error` of a recorded response: an error body, or a stream's last line. */
function errorOf(exchange: Exchange): string {
  const error = linesOf(exchange).at(-1)?.error;
  assert(typeof error === "string", `${exchange.scenario} ${exchange.path} ends with an error`);
  return error;
}

/** The request fields whose values the official client's flags decide. */
const FLAG_FIELDS = ["prompt", "format", "keep_alive", "think", "dimensions", "truncate", "input"];

/**
 * dollama sent what the official client sent, field by field: the model (the client names it in
 * `model` or in the older `name`) and every flag-decided field the recorded request carried.
 */
function assertSameRequest(recorded: Exchange, sent: Record<string, unknown> | null): void {
  const want = recorded.request_body;
  const where = `${recorded.scenario}: ${recorded.method} ${recorded.path}`;
  if (want === null) return;
  assertEquals(sent?.model ?? sent?.name, want.model || want.name, `${where}: model`);
  for (const field of FLAG_FIELDS) {
    if (field in want && want[field] !== null) {
      assertEquals(sent?.[field], want[field], `${where}: ${field}`);
    }
  }
}

interface CliCase {
  kind: "cli";
  args: string[];
  /** Other scenarios whose exchanges dollama also needs (the model's /api/show, say). */
  support?: string[];
  /** Recorded exchanges dollama has no need for, as `METHOD /path`. */
  unused?: string[];
  expect(exchanges: Exchange[]): CliResult;
}

interface ClockCase {
  kind: "clock";
  args: string[];
  /** The recording's time when the command ran: ages and expiry are relative to it. */
  now: string;
  stdout: string;
}

interface ClientCase {
  kind: "client";
  check(client: OllamaClient, exchanges: Exchange[]): Promise<void>;
}

type ReplayCase = CliCase | ClockCase | ClientCase;

const oneshot = (args: string[]): CliCase => ({
  kind: "cli",
  args,
  expect: (exchanges) => ({
    code: 0,
    stdout: piped(answerOf(only(exchanges, "/api/generate"))),
    stderr: "",
  }),
});

const failure = (args: string[], path: string, prefix = ""): CliCase => ({
  kind: "cli",
  args,
  expect: (exchanges) => ({
    code: 1,
    stdout: "",
    stderr: `${prefix}Error: ${errorOf(only(exchanges, path))}\n`,
  }),
});

/** What `ollama run` prints for an embedding: the vector exactly as the server's JSON wrote it. */
const embedding = (args: string[]): CliCase => ({
  kind: "cli",
  args,
  expect: (exchanges) => {
    const body = bodyOf(only(exchanges, "/api/embed"));
    const vector = body.slice(body.indexOf("[[") + 1, body.indexOf("]]") + 1);
    return { code: 0, stdout: `${vector}\n`, stderr: "" };
  },
});

const shown = (args: string[], stdout: string): CliCase => ({
  kind: "cli",
  args,
  expect: () => ({ code: 0, stdout, stderr: "" }),
});

const WORDS_2000 = exchangesOf("embed-no-truncate").find((e) => e.path === "/api/embed")!
  .request_body.input as string;

/** Collects a streamed chat's events: its thinking, its content, its tool calls and its end. */
async function collectChat(client: OllamaClient, request: ChatRequest) {
  let thinking = "", content = "";
  const toolCalls: unknown[] = [];
  let last: { done_reason?: string } | undefined;
  await client.chat(request).each((batch) => {
    for (const event of batch) {
      if (event.type === "thinking") thinking += event.text;
      if (event.type === "content") content += event.text;
      if (event.type === "toolCalls") toolCalls.push(...event.calls);
      if (event.type === "done") last = { done_reason: event.reason };
    }
    return undefined;
  });
  return { thinking, content, toolCalls, last };
}

/** The recorded stream's thinking pieces joined. */
function recordedThinking(exchange: Exchange): string {
  return linesOf(exchange).map((l) => l.message?.thinking ?? l.thinking ?? "").join("");
}

/** A chat recorded by hand, replayed through dollama's client: thinking only, cut at length. */
const thinkingChat: ClientCase = {
  kind: "client",
  check: async (client, exchanges) => {
    const recorded = only(exchanges, "/api/chat");
    const got = await collectChat(client, recorded.request_body);
    assertEquals(got.thinking, recordedThinking(recorded));
    assert(got.thinking.length > 0, "the recording has thinking");
    assertEquals(got.content, "");
    assertEquals(got.last?.done_reason, "length");
  },
};

const CASES: Record<string, ReplayCase> = {
  "oneshot-generate": oneshot(["run", "smollm2", "Name three colors."]),
  "oneshot-verbose": {
    kind: "cli",
    args: ["run", "smollm2", "--verbose", "Say hello."],
    expect: (exchanges) => ({
      code: 0,
      stdout: piped(answerOf(only(exchanges, "/api/generate"))),
      // The recorded done line's metrics, as Go prints durations and rates.
      stderr: [
        "total duration:       611.009801ms",
        "load duration:        32.852043ms",
        "prompt eval count:    12 token(s)",
        "prompt eval duration: 26.904678ms",
        "prompt eval rate:     446.02 tokens/s",
        "eval count:           71 token(s)",
        "eval duration:        531.297426ms",
        "eval rate:            133.64 tokens/s",
        "",
      ].join("\n"),
    }),
  },
  "oneshot-format-json": oneshot([
    "run",
    "smollm2",
    "--format",
    "json",
    'Return {"color": "..."} for the sky.',
  ]),
  "oneshot-keepalive-10m": oneshot(["run", "smollm2", "--keepalive", "10m", "Hi."]),
  // A streaming call shows the status line before the server's message, as upstream does.
  "oneshot-think-unsupported": {
    kind: "cli",
    args: ["run", "smollm2", "--think", "Hi."],
    expect: (exchanges) => ({
      code: 1,
      stdout: "",
      stderr: `Error: 400 Bad Request: ${errorOf(only(exchanges, "/api/generate"))}\n`,
    }),
  },
  "oneshot-missing-model": failure(["run", "llama3.2", "hi"], "/api/pull", "pulling manifest\n"),
  "pull-missing": failure(["pull", "nosuchmodel"], "/api/pull", "pulling manifest\n"),
  "embed": embedding(["run", "all-minilm", "hello world"]),
  "embed-dimensions": embedding(["run", "all-minilm", "--dimensions", "8", "hello world"]),
  "embed-no-truncate": failure(["run", "all-minilm", "--truncate=false", WORDS_2000], "/api/embed"),
  "show-smollm2": shown(["show", "smollm2"], SHOW_SMOLLM2),
  "show-tools-thinking": shown(["show", "smollm2-tools"], SHOW_SMOLLM2_TOOLS),
  "show-embedding": shown(["show", "all-minilm"], SHOW_ALL_MINILM),
  "show-modelfile": {
    kind: "cli",
    args: ["show", "--modelfile", "smollm2"],
    expect: (exchanges) => ({
      code: 0,
      stdout: `${JSON.parse(bodyOf(only(exchanges, "/api/show"))).modelfile}\n`,
      stderr: "",
    }),
  },
  "show-unknown": failure(["show", "nosuch"], "/api/show"),
  "list": { kind: "clock", args: ["list"], now: "2026-12-01T14:17:19Z", stdout: LIST },
  "ps": { kind: "clock", args: ["ps"], now: "2026-12-01T14:17:19Z", stdout: PS },
  "stop": shown(["stop", "smollm2"], ""),
  "version": {
    kind: "cli",
    args: ["--version"],
    unused: ["HEAD /"],
    expect: (exchanges) => ({
      code: 0,
      stdout: `dollama version ${denoJson.version}\nollama server version is ${
        JSON.parse(bodyOf(only(exchanges, "/api/version"))).version
      }\n`,
      stderr: "",
    }),
  },
  // Thinking that runs out of tokens before any answer: the thinking on stderr, no answer.
  "think-stream-generate": {
    kind: "cli",
    args: ["run", "smollm2-tools", "--think", "What is 2+2?"],
    support: ["show-tools-thinking"],
    expect: (exchanges) => ({
      code: 0,
      stdout: "",
      stderr: `Thinking...\n${recordedThinking(only(exchanges, "/api/generate"))}\n`,
    }),
  },
  "think-stream-chat": thinkingChat,
  "think-level-high": thinkingChat,
  "tools-stream-chat": {
    kind: "client",
    check: async (client, exchanges) => {
      const chats = exchanges.filter((e) => e.path === "/api/chat");
      // Tool calls, answered whole (stream: false) and streamed: each has an id and an index.
      for (const recorded of chats.slice(0, 2)) {
        const got = await collectChat(client, recorded.request_body);
        assertEquals(got.toolCalls, linesOf(recorded)[0].message.tool_calls);
        assertEquals(got.toolCalls.length, 1);
        const call = got.toolCalls[0] as { id: string; function: { index: number; name: string } };
        assert(call.id.startsWith("call_"), call.id);
        assertEquals([call.function.index, call.function.name], [0, "get_weather"]);
        assertEquals(got.last?.done_reason, "stop");
      }
      // Thinking, whole and streamed.
      for (const recorded of chats.slice(2)) {
        const got = await collectChat(client, recorded.request_body);
        assertEquals(got.thinking, recordedThinking(recorded));
        assertEquals(got.last?.done_reason, "length");
      }
      const generate = only(exchanges, "/api/generate");
      const once: GenerateChunk = await client.generateOnce(generate.request_body);
      assertEquals(once.thinking, recordedThinking(generate));
      assertEquals([once.response, once.done, once.done_reason], ["", true, "length"]);
    },
  },
  "tools-unsupported": {
    kind: "client",
    check: async (client, exchanges) => {
      const recorded = only(exchanges, "/api/chat");
      const err = await assertRejects(() => collectChat(client, recorded.request_body));
      assert(err instanceof StatusError, String(err));
      assertEquals([err.status, err.message], [400, `400 Bad Request: ${errorOf(recorded)}`]);
    },
  },
  "embed-unsupported": {
    kind: "client",
    check: async (client, exchanges) => {
      const recorded = only(exchanges, "/api/embed");
      const err = await assertRejects(() => client.embed(recorded.request_body));
      assert(err instanceof StatusError, String(err));
      assertEquals([err.status, err.message], [501, "this model does not support embeddings"]);
    },
  },
  "generate-unknown-model": {
    kind: "client",
    check: async (client, exchanges) => {
      const recorded = only(exchanges, "/api/generate");
      // The error comes before any chunk.
      const err = await assertRejects(() =>
        client.generate(recorded.request_body).each(() => {
          throw new Error("no chunk was expected");
        })
      );
      assert(err instanceof StatusError && !(err instanceof StreamError), String(err));
      assertEquals([err.status, err.message], [404, "404 Not Found: model 'nosuch' not found"]);
    },
  },
  "preload-and-unload": {
    kind: "client",
    check: async (client, exchanges) => {
      const [load, unload] = exchanges.map((e) => e.request_body);
      assertEquals((await client.generateOnce(load)).done_reason, "load");
      assertEquals((await client.generateOnce(unload)).done_reason, "unload");
    },
  },
};

Deno.test("every recorded scenario has a replay case", () => {
  assertEquals(Object.keys(CASES).sort(), [...RECORDED.keys()].sort());
});

async function replayCli(name: string, spec: CliCase): Promise<void> {
  const own = exchangesOf(name);
  const server = new ReplayServer([...own, ...exchangesOf(...spec.support ?? [])]);
  try {
    const result = await runCli(spec.args, { host: server.url });
    assertEquals(result, spec.expect(own));
    assertEquals(server.unmatched, [], "requests nothing recorded answers");
    for (const exchange of own) {
      const served = server.requests.find((r) => r.answeredBy === exchange);
      if (spec.unused?.includes(`${exchange.method} ${exchange.path}`)) continue;
      assert(served, `dollama never sent ${exchange.method} ${exchange.path}`);
      if (byOfficialClient(exchange)) assertSameRequest(exchange, served.body);
    }
  } finally {
    await server.close();
  }
}

async function replayWithClock(name: string, spec: ClockCase): Promise<void> {
  const server = new ReplayServer(exchangesOf(name));
  try {
    const io = { ...testIo({ env: { OLLAMA_HOST: server.url } }), now: () => Date.parse(spec.now) };
    await runProgram(spec.args, io, new AbortController().signal);
    assertEquals([io.stdout.text, io.stderr.text], [spec.stdout, ""]);
    assertEquals(server.unmatched, []);
  } finally {
    await server.close();
  }
}

async function replayThroughClient(name: string, spec: ClientCase): Promise<void> {
  const exchanges = exchangesOf(name);
  const server = new ReplayServer(exchanges);
  try {
    await spec.check(
      new OllamaClient({ baseUrl: server.url, userAgent: "dollama-test" }),
      exchanges,
    );
    assertEquals(server.unmatched, []);
    assertEquals(server.requests.length, exchanges.length, "every recorded exchange was replayed");
  } finally {
    await server.close();
  }
}

for (const [name, spec] of Object.entries(CASES)) {
  Deno.test(`replay ${name}`, async () => {
    switch (spec.kind) {
      case "cli":
        return await replayCli(name, spec);
      case "clock":
        return await replayWithClock(name, spec);
      case "client":
        return await replayThroughClient(name, spec);
    }
  });
}

Deno.test("replay think-stream-chat in the interactive chat: thinking shown, wrapped, no answer", async () => {
  const server = new ReplayServer(
    exchangesOf("think-stream-chat", "show-tools-thinking", "preload-and-unload"),
  );
  const term = await startDollama(["run", "smollm2-tools"], { host: server.url, cols: 80 });
  try {
    await term.waitFor(/^>>>/m);
    await term.sendText("What is 2+2?");
    await term.sendKeys("Enter");
    const screen = await term.waitFor(/\n\n>>>/);
    const shown = screen.match(/^>>> What is 2\+2\?\nThinking\.\.\.\n([\s\S]*?)\n\n>>>/);
    assert(shown, screen);
    const recorded = recordedThinking(only(exchangesOf("think-stream-chat"), "/api/chat"));
    // Word-wrapped at the terminal's width: the same words, in lines of at most 80 columns.
    assertEquals(shown[1].replaceAll("\n", " "), recorded);
    assert(shown[1].split("\n").every((line) => line.length <= 80), shown[1]);
    const chat = server.bodySentTo("/api/chat");
    assertEquals([chat.model, chat.messages, chat.think], [
      "smollm2-tools",
      [{ role: "user", content: "What is 2+2?" }],
      true,
    ]);
    assertEquals(server.unmatched, []);
  } finally {
    await term.kill();
    await server.close();
  }
});
