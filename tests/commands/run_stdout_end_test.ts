/**
 * A one-shot answer into a pipe: stdout ends as soon as the answer is complete, before the
 * conversation is saved (its fdatasync can take a slow disk a while), so whatever reads the pipe
 * is not kept waiting. On a terminal it stays open: nobody waits for its end.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { testContext, testIo } from "../support/test_io.ts";
import { BufferOutput } from "../../lib/io.ts";
import { runCommand } from "../../lib/commands/run.ts";

/** What the saved conversations held each time stdout was ended. */
class EndingOutput extends BufferOutput {
  readonly ends: string[] = [];
  readonly #look: () => string;
  constructor(terminal: boolean, look: () => string) {
    super(terminal, 80);
    this.#look = look;
  }
  end(): void {
    this.ends.push(this.#look());
  }
}

/** Everything saved under `home`, every conversation's file joined. */
function saved(home: string): string {
  const dir = `${home}/.local/state/dollama/chats`;
  try {
    return [...Deno.readDirSync(dir)].map((e) => Deno.readTextFileSync(`${dir}/${e.name}`)).join(
      "",
    );
  } catch {
    return "";
  }
}

async function answer(terminal: boolean): Promise<{ out: EndingOutput; home: string }> {
  const home = await Deno.makeTempDir({ prefix: "dollama-end-" });
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  try {
    const io = testIo({ terminal, env: { HOME: home } });
    const out = new EndingOutput(terminal, () => saved(home));
    io.stdout = out;
    await runCommand(testContext(io, server.url), "llama3", ["hi"], {});
    return { out, home };
  } finally {
    await server.close();
  }
}

Deno.test("run into a pipe ends stdout once the answer is complete, before the save", async () => {
  const { out, home } = await answer(false);
  try {
    assertEquals(out.ends.length, 1);
    // The save had not finished: a record's line ends only once it is complete.
    assertEquals(out.ends[0].endsWith("\n"), false);
    assertEquals(out.text.endsWith("\n"), true);
    const record = saved(home);
    assertEquals([record.endsWith("\n"), record.includes(out.text.trimEnd())], [true, true]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("run onto a terminal leaves stdout open", async () => {
  const { out, home } = await answer(true);
  try {
    assertEquals(out.ends, []);
    assertEquals(saved(home).endsWith("\n"), true);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
