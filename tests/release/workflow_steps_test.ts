/**
 * The release workflow's own steps, run here with stand-in binaries: pointing the releases URL
 * at the repository (scripts/release_assets.ts point), completing the release directory with the
 * install scripts and SHA256SUMS (… assemble), serving it as GitHub does
 * (scripts/serve_release.ts) and installing from it, and the per-archive smoke test
 * (scripts/smoke_archive.sh) with a stand-in that runs this checkout's dollama.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes, errorOf } from "../support/assert.ts";
import { fakeDollama, tarGz, zip } from "../support/release_server.ts";
import { assemble, pointAt, pointFiles } from "../../scripts/release_assets.ts";
import {
  assetName,
  binaryName,
  DEFAULT_RELEASES_URL,
  isWindowsTarget,
  TARGETS,
} from "../../lib/release/targets.ts";
import { parseSha256Sums, sha256Hex } from "../../lib/release/checksums.ts";
import { VERSION } from "../../lib/version.ts";
import {
  HOST_TARGET,
  installEnv,
  listDir,
  POSIX,
  ROOT,
  run,
  tempDir,
  versionOf,
} from "./helpers.ts";

const encoder = new TextEncoder();

/** The build jobs' output: one archive per target holding a fake dollama of `version`. */
async function standInArchives(dir: string, version: string): Promise<void> {
  for (const target of TARGETS) {
    const entry = {
      name: binaryName(target),
      data: encoder.encode(fakeDollama(version, target)),
      mode: 0o755,
    };
    const bytes = isWindowsTarget(target) ? await zip([entry]) : await tarGz([entry]);
    await Deno.writeFile(join(dir, assetName(target)), bytes);
  }
}

Deno.test("pointAt rewrites the project's releases URL and refuses what it cannot rewrite", () => {
  const url = "https://github.com/fork/dollama/releases";
  assertEquals(
    pointAt(`a ${DEFAULT_RELEASES_URL} b ${DEFAULT_RELEASES_URL}/latest`, url, "x"),
    `a ${url} b ${url}/latest`,
  );
  assertStringIncludes(
    errorOf(() => pointAt("nothing here", url, "notes.txt")),
    "notes.txt does not mention",
  );
  assertStringIncludes(
    errorOf(() => pointAt(DEFAULT_RELEASES_URL, "https://github.com/fork/dollama", "x")),
    "is not a releases URL",
  );
});

Deno.test("the point step rewrites lib/release/targets.ts as the build job does", async () => {
  const dir = tempDir("dollama-point-");
  const copy = join(dir, "targets.ts");
  await Deno.copyFile(join(ROOT, "lib/release/targets.ts"), copy);
  await pointFiles("https://github.com/fork/dollama/releases", [copy]);
  assertStringIncludes(
    await Deno.readTextFile(copy),
    'export const DEFAULT_RELEASES_URL = "https://github.com/fork/dollama/releases";',
  );
});

Deno.test("assemble refuses a release directory without every target's archive", async () => {
  const dir = tempDir("dollama-assets-");
  await standInArchives(dir, "0.3.0");
  await Deno.remove(join(dir, assetName("aarch64-unknown-linux-gnu")));
  await Deno.writeTextFile(join(dir, "notes.txt"), "");
  const err = await assemble("https://github.com/fork/dollama/releases", dir).catch((e) => e);
  assert(err instanceof Error);
  assertEquals(err.message, `${dir} lacks dollama-aarch64-unknown-linux-gnu.tar.gz`);
  assertEquals((await listDir(dir)).includes("SHA256SUMS"), false);
});

/** Starts scripts/serve_release.ts as the verify job does; returns the URL it prints. */
async function serveRelease(dir: string, tag: string): Promise<[Deno.ChildProcess, string]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-net", "--allow-read", "scripts/serve_release.ts", dir, tag],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (!printed.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    printed += value;
  }
  reader.releaseLock();
  return [child, printed.trim()];
}

