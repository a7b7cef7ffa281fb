/**
 * `deno task install`: puts a `dollama` command on PATH that runs this checkout, so the shell
 * completions (which call `dollama`) work without a release binary.
 *
 * The launcher goes where `deno install --global` puts commands, `$DENO_INSTALL_ROOT/bin` or
 * `~/.deno/bin`, which Deno's installer adds to PATH. It is a small script rather than
 * `deno install --global`, because the global install copies deno.json into a project of its
 * own with a fresh lock file: the versions pinned in this checkout's deno.lock would not apply.
 * The launcher runs main.ts with this checkout's deno.json, lock file and node_modules, with the
 * `dollama` task's flags, so it behaves exactly like `deno task dollama`, edits included.
 *
 * It also gives Deno a cache directory of its own (DENO_DIR), `$XDG_CACHE_HOME/dollama/deno` or
 * `~/.cache/dollama/deno` (`%LOCALAPPDATA%\dollama\deno` on Windows). Deno's code cache is made
 * for one set of V8 flags, and the runtime's own scripts (fetch, streams) are cached under the
 * same names for every program: in a shared cache, each run of another Deno program left dollama
 * to compile them afresh, and the other way round. Measured with `run m hi`: 76.6 ms right after
 * another Deno program against 57.8 ms right after dollama (medians of 15). The packages come
 * from the checkout's node_modules, so the new cache needs nothing downloaded.
 */
import denoJson from "../deno.json" with { type: "json" };

/** The words of the `dollama` task after `deno run` (its flags), e.g. `--allow-all`. */
export const RUN_FLAGS: string[] = denoJson.tasks.dollama.split(/\s+/)
  .filter((word) => word.startsWith("--"));

const root = new URL("../", import.meta.url);

export function installDir(env: (name: string) => string | undefined, windows: boolean): string {
  const base = env("DENO_INSTALL_ROOT") ??
    `${(windows ? env("USERPROFILE") : env("HOME")) ?? "."}/.deno`;
  return `${base}/bin`;
}

/** The launcher's text, for sh or (on Windows) cmd. */
export function launcher(checkout: string, windows: boolean): string {
  const config = `${checkout}/deno.json`;
  const main = `${checkout}/main.ts`;
  if (windows) {
    return "@echo off\r\nsetlocal\r\n" +
      'if defined LOCALAPPDATA set "DENO_DIR=%LOCALAPPDATA%\\dollama\\deno"\r\n' +
      `deno run ${RUN_FLAGS.join(" ")} --config "${config}" "${main}" %*\r\n`;
  }
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  return `#!/bin/sh\n# dollama from the source checkout at ${checkout} (deno task install)\n` +
    'if [ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]; then\n' +
    '  DENO_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dollama/deno"\n' +
    "  export DENO_DIR\n" +
    "fi\n" +
    `exec deno run ${RUN_FLAGS.join(" ")} --config ${quote(config)} ${quote(main)} "$@"\n`;
}

if (import.meta.main) {
  const windows = Deno.build.os === "windows";
  const checkout = decodeURIComponent(root.pathname).replace(/\/$/, "")
    .replace(/^\/([A-Za-z]:)/, "$1");
  const dir = installDir((name) => Deno.env.get(name), windows);
  const path = `${dir}/${windows ? "dollama.cmd" : "dollama"}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(path, launcher(checkout, windows), { mode: 0o755 });
  const onPath = (Deno.env.get("PATH") ?? "").split(windows ? ";" : ":")
    .some((entry) => entry.replace(/[\\/]+$/, "") === dir);
  console.log(`Installed ${path}, which runs ${checkout}/main.ts.`);
  if (!onPath) console.log(`Add ${dir} to your PATH to type \`dollama\`.`);
}
