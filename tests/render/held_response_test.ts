import { assertEquals, assertRejects } from "../support/assert.ts";
import { WriteLog } from "../support/test_io.ts";
import { HeldOutput, HeldResponseRenderer } from "../../lib/render/held_response.ts";

Deno.test("HeldOutput writes nothing until released, then everything in one write", async () => {
  const target = new WriteLog(true, 40);
  const held = new HeldOutput(target);
  assertEquals([held.isTerminal, held.columns()], [true, 40]);
  await held.write("héllo ");
  await held.write(new TextEncoder().encode("wörld"));
  assertEquals(target.writes, []);
  await held.release();
  assertEquals(target.writes, ["héllo wörld"]);
  await held.release();
  assertEquals(target.writes, ["héllo wörld"]);
});

Deno.test("HeldResponseRenderer holds the answer, not the thinking, until it ends", async () => {
  const stdout = new WriteLog();
  const stderr = new WriteLog();
  const renderer = new HeldResponseRenderer({
    stdout,
    stderr,
    styleStderr: false,
    wordWrap: false,
    hideThinking: false,
  });
  await renderer.handle({ type: "thinking", text: "Hmm." });
  await renderer.handle({ type: "content", text: "The sky " });
  await renderer.handle({ type: "content", text: "is blue." });
  assertEquals(stdout.writes, []);
  await renderer.end();
  assertEquals(stdout.writes, ["The sky is blue."]);
  assertEquals(stderr.text, "Thinking...\nHmm.\n...done thinking.\n\n");
  assertEquals(renderer.contentEndsLine, false);
});

Deno.test("HeldResponseRenderer releases what it holds even when ending fails", async () => {
  const stdout = new WriteLog();
  const failing = {
    isTerminal: false,
    columns: () => undefined,
    write: () => Promise.reject(new Error("stderr closed")),
  };
  const renderer = new HeldResponseRenderer({
    stdout,
    stderr: failing,
    styleStderr: false,
    wordWrap: false,
    hideThinking: false,
  });
  await renderer.handle({ type: "content", text: "partial" });
  await assertRejects(() =>
    renderer.handle({ type: "thinking", text: "x" }).then(() => renderer.end())
  );
  assertEquals(stdout.writes, ["partial"]);
});

Deno.test("HeldResponseRenderer stops the spinner only when something shows", async () => {
  const calls: string[] = [];
  const stdout = new WriteLog();
  const stderr = new WriteLog();
  const renderer = new HeldResponseRenderer({
    stdout,
    stderr,
    styleStderr: false,
    wordWrap: false,
    hideThinking: false,
    beforeOutput: () => {
      calls.push(`stop after ${stdout.writes.length + stderr.writes.length} writes`);
      return Promise.resolve();
    },
  });
  // The answer arriving is held, so the spinner keeps spinning...
  await renderer.handle({ type: "content", text: "Calls " });
  await renderer.handle({ type: "content", text: "a tool." });
  assertEquals(calls, []);
  // ...until a notice must show on stderr, which stops it first.
  await renderer.handle({
    type: "toolCalls",
    calls: [{ function: { name: "ls", arguments: {} } }],
  });
  assertEquals(calls, ["stop after 0 writes"]);
  await renderer.end();
  assertEquals(calls.length, 1);
  assertEquals(stdout.writes, ["Calls a tool."]);

  const quiet: string[] = [];
  const alone = new HeldResponseRenderer({
    stdout: new WriteLog(),
    stderr: new WriteLog(),
    styleStderr: false,
    wordWrap: false,
    hideThinking: false,
    beforeOutput: () => {
      quiet.push("stop");
      return Promise.resolve();
    },
  });
  await alone.handle({ type: "content", text: "Hi." });
  assertEquals(quiet, []);
  await alone.end();
  assertEquals(quiet, ["stop"]);
});
