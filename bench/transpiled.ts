/**
 * dollama's modules transpiled ahead of time, one JavaScript file per TypeScript module, as
 * `deno compile` stores them in a release binary.
 *
 * `deno run main.ts` loads each TypeScript module through Deno's emit cache: it looks the module
 * up, checks the cached JavaScript against the source and reads it, for every module of every
 * run. `deno compile` transpiles each module once, at build time, and the binary loads the
 * JavaScript (from memory, not from files). `deno compile` cannot run on the bench's machine, so
 * the bench measures the same module graph transpiled by `deno bundle --inline-imports=false`
 * and run with `deno run`, with the V8 flags a binary carries (scripts/compile.ts), which still
 * reads each module from a file: a compiled binary does less than this.
 */
import { ROOT } from "./proc.ts";

/** `./x.ts` in an import or export, static or dynamic. */
const RELATIVE_TS = /((?:from|import)\s*\(?\s*)"(\.\.?\/[^"]*)\.ts"/g;

/** Transpiles main.ts and every module under lib/ into `dir`; returns the path of main.js. */
export async function transpileDollama(dir: string): Promise<string> {
  const modules = ["main.ts"];
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
  return `${dir}/main.js`;
}

async function* walkTs(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkTs(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}
