/**
 * Ctrl+G: edit the current input in the user's own editor (docs/repl.md, External editor).
 * The text goes to a temporary file, the editor runs on the terminal, and the file's content
 * comes back without its trailing newlines (editors add one; it is not part of the message).
 */
import type { Config } from "../cli/config.ts";

function isExecutableFile(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && (info.mode === null || (info.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/** Whether `command` can be started: a path to a file, or a name found on PATH. */
function commandExists(command: string, searchPath: string | undefined): boolean {
  if (Deno.build.os === "windows") return true; // PATHEXT rules: let the spawn decide
  if (command.includes("/")) return isExecutableFile(command);
  return (searchPath ?? "").split(":").some((dir) =>
    isExecutableFile(`${dir === "" ? "." : dir}/${command}`)
  );
}

function notFound(name: string): Error {
  return new Error(
    `editor "${name}" not found, set OLLAMA_EDITOR to the path of your preferred editor`,
  );
}

export async function openExternalEditor(
  text: string,
  config: Pick<Config, "editor" | "path">,
): Promise<string | undefined> {
  const windows = Deno.build.os === "windows";
  const spec = config.editor ?? (windows ? "notepad" : "vi");
  const [name, ...args] = spec.trim().split(/\s+/);
  if (!commandExists(name, config.path)) throw notFound(name);

  const file = await Deno.makeTempFile({ prefix: "ollama-prompt-", suffix: ".txt" });
  try {
    await Deno.writeTextFile(file, text);
    let argv = [name, ...args, file];
    // With `-i` stdin (or stdout) may be a pipe; the editor still needs the terminal, so it
    // gets /dev/tty when there is one. (Deno itself may only read /dev/tty, see line_reader.)
    if (!windows && !(Deno.stdin.isTerminal() && Deno.stdout.isTerminal())) {
      const script =
        '(true </dev/tty >/dev/tty) 2>/dev/null && exec "$@" </dev/tty >/dev/tty; exec "$@"';
      argv = ["sh", "-c", script, "sh", ...argv];
    }
    let status: Deno.CommandStatus;
    try {
      status = await new Deno.Command(argv[0], {
        args: argv.slice(1),
        stdin: "inherit",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn().status;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) throw notFound(name);
      throw error;
    }
    if (!status.success) {
      // Go's wording (os/exec), which the official client shows.
      const reason = status.signal !== null
        ? `signal: ${status.signal}`
        : `exit status ${status.code}`;
      throw new Error(`editor exited with error: ${reason}`);
    }
    const edited = await Deno.readTextFile(file);
    return edited.replace(/(\r?\n)+$/, "");
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}
