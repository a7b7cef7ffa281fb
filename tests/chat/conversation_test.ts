/** The Conversation's methods: what each one leaves behind. */
import { assertEquals } from "../support/assert.ts";
import { Conversation } from "../../lib/chat/conversation.ts";
import type { Attachment } from "../../lib/chat/attachments.ts";

const image: Attachment = { path: "/tmp/cat.png", kind: "image", base64: "AAAA" };

Deno.test("Conversation handles a turn: user then assistant, in order", () => {
  const chat = new Conversation();
  chat.addUser({ role: "user", content: "hi" });
  chat.addAssistant({ role: "assistant", content: "hello", thinking: "hm" });
  assertEquals(chat.messages, [
    { role: "user", content: "hi" },
    { role: "assistant", content: "hello", thinking: "hm" },
  ]);
});

Deno.test("Conversation handles rollback: the turn after the mark is taken out", () => {
  const chat = new Conversation();
  chat.addUser({ role: "user", content: "one" });
  const mark = chat.mark();
  chat.addUser({ role: "user", content: "two" });
  chat.addAssistant({ role: "assistant", content: "", tool_calls: [] });
  chat.addToolResults([{ role: "tool", content: "out", tool_name: "bash" }]);
  assertEquals(chat.since(mark).map((m) => m.role), ["user", "assistant", "tool"]);
  chat.rollback(mark);
  assertEquals(chat.messages, [{ role: "user", content: "one" }]);
});

Deno.test("Conversation handles setSystem: a trailing system message is replaced, else appended", () => {
  const chat = new Conversation();
  chat.setSystem("a");
  chat.setSystem("b");
  assertEquals(chat.messages, [{ role: "system", content: "b" }]);
  chat.addUser({ role: "user", content: "hi" });
  chat.setSystem("c");
  assertEquals(chat.messages.map((m) => m.content), ["b", "hi", "c"]);
  assertEquals(chat.system, "c");
});

Deno.test("Conversation handles clear: the system prompt stays, messages and attachments go", () => {
  const chat = new Conversation();
  chat.addUser({ role: "user", content: "hi" });
  chat.attach(image);
  chat.clear();
  assertEquals(chat.messages, []);
  assertEquals(chat.pending, []);
  chat.setSystem("Be brief.");
  chat.addUser({ role: "user", content: "hi" });
  chat.clear();
  assertEquals(chat.messages, [{ role: "system", content: "Be brief." }]);
});

Deno.test("Conversation handles attachments: taken once, for the next message", () => {
  const chat = new Conversation();
  chat.attach(image);
  assertEquals(chat.takePending(), [image]);
  assertEquals(chat.takePending(), []);
});

Deno.test("Conversation handles options: set one at a time, the getter a copy-on-write view", () => {
  const chat = new Conversation();
  const before = chat.options;
  chat.setOption("seed", 42);
  chat.setOption("stop", ["a"]);
  assertEquals(chat.options, { seed: 42, stop: ["a"] });
  assertEquals(before, {});
});

Deno.test("Conversation handles a saved model: its messages are kept apart and come first in allMessages", () => {
  const chat = new Conversation([{ role: "user", content: "saved" }]);
  chat.addUser({ role: "user", content: "new" });
  assertEquals(chat.messages, [{ role: "user", content: "new" }]);
  assertEquals(chat.allMessages.map((m) => m.content), ["saved", "new"]);
  chat.startOver([{ role: "assistant", content: "other" }]);
  assertEquals(chat.messages, []);
  assertEquals(chat.savedMessages, [{ role: "assistant", content: "other" }]);
});

Deno.test("Conversation handles snapshot and restore: everything comes back, later changes do not leak", () => {
  const chat = new Conversation([{ role: "user", content: "saved" }]);
  chat.setSystem("sys");
  chat.setOption("seed", 1);
  chat.attach(image);
  chat.addUser({ role: "user", content: "hi" });
  const snapshot = chat.snapshot();
  chat.startOver([]);
  chat.setSystem("other");
  chat.setOption("seed", 2);
  chat.takePending();
  chat.restore(snapshot);
  assertEquals(chat.messages, [{ role: "system", content: "sys" }, {
    role: "user",
    content: "hi",
  }]);
  assertEquals(chat.savedMessages, [{ role: "user", content: "saved" }]);
  assertEquals(chat.system, "sys");
  assertEquals(chat.options, { seed: 1 });
  assertEquals(chat.pending, [image]);
  chat.addUser({ role: "user", content: "after" });
  assertEquals(snapshot.messages.length, 2);
});
