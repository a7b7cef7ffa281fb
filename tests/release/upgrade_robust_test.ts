/**
 * `dollama upgrade` when things go wrong on the way: a server that stops answering, an upgrade
 * killed while it checks the new binary, and a new binary that reports a version that only looks
 * like the wanted one.
 */
import { dirname, join } from "node:path";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { type FakeRelease, ReleaseServer } from "../support/release_server.ts";
import { testIo } from "../support/test_io.ts";
import { createContext } from "../../lib/context.ts";
import { CliError } from "../../lib/errors.ts";
import { reportedVersion, type Runtime, upgradeCommand } from "../../lib/commands/upgrade.ts";
import { parseVersion } from "../../lib/release/version.ts";
import { VERSION } from "../../lib/version.ts";
import { fakeInstalled, HOST_TARGET, listDir, POSIX, tempDir, versionOf } from "./helpers.ts";

const ignore = !POSIX || HOST_TARGET === undefined;
const current = parseVersion(VERSION)!;
const NEWER = `${current.major}.${current.minor + 1}.0`;

Deno.test("reportedVersion reads the whole version from the first line only", () => {
  assertEquals(reportedVersion("dollama version 0.2.0\n"), "0.2.0");
  assertEquals(reportedVersion("dollama version 0.2.0 (x86_64-apple-darwin)\n"), "0.2.0");
  assertEquals(
    reportedVersion("dollama version 0.2.0\r\nollama server version is 0.12\n"),
    "0.2.0",
  );
  assertEquals(reportedVersion("dollama version 0.2.0-rc.1\n"), "0.2.0-rc.1");
  assertEquals(reportedVersion("dollama version 10.2.0\n"), "10.2.0");
  assertEquals(reportedVersion("Warning: no server\ndollama version 0.2.0\n"), undefined);
  assertEquals(reportedVersion("dollama version\n"), undefined);
  assertEquals(reportedVersion(""), undefined);
});

for (const said of [`${NEWER}-rc.1`, `1${NEWER}`, `${NEWER}.1`]) {
  Deno.test({
    name: `dollama upgrade to ${NEWER} refuses a binary that says ${said}`,
    ignore,
    fn: async () => {
      const server = await ReleaseServer.start([{
        version: NEWER,
        binary: () => `#!/bin/sh\necho "dollama version ${said}"\n`,
      }]);
      try {
        const dir = tempDir("dollama-install-");
        const target = await fakeInstalled(dir, "dollama", VERSION);
        const out = await runCli(["upgrade"], {
          env: { DOLLAMA_DOWNLOAD_URL: server.url, DOLLAMA_UPGRADE_TARGET: target },
        });
        assertEquals(out.code, 1, out.stdout);
        assertStringIncludes(
          out.stderr,
          `Error: the downloaded dollama did not report version ${NEWER} ` +
            `(it said: dollama version ${said})`,
        );
        assertEquals(await versionOf(target), `dollama version ${VERSION}`);
        assertEquals(await listDir(dir), ["dollama"]);
      } finally {
        await server.close();
      }
    },
  });
}

/**
 * A release server that answers `<base>/latest` and SHA256SUMS at once but stalls where told:
 * on `/latest` itself, or in the middle of the archive's body. Stalled answers are let go when
 * the server closes.
 */
class StallingServer {
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #release: (() => void)[] = [];

