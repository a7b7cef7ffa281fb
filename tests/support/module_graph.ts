/** What `deno info` says about a module graph, for the tests and the bench. */
import { fileURLToPath } from "node:url";

/**
 * The modules `entry` imports statically, itself included, as paths relative to `root` (which
 * ends with a slash): what a compiled binary with that entry code-caches. Dynamic imports, npm
 * packages and anything outside `root` are left out.
 */
export async function staticGraph(entry: string, root: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--no-npm", entry],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno info ${entry} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const pending = [...info.roots];
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      const target = dependency.code?.specifier;
      if (!dependency.isDynamic && target?.startsWith("file:")) pending.push(target);
    }
  }
  return new Set(
    [...seen].map((specifier) => fileURLToPath(specifier))
      .filter((path) => path.startsWith(root))
      .map((path) => path.slice(root.length)),
  );
}
