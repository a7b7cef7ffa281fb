import fc from "fast-check";
import { assertEquals } from "../support/assert.ts";
import { jsonBody, StreamedText } from "../../lib/api/json_body.ts";

async function text(body: string | ReadableStream<Uint8Array>): Promise<string> {
  if (typeof body === "string") return body;
  return await new Response(body).text();
}

Deno.test("jsonBody() sends an ordinary body as the one string JSON.stringify makes", () => {
  const request = { model: "m", prompt: "hi", options: { temperature: 0.5 } };
  assertEquals(jsonBody(request), JSON.stringify(request));
});

Deno.test("jsonBody() streams a body with a long string, byte for byte the same JSON", async () => {
  const input = 'line one\n"quoted" \\ tab\t é 日本 👩‍👩‍👧 \u0000'.repeat(80_000);
  const request = { model: "emb", input, truncate: true };
  const body = jsonBody(request);
  assertEquals(typeof body === "string", false);
  assertEquals(await text(body), JSON.stringify(request));
});

Deno.test("property: jsonBody() gives JSON.stringify's text for any value, streamed or not", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.jsonValue(),
      fc.array(fc.string({ unit: "binary", maxLength: 30 }), { maxLength: 4 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 5 }),
      async (value, strings, streamedChars, sliceChars) => {
        // Long strings in several places, with lone and paired surrogates cut anywhere.
        const wrapped = { value, strings, nested: [{ s: strings.join("\ud83d\ude00") }] };
        const body = jsonBody(wrapped, { streamedChars, sliceChars });
        assertEquals(await text(body), JSON.stringify(wrapped));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("jsonBody() keeps a user's string that looks like its marker as it is", async () => {
  const request = { a: "\u0000dollama-x-0", b: "y".repeat(10) };
  assertEquals(await text(jsonBody(request, { streamedChars: 5 })), JSON.stringify(request));
});

async function* pieces(items: string[]): AsyncGenerator<string> {
  for (const item of items) yield item;
}

Deno.test("jsonBody() sends a StreamedText as one JSON string, piece by piece", async () => {
  const request = { model: "emb", input: new StreamedText(pieces(['a"b', "", "\n日本", "😀"])) };
  const body = jsonBody(request);
  assertEquals(typeof body === "string", false);
  assertEquals(await text(body), '{"model":"emb","input":"a\\"b\\n日本😀"}');
});

Deno.test("jsonBody() reads a StreamedText only as the body is read", async () => {
  let read = 0;
  async function* counted(): AsyncGenerator<string> {
    for (let i = 0; i < 1000; i++) {
      read++;
      yield "x".repeat(1000);
    }
  }
  const body = jsonBody({ input: new StreamedText(counted()) });
  if (typeof body === "string") throw new Error("a StreamedText must be streamed");
  const reader = body.getReader();
  await reader.read();
  await reader.read();
  await reader.read();
  // The start of the JSON, the quote, a piece or two: nowhere near the thousand pieces.
  assertEquals(read < 5, true, `${read} pieces read`);
  await reader.cancel();
});

Deno.test("jsonBody() fails the body when a StreamedText's source fails", async () => {
  async function* failing(): AsyncGenerator<string> {
    yield "start";
    throw new Error("read failed");
  }
  const body = jsonBody({ input: new StreamedText(failing()) });
  let failure = "";
  await text(body).catch((err) => failure = err.message);
  assertEquals(failure, "read failed");
});

Deno.test("property: a StreamedText cut anywhere gives the JSON of the whole text", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: "binary", maxLength: 60 }),
      fc.array(fc.nat({ max: 60 }), { maxLength: 8 }),
      fc.jsonValue(),
      fc.integer({ min: 1, max: 5 }),
      async (whole, cuts, other, sliceChars) => {
        const at = [...new Set(cuts.map((c) => Math.min(c, whole.length)))].sort((a, b) => a - b);
        const parts = [0, ...at].map((start, i) => whole.slice(start, [...at, whole.length][i]));
        const request = { other, input: new StreamedText(pieces(parts)) };
        const sent = await text(jsonBody(request, { sliceChars }));
        assertEquals(JSON.parse(sent), JSON.parse(JSON.stringify({ other, input: whole })));
        // Where no cut splits a surrogate pair, the bytes are JSON.stringify's own.
        const splitsPair = at.some((c) =>
          c > 0 && c < whole.length && /[\ud800-\udbff]/.test(whole[c - 1]) &&
          /[\udc00-\udfff]/.test(whole[c])
        );
        if (!splitsPair) assertEquals(sent, JSON.stringify({ other, input: whole }));
      },
    ),
    { numRuns: 500 },
  );
});
