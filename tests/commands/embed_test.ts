/**
 * `dollama run EMBEDDING_MODEL --lines`: one JSON array per input line, in order, the lines sent
 * to `/api/embed` in batches while stdin is still being read; and the pieces (line splitting,
 * batching, progress) on their own.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { closing } from "../support/closing.ts";
import { FakeOllama, type RecordedRequest } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand, runAgainst, runCli } from "../support/cli.ts";
import { testContext, testIo } from "../support/test_io.ts";
import { joinBytes } from "../../lib/bytes.ts";
import { STDIN_HEAD_BYTES } from "../../lib/commands/run.ts";
import {
  batches,
  EMBED_BATCH_LINES,
  embedCommand,
  embedLines,
  inputLines,
} from "../../lib/commands/embed.ts";

const minilm = { name: "all-minilm:latest", capabilities: ["embedding"], embedding: [0.5] };
const llama = { name: "llama3:latest", reply: "Hello." };

/** Each input's embedding is `[its length, its number]` for inputs like "line 7". */
function embedByText(req: RecordedRequest): Response | undefined {
  if (req.path !== "/api/embed" || !Array.isArray(req.body?.input)) return undefined;
  const embeddings = (req.body.input as string[]).map((t) => [t.length, Number(t.split(" ")[1])]);
  return Response.json({ model: req.body.model, embeddings });
}

function withServer(fn: (server: FakeOllama) => Promise<void>) {
  return closing(new FakeOllama({ models: [minilm, llama], handler: embedByText }), fn);
}

/** `dollama run all-minilm --lines` with `stdin`, against `server`. */
const runLines = (server: FakeOllama, stdin: string) =>
  runAgainst(server, ["run", "all-minilm", "--lines"], { stdin });

const inputsOf = (server: FakeOllama) =>
  server.requestsTo("/api/embed").map((r) => r.body.input as string[]);

Deno.test("--lines with 3 lines prints 3 arrays in input order", async () => {
  await withServer(async (server) => {
    const result = await runLines(server, "line 1\nline 22\r\nline 333");
    assertEquals(result, { code: 0, stdout: "[6,1]\n[7,22]\n[8,333]\n", stderr: "" });
    assertEquals(server.requestsTo("/api/embed").map((r) => r.body), [
      { model: "all-minilm", input: ["line 1", "line 22", "line 333"] },
    ]);
  });
});

Deno.test("--lines: an empty line gives [] and is not sent", async () => {
  await withServer(async (server) => {
    const result = await runLines(server, "\nline 1\n\n\nline 2\n");
    assertEquals(result.stdout, "[]\n[6,1]\n[]\n[]\n[6,2]\n");
    assertEquals(inputsOf(server), [["line 1", "line 2"]]);
  });
});

Deno.test("--lines: a batch of only empty lines sends nothing", async () => {
  await withServer(async (server) => {
    const result = await runLines(server, "\n\n");
    assertEquals(result, { code: 0, stdout: "[]\n[]\n", stderr: "" });
    assertEquals(inputsOf(server), []);
  });
});

Deno.test("--lines with --dimensions, --truncate false and -p: every batch carries them", async () => {
  await withServer(async (server) => {
    const stdin = Array.from({ length: 150 }, (_, i) => `line ${i}\n`).join("");
    const result = await runCli(
      [
        "run",
        "all-minilm",
        "--lines",
        "--dimensions",
        "2",
        "--truncate",
        "false",
        "-p",
        "num_ctx=256",
      ],
      { host: server.url, stdin },
    );
    assertEquals(result.code, 0, result.stderr);
    const bodies = server.requestsTo("/api/embed").map((r) => ({ ...r.body, input: undefined }));
    const settings = {
      model: "all-minilm",
      input: undefined,
      options: { num_ctx: 256 },
      truncate: false,
      dimensions: 2,
    };
    assertEquals(bodies, [settings, settings]);
  });
});

Deno.test("--lines with PROMPT arguments: stdin's lines, then the arguments as one more line", async () => {
  await withServer(async (server) => {
    const result = await runCli(["run", "all-minilm", "--lines", "line", "9"], {
      host: server.url,
      stdin: "line 1\n",
    });
    assertEquals(result.stdout, "[6,1]\n[6,9]\n");
  });
});

