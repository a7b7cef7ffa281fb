/**
 * `dollama upgrade` run as a subprocess (the way `deno task dollama` runs it) against the local
 * release server. Running from source there is no compiled binary to replace, so
 * DOLLAMA_UPGRADE_TARGET points the command at a fake installed `dollama` (a shell script) and
 * the whole path runs: find the release, download, verify, unpack, try the new binary, swap.
 */
import { dirname } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { type FakeRelease, ReleaseServer } from "../support/release_server.ts";
import { assetName } from "../../lib/release/targets.ts";
import { VERSION } from "../../lib/version.ts";
import { parseVersion } from "../../lib/release/version.ts";
import { fakeInstalled, HOST_TARGET, listDir, POSIX, tempDir, versionOf } from "./helpers.ts";

const ignore = !POSIX || HOST_TARGET === undefined;

const current = parseVersion(VERSION)!;
/** A release newer than the running dollama, and one older. */
const NEWER = `${current.major}.${current.minor + 1}.0`;
const OLDER = "0.0.0-old.1";

async function scenario(
  releases: FakeRelease[],
  fn: (server: ReleaseServer, target: string) => Promise<void>,
): Promise<void> {
  const server = await ReleaseServer.start(releases);
  try {
    const dir = tempDir("dollama-install-");
    await fn(server, await fakeInstalled(dir, "dollama", VERSION));
  } finally {
    await server.close();
  }
}

function upgrade(server: ReleaseServer, target: string | undefined, args: string[] = []) {
  return runCli(["upgrade", ...args], {
    env: {
      DOLLAMA_DOWNLOAD_URL: server.url,
      ...(target === undefined ? {} : { DOLLAMA_UPGRADE_TARGET: target }),
    },
  });
}

Deno.test({
  name: "dollama upgrade installs the newer release",
  ignore,
  fn: () =>
    scenario([{ version: VERSION }, { version: NEWER }], async (server, target) => {
      const before = await Deno.stat(target);
      const out = await upgrade(server, target);
      assertEquals(out.code, 0, out.stderr);
      assertEquals(out.stdout, `dollama upgraded from ${VERSION} to ${NEWER} (${target})\n`);
      assertStringIncludes(
        out.stderr,
        `Downloading ${server.url}/download/v${NEWER}/${assetName(HOST_TARGET!)}`,
      );
      assertEquals(await versionOf(target), `dollama version ${NEWER} (${HOST_TARGET})`);
      // Replaced by a rename: a new file, still executable, nothing left beside it.
      const after = await Deno.stat(target);
      assert(after.ino !== before.ino, "the new binary was renamed into place");
      assertEquals((after.mode ?? 0) & 0o777, 0o755);
      assertEquals(await listDir(dirname(target)), ["dollama"]);
    }),
});

Deno.test({
  name: "dollama upgrade says so when already current",
  ignore,
  fn: () =>
    scenario([{ version: OLDER }, { version: VERSION }], async (server, target) => {
      const before = await Deno.readTextFile(target);
      const out = await upgrade(server, target);
      assertEquals(out.code, 0, out.stderr);
      assertEquals(out.stdout, `dollama ${VERSION} is already the newest release\n`);
      assertEquals(await Deno.readTextFile(target), before);
      assertEquals(server.archiveRequests(), [], "nothing is downloaded");
      assertEquals(server.requests, ["/acme/dollama/releases/latest"]);
    }),
});

Deno.test({
  name: "dollama upgrade leaves the old binary untouched on a bad checksum",
  ignore,
  fn: () =>
    scenario([{ version: NEWER, badChecksums: true }], async (server, target) => {
      const before = await Deno.readTextFile(target);
      const out = await upgrade(server, target);
      assertEquals(out.code, 1);
      assertMatch(
        out.stderr,
        new RegExp(
          `Error: checksum mismatch for ${assetName(HOST_TARGET!).replaceAll(".", "\\.")}: ` +
            `expected [0-9a-f]{64}, got [0-9a-f]{64}; ${target} was left unchanged\n$`,
        ),
      );
      assertEquals(out.stdout, "");
      assertEquals(await Deno.readTextFile(target), before);
      assertEquals(await versionOf(target), `dollama version ${VERSION}`);
      assertEquals(await listDir(dirname(target)), ["dollama"]);
    }),
});

