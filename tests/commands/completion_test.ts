/**
 * `dollama completion`: the scripts are checked by running them. The bash script is sourced in
 * a real bash whose PATH has a `dollama` that runs this CLI against the fake server, so model
 * names come from `dollama list` / `dollama ps` exactly as they would for a user.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand, runCli } from "../support/cli.ts";
import { completionScript } from "../../lib/cli/completion.ts";
import { acceptedFlags, commandNames, HELP_FLAG, SPEC } from "../../lib/cli/spec.ts";
import { CliError } from "../../lib/errors.ts";

const models = [
  { name: "llama3.2:latest" },
  { name: "llama3.2:1b" },
  { name: "qwen3:8b" },
  { name: "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M" },
];
const running = [{
  name: "qwen3:8b",
  model: "qwen3:8b",
  size: 1,
  size_vram: 1,
  digest: "500a1f067a9f782620b40bee6f7b0c89e17ae61f686b92c24933e4ca4b2b8b41",
  expires_at: "2318-01-01T00:00:00Z",
}];

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A temp dir holding the bash script and a `dollama` wrapper that talks to `server`. */
async function setUp(server: FakeOllama): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await Deno.makeTempDir({ prefix: "dollama-completion-" });
  const command = [Deno.execPath(), ...dollamaCommand([])].map(shellQuote).join(" ");
  await Deno.writeTextFile(`${dir}/dollama`, `#!/bin/sh\nexec ${command} "$@"\n`, { mode: 0o755 });
  await Deno.writeTextFile(`${dir}/dollama.bash`, completionScript("bash"));
  const env = baseEnv({ OLLAMA_HOST: server.url });
  env.PATH = `${dir}:${env.PATH}`;
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  return { dir, env };
}

/**
 * Completes as bash would with the cursor on word `cword` of `words` (bash's own split, so
 * `llama3.2:la` arrives as three words). Returns COMPREPLY.
 */
async function complete(
  setup: { dir: string; env: Record<string, string> },
  words: string[],
  cword = words.length - 1,
): Promise<string[]> {
  const script = `source ${shellQuote(`${setup.dir}/dollama.bash`)}
COMP_WORDS=(${words.map(shellQuote).join(" ")})
COMP_CWORD=${cword}
_dollama
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: setup.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  assertEquals(stderr, "");
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
}

async function withBash(
  fn: (setup: { dir: string; env: Record<string, string> }) => Promise<void>,
) {
  const server = new FakeOllama({ models, running });
  const setup = await setUp(server);
  try {
    await fn(setup);
  } finally {
    await server.close();
    await Deno.remove(setup.dir, { recursive: true });
  }
}

Deno.test("bash completion completes `dollama ru` to run", async () => {
  await withBash(async (s) => {
    assertEquals(await complete(s, ["dollama", "ru"]), ["run"]);
  });
});

Deno.test("bash completion offers every command after `dollama`", async () => {
  await withBash(async (s) => {
    assertEquals(
      await complete(s, ["dollama", ""]),
      [
        "run",
        "pull",
        "show",
        "ps",
        "stop",
        "list",
        "ls",
        "completion",
        "upgrade",
        "chats",
        "version",
        "help",
      ],
    );
  });
});

Deno.test("bash completion offers local model names from `dollama list` after run", async () => {
  await withBash(async (s) => {
    assertEquals(
      (await complete(s, ["dollama", "run", ""])).sort(),
      models.map((m) => m.name).sort(),
    );
  });
});

Deno.test("bash completion completes a model name across the ':' word break", async () => {
  await withBash(async (s) => {
    // "dollama run llama3.2:la" — bash splits at ':' and replaces only the part after it.
    assertEquals(await complete(s, ["dollama", "run", "llama3.2", ":", "la"]), ["latest"]);
    // The cursor right after the colon.
    assertEquals((await complete(s, ["dollama", "run", "llama3.2", ":"])).sort(), ["1b", "latest"]);
    // A name with a slash and a colon.
    assertEquals(await complete(s, ["dollama", "show", "hf.co/bart"]), [
      "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M",
    ]);
  });
});

Deno.test("bash completion keeps whole names when ':' is not a word break", async () => {
  await withBash(async (s) => {
    const script = `source ${shellQuote(`${s.dir}/dollama.bash`)}
COMP_WORDBREAKS=\${COMP_WORDBREAKS//:}
COMP_WORDS=(dollama run llama3.2:la); COMP_CWORD=2; _dollama; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const out = await new Deno.Command("bash", { args: ["-c", script], env: s.env, clearEnv: true })
      .output();
    assertEquals(new TextDecoder().decode(out.stdout), "llama3.2:latest\n");
  });
});

