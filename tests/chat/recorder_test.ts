/** The recorder: what each completed turn appends, and nothing at all without a store. */
import { assertEquals } from "../support/assert.ts";
import { ChatRecorder } from "../../lib/chat/recorder.ts";
import { Conversation } from "../../lib/chat/conversation.ts";
import { ChatStore } from "../../lib/chat/store.ts";

const NOW = Date.parse("2026-11-24T12:00:00Z");

/** A recorder of one-shot turns into `store` at NOW, collecting its warnings. */
function runRecorder(store: ChatStore, warnings: string[] = []): ChatRecorder {
  return new ChatRecorder({
    store,
    via: "run",
    now: () => NOW,
    warn: (text) => Promise.resolve(void warnings.push(text)),
  });
}

function turn(conversation: Conversation, question: string, answer: string) {
  conversation.addUser({ role: "user", content: question });
  conversation.addAssistant({ role: "assistant", content: answer, thinking: "Hmm." });
}

Deno.test("ChatRecorder appends each turn's messages, system, options and settings", async () => {
  const store = new ChatStore(Deno.makeTempDirSync());
  const recorder = runRecorder(store);
  const conversation = new Conversation();
  recorder.markSaved(conversation);
  conversation.setOption("temperature", 0.5);
  turn(conversation, "hi", "Hello.");
  await recorder.turnDone(conversation, {
    model: "llama3",
    settings: { think: true, keepAlive: "5m0s" },
    started: NOW - 1000,
    metrics: { eval_count: 3 },
  });
  assertEquals(recorder.id!.startsWith("20261124-115959-"), true);
  const lines = Deno.readTextFileSync(`${store.dir}/${recorder.id}.jsonl`).split("\n");
  assertEquals(lines.length, 2);
  assertEquals(JSON.parse(lines[0]), {
    v: 1,
    type: "turn",
    started: "2026-11-24T11:59:59.000Z",
    at: "2026-11-24T12:00:00.000Z",
    model: "llama3",
    via: "run",
    options: { temperature: 0.5 },
    settings: { think: true, keepAlive: "5m0s" },
    messages: [
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hello.", thinking: "Hmm." },
    ],
    metrics: { eval_count: 3 },
  });
});

Deno.test("ChatRecorder continues a resumed conversation under its id, adding only new turns", async () => {
  const store = new ChatStore(Deno.makeTempDirSync());
  const recorder = new ChatRecorder({
    store,
    id: "old",
    via: "repl",
    now: () => NOW,
    warn: () => Promise.resolve(),
  });
  const conversation = new Conversation();
  conversation.restore({ ...conversation.snapshot(), messages: [{ role: "user", content: "a" }] });
  recorder.markSaved(conversation);
  turn(conversation, "b", "B");
  await recorder.turnDone(conversation, { model: "m", settings: {}, started: NOW });
  const records = await store.read("old");
  assertEquals(records[0].messages.map((m) => m.content), ["b", "B"]);
  assertEquals(records[0].restart, undefined);
});

Deno.test("ChatRecorder without a store writes nothing; a failing store warns once", async () => {
  const conversation = new Conversation();
  const quiet = new ChatRecorder({ via: "repl", now: () => NOW, warn: () => Promise.resolve() });
  turn(conversation, "x", "y");
  await quiet.turnDone(conversation, { model: "m", settings: {}, started: NOW });
  assertEquals(quiet.id, undefined);

  const file = Deno.makeTempFileSync(); // a file where the directory should be
  const warnings: string[] = [];
  const broken = new ChatRecorder({
    store: new ChatStore(`${file}/chats`),
    via: "repl",
    now: () => NOW,
    warn: (text) => Promise.resolve(void warnings.push(text)),
  });
  await broken.turnDone(conversation, { model: "m", settings: {}, started: NOW });
  await broken.turnDone(conversation, { model: "m", settings: {}, started: NOW });
  assertEquals(warnings.length, 1);
  assertEquals(warnings[0].startsWith("warning: the conversation could not be saved: "), true);
});

