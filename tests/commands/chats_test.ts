/**
 * Saved conversations end to end: one-shot runs saved under XDG_STATE_HOME, `-c` and `--resume`
 * sending the earlier exchange, `dollama chats` (list, show, rm, --json), and saving off.
 */
import { assertEquals, assertMatch } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { runCli } from "../support/cli.ts";
import type { ChatSummary, TurnRecord } from "../../lib/chat/store.ts";

const llama = { name: "llama3:latest", reply: "The sky is blue." };
const qwen = { name: "qwen3:latest", reply: "Le ciel est bleu." };

interface Env {
  server: FakeOllama;
  state: string;
  dir: string;
  run(args: string[], env?: Record<string, string>): ReturnType<typeof runCli>;
}

async function withEnv(fn: (env: Env) => Promise<void>): Promise<void> {
  const server = new FakeOllama({ models: [llama, qwen] });
  const state = Deno.makeTempDirSync({ prefix: "dollama-state-" });
  try {
    await fn({
      server,
      state,
      dir: `${state}/dollama/chats`,
      run: (args, env = {}) =>
        runCli(args, { host: server.url, env: { XDG_STATE_HOME: state, ...env } }),
    });
  } finally {
    await server.close();
  }
}

function files(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function records(path: string): TurnRecord[] {
  return Deno.readTextFileSync(path).split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

Deno.test("a one-shot run is saved: directory 0700, file 0600, the exchange as one record", async () => {
  await withEnv(async ({ run, dir, state }) => {
    const result = await run(["run", "llama3", "why", "blue?"]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, "The sky is blue.\n");
    const [name] = files(dir);
    assertMatch(name, /^\d{8}-\d{6}-[0-9a-f]{4}\.jsonl$/);
    assertEquals(Deno.statSync(dir).mode! & 0o777, 0o700);
    assertEquals(Deno.statSync(`${state}/dollama`).mode! & 0o777, 0o700);
    assertEquals(Deno.statSync(`${dir}/${name}`).mode! & 0o777, 0o600);
    const [record] = records(`${dir}/${name}`);
    assertEquals(record.model, "llama3");
    assertEquals(record.via, "run");
    assertEquals(record.messages, [
      { role: "user", content: "why blue?" },
      { role: "assistant", content: "The sky is blue." },
    ]);
    assertEquals(record.metrics?.eval_count, 298);
  });
});

Deno.test("run -c sends the previous exchange through /api/chat and appends to it", async () => {
  await withEnv(async ({ run, dir, server }) => {
    assertEquals((await run(["run", "llama3", "why blue?"])).code, 0);
    assertEquals((await run(["run", "qwen3", "other model"])).code, 0);
    const result = await run(["run", "llama3", "-c", "and now in French"]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, "The sky is blue.\n");
    const [chat] = server.requestsTo("/api/chat");
    assertEquals(chat.body.messages, [
      { role: "user", content: "why blue?" },
      { role: "assistant", content: "The sky is blue." },
      { role: "user", content: "and now in French" },
    ]);
    assertEquals(files(dir).length, 2);
    const llamaFile = files(dir).find((f) => records(`${dir}/${f}`)[0].model === "llama3")!;
    assertEquals(records(`${dir}/${llamaFile}`).map((r) => r.messages.map((m) => m.content)), [
      ["why blue?", "The sky is blue."],
      ["and now in French", "The sky is blue."],
    ]);
    // --resume by a prefix of the id continues that one, whatever the newest is: the shortest
    // start of it that no other saved chat shares (both were saved within the same second).
    const id = llamaFile.replace(".jsonl", "");
    const others = files(dir).filter((f) => f !== llamaFile);
    let length = 16;
    while (others.some((f) => f.startsWith(id.slice(0, length)))) length++;
    const resumed = await run(["run", "qwen3", "--resume", id.slice(0, length), "third"]);
    assertEquals(resumed.code, 0, resumed.stderr);
    assertEquals(server.requestsTo("/api/chat")[1].body.messages.length, 5);
    assertEquals(records(`${dir}/${llamaFile}`).length, 3);
  });
});

Deno.test("-c and --resume with nothing to continue are errors, before the server is asked", async () => {
  await withEnv(async ({ run, server }) => {
    const none = await run(["run", "llama3", "-c", "hi"]);
    assertEquals(none.code, 1);
    assertEquals(none.stderr, "Error: there is no saved conversation with 'llama3' to continue\n");
    const unknown = await run(["run", "llama3", "--resume", "nope", "hi"]);
    assertEquals(unknown.code, 1);
    assertEquals(unknown.stderr, "Error: conversation 'nope' not found (see dollama chats)\n");
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("dollama chats lists, shows and removes saved conversations", async () => {
  await withEnv(async ({ run }) => {
    assertEquals((await run(["run", "llama3", "why blue?"])).code, 0);
    assertEquals((await run(["run", "llama3", "-c", "and in French?"])).code, 0);
    const json = await run(["chats", "--json"]);
    assertEquals(json.code, 0, json.stderr);
    const list: ChatSummary[] = JSON.parse(json.stdout);
    assertEquals(list.length, 1);
    const { id } = list[0];
    assertEquals({ ...list[0], lastUsed: "" }, {
      id,
      model: "llama3",
      turns: 2,
      lastUsed: "",
      firstPrompt: "why blue?",
    });
    const table = await run(["chats"]);
    assertMatch(table.stdout.split("\n")[0], /^ID {22}MODEL {5}TURNS {4}LAST USED +FIRST PROMPT $/);
    assertMatch(
      table.stdout.split("\n")[1],
      new RegExp(`^${id}    llama3    2        \\S.* ago\\s+why blue\\?\\s+$`),
    );
    const show = await run(["chats", "show", id]);
    assertEquals(
      show.stdout,
      ">>> why blue?\nThe sky is blue.\n\n>>> and in French?\nThe sky is blue.\n\n",
    );
    const raw = await run(["chats", "show", id, "--json"]);
    assertEquals(raw.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).type), ["turn", "turn"]);
    const rm = await run(["chats", "rm", id]);
    assertEquals(rm.stdout, `deleted '${id}'\n`);
    assertEquals((await run(["chats", "--json"])).stdout, "[]\n");
    const again = await run(["chats", "rm", id]);
    assertEquals(again.code, 1);
    assertEquals(again.stderr, `Error: conversation '${id}' not found (see dollama chats)\n`);
    const bad = await run(["chats", "drop", id]);
    assertEquals(bad.stderr, "Error: unknown action 'drop' for chats (use show or rm)\n");
  });
});

Deno.test("OLLAMA_NOHISTORY and --nohistory save nothing", async () => {
  await withEnv(async ({ run, state }) => {
    const quiet = await run(["run", "llama3", "secret"], { OLLAMA_NOHISTORY: "1" });
    assertEquals(quiet.code, 0, quiet.stderr);
    const flagged = await run(["run", "llama3", "--nohistory", "secret"]);
    assertEquals(flagged.code, 0, flagged.stderr);
    assertEquals(files(state), []);
  });
});

Deno.test("an unwritable state directory warns once and the answer still arrives", async () => {
  await withEnv(async ({ run, state }) => {
    Deno.writeTextFileSync(`${state}/dollama`, "a file, not a directory");
    const result = await run(["run", "llama3", "hi"]);
    assertEquals(result.code, 0);
    assertEquals(result.stdout, "The sky is blue.\n");
    assertEquals(
      result.stderr,
      `warning: the conversation could not be saved: not a directory: ${state}/dollama/chats\n`,
    );
    // `dollama chats` names the place in words too, not in Deno's.
    assertEquals(await run(["chats"]), {
      code: 1,
      stdout: "",
      stderr:
        `Error: the saved conversations cannot be read: not a directory: ${state}/dollama/chats\n`,
    });
  });
});

Deno.test("a one-shot answer is saved as it streams, thinking and all, and reads back whole", async () => {
  const thinker = {
    name: "deepseek-r1:latest",
    reply: 'Blue, "mostly".\nTwo lines, \u{1f600} and \\.',
    thinking: "Rayleigh scattering.",
    capabilities: ["completion", "thinking"],
  };
  const server = new FakeOllama({ models: [thinker] });
  const state = Deno.makeTempDirSync({ prefix: "dollama-state-" });
  try {
    const env = { XDG_STATE_HOME: state };
    const result = await runCli(["run", "deepseek-r1", "why?"], { host: server.url, env });
    assertEquals(result.code, 0, result.stderr);
    const [name] = files(`${state}/dollama/chats`);
    const [record] = records(`${state}/dollama/chats/${name}`);
    assertEquals(record.messages, [
      { role: "user", content: "why?" },
      { role: "assistant", content: thinker.reply, thinking: thinker.thinking },
    ]);
    const shown = await runCli(["chats", "--json"], { host: server.url, env });
    assertEquals((JSON.parse(shown.stdout) as ChatSummary[]).map((c) => c.firstPrompt), ["why?"]);
  } finally {
    await server.close();
  }
});

Deno.test("a one-shot answer that breaks off midway is not saved, as no unfinished turn is", async () => {
  const server = new FakeOllama({
    models: [llama],
    failAfterChunks: { count: 2, error: "model runner crashed" },
  });
  const state = Deno.makeTempDirSync({ prefix: "dollama-state-" });
  try {
    const env = { XDG_STATE_HOME: state };
    const result = await runCli(["run", "llama3", "hi"], { host: server.url, env });
    assertEquals(result.code, 1);
    assertMatch(result.stderr, /model runner crashed/);
    assertEquals(files(`${state}/dollama/chats`), []);
  } finally {
    await server.close();
  }
});