Deno.test("bash completion offers loaded models from `dollama ps` after stop", async () => {
  await withBash(async (s) => {
    assertEquals(await complete(s, ["dollama", "stop", ""]), ["qwen3:8b"]);
  });
});

Deno.test("bash completion offers each command's flags", async () => {
  await withBash(async (s) => {
    assertEquals(await complete(s, ["dollama", "show", "--l"]), ["--license"]);
    assertEquals(await complete(s, ["dollama", "run", "--exp"]), [
      "--experimental",
      "--experimental-yolo",
      "--experimental-websearch",
    ]);
    assertEquals(await complete(s, ["dollama", "-"]), ["--version", "-v", "--help", "-h"]);
  });
});

Deno.test("bash completion offers flag values, also after '='", async () => {
  await withBash(async (s) => {
    assertEquals(await complete(s, ["dollama", "run", "--format", ""]), ["json"]);
    assertEquals(await complete(s, ["dollama", "run", "--think", "=", "h"]), ["high"]);
    const afterThink = await complete(s, ["dollama", "run", "--think", "m"]);
    assertEquals(afterThink, ["medium", "max"]);
  });
});

Deno.test("bash completion offers nothing for the prompt after the model", async () => {
  await withBash(async (s) => {
    assertEquals(await complete(s, ["dollama", "run", "qwen3", ":", "8b", ""]), []);
    assertEquals(await complete(s, ["dollama", "run", "--think", "high", "qw"]), ["qwen3:8b"]);
  });
});

Deno.test("bash completion knows the word after a short flag is its value", async () => {
  await withBash(async (s) => {
    // `dollama run -p <TAB>`: a KEY=VALUE is typed here, not a model.
    assertEquals(await complete(s, ["dollama", "run", "-p", ""]), []);
    // `dollama run -p seed=1 <TAB>` (bash splits at '='): the model comes next.
    const afterValue = await complete(s, ["dollama", "run", "-p", "seed", "=", "1", ""]);
    assertEquals(afterValue.sort(), models.map((m) => m.name).sort());
    const twice = ["dollama", "run", "-p", "seed", "=", "1", "--parameter", "top_k", "=", "2", "q"];
    assertEquals(await complete(s, twice), ["qwen3:8b"]);
    assertEquals(await complete(s, ["dollama", "run", "-p", "seed", "=", "1", "qwen3", ""]), []);
  });
});

Deno.test("bash completion offers shells after completion", async () => {
  await withBash(async (s) => {
    assertEquals(await complete(s, ["dollama", "completion", ""]), ["bash", "zsh", "fish"]);
  });
});

Deno.test("bash completion stays quiet when no server is running", async () => {
  await withBash(async (s) => {
    s.env.OLLAMA_HOST = "127.0.0.1:9";
    assertEquals(await complete(s, ["dollama", "run", "ll"]), []);
  });
});

Deno.test("completionScript() names the supported shells for any other", () => {
  let error: unknown;
  try {
    completionScript("powershell");
  } catch (err) {
    error = err;
  }
  assert(error instanceof CliError);
  assertEquals(error.message, 'unsupported shell "powershell" (expected bash, zsh or fish)');
});

Deno.test("completion prints a script for each shell and fails for others", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const result = await runCli(["completion", shell]);
    assertEquals(result.code, 0);
    assertEquals(result.stdout, completionScript(shell));
    assertStringIncludes(result.stdout, "dollama list");
  }
  const bad = await runCli(["completion", "x"]);
  assertEquals(bad, {
    code: 1,
    stdout: "",
    stderr: 'Error: unsupported shell "x" (expected bash, zsh or fish)\n',
  });
});

