import { assertEquals } from "../support/assert.ts";
import { exists } from "../support/files.ts";
import { History, HISTORY_LIMIT, historyPath, parseHistory } from "../../lib/repl/history.ts";

function tempHome(): string {
  return Deno.makeTempDirSync({ prefix: "dollama-history-" });
}

Deno.test("parseHistory() handles trimming, blank lines and the limit", () => {
  assertEquals(parseHistory("  one \n\n two\n"), ["one", "two"]);
  const many = Array.from({ length: 150 }, (_, i) => `line ${i}`).join("\n");
  assertEquals(parseHistory(many).length, HISTORY_LIMIT);
  assertEquals(parseHistory(many)[0], "line 50");
});

Deno.test("History handles a new file: directory 0755, file 0600, one line per entry", async () => {
  const home = tempHome();
  const path = historyPath(home)!;
  const history = await History.open({ path, useFile: true });
  await history.add("hello");
  await history.add("   ");
  await history.add("two\nlines");
  assertEquals(Deno.readTextFileSync(path), "hello\ntwo\nlines\n");
  assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
  assertEquals(Deno.statSync(`${home}/.ollama`).mode! & 0o777, 0o755);
  assertEquals(history.entries, ["hello", "two\nlines"]);
  const again = await History.open({ path, useFile: true });
  assertEquals(again.entries, ["hello", "two", "lines"]);
});

Deno.test("History handles OLLAMA_NOHISTORY: the file is neither read nor written", async () => {
  const home = tempHome();
  const path = historyPath(home)!;
  Deno.mkdirSync(`${home}/.ollama`);
  Deno.writeTextFileSync(path, "secret\n");
  const history = await History.open({ path, useFile: false });
  assertEquals(history.entries, []);
  await history.add("new");
  assertEquals(Deno.readTextFileSync(path), "secret\n");
  assertEquals(history.entries, ["new"]);
});

Deno.test("History handles /set nohistory then /set history: saving resumes with everything", async () => {
  const path = historyPath(tempHome())!;
  const history = await History.open({ path, useFile: true });
  history.saving = false;
  await history.add("unsaved");
  assertEquals(exists(path), false);
  history.saving = true;
  await history.add("saved");
  assertEquals(Deno.readTextFileSync(path), "unsaved\nsaved\n");
});

Deno.test("History handles a symlinked file: the link stays and its target gets the lines", async () => {
  const home = tempHome();
  const target = `${tempHome()}/dotfiles-history`;
  Deno.writeTextFileSync(target, "old\n");
  Deno.mkdirSync(`${home}/.ollama`);
  const path = historyPath(home)!;
  Deno.symlinkSync(target, path);
  const history = await History.open({ path, useFile: true });
  assertEquals(history.entries, ["old"]);
  await history.add("new");
  assertEquals(Deno.lstatSync(path).isSymlink, true);
  assertEquals(Deno.readTextFileSync(target), "old\nnew\n");
  assertEquals(Deno.statSync(target).mode! & 0o777, 0o600);
});

Deno.test("History handles two chats open at once: both keep their lines", async () => {
  const path = historyPath(tempHome())!;
  const first = await History.open({ path, useFile: true });
  const second = await History.open({ path, useFile: true });
  await first.add("from first");
  await second.add("from second");
  await Promise.all([first.add("a1"), second.add("b1"), first.add("a2"), second.add("b2")]);
  const lines = Deno.readTextFileSync(path).split("\n").filter(Boolean);
  assertEquals(lines.slice(0, 2), ["from first", "from second"]);
  assertEquals([...lines.slice(2)].sort(), ["a1", "a2", "b1", "b2"]);
});

Deno.test("History handles the limit: the file keeps the newest lines", async () => {
  const home = tempHome();
  const path = historyPath(home)!;
  Deno.mkdirSync(`${home}/.ollama`);
  Deno.writeTextFileSync(
    path,
    Array.from({ length: HISTORY_LIMIT }, (_, i) => `old ${i}\n`).join(""),
  );
  const history = await History.open({ path, useFile: true });
  await history.add("newest");
  const lines = Deno.readTextFileSync(path).split("\n").filter(Boolean);
  assertEquals(lines.length, HISTORY_LIMIT);
  assertEquals(lines[0], "old 1");
  assertEquals(lines.at(-1), "newest");
});
