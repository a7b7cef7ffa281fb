/**
 * The command line read as `ollama` (pflag under cobra) reads it, end to end: the CLI as a
 * subprocess against the fake server, checked on the wire and on its output. The last value of
 * a boolean flag wins; a flag that takes a value takes the next word exactly as typed; short
 * flags take `=VALUE`.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { runAgainst as run } from "../support/cli.ts";
import { closing } from "../support/closing.ts";
import { llama, qwen } from "../support/sky_models.ts";

function withServer(fn: (server: FakeOllama) => Promise<void>) {
  return closing(new FakeOllama({ models: [llama, qwen] }), fn);
}

const answered = { code: 0, stdout: `${llama.reply}\n`, stderr: "" };

Deno.test("--flag=false after --flag turns it off, for every kind of boolean flag", async () => {
  await withServer(async (server) => {
    const [verbose, json, continued, shortContinued, interactive] = await Promise.all([
      run(server, ["run", "llama3", "hi", "--verbose", "--verbose=false"]),
      run(server, ["run", "llama3", "--verbose=json", "hi", "--verbose=false"]),
      // With nothing saved to continue, -c would be an error.
      run(server, ["run", "llama3", "-c", "hi", "--continue=false"]),
      run(server, ["run", "llama3", "hi", "-c", "-c=false"]),
      // -i without a terminal is an error.
      run(server, ["run", "llama3", "hi", "-i", "--interactive=false"]),
    ]);
    assertEquals(verbose, answered);
    assertEquals(json, answered);
    assertEquals(continued, answered);
    assertEquals(shortContinued, answered);
    assertEquals(interactive, answered);
    const thinking = await run(server, [
      "run",
      "qwen3",
      "hi",
      "--hidethinking",
      "--hidethinking=false",
    ]);
    assertEquals(thinking.code, 0);
    assertStringIncludes(thinking.stderr, qwen.thinking);
  });
});

Deno.test("--nohistory=false after --nohistory saves the conversation", async () => {
  await withServer(async (server) => {
    const state = Deno.makeTempDirSync({ prefix: "dollama-state-" });
    try {
      const env = { XDG_STATE_HOME: state };
      const args = ["run", "llama3", "hi", "--nohistory", "--nohistory=false"];
      assertEquals(await run(server, args, { env }), answered);
      const chats = await run(server, ["chats", "--json"], { env });
      assertEquals(JSON.parse(chats.stdout).length, 1, chats.stdout);
    } finally {
      Deno.removeSync(state, { recursive: true });
    }
  });
});

Deno.test("a flag that takes a value takes the next word as typed, even one like a flag", async () => {
  await withServer(async (server) => {
    for (const value of ["--verbose", "--think", "--truncate", "-c", "--"]) {
      const result = await run(server, ["run", "llama3", "hi", "--system", value, "false"]);
      assertEquals(result, answered, value);
      const body = server.requestsTo("/api/generate").at(-1)?.body;
      assertEquals([body?.system, body?.prompt], [value, "hi false"], value);
    }
    const keepalive = await run(server, ["run", "llama3", "hi", "--keepalive", "--verbose"]);
    assertEquals(keepalive, {
      code: 1,
      stdout: "",
      stderr: 'Error: time: invalid duration "--verbose"\n',
    });
  });
});

Deno.test("short boolean flags take =true and =false; several may share a dash", async () => {
  await withServer(async (server) => {
    const [continued, notInteractive, bundled, badValue] = await Promise.all([
      run(server, ["run", "llama3", "hi", "-c=true"]),
      run(server, ["run", "llama3", "hi", "-i=false"]),
      run(server, ["run", "llama3", "hi", "-ic=false", "-i=0"]),
      run(server, ["run", "llama3", "hi", "-c=yes"]),
    ]);
    assertEquals(continued, {
      code: 1,
      stdout: "",
      stderr: "Error: there is no saved conversation with 'llama3' to continue\n",
    });
    assertEquals(notInteractive, answered);
    assertEquals(bundled, answered);
    assertEquals(badValue, {
      code: 1,
      stdout: "",
      stderr: 'Error: invalid value "yes" for -c (must be true or false)\n',
    });
  });
});

Deno.test("-v/--version: repeated it prints the version; before a command it is the command's", async () => {
  await withServer(async (server) => {
    const version = await run(server, ["--version"]);
    assertEquals(version.code, 0);
    assertStringIncludes(version.stdout, "dollama version ");
    for (const args of [["-v", "-v"], ["-vv"], ["--version", "--version"], ["--version=true"]]) {
      assertEquals(await run(server, args), version, args.join(" "));
    }
    // As cobra parses them: a flag before the command is the command's flag.
    const before = server.requests.length;
    for (
      const [args, flag] of [
        [["--version", "run", "llama3", "hi"], "--version"],
        [["-v", "list"], "-v"],
        [["-v", "run", "llama3", "hi"], "-v"],
        [["-v", "help"], "-v"],
      ] as const
    ) {
      assertEquals(await run(server, [...args]), {
        code: 1,
        stdout: "",
        stderr: `Error: unknown option '${flag}'\n`,
      }, args.join(" "));
    }
    assertEquals(server.requests.length, before);
    // show has a -v of its own.
    const [shown, verbose, plain] = await Promise.all([
      run(server, ["-v", "show", "llama3"]),
      run(server, ["show", "llama3", "-v"]),
      run(server, ["show", "llama3"]),
    ]);
    assertEquals(shown, verbose);
    assertStringIncludes(shown.stdout, "Metadata");
    assertEquals(plain.stdout.includes("Metadata"), false);
  });
});
