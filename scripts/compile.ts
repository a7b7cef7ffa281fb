/**
 * `deno task compile [TARGET… | host] [--dry-run]`: standalone executables with `deno compile`.
 *
 * With no TARGET it builds every release target (lib/release/targets.ts) into
 * `dist/dollama-<target>` (`.exe` on Windows); `host` means this machine's target. The binaries
 * carry the permission and V8 flags of `deno task dollama`, and their version is deno.json's
 * (`dollama --version`), because lib/version.ts imports it. They start from main_binary.ts,
 * which puts the modules of a one-shot answer in the part of the program a binary code-caches.
 *
 * `deno compile` downloads a runtime (denort) per target from dl.deno.land, so this needs that
 * host to be reachable; the release workflow runs it. `--dry-run` prints the commands instead.
 */
import denoJson from "../deno.json" with { type: "json" };
import { compiledPath, isTarget, type Target, targetFor, TARGETS } from "../lib/release/targets.ts";

/**
 * The `--allow-*` and `--v8-flags=` flags of the `dollama` task: a compiled binary runs with the
 * permissions and V8 settings of `deno task dollama`. `--no-lazy` among them pays off in a binary
 * as under `deno run` because main_binary.ts brings every module of a one-shot answer into the
 * binary's code cache (docs/performance.md, V8 flags).
 */
export const RUNTIME_FLAGS: string[] = denoJson.tasks.dollama.split(/\s+/)
  .filter((word) => word.startsWith("--allow-") || word.startsWith("--v8-flags="));

/** The binaries' entry point (see main_binary.ts). */
export const BINARY_ENTRY = "main_binary.ts";

export function compileArgs(target: Target): string[] {
  return [
    "compile",
    ...RUNTIME_FLAGS,
    "--target",
    target,
    "--output",
    compiledPath(target),
    BINARY_ENTRY,
  ];
}

/** The targets named on the command line; all of them when none is. */
export function chooseTargets(names: string[]): Target[] {
  if (names.length === 0) return [...TARGETS];
  return names.map((name) => {
    if (name === "host") {
      const host = targetFor(Deno.build.os, Deno.build.arch);
      if (!host) throw new Error(`this machine (${Deno.build.target}) is not a release target`);
      return host;
    }
    if (!isTarget(name)) {
      throw new Error(
        `unknown target ${JSON.stringify(name)}; choose from host, ${TARGETS.join(", ")}`,
      );
    }
    return name;
  });
}

if (import.meta.main) {
  const args = Deno.args.filter((a) => a !== "--dry-run");
  const dryRun = args.length !== Deno.args.length;
  let targets: Target[];
  try {
    targets = chooseTargets(args);
  } catch (err) {
    console.error(`compile: ${(err as Error).message}`);
    Deno.exit(1);
  }
  const root = new URL("../", import.meta.url);
  if (!dryRun) await Deno.mkdir(new URL("dist/", root), { recursive: true });
  for (const target of targets) {
    const argv = compileArgs(target);
    if (dryRun) {
      console.log(["deno", ...argv].join(" "));
      continue;
    }
    console.error(`compile: ${target} → ${compiledPath(target)}`);
    const status = await new Deno.Command(Deno.execPath(), { args: argv, cwd: root }).spawn()
      .status;
    if (!status.success) {
      console.error(`compile: deno compile for ${target} failed (exit ${status.code})`);
      Deno.exit(1);
    }
  }
}
