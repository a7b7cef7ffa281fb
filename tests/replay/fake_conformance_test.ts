/**
 * The fake server answers like the real one: every recorded request is sent to the fake (with
 * the demo's models, which are the recorded ones) and its answer must have the recorded status,
 * `Content-Type`, error text, `done_reason`, and every field the real answer had, nested fields
 * and the fields of array elements included (a tool call's arguments excepted). Values differ
 * (the fake's answers are canned), so fields are compared by name and JSON type.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { demoOptions } from "../support/demo.ts";
import { byOfficialClient, type Exchange, linesOf, loadExchanges } from "./recording.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

function typeOf(value: Json): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/**
 * Where `fake` lacks a field `real` has, or holds a different JSON type there, as paths:
 * `message.tool_calls[].function.index`. Empty when the fake has the real answer's shape.
 */
function missingShape(real: Json, fake: Json, path = ""): string[] {
  if (typeOf(real) !== typeOf(fake)) {
    return [`${path || "."}: ${typeOf(fake)}, not ${typeOf(real)}`];
  }
  if (Array.isArray(real)) {
    return real.length && fake.length ? missingShape(real[0], fake[0], `${path}[]`) : [];
  }
  // A tool call's arguments are the tool's own: only their being an object is the server's.
  if (typeOf(real) !== "object" || path.endsWith(".arguments")) return [];
  return Object.keys(real).flatMap((key) => {
    const at = path ? `${path}.${key}` : key;
    return key in fake ? missingShape(real[key], fake[key], at) : [`${at}: missing`];
  });
}

/** The distinct shapes of a stream's lines that are not the last: field paths, sorted. */
function lineShapes(lines: Json[]): string[] {
  const paths = (value: Json, path = ""): string[] =>
    typeOf(value) === "object"
      ? Object.keys(value).flatMap((k) => [`${path}${k}`, ...paths(value[k], `${path}${k}.`)])
      : [];
  return [...new Set(lines.slice(0, -1).map((l) => paths(l).sort().join(" ")))].sort();
}

async function ask(fake: FakeOllama, exchange: Exchange): Promise<Response> {
  return await fetch(`${fake.url}${exchange.path}`, {
    method: exchange.method,
    body: exchange.request_body === null ? undefined : JSON.stringify(exchange.request_body),
  });
}

const EXCHANGES = loadExchanges();

for (const [index, exchange] of EXCHANGES.entries()) {
  const name = `${exchange.scenario} #${index}: ${exchange.method} ${exchange.path}`;
  Deno.test(`the fake answers like the real server: ${name}`, async () => {
    const fake = new FakeOllama({ ...demoOptions(EXCHANGES), chunkDelayMs: 0 });
    try {
      const response = await ask(fake, exchange);
      const text = await response.text();
      assertEquals(
        [response.status, response.headers.get("content-type")],
        [exchange.status, exchange.content_type],
      );
      if (exchange.method === "HEAD") return;
      const real = linesOf(exchange);
      const fakeLines = text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
      const [realLast, fakeLast] = [real.at(-1), fakeLines.at(-1)];
      if ("error" in realLast) {
        // A failed pull names the registry's reason, which depends on the network it met.
        const reason = /^pull model manifest: /;
        if (reason.test(realLast.error)) assert(reason.test(fakeLast.error), fakeLast.error);
        else assertEquals(fakeLast.error, realLast.error);
      }
      assertEquals(missingShape(realLast, fakeLast), [], text);
      assertEquals(fakeLast.done_reason, realLast.done_reason);
      if (real.length > 1) assertEquals(lineShapes(fakeLines), lineShapes(real));
      const dimensions = (lines: Json[]) => lines.at(-1).embeddings?.map((e: number[]) => e.length);
      assertEquals(dimensions(fakeLines), dimensions(real));
    } finally {
      await fake.close();
    }
  });
}

Deno.test("the official client's requests are in the recording, for the replay test", () => {
  assert(EXCHANGES.filter(byOfficialClient).length > 40);
});