Deno.test("ChatRecorder with nowhere to save says why once, at the first turn", async () => {
  const conversation = new Conversation();
  const warnings: string[] = [];
  const homeless = new ChatRecorder({
    nowhere: "there is no directory for saved conversations (HOME is not set)",
    via: "run",
    now: () => NOW,
    warn: (text) => Promise.resolve(void warnings.push(text)),
  });
  assertEquals(
    homeless.streamAnswer(conversation, { model: "m", settings: {}, started: NOW }),
    undefined,
  );
  turn(conversation, "x", "y");
  await homeless.turnDone(conversation, { model: "m", settings: {}, started: NOW });
  await homeless.turnDone(conversation, { model: "m", settings: {}, started: NOW });
  assertEquals(warnings, [
    "warning: the conversation could not be saved: there is no directory for saved " +
    "conversations (HOME is not set)\n",
  ]);
});

Deno.test("ChatRecorder.streamAnswer saves a new conversation's turn as turnDone would", async () => {
  const record = async (streamed: boolean) => {
    const store = new ChatStore(Deno.makeTempDirSync());
    const recorder = runRecorder(store);
    const conversation = new Conversation();
    recorder.markSaved(conversation);
    conversation.setOption("temperature", 0.5);
    conversation.addUser({ role: "user", content: "hi" });
    const base = { model: "llama3", settings: { think: true }, started: NOW - 1000 };
    const metrics = { eval_count: 3 };
    if (streamed) {
      const saver = recorder.streamAnswer(conversation, base)!;
      for (const piece of ["Hel", "lo", ' "you"\n']) saver.add(piece);
      conversation.addAssistant({ role: "assistant", content: "" });
      await saver.done(metrics, "Hmm.");
    } else {
      conversation.addAssistant({ role: "assistant", content: 'Hello "you"\n', thinking: "Hmm." });
      await recorder.turnDone(conversation, { ...base, metrics });
    }
    assertEquals(recorder.id!.startsWith("20261124-115959-"), true);
    const text = Deno.readTextFileSync(`${store.dir}/${recorder.id}.jsonl`);
    assertEquals(text.endsWith("}\n") && text.indexOf("\n") === text.length - 1, true);
    return JSON.parse(text);
  };
  const streamed = await record(true);
  assertEquals(streamed.messages, [
    { role: "user", content: "hi" },
    { role: "assistant", content: 'Hello "you"\n', thinking: "Hmm." },
  ]);
  assertEquals(streamed, await record(false));
});

Deno.test("ChatRecorder.streamAnswer: only for a new conversation, and a turn abandoned is gone", () => {
  const store = new ChatStore(Deno.makeTempDirSync());
  const options = { store, via: "run" as const, now: () => NOW, warn: () => Promise.resolve() };
  const conversation = new Conversation();
  conversation.addUser({ role: "user", content: "hi" });
  const base = { model: "m", settings: {}, started: NOW };
  assertEquals(
    new ChatRecorder({ ...options, id: "old" }).streamAnswer(conversation, base),
    undefined,
  );
  assertEquals(
    new ChatRecorder({ ...options, store: undefined }).streamAnswer(conversation, base),
    undefined,
  );

  const recorder = new ChatRecorder(options);
  const saver = recorder.streamAnswer(conversation, base)!;
  saver.add("half an answ");
  assertEquals([...Deno.readDirSync(store.dir)].length, 1, "the file exists while it streams");
  saver.abandon();
  assertEquals([...Deno.readDirSync(store.dir)], []);
  assertEquals(recorder.id, undefined);
});

Deno.test("ChatRecorder.streamAnswer: a failing write warns once at the end and leaves no file", async () => {
  const dir = Deno.makeTempDirSync();
  const warnings: string[] = [];
  const store = new ChatStore(dir);
  const real = store.createNew.bind(store);
  store.createNew = (id) => {
    const created = real(id);
    const file = created.file;
    return {
      remove: created.remove,
      file: {
        writeSync: () => {
          throw new Error("No space left on device (os error 28)");
        },
        syncDataSync: () => file.syncDataSync(),
        close: () => file.close(),
      },
    };
  };
  const recorder = runRecorder(store, warnings);
  const conversation = new Conversation();
  conversation.addUser({ role: "user", content: "hi" });
  const saver = recorder.streamAnswer(conversation, { model: "m", settings: {}, started: NOW })!;
  // A piece larger than the buffer is written at once, and fails.
  saver.add("x".repeat(100_000));
  saver.add("more");
  await saver.done(undefined, undefined);
  assertEquals(warnings, [
    "warning: the conversation could not be saved: no space left on device\n",
  ]);
  assertEquals([...Deno.readDirSync(dir)], []);
  assertEquals(recorder.id, undefined);
});
