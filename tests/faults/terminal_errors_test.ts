/**
 * A one-shot answer that fails partway, on a real terminal (tmux): what arrived stays, the line it
 * was on is ended, and the `Error:` line starts a line of its own (docs/run.md, Exit codes). On a
 * pipe stdout gets the answer as far as it came and nothing more (tests/faults/transport_test.ts).
 */
import { assertEquals, assertMatch } from "../support/assert.ts";
import { startDollama } from "../support/tmux.ts";
import { withFaults } from "./helpers.ts";
import type { FaultScript } from "../support/fault_server.ts";

/** Runs `dollama run m hi` on a terminal against `generate`; returns the exit code and rows. */
async function runOnTerminal(
  generate: FaultScript,
  flags: string[] = [],
): Promise<{ code: number; rows: string[] }> {
  let outcome = { code: -1, rows: [] as string[] };
  await withFaults({ "POST /api/generate": generate }, async (server) => {
    const args = ["run", "m", "hi", ...flags];
    const term = await startDollama(args, { host: server.url, cols: 120, rows: 12 });
    try {
      const code = await term.waitForExit();
      outcome = { code, rows: (await term.capture()).trimEnd().split("\n") };
    } finally {
      await term.kill();
    }
  });
  return outcome;
}

Deno.test("run on a terminal ends a partial answer's line before a mid-stream error", async () => {
  // "answer" is the word the wrapper holds back until it knows where it fits: it is shown too.
  const { code, rows } = await runOnTerminal((c) =>
    c.ndjson([
      { model: "m", response: "a partial answer", done: false },
      { error: "bad thing" },
    ])
  );
  assertEquals({ code, rows }, { code: 1, rows: ["a partial answer", "Error: bad thing"] });
});

Deno.test("run --no-stream on a terminal shows the partial answer on its own line, then the error", async () => {
  const { code, rows } = await runOnTerminal(
    (c) => c.ndjson([{ model: "m", response: "held", done: false }, { error: "bad thing" }]),
    ["--no-stream"],
  );
  assertEquals({ code, rows }, { code: 1, rows: ["held", "Error: bad thing"] });
});

Deno.test("run on a terminal ends a partial answer's line when the connection breaks", async () => {
  const { code, rows } = await runOnTerminal((c) =>
    c.ndjson([{ model: "m", response: "cut short", done: false }], { unfinished: true })
  );
  assertEquals(code, 1);
  assertEquals(rows.length, 2, rows.join("\n"));
  assertEquals(rows[0], "cut short");
  assertMatch(rows[1], /^Error: the connection to the server broke during its answer/);
});

Deno.test("run on a terminal ends thinking cut short by an error before the error line", async () => {
  const { code, rows } = await runOnTerminal((c) =>
    c.ndjson([{ model: "m", thinking: "hmm", done: false }, { error: "bad thing" }])
  );
  assertEquals({ code, rows }, { code: 1, rows: ["Thinking...", "hmm", "Error: bad thing"] });
});

Deno.test("run on a terminal adds no blank line when the partial answer ended its line", async () => {
  const { code, rows } = await runOnTerminal((c) =>
    c.ndjson([{ model: "m", response: "one line\n", done: false }, { error: "bad thing" }])
  );
  assertEquals({ code, rows }, { code: 1, rows: ["one line", "Error: bad thing"] });
});
