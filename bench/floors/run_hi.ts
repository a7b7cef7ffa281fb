/**
 * Floor for `dollama run m hi`: the same three requests in the same order (`HEAD /`,
 * `/api/show`, a streamed `/api/generate`), the answer written to stdout.
 * Usage: deno run -A bench/floors/run_hi.ts HOST
 */
const host = Deno.args[0];
const heartbeat = await fetch(`${host}/`, { method: "HEAD" });
await heartbeat.body?.cancel();
const show = await fetch(`${host}/api/show`, {
  method: "POST",
  body: JSON.stringify({ model: "m" }),
});
await show.json();
const response = await fetch(`${host}/api/generate`, {
  method: "POST",
  body: JSON.stringify({ model: "m", prompt: "hi" }),
});
const encoder = new TextEncoder();
let text = "";
for (const line of (await response.text()).split("\n")) {
  if (line !== "") text += JSON.parse(line).response ?? "";
}
Deno.stdout.writeSync(encoder.encode(`${text}\n`));
