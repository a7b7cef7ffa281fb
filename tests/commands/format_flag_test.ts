/**
 * `--format` values that are not JSON: one `Error: …` line that names what was given and where
 * the JSON goes wrong, in dollama's words rather than the JavaScript engine's, and nothing sent.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { runCli } from "../support/cli.ts";
import { parseFormat } from "../../lib/commands/run_options.ts";

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("no error");
}

const USE = "(use json or a JSON schema object)";

Deno.test("parseFormat() words a value that is not JSON itself, with the line and column", () => {
  const files: Record<string, string> = {
    "words.txt": "not json\n",
    "typo.json": '{\n  "type": "object",\n  properties\n}\n',
  };
  const read = (path: string) => files[path];
  assertEquals(
    errorOf(() => parseFormat("xml")),
    `invalid value for --format: "xml" is not valid JSON ${USE}`,
  );
  assertEquals(
    errorOf(() => parseFormat("{bad")),
    `invalid value for --format: "{bad" is not valid JSON at line 1, column 2 ${USE}`,
  );
  assertEquals(
    errorOf(() => parseFormat("@words.txt", read)),
    `invalid value for --format: the file "words.txt" is not valid JSON ${USE}`,
  );
  assertEquals(
    errorOf(() => parseFormat("@typo.json", read)),
    `invalid value for --format: the file "typo.json" is not valid JSON at line 3, column 3 ${USE}`,
  );
  // A long value is cut, so the error stays one short line.
  assertEquals(
    errorOf(() => parseFormat(`{"type": "object", "properties": {"name": {"type": "string"`)),
    `invalid value for --format: "{\\"type\\": \\"object\\", \\"properties\\": {\\"name…" ` +
      `is not valid JSON at line 1, column 60 ${USE}`,
  );
});

Deno.test("--format @FILE holding text that is not JSON: one error line, exit 1, nothing sent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dollama-format-" });
  const server = new FakeOllama({ models: [{ name: "llama3:latest", reply: "Hi." }] });
  try {
    const path = `${dir}/schema.json`;
    await Deno.writeTextFile(path, "not json\nat all\n");
    const result = await runCli(["run", "llama3", "--format", `@${path}`, "hi"], {
      host: server.url,
    });
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr: `Error: invalid value for --format: the file ${
        JSON.stringify(path)
      } is not valid JSON ${USE}\n`,
    });
    assertEquals(server.requests.length, 0);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
