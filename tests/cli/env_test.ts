/**
 * The environment is read in one place: every `env("NAME")` in lib/ is in lib/cli/config.ts,
 * and every name read there is in the spec's environment table (so help can document it).
 * The sources are read as text.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { type CliSpec, SPEC } from "../../lib/cli/spec.ts";

const ROOT = new URL("../../", import.meta.url);
const CONFIG = "lib/cli/config.ts";

async function libSources(): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) {
        sources.set(path, await Deno.readTextFile(new URL(path, ROOT)));
      }
    }
  }
  await walk("lib");
  return sources;
}

/** The names a source reads with `env("NAME")` (any receiver: `io.env`, `ctx.io.env`, …). */
function envReads(source: string): string[] {
  return [...source.matchAll(/\benv\(\s*(["'`])([A-Za-z0-9_]+)\1\s*\)/g)].map((m) => m[2]);
}

Deno.test("envReads() finds literal reads through any receiver", () => {
  assertEquals(
    envReads(`env("A"); io.env('B_2'); ctx.io.env( \`C\` ); env(name); environment("D")`),
    ["A", "B_2", "C"],
  );
});

Deno.test("every environment variable in lib/ is read in lib/cli/config.ts", async () => {
  const sources = await libSources();
  assert(sources.has(CONFIG), [...sources.keys()].join(" "));
  for (const [path, source] of sources) {
    if (path === CONFIG) continue;
    const stray = envReads(source);
    assertEquals(stray, [], `${path} reads the environment; read it in ${CONFIG}`);
    // Only the Io implementation touches the process environment.
    if (path !== "lib/io_deno.ts") {
      assert(!/\bDeno\.env\b|\bprocess\.env\b/.test(source), `${path} reads Deno.env`);
    }
  }
});

Deno.test("every variable lib/cli/config.ts reads is in the spec, and only those", async () => {
  const read = new Set(envReads(await Deno.readTextFile(new URL(CONFIG, ROOT))));
  assert(read.has("OLLAMA_HOST"), [...read].join(" "));
  const spec: CliSpec = SPEC;
  const declared = spec.environment.filter((e) => e.readBy === "config").map((e) => e.name);
  assertEquals([...read].sort(), [...declared].sort());
});
