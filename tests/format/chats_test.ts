/** The `dollama chats` table and transcript, byte for byte. */
import { assertEquals } from "../support/assert.ts";
import { formatChats, formatTranscript, promptPreview } from "../../lib/format/chats.ts";

Deno.test("promptPreview() makes one line and cuts at 40 characters", () => {
  assertEquals(promptPreview("  two\n lines "), "two lines");
  assertEquals(promptPreview("x".repeat(40)), "x".repeat(40));
  assertEquals(promptPreview("é".repeat(41)), "é".repeat(39) + "…");
});

Deno.test("formatChats() lays out a list-style table, newest first as given", () => {
  const now = Date.parse("2026-11-24T12:00:00Z");
  assertEquals(
    formatChats([
      {
        id: "20261124-110000-00a1",
        model: "llama3",
        turns: 3,
        lastUsed: "2026-11-24T11:00:00.000Z",
        firstPrompt: "Why is the sky blue? Explain it to a child in a few words",
      },
      {
        id: "20261120-090000-ffff",
        model: "qwen3:8b",
        turns: 1,
        lastUsed: "2026-11-20T09:00:00.000Z",
        firstPrompt: "hi",
      },
    ], now),
    "ID                      MODEL       TURNS    LAST USED            FIRST PROMPT                             \n" +
      "20261124-110000-00a1    llama3      3        About an hour ago    Why is the sky blue? Explain it to a ch…    \n" +
      "20261120-090000-ffff    qwen3:8b    1        4 days ago           hi                                          \n",
  );
  assertEquals(formatChats([], now), "ID    MODEL    TURNS    LAST USED    FIRST PROMPT \n");
});

Deno.test("formatTranscript() shows turns as the chat did, thinking and tools included", () => {
  assertEquals(
    formatTranscript([
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "look", images: ["AAAA"] },
          {
            role: "assistant",
            content: "",
            thinking: "Hmm.",
            tool_calls: [{ function: { name: "ls", arguments: { path: "." } } }],
          },
          { role: "tool", content: "a.txt", tool_name: "ls" },
          { role: "assistant", content: "One file." },
        ],
      },
      { restart: true, messages: [{ role: "user", content: "again" }] },
    ]),
    ">>> /set system Be brief.\n" +
      ">>> look [1 attachment]\n" +
      "Thinking...\nHmm.\n...done thinking.\n\n" +
      'Tool call: ls({"path":"."})\n\n' +
      "Tool result (ls):\na.txt\n\n" +
      "One file.\n\n" +
      "(the conversation started over)\n\n" +
      ">>> again\n",
  );
});
