/**
 * `deno task demo`: the fake server on a fixed port with the recorded models. It is started the
 * way the task starts it, its start-up message is checked, and the README's first example is run
 * against it word for word, through a `dollama` on PATH.
 */
import denoJson from "../../deno.json" with { type: "json" };
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";
import { demoBanner, demoModels, demoOptions } from "../support/demo.ts";
import { poll } from "../support/tmux.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The demo task's `deno run` flags and script, so the test starts what the task starts. */
const DEMO_ARGS = denoJson.tasks.demo.split(/\s+/).slice(1);

interface Demo {
  child: Deno.ChildProcess;
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): Promise<string>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function startDemo(args: string[]): Demo {
  const env = baseEnv();
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  const child = new Deno.Command(Deno.execPath(), {
    args: [...DEMO_ARGS, ...args],
    cwd: root,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const reading = child.stdout.pipeTo(
    new WritableStream({ write: (chunk) => void (text += decoder.decode(chunk)) }),
  );
  const stderr = new Response(child.stderr).text();
  return {
    child,
    stdout: () => text,
    stderr: async () => {
      await reading;
      return await stderr;
    },
  };
}

async function stop(demo: Demo): Promise<void> {
  try {
    demo.child.kill("SIGTERM");
  } catch {
    // already ended
  }
  await demo.child.status;
  await demo.stderr();
}

async function banner(demo: Demo): Promise<string> {
  return await poll(
    () =>
      Promise.resolve(demo.stdout().includes("stops the server.\n") ? demo.stdout() : undefined),
    15_000,
    async () => `the demo printed no banner: ${demo.stdout()}${await demo.stderr()}`,
  );
}

/** The README's first example: each `$ command` with the output lines shown under it. */
function readmeExample(): { command: string; output: string[] }[] {
  const readme = Deno.readTextFileSync(`${root}/README.md`);
  const block = readme.match(/```console\n([\s\S]*?)```/);
  assert(block, "the README has a console example");
  const steps: { command: string; output: string[] }[] = [];
  for (const line of block[1].split("\n").filter((l) => l !== "")) {
    if (line.startsWith("$ ")) steps.push({ command: line.slice(2), output: [] });
    else steps.at(-1)?.output.push(line);
  }
  return steps;
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

Deno.test("the demo prints the OLLAMA_HOST to export and every model with its capabilities", async () => {
  const port = freePort();
  const demo = startDemo(["--port", String(port)]);
  try {
    const url = `http://127.0.0.1:${port}`;
    const text = await banner(demo);
    assertEquals(text, demoBanner(url, demoModels(demoOptions())) + "\n");
    assertStringIncludes(text, `\n  export OLLAMA_HOST=${url}\n`);
    for (const [name, capabilities] of [["smollm2", "completion"], ["all-minilm", "embedding"]]) {
      assert(new RegExp(`\\n  ${name} +${capabilities}\\n`).test(text), `${name}: ${text}`);
    }
    assertStringIncludes(text, "completion, vision\n");
    assertStringIncludes(text, "(pulled on first use)\n");
  } finally {
    await stop(demo);
  }
});

Deno.test("a second demo on the same port says the port is taken", async () => {
  const port = freePort();
  const first = startDemo([`--port=${port}`]);
  try {
    await banner(first);
    const second = startDemo(["--port", String(port)]);
    assertEquals((await second.child.status).code, 1);
    assertEquals(
      await second.stderr(),
      `Port ${port} is in use: is the demo already running? --port N\n`,
    );
  } finally {
    await stop(first);
  }
});

Deno.test("the demo rejects a malformed port", async () => {
  const demo = startDemo(["--port", "http"]);
  assertEquals((await demo.child.status).code, 2);
  assertEquals(await demo.stderr(), "usage: deno task demo [--port N]  (default port 11435)\n");
});

Deno.test("the README's first example works against the demo, as written", async () => {
  const port = freePort();
  const demo = startDemo(["--port", String(port)]);
  const dir = await Deno.makeTempDir({ prefix: "dollama-readme-" });
  try {
    await banner(demo);
    // A `dollama` on PATH that runs this checkout, as `deno task install` provides.
    const command = [Deno.execPath(), ...dollamaCommand([])].map(shellQuote).join(" ");
    await Deno.mkdir(`${dir}/bin`);
    await Deno.writeTextFile(`${dir}/bin/dollama`, `#!/bin/sh\nexec ${command} "$@"\n`, {
      mode: 0o755,
    });
    const env = baseEnv({ OLLAMA_HOST: `http://127.0.0.1:${port}` });
    env.PATH = `${dir}/bin:${env.PATH}`;
    if (env.DENO_DIR === "") delete env.DENO_DIR;
    // `git diff` needs a repository to diff.
    await new Deno.Command("git", { args: ["init", "-q", `${dir}/work`] }).output();

    const steps = readmeExample();
    assert(steps.length >= 3, JSON.stringify(steps));
    for (const step of steps) {
      const out = await new Deno.Command("bash", {
        args: ["-o", "pipefail", "-c", step.command],
        cwd: `${dir}/work`,
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      const where = `${step.command}\n${stdout}${new TextDecoder().decode(out.stderr)}`;
      assertEquals(out.code, 0, where);
      const lines = stdout.split("\n").slice(0, -1);
      assertEquals(lines.length, step.output.length, where);
      step.output.forEach((expected, i) => {
        // `…` in the README stands for the rest of the answer.
        if (expected.endsWith("…")) assert(lines[i].startsWith(expected.slice(0, -1)), where);
        else assertEquals(lines[i], expected, where);
      });
    }
    const message = await Deno.readTextFile(`${dir}/work/msg.txt`);
    assert(message.length > 1, "the commit message was written");
  } finally {
    await stop(demo);
    await Deno.remove(dir, { recursive: true });
  }
});
