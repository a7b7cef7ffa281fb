import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { readConfig } from "../../lib/cli/config.ts";
import { FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand, runCli } from "../support/cli.ts";
import { startDollama } from "../support/tmux.ts";
import { cloudHintApplies, pullWithProgress } from "../../lib/commands/pull.ts";
import { OllamaClient } from "../../lib/api/client.ts";
import { BufferOutput, type Io } from "../../lib/io.ts";
import type { Context } from "../../lib/context.ts";

const DIGEST1 = "sha256:6a0746a1ec1a" + "a".repeat(52);
const DIGEST2 = "sha256:4fa551d4f938" + "b".repeat(52);
const LLAMA = {
  name: "llama3.2:latest",
  layers: [{ digest: DIGEST1, total: 4_700_000_000 }, { digest: DIGEST2, total: 12_000 }],
};

const PLAIN_SUCCESS = "pulling manifest\n" +
  "pulling 6a0746a1ec1a: 4.7 GB\n" +
  "pulling 4fa551d4f938: 12 KB\n" +
  "verifying sha256 digest\n" +
  "writing manifest\n" +
  "success\n";

async function withFake(
  options: FakeOptions,
  body: (fake: FakeOllama) => Promise<void>,
): Promise<void> {
  const fake = new FakeOllama(options);
  try {
    await body(fake);
  } finally {
    await fake.close();
  }
}

Deno.test("dollama pull prints one plain line per step off a terminal", async () => {
  await withFake({ registry: [LLAMA] }, async (fake) => {
    const result = await runCli(["pull", "llama3.2"], { host: fake.url });
    assertEquals(result.stderr, PLAIN_SUCCESS);
    assertEquals(result.stdout, "");
    assertEquals(result.code, 0);
    assertEquals(fake.requests.map((r) => `${r.method} ${r.path}`), ["HEAD /", "POST /api/pull"]);
    assertEquals(fake.requestsTo("/api/pull")[0].body, { model: "llama3.2" });
  });
});

Deno.test("dollama pull --insecure sends insecure in the request", async () => {
  await withFake({ registry: [LLAMA] }, async (fake) => {
    const result = await runCli(["pull", "--insecure", "llama3.2"], { host: fake.url });
    assertEquals(result.code, 0);
    assertEquals(fake.requestsTo("/api/pull")[0].body, { model: "llama3.2", insecure: true });
  });
});

Deno.test("dollama pull reports a layer whose last update fell short once the server moves on", async () => {
  const layers = [
    { digest: DIGEST1, total: 4_700_000_000, steps: [1e9, 4_699_000_000] },
    { digest: DIGEST2, total: 12_000, steps: [12_000] },
  ];
  await withFake({ registry: [{ name: "llama3.2:latest", layers }] }, async (fake) => {
    const result = await runCli(["pull", "llama3.2"], { host: fake.url });
    assertEquals(result.stderr, PLAIN_SUCCESS);
    assertEquals(result.code, 0);
  });
});

Deno.test("dollama pull writes no escape byte when stderr is not a terminal", async () => {
  const layers = [{ digest: DIGEST1, total: 1000, steps: [100, 200, 500, 900, 1000] }];
  await withFake(
    { registry: [{ name: "m:latest", layers }], chunkDelayMs: 30 },
    async (fake) => {
      const result = await runCli(["pull", "m"], { host: fake.url, env: { TERM: "xterm" } });
      assertEquals(result.code, 0);
      assert(!result.stderr.includes("\x1b"), JSON.stringify(result.stderr));
      assert(result.stderr.includes("pulling 6a0746a1ec1a: 1 KB\n"), result.stderr);
    },
  );
});

