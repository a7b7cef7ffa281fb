/**
 * Floor, the plain way: as stream_byob.ts, but reading the body with its default async
 * iterator (a fresh array per network read). Usage: deno run -A bench/floors/stream_iter.ts HOST
 */
const host = Deno.args[0];
const response = await fetch(`${host}/api/generate`, {
  method: "POST",
  body: JSON.stringify({ model: "m", prompt: "hi" }),
});
const decoder = new TextDecoder();
const encoder = new TextEncoder();
let carry = "";
for await (const chunk of response.body!) {
  const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n");
  carry = lines.pop()!;
  let text = "";
  for (const line of lines) if (line !== "") text += JSON.parse(line).response ?? "";
  if (text !== "") Deno.stdout.writeSync(encoder.encode(text));
}
Deno.stdout.writeSync(encoder.encode("\n"));
