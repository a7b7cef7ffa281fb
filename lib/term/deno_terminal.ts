import type { Output } from "../io.ts";
import { consoleColumns, fileOutput, onTerminate } from "../io_deno.ts";
import { type KeyboardMode, ModalTerminal } from "./modal_terminal.ts";
import type { Terminal } from "./terminal.ts";

/**
 * The real terminal. `stdin` reads Deno.stdin and writes Deno.stdout; `tty` reads the
 * controlling terminal itself, so the editor works while stdin is a pipe (`-i`, approvals).
 */
export async function denoTerminal(source: "stdin" | "tty"): Promise<Terminal> {
  const windows = Deno.build.os === "windows";
  let input: {
    read(p: Uint8Array): Promise<number | null>;
    setRaw(raw: boolean, options?: Deno.SetRawOptions): void;
  };
  let output: Output;
  if (source === "stdin") {
    input = Deno.stdin;
    output = fileOutput(Deno.stdout);
  } else {
    // Deno lets --allow-read open /dev/tty for reading, but writing to a device needs
    // --allow-all; raw mode works on a read-only descriptor. So the screen side is stdout or
    // stderr when either is the terminal, and /dev/tty itself only when neither is.
    input = await Deno.open(windows ? "CONIN$" : "/dev/tty", { read: true, write: windows });
    if (Deno.stdout.isTerminal()) output = fileOutput(Deno.stdout);
    else if (Deno.stderr.isTerminal()) output = fileOutput(Deno.stderr);
    else output = fileOutput(await Deno.open(windows ? "CONOUT$" : "/dev/tty", { write: true }));
  }
  const setMode = (mode: KeyboardMode) => {
    if (mode === "raw") return input.setRaw(true);
    // Deno's cbreak mode is raw mode that keeps the signal keys: no echo, no line editing, and
    // Ctrl+C still a SIGINT. Windows has no such mode, so there the keyboard stays cooked.
    if (mode === "quiet" && !windows) return input.setRaw(true, { cbreak: true });
    input.setRaw(false);
  };
  return new ModalTerminal({
    read: (buffer) => input.read(buffer),
    setMode,
    output,
    // Deno.consoleSize() asks stdout, stderr and stdin in turn; when none is a terminal (tty
    // mode with everything piped) 80 is the usual guess.
    columns: () => consoleColumns() ?? 80,
    rows: () => {
      try {
        return Deno.consoleSize().rows || 24;
      } catch {
        return 24;
      }
    },
    onResize: windows ? undefined : (handler) => {
      Deno.addSignalListener("SIGWINCH", handler);
      return () => Deno.removeSignalListener("SIGWINCH", handler);
    },
    // Windows has no job control, so nothing is ever stopped and continued.
    onContinue: windows ? undefined : (handler) => {
      try {
        Deno.addSignalListener("SIGCONT", handler);
      } catch {
        // A runtime that cannot listen for it: the mode is then not set again after `fg`.
        return () => {};
      }
      return () => Deno.removeSignalListener("SIGCONT", handler);
    },
  }, onTerminate);
}
