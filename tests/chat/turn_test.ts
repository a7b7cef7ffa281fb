/**
 * streamTurn: what it keeps of an answer (content, thinking, tool calls, metrics) while the
 * renderer shows it, and that the renderer is ended however the stream ends.
 */
import fc from "fast-check";
import { assertEquals } from "../support/assert.ts";
import { BufferOutput } from "../../lib/io.ts";
import type { StreamEvent } from "../../lib/api/events.ts";
import type { Streamed } from "../../lib/api/client.ts";
import { ResponseRenderer } from "../../lib/render/response.ts";
import { streamTurn, type StreamTurnOptions } from "../../lib/chat/turn.ts";

const call = { function: { name: "bash", arguments: { command: "ls" } } };
const events: StreamEvent[] = [
  { type: "thinking", text: "Let me " },
  { type: "thinking", text: "see." },
  { type: "toolCalls", calls: [call] },
  { type: "content", text: "Here " },
  { type: "content", text: "it is." },
  { type: "done", metrics: { eval_count: 2 }, reason: "stop" },
];

/** The events two to a batch, as the client hands over a network read's worth at a time. */
function stream(list: StreamEvent[], fail?: Error): Streamed<StreamEvent> {
  return {
    async each(handle) {
      for (let i = 0; i < list.length; i += 2) {
        const handled = handle(list.slice(i, i + 2));
        if (handled) await handled;
      }
      if (fail) throw fail;
    },
  };
}

function renderer(options: { hide?: boolean; toolsRun?: boolean } = {}) {
  const stdout = new BufferOutput();
  const stderr = new BufferOutput();
  const renderer = new ResponseRenderer({
    stdout,
    stderr,
    styleStderr: false,
    wordWrap: false,
    hideThinking: options.hide ?? false,
    toolsRun: options.toolsRun,
  });
  return { stdout, stderr, renderer };
}

async function turn(options: StreamTurnOptions, render: { hide?: boolean; toolsRun?: boolean }) {
  const out = renderer(render);
  const result = await streamTurn(stream(events), out.renderer, options);
  return { ...result, stdout: out.stdout.text, stderr: out.stderr.text };
}

Deno.test("streamTurn handles a chat answer: content, thinking and tool calls kept", async () => {
  const result = await turn({ keepText: true, keepToolCalls: true }, { toolsRun: true });
  assertEquals(result.message, {
    role: "assistant",
    content: "Here it is.",
    thinking: "Let me see.",
    tool_calls: [call],
  });
  assertEquals(result.metrics, { eval_count: 2 });
  assertEquals(result.stdout, "Here it is.");
  assertEquals(result.stderr, "Thinking...\nLet me see.\n...done thinking.\n\n");
});

Deno.test("streamTurn handles one-shot: nothing of the text is kept, the screen is the same", async () => {
  const result = await turn({ keepText: false }, {});
  assertEquals(result.message, { role: "assistant", content: "" });
  assertEquals(result.metrics, { eval_count: 2 });
  assertEquals(result.stdout, "Here it is.");
  // Tools were not offered: the calls are reported, not kept.
  assertEquals(
    result.stderr,
    "Thinking...\nLet me see.\n...done thinking.\n\n" +
      `  Model called a non-existent function 'bash()' with arguments: {"command":"ls"}\n`,
  );
});

Deno.test("streamTurn handles hidden thinking: neither shown nor kept", async () => {
  const result = await turn({ keepText: true, hideThinking: true }, { hide: true });
  assertEquals(result.message.thinking, undefined);
  assertEquals(result.message.content, "Here it is.");
  assertEquals(result.stderr.includes("Let me"), false);
});

Deno.test("streamTurn handles a stream that fails: what was held back is written, the error rethrown", async () => {
  const out = renderer();
  let thrown: unknown;
  try {
    await streamTurn(
      stream([{ type: "thinking", text: "half" }], new Error("cut")),
      out.renderer,
      { keepText: true },
    );
  } catch (err) {
    thrown = err;
  }
  assertEquals((thrown as Error).message, "cut");
  // end() ran: the open thinking line was ended, without the closing marker.
  assertEquals(out.stderr.text, "Thinking...\nhalf\n");
});

Deno.test("streamTurn keeps any text exactly, however it is cut into pieces", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.string({ unit: "binary" }), { maxLength: 30 }), async (pieces) => {
      const list: StreamEvent[] = pieces.map((text) => ({ type: "content", text }));
      const result = await streamTurn(stream(list), renderer().renderer, { keepText: true });
      // Pieces with an emoji cut between its two halves come back joined.
      assertEquals(result.message.content, pieces.join(""));
    }),
  );
  // Long text cut anywhere, between the halves of a surrogate pair too: the collector encodes
  // a few thousand characters at a time, and no cut may lose or change a character.
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: "binary", minLength: 4200, maxLength: 12000 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      async (whole, cuts) => {
        const at = [...new Set(cuts.map((c) => c % whole.length))].sort((a, b) => a - b);
        const list: StreamEvent[] = [...at, whole.length].map((end, i) => ({
          type: "content",
          text: whole.slice(i === 0 ? 0 : at[i - 1], end),
        }));
        const result = await streamTurn(stream(list), renderer().renderer, { keepText: true });
        assertEquals(result.message.content, whole);
      },
    ),
    // Shrinking strings this long takes minutes; the first counterexample is reported as is.
    { numRuns: 60, endOnFailure: true },
  );
  // Short pieces of every width in UTF-8: ASCII ones take a shortcut, the rest must not.
  const widths = [
    "a",
    "\u007f",
    "\u0080",
    "é",
    "\u00ff",
    "\u0100",
    "ж",
    "日本",
    "€",
    "😀",
    "x".repeat(70),
  ];
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...widths), { maxLength: 50 }), async (pieces) => {
      const list: StreamEvent[] = pieces.map((text) => ({ type: "content", text }));
      const result = await streamTurn(stream(list), renderer().renderer, { keepText: true });
      assertEquals(result.message.content, pieces.join(""));
    }),
  );
  const split: StreamEvent[] = [
    { type: "content", text: "a\ud83d" },
    { type: "content", text: "\ude00b" },
  ];
  const result = await streamTurn(stream(split), renderer().renderer, { keepText: true });
  assertEquals(result.message.content, "a😀b");
});
