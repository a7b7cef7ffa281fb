/** The layer checker on made-up docs and graphs: it must catch what the real-tree test relies on. */
import { assertEquals } from "../support/assert.ts";
import { checkLayers, findCycles, type ImportGraph, layerOf, parseLayers } from "./layers.ts";

const DOC = [
  "# Architecture",
  "",
  "```",
  "main.ts                 the process",
  "lib/commands/           one file per command",
  "lib/context.ts, exit.ts what a command receives",
  "lib/format/, release/   pure text",
  "lib/io.ts, errors.ts    the I/O",
  "```",
  "",
  "```",
  "a second block is not read",
  "```",
].join("\n");

const LAYERS = parseLayers(DOC);

function graph(edges: Record<string, string[]>): ImportGraph {
  return new Map(Object.entries(edges));
}

Deno.test("parseLayers reads the first block, top line highest, names relative to the first", () => {
  assertEquals(LAYERS.map((l) => [l.rank, l.modules]), [
    [0, ["lib/io.ts", "lib/errors.ts"]],
    [1, ["lib/format/", "lib/release/"]],
    [2, ["lib/context.ts", "lib/exit.ts"]],
    [3, ["lib/commands/"]],
    [4, ["main.ts"]],
  ]);
});

Deno.test("layerOf matches folders by prefix and files exactly", () => {
  assertEquals(layerOf("lib/format/show.ts", LAYERS)?.rank, 1);
  assertEquals(layerOf("lib/release/archive.ts", LAYERS)?.rank, 1);
  assertEquals(layerOf("lib/exit.ts", LAYERS)?.rank, 2);
  assertEquals(layerOf("lib/exit_codes.ts", LAYERS), undefined);
  assertEquals(layerOf("lib/formatting/x.ts", LAYERS), undefined);
});

Deno.test("checkLayers accepts downward and same-layer imports", () => {
  assertEquals(
    checkLayers(
      graph({
        "main.ts": ["lib/commands/show.ts"],
        "lib/commands/show.ts": ["lib/context.ts", "lib/format/show.ts"],
        "lib/context.ts": ["lib/exit.ts", "lib/io.ts"],
        "lib/format/show.ts": ["lib/release/version.ts", "lib/errors.ts"],
      }),
      LAYERS,
    ),
    [],
  );
});

Deno.test("checkLayers names a planted upward import", () => {
  assertEquals(
    checkLayers(
      graph({
        "lib/commands/show.ts": ["lib/format/show.ts"],
        "lib/format/show.ts": ["lib/context.ts"],
      }),
      LAYERS,
    ),
    [
      "upward import: lib/format/show.ts (layer 1, lib/format/, release/) imports " +
      "lib/context.ts (layer 2, lib/context.ts, exit.ts)",
    ],
  );
});

Deno.test("checkLayers names a planted cycle, inside one layer too", () => {
  assertEquals(
    checkLayers(
      graph({
        "lib/commands/a.ts": ["lib/commands/b.ts"],
        "lib/commands/b.ts": ["lib/commands/c.ts", "lib/io.ts"],
        "lib/commands/c.ts": ["lib/commands/a.ts"],
      }),
      LAYERS,
    ),
    ["import cycle: lib/commands/a.ts → lib/commands/b.ts → lib/commands/c.ts → lib/commands/a.ts"],
  );
});

Deno.test("checkLayers reports a module that no layer names", () => {
  assertEquals(
    checkLayers(graph({ "lib/commands/a.ts": ["lib/stray.ts"], "lib/stray.ts": [] }), LAYERS),
    ["lib/stray.ts is in no layer of docs/architecture.md"],
  );
});

Deno.test("findCycles finds each cycle once, self-imports included, and no acyclic ones", () => {
  assertEquals(
    findCycles(graph({
      a: ["b"],
      b: ["a", "c"],
      c: ["d"],
      d: ["e"],
      e: ["c"],
      f: ["f"],
      g: ["a"],
    })).sort(),
    [["a", "b", "a"], ["c", "d", "e", "c"], ["f", "f"]],
  );
  assertEquals(findCycles(graph({ a: ["b", "c"], b: ["c"], c: [] })), []);
});
