/**
 * dollama's modules transpiled ahead of time, one JavaScript file per TypeScript module, as
 * `deno compile` stores them in a release binary, and a Deno cache that code-caches what such a
 * binary would.
 *
 * `deno run main.ts` loads each TypeScript module through Deno's emit cache: it looks the module
 * up, checks the cached JavaScript against the source and reads it, for every module of every
 * run. `deno compile` transpiles each module once, at build time, and the binary loads the
 * JavaScript (from memory, not from files). `deno compile` cannot run on the bench's machine, so
 * the bench measures the same module graph transpiled by `deno bundle --inline-imports=false`
 * and run with `deno run` from the binaries' entry point (main_binary.ts), with the flags a
 * binary carries (scripts/compile.ts). It still reads each module from a file, which a binary
 * does not.
 *
 * The code cache matters more. `deno run` keeps one for every module it ever compiled; a binary
 * records one, on its first run, for the modules of its entry's static import graph only, and
 * compiles everything it imports later from source on every start. `binaryCodeCache` trims a
 * warmed Deno cache to that graph and stops `deno run` adding to it, so the bench compiles what a
 * binary compiles. (`deno run` still serialises a cache for each module it compiles, which a
 * binary past its first run does not: where modules are missing, this overstates their cost a
 * little.)
 */
import { DatabaseSync } from "node:sqlite";
import { staticGraph } from "../tests/support/module_graph.ts";
import { ROOT } from "./proc.ts";

/** `./x.ts` in an import or export, static or dynamic. */
const RELATIVE_TS = /((?:from|import)\s*\(?\s*)"(\.\.?\/[^"]*)\.ts"/g;

/**
 * Transpiles main.ts, main_binary.ts and every module under lib/ into `dir`; returns the path of
 * main_binary.js, the binaries' entry point.
 */
export async function transpileDollama(dir: string): Promise<string> {
  const modules = ["main.ts", "main_binary.ts"];
  for await (const path of walkTs(`${ROOT}lib`)) modules.push(path.slice(ROOT.length));
  const bundled = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--inline-imports=false", "--outdir", dir, ...modules],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!bundled.success) {
    throw new Error(`deno bundle failed: ${new TextDecoder().decode(bundled.stderr).trim()}`);
  }
  // The JavaScript imports JavaScript.
  for (const module of modules) {
    const path = `${dir}/${module.replace(/\.ts$/, ".js")}`;
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.replace(RELATIVE_TS, '$1"$2.js"'));
  }
  // The same configuration, lock file and packages as the checkout; lib/version.ts reads the
  // version from deno.json.
  await Deno.copyFile(`${ROOT}deno.json`, `${dir}/deno.json`);
  await Deno.copyFile(`${ROOT}deno.lock`, `${dir}/deno.lock`);
  await Deno.symlink(`${ROOT}node_modules`, `${dir}/node_modules`);
  return `${dir}/main_binary.js`;
}

/**
 * Makes the Deno cache `denoDir`, already warmed by runs of `entry` (a file in `dir`), code-cache
 * what a compiled binary with that entry point would: the modules `entry` imports statically
 * keep their code cache, every other module of `dir` loses its own and cannot get one again.
 * Deno's runtime modules keep theirs, as they do for the floors. Returns how many of `dir`'s
 * modules stay cached.
 */
export async function binaryCodeCache(
  entry: string,
  dir: string,
  denoDir: string,
): Promise<number> {
  const root = `${dir.replace(/\/$/, "")}/`;
  const kept = await staticGraph(entry, root);
  const db = new DatabaseSync(`${denoDir}/v8_code_cache_v2`);
  try {
    const rows = db.prepare("SELECT specifier FROM codecache WHERE specifier LIKE 'file:%'")
      .all() as { specifier: string }[];
    const drop = db.prepare("DELETE FROM codecache WHERE specifier = ?");
    let cached = 0;
    for (const { specifier } of rows) {
      const path = decodeURIComponent(new URL(specifier).pathname);
      if (path.startsWith(root) && kept.has(path.slice(root.length))) cached++;
      else drop.run(specifier);
    }
    // deno run stores a code cache for each module it compiles; a binary past its first run
    // stores none.
    db.exec(
      "CREATE TRIGGER IF NOT EXISTS binary_keeps_its_first_cache BEFORE INSERT ON codecache " +
        "WHEN NEW.specifier LIKE 'file:%' BEGIN SELECT RAISE(IGNORE); END",
    );
    return cached;
  } finally {
    db.close();
  }
}

async function* walkTs(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkTs(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}