Deno.test("--lines with 10,000 lines sends batches of 100 in order", async () => {
  await withServer(async (server) => {
    const count = 10_000;
    const stdin = Array.from({ length: count }, (_, i) => `line ${i}\n`).join("");
    const result = await runLines(server, stdin);
    assertEquals(result.code, 0, result.stderr);
    const inputs = inputsOf(server);
    assertEquals(inputs.map((i) => i.length), Array(count / EMBED_BATCH_LINES).fill(100));
    assertEquals(inputs.flat(), Array.from({ length: count }, (_, i) => `line ${i}`));
    const out = result.stdout.split("\n");
    assertEquals(out.length, count + 1);
    assertEquals(out.slice(0, count).map((l) => JSON.parse(l)[1]), [...Array(count).keys()]);
    // No progress line: stderr is not a terminal.
    assertEquals(result.stderr, "");
  });
});

/** dollama with `args` against `server`, its stdin a pipe the test writes to as it goes. */
function spawnWithStdin(server: FakeOllama, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: dollamaCommand(args),
    env: { ...baseEnv(), OLLAMA_HOST: server.url },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Ctrl+C to `child`; waits for it to exit (killing it if it does not) and gives its status. */
async function interrupt(child: Deno.ChildProcess): Promise<Deno.CommandStatus> {
  child.kill("SIGINT");
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  try {
    await waitFor(() => exited, "dollama to exit after Ctrl+C");
  } finally {
    if (!exited) child.kill("SIGKILL");
  }
  return await status;
}

/** Polls `check` until it is true, failing after `timeoutMs`. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("--lines embeds while stdin is still open: the input is never held whole", async () => {
  await withServer(async (server) => {
    const child = spawnWithStdin(server, ["run", "all-minilm", "--lines"]);
    const writer = child.stdin.getWriter();
    const encoder = new TextEncoder();
    const block = (from: number) =>
      encoder.encode(Array.from({ length: 100 }, (_, i) => `line ${from + i}\n`).join(""));
    // Two full batches, then wait: with stdin still open, both must already have been sent.
    await writer.write(block(0));
    await writer.write(block(100));
    await waitFor(() => server.requestsTo("/api/embed").length >= 2, "two batches");
    await writer.write(block(200));
    await writer.close();
    const out = await child.output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertEquals(inputsOf(server).map((i) => i.length), [100, 100, 100]);
    assertEquals(new TextDecoder().decode(out.stdout).split("\n").length, 301);
  });
});

Deno.test("--lines: Ctrl+C while waiting for stdin ends the run with status 130", async () => {
  await withServer(async (server) => {
    const child = spawnWithStdin(server, ["run", "all-minilm", "--lines"]);
    const writer = child.stdin.getWriter();
    await writer.write(
      new TextEncoder().encode(Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join("")),
    );
    // The first batch's answer is printed while stdin stays open and silent: only Ctrl+C can end
    // the wait. Reading stdout (not just seeing the request arrive) makes sure it was printed.
    const reader = child.stdout.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while ((text.match(/\n/g) ?? []).length < 100) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    assertEquals(server.requestsTo("/api/embed").length, 1);
    const status = await interrupt(child);
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await child.stderr.cancel();
    assertEquals(status.code, 130);
    // The batch that was answered was printed in full, and nothing after it.
    assertEquals(text.split("\n").length, 101);
    await writer.close().catch(() => {});
  });
});

Deno.test("--lines on a chat model warns and answers the whole input once", async () => {
  await withServer(async (server) => {
    const result = await runCli(["run", "llama3", "--lines"], {
      host: server.url,
      stdin: "one\ntwo\n",
    });
    assertEquals(result, {
      code: 0,
      stdout: "Hello.\n",
      stderr: 'warning: --lines has no effect: "llama3" is not an embedding model\n',
    });
    assertEquals(server.requestsTo("/api/generate").map((r) => r.body.prompt), ["one\ntwo\n"]);
  });
});

Deno.test("without --lines, all input is one text and one array", async () => {
  await withServer(async (server) => {
    const result = await runCli(["run", "all-minilm"], { host: server.url, stdin: "a\nb\n" });
    assertEquals(result, { code: 0, stdout: "[0.5]\n", stderr: "" });
    assertEquals(server.requestsTo("/api/embed").map((r) => r.body.input), ["a\nb\n"]);
  });
});

Deno.test("without --lines, input longer than the head is sent as it is read, unchanged", async () => {
  await withServer(async (server) => {
    const encoder = new TextEncoder();
    // A four-byte emoji across the end of the head, an invalid byte, and text of every width.
    const bytes = joinBytes([
      encoder.encode("a".repeat(STDIN_HEAD_BYTES - 2)),
      encoder.encode("😀"),
      new Uint8Array([0xff]),
      encoder.encode('héllo wörld 日本語 "quoted"\n'.repeat(40_000)),
    ]);
    const result = await runCli(["run", "all-minilm", "tail", "words"], {
      host: server.url,
      stdin: bytes,
    });
    assertEquals(result, { code: 0, stdout: "[0.5]\n", stderr: "" });
    const inputs = server.requestsTo("/api/embed").map((r) => r.body.input);
    assertEquals(inputs.length, 1);
    assert(inputs[0] === new TextDecoder().decode(bytes) + " tail words", "input changed");
  });
});

Deno.test("without --lines, long input is sent while stdin is still open: never held whole", async () => {
  await withServer(async (server) => {
    const child = spawnWithStdin(server, ["run", "all-minilm"]);
    const writer = child.stdin.getWriter();
    const line = "streamed input\n";
    const first = line.repeat(Math.ceil((STDIN_HEAD_BYTES * 1.5) / line.length));
    await writer.write(new TextEncoder().encode(first));
    // Past the head and with stdin open, the request must already be on its way.
    await waitFor(() => server.bodyBytesSeen > STDIN_HEAD_BYTES, "the request body to arrive");
    await writer.write(new TextEncoder().encode("the end"));
    await writer.close();
    const out = await child.output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    const inputs = server.requestsTo("/api/embed").map((r) => r.body.input);
    assert(inputs.length === 1 && inputs[0] === first + "the end", "input changed");
  });
});

Deno.test("without --lines, Ctrl+C while long input is being sent ends the run with status 130", async () => {
  await withServer(async (server) => {
    const child = spawnWithStdin(server, ["run", "all-minilm"]);
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("x".repeat(STDIN_HEAD_BYTES * 2)));
    // The request is on its way and waits for more of stdin, which stays open and silent.
    await waitFor(() => server.bodyBytesSeen > STDIN_HEAD_BYTES, "the request body to arrive");
    const output = child.output();
    await interrupt(child);
    const out = await output;
    assertEquals(
      [out.code, new TextDecoder().decode(out.stdout), new TextDecoder().decode(out.stderr)],
      [130, "", ""],
    );
    assertEquals(server.requestsTo("/api/embed").length, 0);
    await writer.close().catch(() => {});
  });
});

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

Deno.test("inputLines() splits at newlines across chunks, multi-byte characters included", async () => {
  const bytes = new TextEncoder().encode("héllo\r\nwörld\n\nlast");
  // Every split point, so a chunk boundary falls inside each character and each "\r\n".
  for (let cut = 0; cut <= bytes.length; cut++) {
    const chunks = [bytes.slice(0, cut), bytes.slice(cut)];
    assertEquals(await collect(inputLines(from(chunks))), ["héllo", "wörld", "", "last"], `${cut}`);
  }
  assertEquals(await collect(inputLines(from([new TextEncoder().encode("a\n")]))), ["a"]);
  assertEquals(await collect(inputLines(from([]))), []);
});

Deno.test("batches() ends a batch at its line count or its size", async () => {
  const lines = ["a", "bb", "ccc", "dddd", "e"];
  assertEquals(await collect(batches(from(lines), 2, 100)), [["a", "bb"], ["ccc", "dddd"], ["e"]]);
  assertEquals(await collect(batches(from(lines), 10, 5)), [["a", "bb"], ["ccc"], ["dddd", "e"]]);
  // A line longer than the size limit is a batch of its own.
  assertEquals(await collect(batches(from(["x".repeat(9), "y"]), 10, 5)), [["x".repeat(9)], ["y"]]);
});

Deno.test("embedLines() shows a progress count on a terminal's stderr and clears it", async () => {
  await withServer(async (server) => {
    const io = testIo({ terminal: true });
    const ctx = testContext(io, server.url);
    const lines = Array.from({ length: 150 }, (_, i) => `line ${i}`);
    await embedLines(ctx, "all-minilm", from(lines), {});
    assertEquals(
      io.stderr.text,
      "\x1b[1Gembedded 100 lines\x1b[K\x1b[1Gembedded 150 lines\x1b[K\x1b[1G\x1b[K",
    );
    assertEquals(io.stdout.text.split("\n").length, 151);
  });
});

Deno.test("--lines without input on a terminal explains where the lines come from", async () => {
  await withServer(async (server) => {
    const io = testIo({ terminal: true });
    const ctx = testContext(io, server.url);
    let message = "";
    try {
      await embedCommand(ctx, "all-minilm", { prompt: "", promptArgs: [] }, {
        lines: true,
      });
    } catch (err) {
      message = (err as Error).message;
    }
    assertEquals(
      message,
      "--lines reads the lines from stdin. Usage: dollama run all-minilm --lines < file.txt",
    );
    assert(server.requestsTo("/api/embed").length === 0);
  });
});