Deno.test("dollama pull of an unknown model fails with the server's error", async () => {
  await withFake({ registry: [LLAMA] }, async (fake) => {
    const result = await runCli(["pull", "nosuchmodel"], { host: fake.url });
    assertEquals(
      result.stderr,
      "pulling manifest\nError: pull model manifest: file does not exist\n",
    );
    assertEquals(result.code, 1);
    // The cloud probe was made and found nothing, so no hint.
    assertEquals(fake.requestsTo("/api/show").map((r) => r.body), [{ model: "nosuchmodel:cloud" }]);
  });
});

Deno.test("dollama pull suggests the :cloud model when only that exists", async () => {
  await withFake({ models: [{ name: "kimi-k3:cloud" }] }, async (fake) => {
    const result = await runCli(["pull", "kimi-k3"], { host: fake.url });
    assertEquals(
      result.stderr,
      "pulling manifest\n" +
        "Error: pull model manifest: file does not exist\n" +
        "\n" +
        '"kimi-k3:cloud" is available as a cloud model. Try:\n' +
        "  dollama pull kimi-k3:cloud\n",
    );
    assertEquals(result.code, 1);
  });
});

Deno.test("dollama pull does not probe for :cloud when a tag was given", async () => {
  await withFake({ models: [{ name: "kimi-k3:cloud" }] }, async (fake) => {
    const result = await runCli(["pull", "kimi-k3:latest"], { host: fake.url });
    assertEquals(
      result.stderr,
      "pulling manifest\nError: pull model manifest: file does not exist\n",
    );
    assertEquals(result.code, 1);
    assertEquals(fake.requestsTo("/api/show"), []);
  });
});

Deno.test("cloudHintApplies() follows the conditions of the reference", () => {
  const cases: [string, boolean, boolean][] = [
    ["kimi-k3", false, true],
    ["library/kimi-k3", false, true],
    ["registry.ollama.ai/library/kimi-k3", false, true],
    ["REGISTRY.OLLAMA.AI/library/kimi-k3", false, true],
    ["kimi-k3", true, false], // --insecure
    ["kimi-k3:latest", false, false], // explicit tag
    ["kimi-k3:cloud", false, false], // source suffix
    ["example.com/library/kimi-k3", false, false], // another registry
    ["example.com:5000/ns/kimi-k3", false, false],
  ];
  for (const [name, insecure, expected] of cases) {
    assertEquals(cloudHintApplies(name, insecure), expected, `${name} insecure=${insecure}`);
  }
});

function contextFor(url: string, stderr: BufferOutput, signal = new AbortController().signal) {
  const io: Io = {
    stdin: { isTerminal: false, read: () => Promise.resolve(null) },
    stdout: new BufferOutput(),
    stderr,
    env: () => undefined,
    now: () => 0,
    onInterrupt: () => () => {},
    fetch: globalThis.fetch,
    os: "linux",
    arch: "x86_64",
    runtimeVersion: "test",
  };
  const client = new OllamaClient({ baseUrl: url, userAgent: "dollama-test" });
  return { io, client, config: readConfig(io.env), signal } satisfies Context;
}

Deno.test("pullWithProgress() names the caller's verb in the cloud hint and sends no heartbeat", async () => {
  await withFake({ models: [{ name: "kimi-k3:cloud" }] }, async (fake) => {
    const stderr = new BufferOutput();
    const ctx = contextFor(fake.url, stderr);
    await assertRejects(
      () => pullWithProgress(ctx, "kimi-k3", { verb: "run" }),
      /file does not exist\n\n"kimi-k3:cloud" is available as a cloud model\. Try:\n {2}dollama run kimi-k3:cloud$/,
    );
    assertEquals(stderr.text, "pulling manifest\n");
    assertEquals(fake.requests.filter((r) => r.method === "HEAD"), []);
  });
});

