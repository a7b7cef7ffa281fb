/**
 * install.sh run the way users run it (`curl … | sh -s -- …`, or `sh install.sh …`) against a
 * local release server with small fake archives. The fake `dollama` is a shell script, so these
 * run where there is a POSIX shell: Linux and macOS.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { withReleaseServer } from "../support/release_server.ts";
import { assetName } from "../../lib/release/targets.ts";
import {
  exists,
  HOST_TARGET,
  INSTALL_SH,
  installEnv,
  installSh,
  listDir,
  onPath,
  pathWithout,
  POSIX,
  run,
  tempDir,
  versionOf,
} from "./helpers.ts";

const ignore = !POSIX || HOST_TARGET === undefined;

Deno.test({
  name: "install.sh installs the newest release through curl | sh",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.2.0" }, { version: "0.3.0" }], async (server) => {
      const home = tempDir("dollama-home-");
      const dir = join(home, "bin");
      const out = await run("sh", [
        "-c",
        `curl -fsSL "$DOLLAMA_DOWNLOAD_URL/latest/download/install.sh" | sh -s -- --dir "$1"`,
        "sh",
        dir,
      ], installEnv({ HOME: home, DOLLAMA_DOWNLOAD_URL: server.url }));

      assertEquals(out.code, 0, out.stderr);
      assertEquals(await listDir(dir), ["dollama"]);
      const info = await Deno.stat(join(dir, "dollama"));
      assert(info.mode !== null && (info.mode & 0o111) === 0o111, "dollama is executable");
      assertEquals(await versionOf(join(dir, "dollama")), `dollama version 0.3.0 (${HOST_TARGET})`);
      // It says what it installed, where, and prints the version the binary reports.
      assertStringIncludes(out.stdout, `Installed dollama to ${dir}/dollama`);
      assertStringIncludes(out.stdout, `dollama version 0.3.0 (${HOST_TARGET})`);
      // The directory is not on PATH, so it explains how to put it there.
      assertStringIncludes(out.stdout, `${dir} is not on your PATH`);
      assertStringIncludes(out.stdout, `export PATH="${dir}:$PATH"`);
      assertEquals(server.archiveRequests(), [
        `/acme/dollama/releases/download/v0.3.0/${assetName(HOST_TARGET!)}`,
      ]);
      // No leftovers in the temp dir's place either: the run cleaned up after itself.
      assertEquals(out.stderr, "");
    }),
});

Deno.test({
  name: "install.sh handles a checksum mismatch",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0", badChecksums: true }], async (server) => {
      const home = tempDir("dollama-home-");
      const dir = join(home, ".local", "bin");
      // An earlier install that must survive.
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(join(dir, "dollama"), "#!/bin/sh\necho old\n", { mode: 0o755 });

      const out = await installSh([], installEnv({ HOME: home, DOLLAMA_DOWNLOAD_URL: server.url }));

      assertEquals(out.code, 1, out.stdout);
      assertMatch(
        out.stderr,
        /checksum mismatch for dollama-\S+: expected [0-9a-f]{64}, got [0-9a-f]{64}; nothing was installed/,
      );
      assertEquals(await listDir(dir), ["dollama"]);
      assertEquals(await Deno.readTextFile(join(dir, "dollama")), "#!/bin/sh\necho old\n");
    }),
});

Deno.test({
  name: "install.sh refuses an unsupported platform with a clear error",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const cases: [Record<string, string>, RegExp][] = [
        [
          { DOLLAMA_OS: "FreeBSD", DOLLAMA_ARCH: "amd64" },
          /unsupported operating system: FreeBSD \(dollama has builds for Linux, macOS and Windows\)/,
        ],
        [
          { DOLLAMA_OS: "Linux", DOLLAMA_ARCH: "riscv64" },
          /unsupported architecture: riscv64 on Linux \(dollama has builds for x86_64 and aarch64\)/,
        ],
        [
          { DOLLAMA_OS: "Darwin", DOLLAMA_ARCH: "i386" },
          /unsupported architecture: i386 on Darwin/,
        ],
        [
          { DOLLAMA_OS: "MINGW64_NT-10.0-22631", DOLLAMA_ARCH: "x86_64" },
          /this is Windows .*install with PowerShell instead:\n\s+irm http:\/\/127\.0\.0\.1:\d+\/acme\/dollama\/releases\/latest\/download\/install\.ps1 \| iex/s,
        ],
      ];
      for (const [platform, message] of cases) {
        const home = tempDir("dollama-home-");
        const out = await installSh(
          [],
          installEnv({ HOME: home, DOLLAMA_DOWNLOAD_URL: server.url, ...platform }),
        );
        assertEquals(out.code, 1, JSON.stringify(platform));
        assertMatch(out.stderr, message);
        assertEquals(await exists(join(home, ".local")), false);
      }
      assertEquals(server.requests, [], "nothing is downloaded for an unsupported platform");
    }),
});

Deno.test({
  name: "install.sh maps uname names to the release target",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const cases: [string, string, string][] = [
        ["Linux", "x86_64", "x86_64-unknown-linux-gnu"],
        ["Linux", "amd64", "x86_64-unknown-linux-gnu"],
        ["Linux", "aarch64", "aarch64-unknown-linux-gnu"],
        ["Linux", "arm64", "aarch64-unknown-linux-gnu"],
        ["Darwin", "x86_64", "x86_64-apple-darwin"],
        ["Darwin", "arm64", "aarch64-apple-darwin"],
      ];
      for (const [os, arch, target] of cases) {
        const dir = tempDir("dollama-bin-");
        const out = await installSh(
          ["--dir", dir],
          installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, DOLLAMA_OS: os, DOLLAMA_ARCH: arch }),
        );
        assertEquals(out.code, 0, out.stderr);
        assertStringIncludes(out.stdout, `Downloading the newest dollama for ${target}`);
        assertEquals(await versionOf(join(dir, "dollama")), `dollama version 0.3.0 (${target})`);
      }
    }),
});

Deno.test({
  name: "install.sh reports a release without this platform's archive",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0", without: ["aarch64-apple-darwin"] }], async (server) => {
      const dir = join(tempDir("dollama-bin-"), "bin");
      const out = await installSh(
        ["--dir", dir],
        installEnv({
          DOLLAMA_DOWNLOAD_URL: server.url,
          DOLLAMA_OS: "Darwin",
          DOLLAMA_ARCH: "arm64",
        }),
      );
      assertEquals(out.code, 1);
      assertStringIncludes(
        out.stderr,
        `could not download ${server.url}/latest/download/dollama-aarch64-apple-darwin.tar.gz ` +
          "(the newest release has no build for aarch64-apple-darwin, or the download failed)",
      );
      assertEquals(await exists(dir), false);
    }),
});

Deno.test({
  name: "install.sh installs a pinned version",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.2.0" }, { version: "0.3.0" }], async (server) => {
      // --version with and without the v, and DOLLAMA_VERSION; DOLLAMA_INSTALL_DIR as the place.
      const forms: [string[], Record<string, string>][] = [
        [["--version", "v0.2.0"], {}],
        [["--version=0.2.0"], {}],
        [[], { DOLLAMA_VERSION: "v0.2.0" }],
      ];
      for (const [args, env] of forms) {
        const dir = join(tempDir("dollama-bin-"), "tools");
        const before = server.archiveRequests().length;
        const out = await installSh(
          args,
          installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, DOLLAMA_INSTALL_DIR: dir, ...env }),
        );
        assertEquals(out.code, 0, out.stderr);
        assertStringIncludes(out.stdout, `Downloading dollama v0.2.0 for ${HOST_TARGET}`);
        assertEquals(
          await versionOf(join(dir, "dollama")),
          `dollama version 0.2.0 (${HOST_TARGET})`,
        );
        assertEquals(server.archiveRequests().slice(before), [
          `/acme/dollama/releases/download/v0.2.0/${assetName(HOST_TARGET!)}`,
        ]);
      }
      // A version that was never released.
      const dir = tempDir("dollama-bin-");
      const out = await installSh(
        ["--version", "v9.9.9", "--dir", dir],
        installEnv({ DOLLAMA_DOWNLOAD_URL: server.url }),
      );
      assertEquals(out.code, 1);
      assertStringIncludes(out.stderr, "is there a release v9.9.9 at");
      assertEquals(await listDir(dir), []);
    }),
});

Deno.test({
  name: "install.sh can run twice",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.2.0" }, { version: "0.3.0" }], async (server) => {
      const dir = tempDir("dollama-bin-");
      const env = installEnv({
        DOLLAMA_DOWNLOAD_URL: server.url,
        PATH: `${dir}:${Deno.env.get("PATH")}`,
      });
      for (let i = 0; i < 2; i++) {
        const out = await installSh(["--dir", dir], env);
        assertEquals(out.code, 0, out.stderr);
        assertEquals(await listDir(dir), ["dollama"]);
        assertEquals(
          await versionOf(join(dir, "dollama")),
          `dollama version 0.3.0 (${HOST_TARGET})`,
        );
        // The directory is on PATH here, so there is no PATH advice.
        assert(!out.stdout.includes("not on your PATH"), out.stdout);
      }
      // And over an existing install, a pinned older version replaces it.
      const out = await installSh(["--dir", dir, "--version", "0.2.0"], env);
      assertEquals(out.code, 0, out.stderr);
      assertEquals(await listDir(dir), ["dollama"]);
      assertEquals(await versionOf(join(dir, "dollama")), `dollama version 0.2.0 (${HOST_TARGET})`);
    }),
});

Deno.test({
  name: "install.sh downloads with wget when curl is missing",
  ignore: ignore || Deno.build.os !== "linux" || !onPath("wget"),
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const tools = pathWithout(["curl"]);
      const dir = tempDir("dollama-bin-");
      const out = await run(join(tools, "sh"), [
        INSTALL_SH,
        "--dir",
        dir,
      ], installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, PATH: tools }));
      assertEquals(out.code, 0, out.stderr);
      assertEquals(await versionOf(join(dir, "dollama")), `dollama version 0.3.0 (${HOST_TARGET})`);
      assertEquals(server.archiveRequests().length, 1);
    }),
});
