/**
 * `deno task install`: a `dollama` launcher that runs this checkout, written where
 * `DENO_INSTALL_ROOT` says. It is installed into a temporary root and used from elsewhere: it
 * answers `--version`, and the bash completion, which calls `dollama`, completes model names.
 */
import { dirname } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import { assert, assertEquals } from "../support/assert.ts";
import { baseEnv } from "../support/cli.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { launcher, RUN_FLAGS } from "../../scripts/install.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

async function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test("the launcher runs main.ts of the checkout with the dollama task's flags", () => {
  assertEquals(RUN_FLAGS, [
    "--cached-only",
    "--allow-all",
    "--v8-flags=--optimize-for-size,--no-concurrent-recompilation,--initial-old-space-size=8,--no-lazy",
  ]);
  assertEquals(
    launcher("/src/it's here", false),
    "#!/bin/sh\n# dollama from the source checkout at /src/it's here (deno task install)\n" +
      'if [ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]; then\n' +
      '  DENO_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dollama/deno"\n' +
      "  export DENO_DIR\n" +
      "fi\n" +
      "exec deno run --cached-only --allow-all --v8-flags=--optimize-for-size,--no-concurrent-recompilation,--initial-old-space-size=8,--no-lazy " +
      "--config '/src/it'\\''s here/deno.json' " +
      `'/src/it'\\''s here/main.ts' "$@"\n`,
  );
  assertEquals(
    launcher("C:/src/dollama", true),
    "@echo off\r\nsetlocal\r\n" +
      'if defined LOCALAPPDATA set "DENO_DIR=%LOCALAPPDATA%\\dollama\\deno"\r\n' +
      "deno run --cached-only --allow-all --v8-flags=--optimize-for-size,--no-concurrent-recompilation,--initial-old-space-size=8,--no-lazy " +
      '--config "C:/src/dollama/deno.json" ' +
      '"C:/src/dollama/main.ts" %*\r\n',
  );
});

Deno.test("deno task install puts a working dollama, completions included, on PATH", async () => {
  const server = new FakeOllama({ models: [{ name: "smollm2:latest" }, { name: "qwen3:8b" }] });
  const installRoot = await Deno.makeTempDir({ prefix: "dollama-install-" });
  try {
    // The launcher calls `deno`, as the one `deno install --global` writes does.
    const env = baseEnv({ DENO_INSTALL_ROOT: installRoot, OLLAMA_HOST: server.url });
    env.PATH = `${installRoot}/bin:${dirname(Deno.execPath())}:${env.PATH}`;
    if (env.DENO_DIR === "") delete env.DENO_DIR;

    const installed = await run(Deno.execPath(), ["task", "-q", "install"], env, root);
    assertEquals(installed, {
      code: 0,
      stdout: `Installed ${installRoot}/bin/dollama, which runs ${root}/main.ts.\n`,
      stderr: "",
    });
    assert((await Deno.stat(`${installRoot}/bin/dollama`)).mode! & 0o100, "executable");

    const elsewhere = env.HOME;
    assertEquals(await run("dollama", ["--version"], env, elsewhere), {
      code: 0,
      stdout: `dollama version ${denoJson.version}\nollama server version is 0.33.0\n`,
      stderr: "",
    });
    // Deno's cache of its own, not the one other Deno programs share (scripts/install.ts).
    assert(
      (await Deno.stat(`${env.HOME}/.cache/dollama/deno/gen`)).isDirectory,
      "the launcher's Deno cache is under ~/.cache/dollama/deno",
    );

    const completion = await run(
      "bash",
      [
        "-c",
        'source <(dollama completion bash)\nCOMP_WORDS=(dollama run "")\nCOMP_CWORD=2\n_dollama\n' +
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ],
      env,
      elsewhere,
    );
    assertEquals(completion, { code: 0, stdout: "smollm2:latest\nqwen3:8b\n", stderr: "" });
  } finally {
    await server.close();
    await Deno.remove(installRoot, { recursive: true });
  }
});