Deno.test({
  name: "dollama upgrade --version installs that release, even an older one",
  ignore,
  fn: () =>
    scenario(
      [{ version: OLDER }, { version: VERSION }, { version: NEWER }],
      async (server, target) => {
        // `--version V`, `--version=V` and a bare `V` all pin; the v is optional.
        for (const args of [["--version", `v${OLDER}`], [`--version=${OLDER}`], [OLDER]]) {
          await fakeInstalled(dirname(target), "dollama", VERSION);
          const out = await upgrade(server, target, args);
          assertEquals(out.code, 0, `${args}: ${out.stderr}`);
          assertEquals(out.stdout, `dollama upgraded from ${VERSION} to ${OLDER} (${target})\n`);
          assertEquals(await versionOf(target), `dollama version ${OLDER} (${HOST_TARGET})`);
        }
        assert(
          !server.requests.includes("/acme/dollama/releases/latest"),
          "no lookup of the newest",
        );

        const same = await upgrade(server, target, ["--version", VERSION]);
        assertEquals(same.code, 0, same.stderr);
        assertEquals(same.stdout, `dollama ${VERSION} is already installed\n`);

        const bare = await upgrade(server, target, ["--version"]);
        assertEquals(bare.code, 1);
        assertStringIncludes(bare.stderr, "Error: option '--version <V>' argument missing");

        const bogus = await upgrade(server, target, ["--version", "latest-ish"]);
        assertEquals(bogus.code, 1);
        assertStringIncludes(bogus.stderr, 'Error: invalid version "latest-ish"');

        const missing = await upgrade(server, target, ["--version", "v9.9.9"]);
        assertEquals(missing.code, 1);
        assertStringIncludes(
          missing.stderr,
          `Error: release v9.9.9 has no SHA256SUMS (${server.url}/download/v9.9.9/SHA256SUMS: HTTP 404)`,
        );
      },
    ),
});

Deno.test({
  name: "dollama upgrade reports a release without a build for this platform",
  ignore,
  fn: () =>
    scenario([{ version: NEWER, without: [HOST_TARGET!] }], async (server, target) => {
      const before = await Deno.readTextFile(target);
      const out = await upgrade(server, target);
      assertEquals(out.code, 1);
      assertStringIncludes(
        out.stderr,
        `Error: release v${NEWER} has no build for ${HOST_TARGET}`,
      );
      assertEquals(await Deno.readTextFile(target), before);
    }),
});

Deno.test({
  name: "dollama upgrade does not install a binary that does not run",
  ignore,
  fn: () =>
    scenario([{
      version: NEWER,
      binary: () => "#!/bin/sh\necho 'Illegal instruction' >&2\nexit 132\n",
    }], async (server, target) => {
      const before = await Deno.readTextFile(target);
      const out = await upgrade(server, target);
      assertEquals(out.code, 1);
      assertStringIncludes(
        out.stderr,
        `Error: the downloaded dollama did not report version ${NEWER} (it said: Illegal instruction)`,
      );
      assertEquals(await Deno.readTextFile(target), before);
      assertEquals(await listDir(dirname(target)), ["dollama"]);
    }),
});

Deno.test({
  name: "dollama upgrade says when the running version is newer than the newest release",
  ignore,
  fn: () =>
    scenario([{ version: OLDER }], async (server, target) => {
      const out = await upgrade(server, target);
      assertEquals(out.code, 0, out.stderr);
      assertEquals(
        out.stdout,
        `dollama ${VERSION} is newer than the newest release (${OLDER}); nothing to do\n`,
      );
      assertEquals(server.archiveRequests(), []);
    }),
});

Deno.test("dollama upgrade explains what to do when running from source", async () => {
  const server = await ReleaseServer.start([{ version: NEWER }]);
  try {
    const out = await upgrade(server, undefined);
    assertEquals(out.code, 1);
    assertStringIncludes(out.stderr, "dollama is running from source");
    assertStringIncludes(out.stderr, "git pull && deno install --frozen");
    assertStringIncludes(out.stderr, `${server.url}/latest/download/install.`);
    assert(out.stderr.endsWith("Error: nothing to upgrade when running from source\n"), out.stderr);
    assertEquals(out.stdout, "");
    assertEquals(server.requests, [], "running from source contacts nobody");
  } finally {
    await server.close();
  }
});

Deno.test({
  name: "dollama upgrade names a server without releases",
  ignore,
  fn: () =>
    scenario([], async (server, target) => {
      const out = await upgrade(server, target);
      assertEquals(out.code, 1);
      assertStringIncludes(
        out.stderr,
        `Error: no releases found at ${server.url} (${server.url}/latest: HTTP 404)`,
      );
    }),
});

Deno.test({
  name: "dollama upgrade names an unreachable release server",
  ignore,
  fn: async () => {
    const server = await ReleaseServer.start([]);
    const url = server.url;
    await server.close(); // nothing listens there any more
    const dir = tempDir("dollama-install-");
    const target = await fakeInstalled(dir, "dollama", VERSION);
    const out = await runCli(["upgrade"], {
      env: { DOLLAMA_DOWNLOAD_URL: url, DOLLAMA_UPGRADE_TARGET: target },
    });
    assertEquals(out.code, 1);
    assertStringIncludes(out.stderr, `Error: could not reach ${url}/latest: `);
    assertEquals(await versionOf(target), `dollama version ${VERSION}`);
  },
});
