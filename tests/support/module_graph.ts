/** What `deno info` says about a module graph, for the tests and the bench. */
import { fileURLToPath } from "node:url";

/** The parts of `deno info --json` these checks read. */
export interface DenoInfo {
  roots: string[];
  modules: {
    specifier: string;
    kind?: string;
    dependencies?: {
      code?: { specifier: string };
      type?: { specifier: string };
      isDynamic?: boolean;
    }[];
  }[];
  redirects?: Record<string, string>;
}

/** `deno info --json [flags] entry`, run in `root`. */
export async function denoInfo(
  entry: string,
  root: string,
  flags: string[] = [],
): Promise<DenoInfo> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", ...flags, entry],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno info ${entry} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/**
 * The modules the graph's roots import statically, the roots included, redirects followed: what
 * loads when the program starts. Dynamic imports are left out (they load only when the code that
 * makes them runs), and npm packages are listed but not walked into.
 */
export function staticModules(info: DenoInfo): Set<string> {
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const resolve = (specifier: string) => info.redirects?.[specifier] ?? specifier;
  const seen = new Set<string>();
  const pending = info.roots.map(resolve);
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    if (isNpm(info, specifier)) continue;
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dependency.isDynamic && dependency.code) {
        pending.push(resolve(dependency.code.specifier));
      }
    }
  }
  return seen;
}

/** Whether `specifier` in the graph is an npm package's module. */
export function isNpm(info: DenoInfo, specifier: string): boolean {
  return specifier.startsWith("npm:") ||
    info.modules.some((m) => m.specifier === specifier && m.kind === "npm");
}

/**
 * The modules `entry` imports statically, itself included, as paths relative to `root` (which
 * ends with a slash): what a compiled binary with that entry code-caches. Dynamic imports, npm
 * packages and anything outside `root` are left out.
 */
export async function staticGraph(entry: string, root: string): Promise<Set<string>> {
  const modules = staticModules(await denoInfo(entry, root, ["--no-npm"]));
  return new Set(
    [...modules].filter((specifier) => specifier.startsWith("file:"))
      .map((specifier) => fileURLToPath(specifier))
      .filter((path) => path.startsWith(root))
      .map((path) => path.slice(root.length)),
  );
}
