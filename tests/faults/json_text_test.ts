/**
 * `--json` output carries a server's strings whole, but never a raw DEL, C1 or bidi control: they
 * are written as `\u` escapes (docs/reliability.md, Where server text is sanitised), so the
 * document parses to the server's values and is harmless on a terminal.
 */
import { assertEquals } from "../support/assert.ts";
import { answer, assertHarmless, dollama, withFaults } from "./helpers.ts";

/** C1 CSI (`\x9b2J` clears the screen on terminals that read 8-bit controls), DEL, bidi. */
const EVIL = "m\x9b2J\x7f\u202eevil\u2066";

Deno.test("list, ps and show --json write control and bidi characters as escapes", async () => {
  const model = { name: EVIL, digest: `d${EVIL}`, size: 1, size_vram: 1 };
  await withFaults({
    "GET /api/tags": (c) => c.json(200, { models: [model] }),
    "GET /api/ps": (c) => c.json(200, { models: [model] }),
    "POST /api/show": (c) =>
      c.json(200, {
        capabilities: [EVIL],
        details: { family: EVIL },
        parameters: `stop ${EVIL}`,
        system: EVIL,
        license: EVIL,
        model_info: { [EVIL]: EVIL },
      }),
  }, async (server) => {
    for (const command of ["list", "ps"]) {
      const result = await dollama(server, [command, "--json"]);
      assertEquals(result.code, 0, result.stderr);
      assertHarmless(result.stdout, `${command} --json`);
      const [parsed] = JSON.parse(result.stdout).models;
      assertEquals([parsed.name, parsed.digest], [EVIL, `d${EVIL}`]);
    }
    const result = await dollama(server, ["show", "m", "--json", "--verbose"]);
    assertEquals(result.code, 0, result.stderr);
    assertHarmless(result.stdout, "show --json");
    const show = JSON.parse(result.stdout);
    assertEquals(
      [show.capabilities, show.architecture, show.parameters, show.system, show.license],
      [[EVIL], EVIL, [{ name: "stop", value: EVIL }], EVIL, EVIL],
    );
    assertEquals(show.model_info, { [EVIL]: EVIL });
  });
});

Deno.test("chats --json writes control and bidi characters of saved text as escapes", async () => {
  const state = Deno.makeTempDirSync({ prefix: "dollama-state-" });
  const env = { XDG_STATE_HOME: state };
  try {
    await withFaults({
      "POST /api/generate": (c) => c.ndjson(answer(`answer${EVIL}`)),
    }, async (server) => {
      assertEquals((await dollama(server, ["run", "m", `ask${EVIL}`], { env })).code, 0);
      const list = await dollama(server, ["chats", "--json"], { env });
      assertHarmless(list.stdout, "chats --json");
      const [chat] = JSON.parse(list.stdout);
      assertEquals(chat.firstPrompt, `ask${EVIL}`);
      const records = await dollama(server, ["chats", "show", chat.id, "--json"], { env });
      assertEquals(records.code, 0, records.stderr);
      assertHarmless(records.stdout, "chats show --json");
      const [turn] = records.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
      assertEquals(
        turn.messages.map((m: { content: string }) => m.content),
        [`ask${EVIL}`, `answer${EVIL}`],
      );
    });
  } finally {
    Deno.removeSync(state, { recursive: true });
  }
});
