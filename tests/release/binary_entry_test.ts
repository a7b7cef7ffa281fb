/**
 * main_binary.ts, the release binaries' entry point, must import statically every module a
 * one-shot answer loads: a compiled binary code-caches its entry's static import graph only, and
 * compiles anything imported later from source on every run. These tests compare the modules a
 * real `run MODEL PROMPT` loads with that graph, so a new `import()` on the one-shot path, or a
 * module that moves behind one, cannot quietly slow every start of the binaries.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";
import { ROOT, staticGraph } from "./helpers.ts";

/**
 * The checkout's modules that `dollama ARGS` loads, run from main.ts as the `dollama` task runs
 * it. With an empty Deno cache every module it loads is compiled, and Deno's debug log names
 * each one as it stores the module's code cache.
 */
async function loadedModules(args: string[], host: string): Promise<Set<string>> {
  const denoDir = await Deno.makeTempDir({ prefix: "dollama-deno-dir-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: dollamaCommand(args),
      env: { ...baseEnv(), DENO_DIR: denoDir, DENO_LOG: "debug", OLLAMA_HOST: host },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, stderr.slice(-2000));
    const prefix = `Updating V8 code cache for ES module: file://${ROOT}`;
    const loaded = new Set<string>();
    for (const line of stderr.split("\n")) {
      const at = line.indexOf(prefix);
      if (at >= 0) loaded.add(line.slice(at + prefix.length).replace(/, \[\d+\]$/, ""));
    }
    return loaded;
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
}

Deno.test("the binaries' entry point imports statically every module of a one-shot answer", async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  try {
    const loaded = await loadedModules(["run", "llama3", "hi"], server.url);
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
