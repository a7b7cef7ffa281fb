/**
 * Ceiling: what reading a streamed answer costs before anything is done with it. POSTs
 * `/api/generate` and reads the body through a BYOB reader into one reused 64 KiB buffer,
 * discarding every byte. Deno's fetch hands over one chunked-encoding frame per read, and Ollama
 * (like the bench server) sends one frame per token, so this is one read per token: no client
 * built on fetch streams faster than this script on the same machine.
 * Usage: deno run -A bench/floors/stream_reads.ts HOST
 */
const host = Deno.args[0];
const response = await fetch(`${host}/api/generate`, {
  method: "POST",
  body: JSON.stringify({ model: "m", prompt: "hi" }),
});
const reader = response.body!.getReader({ mode: "byob" });
let buffer = new ArrayBuffer(64 * 1024);
let reads = 0;
while (true) {
  const { value, done } = await reader.read(new Uint8Array(buffer));
  if (done) break;
  buffer = value.buffer as ArrayBuffer;
  reads++;
}
Deno.stderr.writeSync(new TextEncoder().encode(`${reads} reads\n`));
