import { assertEquals } from "../support/assert.ts";
import { History, HISTORY_LIMIT, historyPath, parseHistory } from "../../lib/repl/history.ts";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

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
