/**
 * dollama's entry point: build the real I/O, run the command line, and turn the outcome into an
 * exit code — 0 success, 1 any error (one `Error: …` line, never a stack trace), 130 Ctrl+C.
 */
import { denoIo } from "./lib/io_deno.ts";
import { exitCodeFor } from "./lib/exit.ts";

const io = denoIo();
const controller = new AbortController();
// The process-wide interrupt scope, for top-level commands: the first Ctrl+C aborts the running
// request so the command can unwind and restore the terminal; a second one leaves at once. The
// REPL opens a scope of its own for each operation, so its Ctrl+C never reaches this one.
io.onInterrupt(() => {
  if (controller.signal.aborted) Deno.exit(130);
  controller.abort();
});

let code = 0;
try {
  if (Deno.args.length === 1 && (Deno.args[0] === "--version" || Deno.args[0] === "-v")) {
    // The argument parser and the renderers are not needed to print a version: skipping them
    // keeps this start-up close to a bare `deno run`.
    const { versionCommand } = await import("./lib/commands/version.ts");
    const { createContext } = await import("./lib/context.ts");
    await versionCommand(createContext(io, controller.signal));
  } else {
    const { runProgram } = await import("./lib/program.ts");
    await runProgram(Deno.args, io, controller.signal);
  }
} catch (err) {
  code = await exitCodeFor(err, io, controller.signal);
}
Deno.exit(code);
