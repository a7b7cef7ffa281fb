/**
 * A `deno compile`d dollama, given as DOLLAMA_COMPILED=<path> (the `compiled` job of ci.yml sets
 * it after `deno task compile host`; `deno compile` cannot run where dl.deno.land is out of
 * reach, so elsewhere these tests are ignored). They check what only a real binary can show:
 * that it knows it is one, and that `dollama upgrade` replaces its own running executable.
 * DOLLAMA_COMPILED_NEWER names a second build that reports the next minor version: served as
 * that release, it lets a real binary replace itself on every OS, Windows included, where a
 * running executable cannot be overwritten and has to be moved aside first.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { ReleaseServer } from "../support/release_server.ts";
import { sha256Hex } from "../../lib/release/checksums.ts";
import { parseVersion } from "../../lib/release/version.ts";
import { VERSION } from "../../lib/version.ts";
import { fakeDollama } from "../support/release_server.ts";
import { HOST_TARGET, installEnv, listDir, POSIX, run, staticGraph, versionOf } from "./helpers.ts";

const compiled = Deno.env.get("DOLLAMA_COMPILED");
const compiledNewer = Deno.env.get("DOLLAMA_COMPILED_NEWER");
const current = parseVersion(VERSION)!;
const NEWER = `${current.major}.${current.minor + 1}.0`;

/** A copy of the compiled binary in a fresh directory, as an installed dollama. */
async function installedCopy(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dollama-compiled-" });
  const path = join(dir, Deno.build.os === "windows" ? "dollama.exe" : "dollama");
  await Deno.copyFile(compiled!, path);
  if (POSIX) await Deno.chmod(path, 0o755);
  return path;
}

function env(server: ReleaseServer): Record<string, string> {
  return installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, OLLAMA_HOST: "127.0.0.1:9" });
}

Deno.test({
  name: "compiled dollama knows it is a binary and is already current",
  ignore: !compiled,
  fn: async () => {
    const server = await ReleaseServer.start([{ version: VERSION }]);
    try {
      const bin = await installedCopy();
      const out = await run(bin, ["upgrade"], env(server));
      assertEquals(out.code, 0, out.stderr);
      assertEquals(out.stdout, `dollama ${VERSION} is already the newest release\n`);
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "compiled dollama upgrade replaces its own running executable",
  ignore: !compiled || !POSIX || HOST_TARGET === undefined,
  fn: async () => {
    const server = await ReleaseServer.start([{ version: VERSION }, { version: NEWER }]);
    try {
      const bin = await installedCopy();
      const out = await run(bin, ["upgrade"], env(server));
      assertEquals(out.code, 0, out.stderr);
      assertEquals(out.stdout, `dollama upgraded from ${VERSION} to ${NEWER} (${bin})\n`);
      assertEquals(await versionOf(bin), `dollama version ${NEWER} (${HOST_TARGET})`);
      assertEquals(await listDir(join(bin, "..")), ["dollama"]);
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "compiled dollama upgrade keeps itself on a bad checksum",
  ignore: !compiled,
  fn: async () => {
    const server = await ReleaseServer.start([{ version: NEWER, badChecksums: true }]);
    try {
      const bin = await installedCopy();
      const before = await sha256Hex(await Deno.readFile(bin));
      const out = await run(bin, ["upgrade"], env(server));
      assertEquals(out.code, 1);
      assertStringIncludes(out.stderr, "Error: checksum mismatch for ");
      assertEquals(await sha256Hex(await Deno.readFile(bin)), before);
      const version = await run(bin, ["--version"], env(server));
      assertEquals(version.stdout.split("\n")[0], `dollama version ${VERSION}`);
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "compiled dollama upgrade replaces itself with a real newer build, and back",
  ignore: !compiled || !compiledNewer || HOST_TARGET === undefined,
  fn: async () => {
    const newer = await Deno.readFile(compiledNewer!);
    const server = await ReleaseServer.start([
      { version: VERSION, binary: (t) => t === HOST_TARGET ? Deno.readFileSync(compiled!) : "" },
      { version: NEWER, binary: (t) => t === HOST_TARGET ? newer : fakeDollama(NEWER, t) },
    ]);
    try {
      const bin = await installedCopy();
      const dir = join(bin, "..");
      const exe = Deno.build.os === "windows" ? "dollama.exe" : "dollama";
      const up = await run(bin, ["upgrade"], env(server));
      assertEquals(up.code, 0, up.stderr);
      assertEquals(up.stdout, `dollama upgraded from ${VERSION} to ${NEWER} (${bin})\n`);
      const first = await run(bin, ["--version"], env(server));
      assertEquals(first.stdout.split("\n")[0], `dollama version ${NEWER}`);
      // On Windows the running executable was renamed to dollama.exe.old, which cannot be
      // deleted while that process lives; the next upgrade removes it.
      const allowed = [exe, `${exe}.old`];
      for (const name of await listDir(dir)) assertEquals(allowed.includes(name), true, name);

      // The newer binary takes the pinned older release back: the swap runs a second time,
      // now with a leftover .old to clear on Windows.
      const down = await run(bin, ["upgrade", "--version", VERSION], env(server));
      assertEquals(down.code, 0, down.stderr);
      assertEquals(down.stdout, `dollama upgraded from ${NEWER} to ${VERSION} (${bin})\n`);
      const second = await run(bin, ["--version"], env(server));
      assertEquals(second.stdout.split("\n")[0], `dollama version ${VERSION}`);
      for (const name of await listDir(dir)) assertEquals(allowed.includes(name), true, name);
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "compiled dollama code-caches, on its first run, every module of a one-shot answer",
  ignore: !compiled,
  fn: async () => {
    const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
    try {
      const bin = await installedCopy();
      // Deno's debug log says how many modules' code caches a binary loaded at start-up.
      const env = installEnv({ OLLAMA_HOST: server.url, DENO_LOG: "debug" });
      const first = await run(bin, ["run", "llama3", "hi"], env);
      assertEquals(first.code, 0, first.stderr.slice(-2000));
      const second = await run(bin, ["run", "llama3", "hi"], env);
      assertEquals(second.code, 0, second.stderr.slice(-2000));
      assertEquals(second.stdout, first.stdout);
      const loaded = /Loaded (\d+) code cache entries/.exec(second.stderr);
      assert(loaded !== null, second.stderr.slice(-2000));
      // main_binary.ts's static graph holds every module of a one-shot answer
      // (binary_entry_test.ts); each of its TypeScript modules should have its cache.
      const modules = [...await staticGraph("main_binary.ts")].filter((p) => p.endsWith(".ts"));
      assert(Number(loaded[1]) >= modules.length, `${loaded[0]}; ${modules.length} modules`);
    } finally {
      await server.close();
    }
  },
});