async function hasShell(name: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(name, { args: ["-c", "exit 0"] }).output();
    return out.code === 0;
  } catch {
    return false;
  }
}

for (const [shell, flag] of [["bash", "-n"], ["zsh", "-n"], ["fish", "--no-execute"]]) {
  Deno.test({
    name: `completion ${shell} is valid ${shell} syntax`,
    ignore: !(await hasShell(shell)),
    fn: async () => {
      const file = await Deno.makeTempFile({ suffix: `.${shell}` });
      try {
        await Deno.writeTextFile(file, completionScript(shell));
        const out = await new Deno.Command(shell, { args: [flag, file], stderr: "piped" }).output();
        assertEquals(new TextDecoder().decode(out.stderr), "");
        assertEquals(out.code, 0);
      } finally {
        await Deno.remove(file);
      }
    },
  });
}

/** What fish offers for the command line `line` (the cursor at its end), one word a line. */
async function fishComplete(
  setup: { dir: string; env: Record<string, string> },
  line: string,
): Promise<string[]> {
  await Deno.writeTextFile(`${setup.dir}/dollama.fish`, completionScript("fish"));
  const out = await new Deno.Command("fish", {
    args: [
      "--no-config",
      "-c",
      "source $argv[1]; complete -C $argv[2]",
      `${setup.dir}/dollama.fish`,
      line,
    ],
    env: setup.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(new TextDecoder().decode(out.stderr), "");
  // Each line is a word, then a tab and its description when it has one.
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean).map((l) =>
    l.split("\t")[0]
  );
}

Deno.test({
  name: "fish completion offers the model after a flag's value, and nothing as the value",
  ignore: !(await hasShell("fish")),
  fn: async () => {
    await withBash(async (s) => {
      const names = models.map((m) => m.name).sort();
      assertEquals((await fishComplete(s, "dollama run ")).sort(), names);
      // The value of -p is KEY=VALUE: neither a model nor a file name.
      assertEquals(await fishComplete(s, "dollama run -p "), []);
      for (
        const line of [
          "dollama run -p seed=1 ",
          "dollama run --parameter seed=1 --keepalive 5m ",
          "dollama run --system -x ",
          "dollama run --think high ",
        ]
      ) {
        assertEquals((await fishComplete(s, line)).sort(), names, line);
      }
      // After the model, and after a word --think does not take, the prompt: nothing.
      assertEquals(await fishComplete(s, "dollama run -p seed=1 qwen3:8b "), []);
      assertEquals(await fishComplete(s, "dollama run --think why "), []);
      assertEquals(await fishComplete(s, "dollama stop "), ["qwen3:8b"]);
    });
  },
});

/** `--flag` words in the Options part of a help text. */
function helpFlags(help: string): string[] {
  const options = help.split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? "";
  return [...options.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
}

Deno.test("completion knows every command and flag the CLI's help lists", async () => {
  const top = await runCli(["--help"]);
  const commandsPart = top.stdout.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? "";
  const names = [...commandsPart.matchAll(/^ {2}([a-z]+)(?:\|([a-z]+))?[ \[<]/gm)]
    .flatMap((m) => [m[1], m[2]]).filter((n): n is string => !!n);
  const known = new Map(SPEC.commands.flatMap((c) => commandNames(c).map((n) => [n, c])));
  assert(names.length >= 8, top.stdout);
  for (const name of names) assert(known.has(name), `completion lacks the command ${name}`);
  for (const flag of helpFlags(top.stdout)) {
    const rootFlags = [...SPEC.flags, HELP_FLAG];
    assert(rootFlags.some((f) => `--${f.long}` === flag), `completion lacks ${flag}`);
  }
  for (const name of names.filter((n) => n !== "help")) {
    const help = await runCli([name, "--help"]);
    const spec = known.get(name)!;
    for (const flag of helpFlags(help.stdout)) {
      assert(
        acceptedFlags(spec).some((f) => `--${f.long}` === flag),
        `completion lacks ${name} ${flag}`,
      );
    }
  }
});
