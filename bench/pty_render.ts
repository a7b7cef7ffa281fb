/**
 * Run under `script` so that stdout is a real pseudo-terminal: renders the workload into
 * Deno.stdout and writes `{"isTerminal":…, "chunks":…, "ms":…}` to the file named by the first
 * argument. The pty's own size may be 0×0 (script copies it from a terminal it may not have), so
 * the width is fixed at 80 like the in-process measurement.
 */
import { makeChunks, renderChunks, terminalLikeOutput } from "./render_workload.ts";

const [resultPath, countArg] = Deno.args;
const count = Number(countArg ?? "200000");
const chunks = makeChunks(count);
// Warm-up, as in the in-process measurement.
await renderChunks(chunks.slice(0, 20_000), terminalLikeOutput(Deno.stdout));
const ms = await renderChunks(chunks, terminalLikeOutput(Deno.stdout));
await Deno.writeTextFile(
  resultPath,
  JSON.stringify({ isTerminal: Deno.stdout.isTerminal(), chunks: count, ms }),
);
