/** Shared by the release tests: running the install scripts as a user would, and file checks. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Target, targetFor } from "../../lib/release/targets.ts";
import { staticGraph as staticGraphUnder } from "../support/module_graph.ts";

/** The repository root as a file-system path. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const INSTALL_SH = join(ROOT, "install.sh");
export const INSTALL_PS1 = join(ROOT, "install.ps1");

/** The release target of the machine running the tests (undefined on an unsupported one). */
export const HOST_TARGET: Target | undefined = targetFor(Deno.build.os, Deno.build.arch);

/** The install.sh tests need a POSIX shell and tar; the fake binaries are shell scripts. */
export const POSIX = Deno.build.os !== "windows";

const created: string[] = [];
// Temporary directories go when the test process ends: the installer tests make many, and
// pathWithout's hold thousands of links each.
globalThis.addEventListener("unload", () => {
  for (const dir of created) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone, or still busy on Windows
    }
  }
});

/** A fresh temporary directory, removed when the test process ends. */
export function tempDir(prefix: string): string {
  const dir = Deno.makeTempDirSync({ prefix });
  created.push(dir);
  return dir;
}

/** Paths (relative to the checkout) of the modules `entry` imports statically, itself included. */
export function staticGraph(entry: string): Promise<Set<string>> {
  return staticGraphUnder(entry, ROOT);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string,
  cwd?: string,
): Promise<Run> {
  const child = new Deno.Command(cmd, {
    args,
    env,
    cwd,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** A clean environment for an installer: the test's PATH, a fresh HOME, no colour. */
export function installEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: tempDir("dollama-home-"),
    NO_COLOR: "1",
  };
  for (const name of ["SYSTEMROOT", "SystemRoot", "TEMP", "TMP", "LOCALAPPDATA", "PATHEXT"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/** `sh install.sh ARGS…` */
export async function installSh(args: string[], env: Record<string, string>): Promise<Run> {
  return await run("sh", [INSTALL_SH, ...args], env);
}

export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  return names.sort();
}

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** True when `name` is a program on this machine's PATH. */
export function onPath(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (dir && Deno.statSync(join(dir, name)).isFile) return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * A directory to use as the whole PATH: every program of /usr/bin and /bin except `missing`,
 * so that an installer can be run on a machine that lacks them.
 */
export function pathWithout(missing: string[]): string {
  const tools = tempDir("dollama-path-");
  for (const sys of ["/usr/bin", "/bin"]) {
    for (const entry of Deno.readDirSync(sys)) {
      if (missing.includes(entry.name) || entry.name.startsWith(".")) continue;
      try {
        Deno.symlinkSync(join(sys, entry.name), join(tools, entry.name));
      } catch (err) {
        if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      }
    }
  }
  return tools;
}

/** Runs an installed (fake) dollama with `--version` and returns its first line. */
export async function versionOf(path: string): Promise<string> {
  const out = await run(path, ["--version"], installEnv());
  return out.stdout.trim();
}

/** Writes an executable shell script that reports `version`; returns its path. */
export async function fakeInstalled(dir: string, name: string, version: string): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, `#!/bin/sh\necho "dollama version ${version}"\n`);
  await Deno.chmod(path, 0o755);
  return path;
}
