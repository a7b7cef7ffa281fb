/**
 * The layer checker behind layers_test.ts. The layer order is read from ONE place, the fenced
 * block in docs/architecture.md, so the documentation and the check cannot drift apart:
 *
 * - each non-empty line of the first fenced block is one layer; the TOP line is the HIGHEST
 *   layer and the bottom line the lowest;
 * - a line starts with its modules, separated by commas; the first name not followed by a
 *   comma ends the list and the description follows;
 * - a module ending in `/` is a folder (every file under it), anything else is one file;
 * - a module without `lib/` in front (and other than `main.ts`) sits in the folder of the
 *   line's first module: `lib/context.ts, exit.ts` names lib/context.ts and lib/exit.ts,
 *   `lib/format/, release/` names lib/format/ and lib/release/.
 *
 * A module may import from its own layer and from lower layers; nothing may take part in an
 * import cycle, inside a layer or across layers.
 */

export interface Layer {
  /** 0 is the lowest layer. */
  rank: number;
  /** Repository-relative files and folders (ending in `/`), as the doc lists them. */
  modules: string[];
  /** The line of the doc, for messages. */
  label: string;
}

/** module path → the module paths it imports (repository-relative, e.g. `lib/api/client.ts`). */
export type ImportGraph = Map<string, string[]>;

function parentFolder(path: string): string {
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  const slash = trimmed.lastIndexOf("/");
  return slash < 0 ? "" : trimmed.slice(0, slash + 1);
}

/** The layers listed in the first fenced block of `markdown`, lowest first. */
export function parseLayers(markdown: string): Layer[] {
  const block = markdown.match(/^```[^\n]*\n([\s\S]*?)^```/m);
  if (!block) throw new Error("docs/architecture.md has no fenced block listing the layers");
  const lines = block[1].split("\n").filter((l) => l.trim() !== "");
  const layers = lines.map((line, index): Layer => {
    const list = line.trim().match(/^(?:[\w./-]+,\s*)*[\w./-]+/);
    if (!list) throw new Error(`docs/architecture.md: no modules at the start of "${line}"`);
    const names = list[0].split(/,\s*/);
    const folder = parentFolder(names[0]);
    const modules = names.map((n, i) =>
      i === 0 || n.startsWith("lib/") || n === "main.ts" ? n : folder + n
    );
    return { rank: lines.length - 1 - index, modules, label: list[0] };
  });
  return layers.reverse();
}

/** The layer `path` belongs to: the most specific module that names it. */
export function layerOf(path: string, layers: Layer[]): Layer | undefined {
  let best: Layer | undefined;
  let bestLength = -1;
  for (const layer of layers) {
    for (const m of layer.modules) {
      const matches = m.endsWith("/") ? path.startsWith(m) : path === m;
      if (matches && m.length > bestLength) {
        best = layer;
        bestLength = m.length;
      }
    }
  }
  return best;
}

/** Every import cycle as a closed path `a → b → a`, one per strongly connected component. */
export function findCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const nodes = new Set<string>([...graph.keys(), ...[...graph.values()].flat()]);
  for (const start of [...nodes].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => cyclePath(graph, new Set(component)));
}

/** One concrete cycle through a strongly connected component, starting at its first member. */
function cyclePath(graph: ImportGraph, members: Set<string>): string[] {
  const start = [...members].sort()[0];
  // Breadth-first search back to the start, staying inside the component: the shortest cycle.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * Every violation in `graph`, one message each: a module in no layer, an import from a lower
 * layer to a higher one, an import cycle. Empty when the graph keeps the rules.
 */
export function checkLayers(graph: ImportGraph, layers: Layer[]): string[] {
  const problems: string[] = [];
  const unplaced = new Set<string>();
  for (const [from, imports] of [...graph].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const fromLayer = layerOf(from, layers);
    if (!fromLayer) {
      unplaced.add(from);
      continue;
    }
    for (const to of imports) {
      const toLayer = layerOf(to, layers);
      if (!toLayer) {
        unplaced.add(to);
        continue;
      }
      if (toLayer.rank > fromLayer.rank) {
        problems.push(
          `upward import: ${from} (layer ${fromLayer.rank}, ${fromLayer.label}) imports ${to} ` +
            `(layer ${toLayer.rank}, ${toLayer.label})`,
        );
      }
    }
  }
  for (const path of [...unplaced].sort()) {
    problems.push(`${path} is in no layer of docs/architecture.md`);
  }
  for (const cycle of findCycles(graph)) problems.push(`import cycle: ${cycle.join(" → ")}`);
  return problems;
}