Deno.test({
  name: "an assembled release, served as GitHub serves it, installs with its own install.sh",
  ignore: !POSIX || HOST_TARGET === undefined,
  fn: async () => {
    const repo = "https://github.com/fork/dollama/releases";
    const dir = tempDir("dollama-assets-");
    await standInArchives(dir, "0.3.0");
    const sums = await assemble(repo, dir);
    const digests = parseSha256Sums(sums);
    assertEquals(
      [...digests.keys()],
      [...TARGETS.map(assetName), "install.ps1", "install.sh"].sort(),
    );
    for (const [name, digest] of digests) {
      assertEquals(await sha256Hex(await Deno.readFile(join(dir, name))), digest, name);
    }
    for (const script of ["install.sh", "install.ps1"]) {
      const text = await Deno.readTextFile(join(dir, script));
      assertStringIncludes(text, repo);
      assert(!text.includes(DEFAULT_RELEASES_URL), script);
    }

    const [server, url] = await serveRelease(dir, "v0.3.0");
    try {
      assert(url.endsWith("/acme/dollama/releases"), url);
      const bin = join(tempDir("dollama-bin-"), "bin");
      const out = await run("sh", [
        "-c",
        `curl -fsSL "$DOLLAMA_DOWNLOAD_URL/latest/download/install.sh" | sh -s -- --dir "$1"`,
        "sh",
        bin,
      ], installEnv({ DOLLAMA_DOWNLOAD_URL: url }));
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(out.stdout, `Downloading the newest dollama for ${HOST_TARGET}`);
      assertEquals(await versionOf(join(bin, "dollama")), `dollama version 0.3.0 (${HOST_TARGET})`);
    } finally {
      await server.stdout.cancel().catch(() => {});
      server.kill("SIGTERM");
      await server.status;
    }
  },
});

Deno.test({
  name: "the archive smoke test passes a working dollama and fails a wrong one",
  ignore: !POSIX || HOST_TARGET === undefined,
  fn: async () => {
    const dir = tempDir("dollama-smoke-");
    // A stand-in for the compiled binary: this checkout's dollama, run by deno.
    const standIn = `#!/bin/sh\nexec '${Deno.execPath()}' run --quiet --allow-all '${
      join(ROOT, "main.ts")
    }' "$@"\n`;
    const archive = join(dir, assetName(HOST_TARGET!));
    await Deno.writeFile(
      archive,
      await tarGz([{ name: "dollama", data: encoder.encode(standIn), mode: 0o755 }]),
    );
    const env = installEnv();
    const ok = await run("bash", [join(ROOT, "scripts/smoke_archive.sh"), archive, VERSION], env);
    assertEquals(ok.code, 0, ok.stderr);
    assertStringIncludes(ok.stdout, `dollama version ${VERSION}\nollama server version is `);
    assertStringIncludes(ok.stdout, "Rayleigh scattering");
    assertStringIncludes(ok.stdout, `smoke test of ${assetName(HOST_TARGET!)}: ok\n`);

    const wrong = await run(
      "bash",
      [join(ROOT, "scripts/smoke_archive.sh"), archive, "9.9.9"],
      env,
    );
    assertEquals(wrong.code, 1);
    assertStringIncludes(wrong.stderr, "--version should start with 'dollama version 9.9.9'");

    const extra = join(dir, "extra", assetName(HOST_TARGET!));
    await Deno.mkdir(join(dir, "extra"));
    await Deno.writeFile(
      extra,
      await tarGz([
        { name: "dollama", data: encoder.encode(standIn), mode: 0o755 },
        { name: "README", data: encoder.encode("hi") },
      ]),
    );
    const crowded = await run(
      "bash",
      [join(ROOT, "scripts/smoke_archive.sh"), extra, VERSION],
      env,
    );
    assertEquals(crowded.code, 1);
    assertStringIncludes(crowded.stderr, "it should hold only dollama");
  },
});
