/**
 * Very long server strings in the tables (docs/reliability.md, Server text): a name, a licence
 * or a system prompt of a million characters with spaces is laid out, not a hang. The word
 * wrapper they go through was quadratic in the number of words (minutes at 300,000 characters).
 * No assertion is about time: the test finishing is the point.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { dollama, withFaults } from "./helpers.ts";

/** A million characters of short words. */
const LONG = "ab ".repeat(333_334).slice(0, 1_000_000).trim();

/** The long text wrapped at `limit` cells: enough rows for all of it, none much wider. */
function assertWrapped(stdout: string, limit: number): void {
  const rows = stdout.split("\n");
  assert(rows.length > LONG.length / (limit + 1), `only ${rows.length} rows`);
  const widest = Math.max(...rows.slice(0, 1000).map((row) => row.length));
  assert(widest < limit + 80, `a row of ${widest} characters`);
}

Deno.test("list and ps handle a model name of a million characters with spaces", async () => {
  const model = { name: LONG, digest: "0123456789ab", size: 1, size_vram: 1 };
  await withFaults({
    "GET /api/tags": (c) => c.json(200, { models: [model] }),
    "GET /api/ps": (c) => c.json(200, { models: [model] }),
  }, async (server) => {
    for (const command of ["list", "ps"]) {
      const result = await dollama(server, [command]);
      assertEquals(result.code, 0, result.stderr);
      assertWrapped(result.stdout, 30);
      // The ID column sits on the first line, next to the first 30 cells of the name.
      const first = `${"ab ".repeat(10).trim().padEnd(30)}    0123456789ab`;
      assert(result.stdout.split("\n")[1].startsWith(first), result.stdout.slice(0, 300));
    }
  });
});

Deno.test("show handles a licence and a system prompt of a million characters with spaces", async () => {
  await withFaults({
    "POST /api/show": (c) =>
      c.json(200, { capabilities: ["completion"], license: LONG, system: LONG }),
  }, async (server) => {
    const result = await dollama(server, ["show", "m"]);
    assertEquals(result.code, 0, result.stderr);
    assertWrapped(result.stdout, 100);
  });
});
