/**
 * The real tree keeps the layer order of docs/architecture.md: no import from a lower layer to a
 * higher one, no import cycle among lib/ modules, every lib/ module in a layer. The module graph
 * is deno's own (`deno info --json`), so type-only imports count as much as value imports.
 */
import { assertEquals } from "../support/assert.ts";
import { denoInfo } from "../support/module_graph.ts";
import { checkLayers, type ImportGraph, parseLayers } from "./layers.ts";

const ROOT = new URL("../../", import.meta.url);

/** dollama's entry points: the release binaries' and `deno run`'s. */
const ENTRY_POINTS = ["main_binary.ts", "main.ts"];

/** The repository-relative path of a file URL inside lib/ or an entry point, else undefined. */
function ownPath(specifier: string): string | undefined {
  if (!specifier.startsWith(ROOT.href)) return undefined;
  const path = specifier.slice(ROOT.href.length);
  return ENTRY_POINTS.includes(path) || path.startsWith("lib/") ? path : undefined;
}

function libFiles(dir = "lib"): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(new URL(dir, ROOT))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...libFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

/** The binaries' entry point and main.ts's graphs, plus every lib/ file they do not reach. */
async function importGraph(): Promise<ImportGraph> {
  const graph: ImportGraph = new Map();
  for (const root of [...ENTRY_POINTS, ...libFiles()]) {
    if (graph.has(root)) continue;
    for (const module of (await denoInfo(root, ROOT.pathname)).modules) {
      const from = ownPath(module.specifier);
      if (from === undefined || graph.has(from)) continue;
      const imports = new Set<string>();
      for (const dependency of module.dependencies ?? []) {
        for (const target of [dependency.code?.specifier, dependency.type?.specifier]) {
          const to = target === undefined ? undefined : ownPath(target);
          if (to !== undefined) imports.add(to);
        }
      }
      graph.set(from, [...imports].sort());
    }
  }
  return graph;
}

Deno.test("lib/ imports follow the layer order of docs/architecture.md, without cycles", async () => {
  const layers = parseLayers(
    await Deno.readTextFile(new URL("docs/architecture.md", ROOT)),
  );
  const graph = await importGraph();
  // Every lib file is in the graph: a file the walk missed would escape the check.
  assertEquals(libFiles().filter((f) => !graph.has(f)), []);
  assertEquals(checkLayers(graph, layers), []);
});