  constructor(stall: "latest" | "archive") {
    const asset = "dollama-x86_64-unknown-linux-gnu.tar.gz";
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/r/latest") {
        if (stall === "latest") {
          return new Promise((resolve) =>
            this.#release.push(() => resolve(new Response("late", { status: 500 })))
          );
        }
        return Response.redirect(new URL(`/r/tag/v${NEWER}`, req.url), 302);
      }
      if (path === `/r/download/v${NEWER}/SHA256SUMS`) {
        return new Response(`${"0".repeat(64)}  ${asset}\n`);
      }
      if (path === `/r/download/v${NEWER}/${asset}`) {
        const body = new ReadableStream<Uint8Array>({
          start: (controller) => {
            controller.enqueue(new Uint8Array([0x1f, 0x8b, 8, 0]));
            this.#release.push(() => controller.close());
          },
        });
        return new Response(body);
      }
      return new Response("Not Found", { status: 404 });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}/r`;
  }

  async close(): Promise<void> {
    for (const release of this.#release) release();
    await this.#server.shutdown();
  }
}

async function upgradeInProcess(base: string, target: string): Promise<unknown> {
  const io = testIo({ env: { DOLLAMA_DOWNLOAD_URL: base, DOLLAMA_UPGRADE_TARGET: target } });
  const runtime: Runtime = {
    execPath: "/usr/bin/deno",
    standalone: false,
    probe: () => Promise.reject(new Error("the test never gets this far")),
    stallTimeoutMs: 200,
  };
  return await assertRejects(
    () => upgradeCommand(createContext(io, new AbortController().signal), {}, runtime),
    (err) => assert(err instanceof CliError, String(err)),
  );
}

Deno.test({
  name: "dollama upgrade gives up on a server that never answers",
  ignore: !POSIX,
  fn: async () => {
    const server = new StallingServer("latest");
    try {
      const dir = tempDir("dollama-install-");
      const target = await fakeInstalled(dir, "dollama", VERSION);
      const err = await upgradeInProcess(server.url, target) as CliError;
      assertEquals(err.message, `could not reach ${server.url}/latest: no answer within 200 ms`);
      assertEquals(await versionOf(target), `dollama version ${VERSION}`);
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "dollama upgrade gives up on a download that stops moving",
  ignore: !POSIX,
  fn: async () => {
    const server = new StallingServer("archive");
    try {
      const dir = tempDir("dollama-install-");
      const target = await fakeInstalled(dir, "dollama", VERSION);
      const err = await upgradeInProcess(server.url, target) as CliError;
      assertEquals(
        err.message,
        `downloading ${server.url}/download/v${NEWER}/dollama-x86_64-unknown-linux-gnu.tar.gz ` +
          "failed: the server sent nothing for 200 ms",
      );
      assertEquals(await listDir(dir), ["dollama"]);
    } finally {
      await server.close();
    }
  },
});

/** Polls until `check` holds, failing after `ms`. */
async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

Deno.test({
  name: "dollama upgrade removes what a killed upgrade left next to the binary",
  ignore,
  fn: async () => {
    const dir = tempDir("dollama-install-");
    const target = await fakeInstalled(dir, "dollama", VERSION);
    const pidFile = join(tempDir("dollama-probe-"), "pid");
    // A new binary whose `--version` hangs: the upgrade is killed while it waits for it.
    const hanging: FakeRelease = {
      version: NEWER,
      binary: () => `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 60\n`,
    };
    const first = await ReleaseServer.start([hanging]);
    try {
      const out = await runCli(["upgrade"], {
        env: { DOLLAMA_DOWNLOAD_URL: first.url, DOLLAMA_UPGRADE_TARGET: target },
        onSpawn: async (child) => {
          await waitFor("the probe of the staged binary", async () => {
            try {
              return (await Deno.readTextFile(pidFile)).trim() !== "";
            } catch {
              return false;
            }
          });
          child.kill("SIGKILL");
        },
      });
      assertEquals(out.code, 137);
    } finally {
      const pid = Number((await Deno.readTextFile(pidFile)).trim());
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
      await first.close();
    }
    const left = (await listDir(dir)).filter((name) => name !== "dollama");
    assertEquals(left.length, 1, "the killed upgrade left its staged binary");
    assert(left[0].startsWith(".dollama.upgrade-"), left[0]);

    // The next upgrade clears it away and completes.
    const second = await ReleaseServer.start([{ version: NEWER }]);
    try {
      const out = await runCli(["upgrade"], {
        env: { DOLLAMA_DOWNLOAD_URL: second.url, DOLLAMA_UPGRADE_TARGET: target },
      });
      assertEquals(out.code, 0, out.stderr);
      assertEquals(await listDir(dirname(target)), ["dollama"]);
      assertEquals(await versionOf(target), `dollama version ${NEWER} (${HOST_TARGET})`);
    } finally {
      await second.close();
    }
  },
});
