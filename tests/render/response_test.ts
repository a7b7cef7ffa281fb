import { assertEquals } from "../support/assert.ts";
import { WrapWriter } from "../../lib/render/wrap.ts";
import { BufferOutput } from "../../lib/io.ts";
import type { StreamEvent } from "../../lib/api/events.ts";
import type { Streamed } from "../../lib/api/client.ts";
import { ResponseRenderer } from "../../lib/render/response.ts";
import { streamTurn } from "../../lib/chat/turn.ts";

/** One event per batch, as the client hands them over when each network read brings one. */
function from(events: StreamEvent[]): Streamed<StreamEvent> {
  return {
    async each(handle) {
      for (const event of events) {
        const handled = handle([event]);
        if (handled) await handled;
      }
    },
  };
}

async function render(
  events: StreamEvent[],
  options: { terminal?: boolean; width?: number; style?: boolean; hide?: boolean; wrap?: boolean } =
    {},
) {
  const stdout = new BufferOutput(options.terminal ?? false, options.width ?? 80);
  const stderr = new BufferOutput(options.terminal ?? false, options.width ?? 80);
  let started = 0;
  const renderer = new ResponseRenderer({
    stdout,
    stderr,
    styleStderr: options.style ?? false,
    wordWrap: options.wrap ?? true,
    wrap: (columns) => new WrapWriter(columns),
    hideThinking: options.hide ?? false,
    beforeOutput: () => {
      started++;
      return Promise.resolve();
    },
  });
  // Through streamTurn, as every caller renders: it keeps what the renderer only shows.
  const { message, metrics } = await streamTurn(from(events), renderer, {
    keepText: true,
    hideThinking: options.hide ?? false,
  });
  const kept = { answer: message.content, thinking: message.thinking ?? "", metrics };
  return { stdout: stdout.text, stderr: stderr.text, kept, started };
}

const thinkingThenAnswer: StreamEvent[] = [
  { type: "thinking", text: "Let me " },
  { type: "thinking", text: "think." },
  { type: "content", text: "The answer " },
  { type: "content", text: "is 4." },
  { type: "done", metrics: { eval_count: 3 }, reason: "stop" },
];

Deno.test("ResponseRenderer handles a pipe: exact bytes, thinking on stderr, plain markers", async () => {
  const { stdout, stderr, kept, started } = await render(thinkingThenAnswer);
  assertEquals(stdout, "The answer is 4.");
  assertEquals(stderr, "Thinking...\nLet me think.\n...done thinking.\n\n");
  assertEquals(kept.answer, "The answer is 4.");
  assertEquals(kept.thinking, "Let me think.");
  assertEquals(kept.metrics, { eval_count: 3 });
  assertEquals(started, 1);
});

Deno.test("ResponseRenderer handles a terminal with colour: grey bold markers, reset at the end", async () => {
  const { stderr } = await render(thinkingThenAnswer, { terminal: true, style: true });
  assertEquals(
    stderr,
    "\x1b[38;5;245m\x1b[1mThinking...\n\x1b[0m\x1b[38;5;245mLet me think.\n" +
      "\x1b[38;5;245m\x1b[1m...done thinking.\n\n\x1b[0m",
  );
});

Deno.test("ResponseRenderer handles NO_COLOR on a terminal: no escape bytes", async () => {
  const { stdout, stderr } = await render(thinkingThenAnswer, { terminal: true, style: false });
  assertEquals(stderr.includes("\x1b"), false);
  assertEquals(stdout, "The answer is 4.");
});

Deno.test("ResponseRenderer handles --hidethinking: nothing of the thinking is written", async () => {
  const { stdout, stderr, kept } = await render(thinkingThenAnswer, { hide: true });
  assertEquals(stderr, "");
  assertEquals(stdout, "The answer is 4.");
  assertEquals(kept.thinking, "");
});

Deno.test("ResponseRenderer handles control bytes: visible on a terminal, untouched in a pipe", async () => {
  const events: StreamEvent[] = [{ type: "content", text: "a\x1b]52;c;aGk=\x07b" }];
  assertEquals((await render(events, { terminal: true })).stdout, "a\u241b]52;c;aGk=\u2407b");
  assertEquals((await render(events)).stdout, "a\x1b]52;c;aGk=\x07b");
});

Deno.test("ResponseRenderer handles word wrap only on a terminal, and not with --nowordwrap", async () => {
  const events: StreamEvent[] = [{ type: "content", text: "alpha beta gamma delta" }];
  assertEquals(
    (await render(events, { terminal: true, width: 12 })).stdout,
    "alpha beta\ngamma delta",
  );
  assertEquals((await render(events, { width: 12 })).stdout, "alpha beta gamma delta");
  assertEquals(
    (await render(events, { terminal: true, width: 12, wrap: false })).stdout,
    "alpha beta gamma delta",
  );
});

