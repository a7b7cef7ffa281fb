/** Saved conversations on disk: paths, modes, ids, records, and a line cut short by a kill. */
import { assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import {
  chatsDir,
  ChatStore,
  isoTime,
  newChatId,
  parseRecords,
  replay,
  sameModel,
  type TurnRecord,
} from "../../lib/chat/store.ts";
import { CliError } from "../../lib/errors.ts";
import fc from "fast-check";

function record(
  at: string,
  messages: TurnRecord["messages"],
  extra: Partial<TurnRecord> = {},
): TurnRecord {
  return { v: 1, type: "turn", started: at, at, model: "llama3", via: "repl", messages, ...extra };
}

/** Rejects with a CliError whose message contains `text`. */
async function rejectsWith(fn: () => Promise<unknown>, text: string): Promise<void> {
  await assertRejects(fn, (err) => {
    assertEquals(err instanceof CliError, true);
    assertStringIncludes((err as Error).message, text);
  });
}

const user = (content: string) => ({ role: "user" as const, content });
const assistant = (content: string) => ({ role: "assistant" as const, content });

Deno.test("chatsDir() follows XDG_STATE_HOME, HOME and LOCALAPPDATA", () => {
  assertEquals(chatsDir({ stateHome: "/s/", home: "/h" }, "linux"), "/s/dollama/chats");
  assertEquals(chatsDir({ home: "/h" }, "linux"), "/h/.local/state/dollama/chats");
  // A relative XDG_STATE_HOME is invalid by the spec and ignored.
  assertEquals(
    chatsDir({ stateHome: "rel", home: "/h" }, "darwin"),
    "/h/.local/state/dollama/chats",
  );
  assertEquals(chatsDir({}, "linux"), undefined);
  assertEquals(
    chatsDir({ localAppData: "C:\\Users\\a\\AppData\\Local", home: "C:\\Users\\a" }, "windows"),
    "C:\\Users\\a\\AppData\\Local\\dollama\\chats",
  );
});

Deno.test("isoTime() writes what toISOString writes, for any time in the years 0 to 9999", () => {
  assertEquals(isoTime(Date.parse("2026-01-02T03:04:05.006Z")), "2026-01-02T03:04:05.006Z");
  assertEquals(isoTime(Date.parse("0099-12-31T23:59:59.070Z")), "0099-12-31T23:59:59.070Z");
  const last = Date.parse("9999-12-31T23:59:59.999Z");
  const first = Date.parse("0000-01-01T00:00:00.000Z");
  fc.assert(fc.property(fc.integer({ min: first, max: last }), (ms) => {
    assertEquals(isoTime(ms), new Date(ms).toISOString());
  }));
});

Deno.test("newChatId() is the UTC start time and four hex digits", () => {
  assertEquals(
    newChatId(Date.parse("2026-11-24T09:05:03.999Z"), () => 0.5),
    "20261124-090503-8000",
  );
  assertEquals(newChatId(0, () => 0), "19700101-000000-0000");
});

Deno.test("sameModel() treats a missing tag as :latest", () => {
  assertEquals(sameModel("llama3", "llama3:latest"), true);
  assertEquals(sameModel("ns/llama3", "ns/llama3:latest"), true);
  assertEquals(sameModel("llama3:8b", "llama3"), false);
});

Deno.test("parseRecords() skips corrupt, foreign and truncated lines", () => {
  const good = record("2026-11-24T10:00:00.000Z", [user("hi"), assistant("Hello.")]);
  const text = [
    JSON.stringify(good),
    "not json",
    JSON.stringify({ type: "other" }),
    JSON.stringify({ ...good, messages: [{ role: "user" }] }),
    "",
    JSON.stringify(good).slice(0, 30), // a kill -9 mid-write
  ].join("\n");
  assertEquals(parseRecords(text), [good]);
});

Deno.test("replay() adds turns, and a restart starts over", () => {
  const records = [
    record("a", [user("one"), assistant("1")], { system: "old", options: { seed: 1 } }),
    record("b", [user("two"), assistant("2")]),
    record("c", [{ role: "system", content: "S" }, user("three"), assistant("3")], {
      restart: true,
      system: "S",
      options: { seed: 2 },
      model: "qwen3",
    }),
  ];
  assertEquals(replay(records.slice(0, 2)), {
    model: "llama3",
    messages: [user("one"), assistant("1"), user("two"), assistant("2")],
    options: {},
  });
  assertEquals(replay(records), {
    model: "qwen3",
    messages: [{ role: "system", content: "S" }, user("three"), assistant("3")],
    system: "S",
    options: { seed: 2 },
  });
});

Deno.test("ChatStore handles append: directory 0700, file 0600, one line per record", async () => {
  const dir = `${Deno.makeTempDirSync()}/state/dollama/chats`;
  const store = new ChatStore(dir);
  const first = record("2026-11-24T10:00:00.000Z", [user("hi"), assistant("Hello.")]);
  store.append("20261124-100000-0001", first);
  store.append("20261124-100000-0001", first);
  assertEquals(Deno.statSync(dir).mode! & 0o777, 0o700);
  const path = `${dir}/20261124-100000-0001.jsonl`;
  assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
  assertEquals(Deno.readTextFileSync(path), `${JSON.stringify(first)}\n`.repeat(2));
  assertEquals(await store.read("20261124-100000-0001"), [first, first]);
});

Deno.test("ChatStore handles list, resolve and remove", async () => {
  const store = new ChatStore(Deno.makeTempDirSync());
  store.append("a-1", record("2026-11-24T10:00:00.000Z", [user("first a")]));
  store.append("b-1", record("2026-11-24T11:00:00.000Z", [user("first b")]));
  store.append(
    "a-1",
    record("2026-11-24T12:00:00.000Z", [user("second a")], { model: "qwen3" }),
  );
  Deno.writeTextFileSync(`${store.dir}/empty.jsonl`, "garbage\n");
  assertEquals(await store.list(), [
    {
      id: "a-1",
      model: "qwen3",
      turns: 2,
      lastUsed: "2026-11-24T12:00:00.000Z",
      firstPrompt: "first a",
    },
    {
      id: "b-1",
      model: "llama3",
      turns: 1,
      lastUsed: "2026-11-24T11:00:00.000Z",
      firstPrompt: "first b",
    },
  ]);
  assertEquals(await store.newestWith("llama3:latest"), "b-1");
  assertEquals(await store.newestWith("phi"), undefined);
  assertEquals(await store.resolve("b"), "b-1");
  assertEquals(await store.resolve("a-1"), "a-1");
  await rejectsWith(() => store.resolve("c"), "conversation 'c' not found");
  await rejectsWith(() => store.resolve("../x"), "invalid conversation id '../x'");
  store.append("b-2", record("2026-11-24T09:00:00.000Z", [user("x")]));
  await rejectsWith(() => store.resolve("b"), "is ambiguous: b-1, b-2");
  for (const n of [3, 4, 5, 6, 7]) store.append(`b-${n}`, record("2026-11-24T09:00:00.000Z", []));
  // Five are named, the rest counted: a start matching hundreds stays one short line.
  await rejectsWith(() => store.resolve("b"), "is ambiguous: b-1, b-2, b-3, b-4, b-5 and 2 more");
  for (const n of [3, 4, 5, 6, 7]) await store.remove(`b-${n}`);
  await store.remove("a-1");
  assertEquals((await store.list()).map((c) => c.id), ["b-1", "b-2"]);
  await rejectsWith(() => store.remove("a-1"), "conversation 'a-1' not found");
});

Deno.test("ChatStore handles a missing directory as no conversations", async () => {
  const store = new ChatStore(`${Deno.makeTempDirSync()}/none`);
  assertEquals(await store.list(), []);
});

Deno.test("ChatStore.createNew makes a private file that did not exist, and can remove it", () => {
  const dir = `${Deno.makeTempDirSync()}/state/dollama/chats`;
  const store = new ChatStore(dir);
  const created = store.createNew("20261124-100000-0001");
  created.file.writeSync(new TextEncoder().encode("{"));
  const path = `${dir}/20261124-100000-0001.jsonl`;
  assertEquals(Deno.statSync(dir).mode! & 0o777, 0o700);
  assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
  // Never an existing conversation: its turns are appended whole.
  let refused = false;
  try {
    store.createNew("20261124-100000-0001");
  } catch (err) {
    refused = err instanceof Deno.errors.AlreadyExists;
  }
  assertEquals(refused, true);
  created.remove();
  assertEquals([...Deno.readDirSync(dir)], []);
});
