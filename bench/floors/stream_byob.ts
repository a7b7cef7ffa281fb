/**
 * Floor: the least a fetch-based Deno client can do for a streamed answer. POSTs
 * `/api/generate`, reads the body through a BYOB reader into one reused 64 KiB buffer, splits
 * lines, parses each, and writes the answer text once per network read.
 * Usage: deno run -A bench/floors/stream_byob.ts HOST
 */
const host = Deno.args[0];
const response = await fetch(`${host}/api/generate`, {
  method: "POST",
  body: JSON.stringify({ model: "m", prompt: "hi" }),
});
const reader = response.body!.getReader({ mode: "byob" });
const decoder = new TextDecoder();
const encoder = new TextEncoder();
let buffer = new ArrayBuffer(64 * 1024);
let carry = "";
while (true) {
  const { value, done } = await reader.read(new Uint8Array(buffer));
  if (done) break;
  buffer = value.buffer as ArrayBuffer;
  const lines = (carry + decoder.decode(value, { stream: true })).split("\n");
  carry = lines.pop()!;
  let text = "";
  for (const line of lines) if (line !== "") text += JSON.parse(line).response ?? "";
  if (text !== "") Deno.stdout.writeSync(encoder.encode(text));
}
Deno.stdout.writeSync(encoder.encode("\n"));