Deno.test("ResponseRenderer handles tool calls with Go's JSON escaping", async () => {
  const { stderr } = await render([{
    type: "toolCalls",
    calls: [{ function: { name: "get_weather", arguments: { city: "<Tokyo & co>" } } }],
  }]);
  assertEquals(
    stderr,
    "  Model called a non-existent function 'get_weather()' with arguments: " +
      '{"city":"\\u003cTokyo \\u0026 co\\u003e"}\n',
  );
});

Deno.test("ResponseRenderer handles a stream cut short while thinking: no closing marker", async () => {
  const { stderr } = await render([{ type: "thinking", text: "hmm" }], {
    terminal: true,
    style: true,
  });
  assertEquals(stderr, "\x1b[38;5;245m\x1b[1mThinking...\n\x1b[0m\x1b[38;5;245mhmm\n\x1b[0m");
});

/** A terminal Output whose width can change between writes, as after a resize. */
function resizable(width: number) {
  const buffer = new BufferOutput(true, width);
  const screen = {
    width,
    out: {
      isTerminal: true,
      columns: () => screen.width,
      write: (chunk: string | Uint8Array) => buffer.write(chunk),
    },
  };
  return { screen, text: () => buffer.text };
}

Deno.test("ResponseRenderer wraps at the terminal's new width after a resize, from the next break on", async () => {
  const { screen, text } = resizable(20);
  const renderer = new ResponseRenderer({
    stdout: screen.out,
    stderr: new BufferOutput(true, 20),
    styleStderr: false,
    wordWrap: true,
    wrap: (columns) => new WrapWriter(columns),
    hideThinking: false,
  });
  await renderer.handle({ type: "content", text: "aaaa bbbb cccc " });
  screen.width = 10;
  await renderer.handle({ type: "content", text: "dddd eeee ffff gggg" });
  await renderer.end();
  assertEquals(text(), "aaaa bbbb cccc\ndddd eeee\nffff gggg");
});

Deno.test("ResponseRenderer after interrupt() drops the held-back word and ends the line on the terminal", async () => {
  const stdout = new BufferOutput(true, 80);
  const stderr = new BufferOutput(true, 80);
  const renderer = new ResponseRenderer({
    stdout,
    stderr,
    styleStderr: false,
    wordWrap: true,
    wrap: (columns) => new WrapWriter(columns),
    hideThinking: false,
  });
  await renderer.handle({ type: "content", text: "hello wor" });
  renderer.interrupt();
  await renderer.end();
  assertEquals(stdout.text, "hello\n");
  assertEquals(stderr.text, "");
});

Deno.test("ResponseRenderer after interrupt() ends a styled thinking line on stderr when stdout is a pipe", async () => {
  const stdout = new BufferOutput(false);
  const stderr = new BufferOutput(true, 80);
  const renderer = new ResponseRenderer({
    stdout,
    stderr,
    styleStderr: true,
    wordWrap: true,
    wrap: (columns) => new WrapWriter(columns),
    hideThinking: false,
  });
  await renderer.handle({ type: "thinking", text: "let me thi" });
  renderer.interrupt();
  await renderer.end();
  assertEquals(stdout.text, "");
  assertEquals(
    stderr.text,
    "\x1b[38;5;245m\x1b[1mThinking...\n\x1b[0m\x1b[38;5;245mlet me\x1b[0m\n",
  );
});

Deno.test("ResponseRenderer after interrupt() with nothing shown writes nothing", async () => {
  const stdout = new BufferOutput(true, 80);
  const renderer = new ResponseRenderer({
    stdout,
    stderr: new BufferOutput(true, 80),
    styleStderr: false,
    wordWrap: true,
    wrap: (columns) => new WrapWriter(columns),
    hideThinking: false,
  });
  renderer.interrupt();
  await renderer.end();
  assertEquals(stdout.text, "");
});

Deno.test("ResponseRenderer after interrupt() on pipes writes the text it had, nothing added", async () => {
  const stdout = new BufferOutput(false);
  const renderer = new ResponseRenderer({
    stdout,
    stderr: new BufferOutput(false),
    styleStderr: false,
    wordWrap: true,
    wrap: (columns) => new WrapWriter(columns),
    hideThinking: false,
  });
  await renderer.handle({ type: "content", text: "hello wor" });
  renderer.interrupt();
  await renderer.end();
  assertEquals(stdout.text, "hello wor");
});

Deno.test("ResponseRenderer keeps a surrogate pair that arrives in two chunks whole, on a pipe and a terminal", async () => {
  const events: StreamEvent[] = [
    { type: "content", text: "smile \ud83d" },
    { type: "content", text: "\ude00 ok" },
  ];
  assertEquals((await render(events)).stdout, "smile \u{1f600} ok");
  assertEquals((await render(events, { terminal: true })).stdout, "smile \u{1f600} ok");
});
