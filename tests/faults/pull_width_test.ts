/**
 * Pull progress on a real terminal (tmux) when the server's lines are wider than the terminal: a
 * long status, a long digest without its `sha256:` prefix, wide characters. Each line is cut to
 * the width, so the block is redrawn in place every 100 ms instead of stacking copies of itself
 * down the screen (docs/terminal.md, Spinner and progress).
 */
import { assert, assertEquals } from "../support/assert.ts";
import { startDollama } from "../support/tmux.ts";
import { withFaults } from "./helpers.ts";
import { displayWidth } from "../../lib/term/width.ts";

const STATUS = "pulling manifest " + "W".repeat(250);
const DIGEST = "d".repeat(150);
const WIDE = "日".repeat(50);

/** The pull's NDJSON lines, one chunk each, a few redraws apart. */
const LINES: unknown[] = [
  { status: STATUS },
  { status: "pulling d", digest: DIGEST, total: 1000, completed: 200 },
  { status: "pulling d", digest: DIGEST, total: 1000, completed: 600 },
  { status: "pulling d", digest: DIGEST, total: 1000, completed: 1000 },
  { status: WIDE },
  { status: "success" },
];

Deno.test("pull on a terminal redraws lines wider than the terminal in place", async () => {
  await withFaults({
    "POST /api/pull": async (c) => {
      await c.head(200, { "Content-Type": "application/x-ndjson", "Transfer-Encoding": "chunked" });
      for (const line of LINES) {
        const bytes = new TextEncoder().encode(JSON.stringify(line) + "\n");
        await c.write(`${bytes.length.toString(16)}\r\n`);
        await c.write(bytes);
        await c.write("\r\n");
        // Long enough for the display to redraw a few times with each line on screen.
        await new Promise((r) => setTimeout(r, 350));
      }
      await c.write("0\r\n\r\n");
      c.close();
    },
  }, async (server) => {
    const term = await startDollama(["pull", "m"], { host: server.url, cols: 80, rows: 30 });
    try {
      assertEquals(await term.waitForExit(), 0);
      const rows = (await term.capture()).trimEnd().split("\n").map((row) => row.trimEnd());
      // The block once: a status, the bar, a status, success; none of them wrapped.
      assertEquals(rows.length, 4, rows.join("\n"));
      assertEquals(rows[0], STATUS.slice(0, 79));
      assert(rows[1].startsWith(`pulling ${"d".repeat(20)}`), rows[1]);
      assert(rows[1].includes("… 100% ▕"), rows[1]);
      assertEquals(rows[2], "日".repeat(39));
      assertEquals(rows[3], "success");
      for (const row of rows) assert(displayWidth(row) < 80, row);
    } finally {
      await term.kill();
    }
  });
});
