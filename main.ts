/**
 * dollama's entry point: build the real I/O, run the command line, and turn the outcome into an
 * exit code — 0 success, 1 any error (one `Error: …` line, never a stack trace), 130 Ctrl+C.
 */
import { denoIo } from "./lib/io_deno.ts";
import { runProgram } from "./lib/cli/program.ts";
import { exitCodeFor } from "./lib/exit.ts";

const io = denoIo();
const controller = new AbortController();
// The first Ctrl+C aborts the running request so the command can unwind and restore the
// terminal; a second one leaves at once.
io.onInterrupt(() => {
  if (controller.signal.aborted) Deno.exit(130);
  controller.abort();
});

let code: number;
try {
  await runProgram(Deno.args, io, controller.signal);
  code = 0;
} catch (err) {
  code = await exitCodeFor(err, io, controller.signal);
}
Deno.exit(code);