Deno.test("pullWithProgress() stops the display and rethrows when aborted", async () => {
  await withFake({ registry: [LLAMA], pullStallAfter: 1 }, async (fake) => {
    const stderr = new BufferOutput(true, 80);
    const controller = new AbortController();
    const ctx = contextFor(fake.url, stderr, controller.signal);
    const error = assertRejects(() => pullWithProgress(ctx, "llama3.2", {}));
    // Abort once the display has drawn the spinner (poll, no guessed delay).
    while (!stderr.text.includes("pulling manifest ⠋")) {
      await new Promise((r) => setTimeout(r, 10));
    }
    controller.abort();
    const err = await error;
    assert(err instanceof DOMException && err.name === "AbortError", String(err));
    await fake.clientWentAway;
    // A final frame with the spinner stopped, the cursor shown, and a newline below the display.
    assert(
      stderr.text.endsWith("\x1b[1Gpulling manifest \x1b[K\x1b[?25h\x1b[?2026l\n"),
      JSON.stringify(stderr.text),
    );
  });
});

Deno.test("dollama pull exits 130 on Ctrl+C during a pull", async () => {
  await withFake({ registry: [LLAMA], pullStallAfter: 1 }, async (fake) => {
    const env = baseEnv({ OLLAMA_HOST: fake.url });
    if (env.DENO_DIR === "") delete env.DENO_DIR;
    const child = new Deno.Command(Deno.execPath(), {
      args: dollamaCommand(["pull", "llama3.2"]),
      env,
      clearEnv: true,
      cwd: new URL("../../", import.meta.url).pathname,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(child.stdout).text();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let stderr = "";
    // Interrupt only once the pull is visibly under way, not after a guessed delay.
    while (!stderr.includes("pulling manifest\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += value;
    }
    child.kill("SIGINT");
    for (let r = await reader.read(); !r.done; r = await reader.read()) stderr += r.value;
    const status = await child.status;
    assertEquals(status.code, 130);
    assertEquals(stderr, "pulling manifest\n");
    assertEquals(await stdout, "");
    await fake.clientWentAway;
  });
});

Deno.test("dollama pull on a terminal draws progress bars that end at 100 %", async () => {
  const layers = [
    { digest: DIGEST1, total: 4_700_000_000, steps: [1e9, 2e9, 3e9, 4e9, 4_700_000_000] },
    { digest: DIGEST2, total: 12_000, steps: [12_000] },
  ];
  await withFake(
    { registry: [{ name: "llama3.2:latest", layers }], chunkDelayMs: 60 },
    async (fake) => {
      const term = await startDollama(["pull", "llama3.2"], { host: fake.url, cols: 80, rows: 20 });
      try {
        await term.waitFor(/^success/m);
        assertEquals(await term.waitForExit(), 0);
        const screen = await term.capture();
        // Each line appears once: redraws went back over the block instead of stacking copies.
        assertEquals(
          screen.trimEnd().split("\n").map((l) => l.trimEnd()),
          [
            "pulling manifest",
            "pulling 6a0746a1ec1a: 100% ▕██████████████████▏ 4.7 GB",
            "pulling 4fa551d4f938: 100% ▕██████████████████▏  12 KB",
            "verifying sha256 digest",
            "writing manifest",
            "success",
          ],
        );
        assert(await term.cursorVisible(), "the cursor is shown again");
      } finally {
        await term.kill();
      }
    },
  );
});

Deno.test("dollama pull on a terminal exits 130 on Ctrl+C with the cursor shown", async () => {
  const layers = [{ digest: DIGEST1, total: 4_700_000_000, steps: [1e9, 4_700_000_000] }];
  await withFake(
    { registry: [{ name: "llama3.2:latest", layers }], pullStallAfter: 3 },
    async (fake) => {
      const term = await startDollama(["pull", "llama3.2"], { host: fake.url, cols: 80, rows: 20 });
      try {
        await term.waitFor("pulling 6a0746a1ec1a:  21% ▕███");
        await term.sendKeys("C-c");
        assertEquals(await term.waitForExit(), 130);
        const screen = await term.capture();
        assert(!screen.includes("Error"), screen);
        assert(await term.cursorVisible(), "the cursor is shown again");
      } finally {
        await term.kill();
      }
    },
  );
});
