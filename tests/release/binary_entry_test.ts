/**
 * main_binary.ts, the release binaries' entry point, must import statically every module a
 * one-shot answer loads: a compiled binary code-caches its entry's static import graph only, and
 * compiles anything imported later from source on every run. These tests compare the modules a
 * real `run MODEL PROMPT` loads with that graph, so a new `import()` on the one-shot path, or a
 * module that moves behind one, cannot quietly slow every start of the binaries.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand, TASK_FLAGS } from "../support/cli.ts";
import { ROOT, run, staticGraph } from "./helpers.ts";

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** util-linux `script`, to give a run a terminal (its flags differ elsewhere). */
const HAVE_SCRIPT = (() => {
  try {
    const out = new Deno.Command("script", { args: ["--version"], stdout: "piped", stderr: "null" })
      .outputSync();
    return out.success && new TextDecoder().decode(out.stdout).includes("util-linux");
  } catch {
    return false;
  }
})();

/**
 * The checkout's modules that `dollama ARGS` loads, run from main.ts as the `dollama` task runs
 * it, with stdout a pipe or a terminal (`script`, 80 columns). With an empty Deno cache every
 * module it loads is compiled, and Deno's debug log names each one as it stores the module's
 * code cache.
 */
async function loadedModules(
  args: string[],
  host: string,
  stdout: "pipe" | "terminal",
): Promise<Set<string>> {
  const dir = await Deno.makeTempDir({ prefix: "dollama-deno-dir-" });
  try {
    const env = { ...baseEnv(), DENO_DIR: dir, DENO_LOG: "debug", OLLAMA_HOST: host };
    const argv = [Deno.execPath(), ...dollamaCommand(args)];
    const command = stdout === "pipe" ? argv : [
      "script",
      "-qfec",
      `stty cols 80 rows 24; exec ${argv.map(quote).join(" ")} 2>${quote(`${dir}/stderr`)}`,
      "/dev/null",
    ];
    const out = await new Deno.Command(command[0], {
      args: command.slice(1),
      env: { ...env, SHELL: "/bin/sh", TERM: "xterm-256color" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = stdout === "pipe"
      ? new TextDecoder().decode(out.stderr)
      : await Deno.readTextFile(`${dir}/stderr`);
    assertEquals(out.code, 0, stderr.slice(-2000));
    const prefix = `Updating V8 code cache for ES module: file://${ROOT}`;
    const loaded = new Set<string>();
    for (const line of stderr.split("\n")) {
      const at = line.indexOf(prefix);
      if (at >= 0) loaded.add(line.slice(at + prefix.length).replace(/, \[\d+\]$/, ""));
    }
    return loaded;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the binaries' entry point imports statically every module of a one-shot answer", async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  try {
    const loaded = await loadedModules(["run", "llama3", "hi"], server.url, "pipe");
    // The one-shot path reaches well beyond main.ts's own static imports; a handful would mean
    // the debug log no longer names the modules and this test compares nothing.
    assert(loaded.has("lib/commands/run.ts") && loaded.size > 30, [...loaded].join(", "));
    const cached = await staticGraph("main_binary.ts");
    assertEquals([...loaded].filter((path) => !cached.has(path)), []);
    // main.ts keeps them dynamic: `deno run` caches every module anyway, and `--version` is
    // spared loading them.
    const fromMain = await staticGraph("main.ts");
    assertEquals(fromMain.has("lib/commands/run.ts"), false);
  } finally {
    await server.close();
  }
});

Deno.test({
  name:
    "the binaries' entry point imports statically every module of a one-shot answer in a terminal",
  ignore: !HAVE_SCRIPT,
}, async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  try {
    const loaded = await loadedModules(["run", "llama3", "hi"], server.url, "terminal");
    // In a terminal the answer is word-wrapped, by display width.
    assert(
      loaded.has("lib/render/wrap.ts") && loaded.has("lib/term/width.ts"),
      [...loaded].join(", "),
    );
    const cached = await staticGraph("main_binary.ts");
    assertEquals([...loaded].filter((path) => !cached.has(path)), []);
  } finally {
    await server.close();
  }
});

Deno.test("the binaries' entry point imports statically every module of --version", async () => {
  const server = new FakeOllama({ models: [] });
  try {
    const loaded = await loadedModules(["--version"], server.url, "pipe");
    assert(loaded.has("lib/commands/version.ts"), [...loaded].join(", "));
    const cached = await staticGraph("main_binary.ts");
    assertEquals([...loaded].filter((path) => !cached.has(path)), []);
  } finally {
    await server.close();
  }
});

Deno.test("dollama started from the binaries' entry point behaves as from main.ts", async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  const start = (entry: string, args: string[]) =>
    run(Deno.execPath(), ["run", "--quiet", ...TASK_FLAGS, `${ROOT}${entry}`, ...args], {
      ...baseEnv(),
      OLLAMA_HOST: server.url,
    });
  try {
    for (
      const args of [
        ["--version"],
        ["--help"],
        ["run", "llama3", "hi"],
        ["list"],
        ["show", "llama3"],
        ["ps"],
        ["run"],
        ["frobnicate"],
      ]
    ) {
      const fromMain = await start("main.ts", args);
      assertEquals(await start("main_binary.ts", args), fromMain, args.join(" "));
    }
  } finally {
    await server.close();
  }
});
