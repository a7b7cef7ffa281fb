/**
 * Faults on dollama's own outputs (docs/reliability.md, Output): a reader that goes away, a full
 * disk, a closed stderr. The command runs under bash so the streams can be bent.
 */
import { assertEquals } from "../support/assert.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";
import type { FaultScript, FaultServer } from "../support/fault_server.ts";
import { withFaults } from "./helpers.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Runs dollama as `"$@"` inside the bash `script`; returns the exit code and stderr of bash. */
async function underBash(server: FaultServer, script: string, args: string[]) {
  const out = await new Deno.Command("bash", {
    args: ["-c", script, "bash", Deno.execPath(), ...dollamaCommand(args)],
    env: baseEnv({ OLLAMA_HOST: server.url }),
    clearEnv: true,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** A long answer, so the reader is gone while dollama still writes. */
const LONG_ANSWER: FaultScript = (c) =>
  c.chunked(200, [
    ...Array.from({ length: 2000 }, () => JSON.stringify({ response: "x".repeat(1000) }) + "\n"),
    '{"done":true}\n',
  ]);

Deno.test("a reader that goes away early (EPIPE) ends the run quietly with 0", async () => {
  await withFaults({ "POST /api/generate": LONG_ANSWER }, async (server) => {
    const result = await underBash(
      server,
      '"$@" | head -c 1 >/dev/null; echo "status ${PIPESTATUS[0]}" >&2',
      ["run", "m", "hi"],
    );
    assertEquals(result, { code: 0, stderr: "status 0\n" });
  });
});

Deno.test("stdout on a full disk (/dev/full) gives one error line and exit 1", async () => {
  await withFaults({ "POST /api/generate": LONG_ANSWER }, async (server) => {
    const result = await underBash(server, '"$@" > /dev/full', ["run", "m", "hi"]);
    assertEquals(result, {
      code: 1,
      stderr: "Error: could not write to stdout: no space left on device\n",
    });
  });
});

Deno.test("a closed stderr does not turn a pull into a failure, nor hide a failure", async () => {
  await withFaults({
    "POST /api/pull": (c) =>
      c.ndjson([{ status: "pulling manifest" }, { status: "verifying" }, { status: "success" }]),
    "GET /api/tags": (c) => c.json(500, { error: "boom" }),
  }, async (server) => {
    // Progress goes to stderr: writing it to a closed descriptor must not end the pull.
    assertEquals(await underBash(server, '"$@" 2>&-', ["pull", "m"]), { code: 0, stderr: "" });
    assertEquals(await underBash(server, '"$@" 2>&-', ["list"]), { code: 1, stderr: "" });
  });
});

Deno.test("a server's error that mentions a broken pipe is an error, not a reader gone away", async () => {
  const failure = "error reading llm response: write tcp 127.0.0.1:1->127.0.0.1:2: broken pipe";
  await withFaults({
    "POST /api/generate": (c) => c.ndjson([{ response: "partial " }, { error: failure }]),
    "POST /api/pull": (c) => c.ndjson([{ status: "pulling manifest" }, { error: failure }]),
    "GET /api/tags": (c) => c.json(500, { error: "write: broken pipe (os error 32)" }),
  }, async (server) => {
    assertEquals(await underBash(server, '"$@" >/dev/null', ["run", "m", "hi"]), {
      code: 1,
      stderr: `Error: ${failure}\n`,
    });
    assertEquals(await underBash(server, '"$@" 2>&1 >/dev/null | tail -n 1 >&2', ["pull", "m"]), {
      code: 0,
      stderr: `Error: ${failure}\n`,
    });
    assertEquals((await underBash(server, '"$@" >/dev/null', ["pull", "m"])).code, 1);
    assertEquals(await underBash(server, '"$@" >/dev/null', ["list"]), {
      code: 1,
      stderr: "Error: write: broken pipe (os error 32)\n",
    });
  });
});

Deno.test("a stderr that cannot be written costs neither the answer nor the exit status", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.ndjson([
        { model: "m", thinking: "pondering", response: "", done: false },
        { model: "m", response: "the answer", done: false },
        { model: "m", response: "", done: true, eval_count: 1, eval_duration: 1 },
      ]),
  }, async (server) => {
    // Thinking, then the statistics, go to stderr; /dev/full refuses every write.
    const script = 'out=$(mktemp); "$@" 2>/dev/full >"$out"; echo "status $?" >&2; cat "$out" >&2';
    assertEquals(await underBash(server, script, ["run", "m", "hi", "--verbose"]), {
      code: 0,
      stderr: "status 0\nthe answer\n",
    });
  });
});
