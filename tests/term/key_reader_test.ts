import { assertEquals } from "../support/assert.ts";
import { ScriptedTerminal } from "../support/fake_terminal.ts";
import { KeyReader, settleAfter } from "../../lib/term/key_reader.ts";
import type { Key } from "../../lib/term/keys.ts";

async function all(reader: KeyReader): Promise<Key[]> {
  const keys: Key[] = [];
  for (let key = await reader.next(); key !== null; key = await reader.next()) keys.push(key);
  return keys;
}

Deno.test("KeyReader hands out the keys of one read one at a time, then null at the end", async () => {
  const term = new ScriptedTerminal(["ab\r", "\x1b[A"]);
  const reader = new KeyReader(term);
  assertEquals(await all(reader), [
    { type: "char", text: "ab" },
    { type: "enter" },
    { type: "up" },
  ]);
  assertEquals(term.reads, 3);
});

Deno.test("KeyReader treats a newline ending the first read after cooked mode as Enter", async () => {
  const reader = new KeyReader(new ScriptedTerminal(["a\nb\n", "c\n"]));
  reader.expectCookedInput();
  assertEquals(await all(reader), [
    { type: "char", text: "a" },
    { type: "ctrl-j" },
    { type: "char", text: "b" },
    { type: "enter" },
    { type: "char", text: "c" },
    { type: "ctrl-j" },
  ]);
});

Deno.test("KeyReader keeps queued keys raw: cooked input is only expected when nothing waits", async () => {
  const reader = new KeyReader(new ScriptedTerminal(["x\ry\n"]));
  assertEquals(await reader.next(), { type: "char", text: "x" });
  reader.expectCookedInput();
  assertEquals(await all(reader), [{ type: "enter" }, { type: "char", text: "y" }, {
    type: "ctrl-j",
  }]);
});

Deno.test("KeyReader.dropTypeAhead() drops what arrives at once and keeps the read that waits", async () => {
  let closeWindow!: () => void;
  const settle = () => ({ promise: new Promise<void>((r) => closeWindow = r), cancel() {} });
  const term = new ScriptedTerminal(["1"]);
  let reads = 0;
  const read = term.read.bind(term);
  term.read = (buffer) => {
    reads++;
    if (reads === 1) return read(buffer);
    // This one only delivers once the window has closed.
    return new Promise((resolve) => {
      queueMicrotask(() => {
        closeWindow();
        setTimeout(() => {
          buffer.set(new TextEncoder().encode("2"));
          resolve(1);
        }, 0);
      });
    });
  };
  const reader = new KeyReader(term);
  await reader.dropTypeAhead(settle);
  assertEquals(await reader.next(), { type: "char", text: "2" });
  assertEquals(reads, 2);
});

Deno.test("KeyReader.dropTypeAhead() stops at the end of input", async () => {
  const reader = new KeyReader(new ScriptedTerminal(["1", "2"]));
  await reader.dropTypeAhead(settleAfter(1_000));
  assertEquals(await reader.next(), null);
});
