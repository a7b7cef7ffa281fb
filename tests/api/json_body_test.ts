import fc from "fast-check";
import { assertEquals } from "../support/assert.ts";
import { jsonBody } from "../../lib/api/json_body.ts";

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
