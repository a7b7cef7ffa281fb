/**
 * install.sh on the machines and in the hands that broke it before: a directory where the binary
 * goes, `--dir=~/bin`, an exported CDPATH, 32-bit ARM, no curl and no SHA-256 tool but openssl,
 * an empty environment; and what it prints after installing (no contact with Ollama, how to
 * check the build's provenance). Each runs against the local release server.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { withReleaseServer } from "../support/release_server.ts";
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
  name: "install.sh refuses to install when DIR/dollama is a directory",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const dir = tempDir("dollama-bin-");
      await Deno.mkdir(join(dir, "dollama"));
      await Deno.writeTextFile(join(dir, "dollama", "keep"), "mine");
      const out = await installSh(["--dir", dir], installEnv({ DOLLAMA_DOWNLOAD_URL: server.url }));
      assertEquals(out.code, 1, out.stdout);
      assertStringIncludes(
        out.stderr,
        `dollama install: error: ${dir}/dollama is a directory; remove it or choose another directory with --dir DIR\n`,
      );
      assert(!out.stdout.includes("Installed"), out.stdout);
      assertEquals(await listDir(dir), ["dollama"]);
      assertEquals(await listDir(join(dir, "dollama")), ["keep"]);
    }),
});

Deno.test({
  name: "install.sh expands a leading ~ in --dir=~/bin and DOLLAMA_INSTALL_DIR",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const cases: [string[], Record<string, string>][] = [
        [["--dir=~/bin"], {}],
        [["--dir", "~/bin"], {}],
        [[], { DOLLAMA_INSTALL_DIR: "~/bin" }],
      ];
      for (const [args, env] of cases) {
        const home = tempDir("dollama-home-");
        const cwd = tempDir("dollama-cwd-");
        const out = await run(
          "sh",
          [INSTALL_SH, ...args],
          installEnv({ HOME: home, DOLLAMA_DOWNLOAD_URL: server.url, ...env }),
          undefined,
          cwd,
        );
        assertEquals(out.code, 0, out.stderr);
        assertStringIncludes(out.stdout, `Installed dollama to ${home}/bin/dollama\n`);
        assertEquals(await listDir(join(home, "bin")), ["dollama"]);
        assertEquals(await listDir(cwd), [], "nothing under ./~");
      }
    }),
});

Deno.test({
  name: "install.sh resolves a relative --dir from the working directory despite CDPATH",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const cwd = tempDir("dollama-cwd-");
      // A CDPATH entry holding a `bin` of its own: `cd bin` would go there and print it.
      const elsewhere = tempDir("dollama-cdpath-");
      await Deno.mkdir(join(elsewhere, "bin"));
      await Deno.mkdir(join(cwd, "bin"));
      const out = await run(
        "sh",
        [INSTALL_SH, "--dir", "bin"],
        installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, CDPATH: elsewhere }),
        undefined,
        cwd,
      );
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(out.stdout, `Installed dollama to ${cwd}/bin/dollama\n`);
      assertEquals(await listDir(join(cwd, "bin")), ["dollama"]);
      assertEquals(await listDir(join(elsewhere, "bin")), []);
    }),
});

Deno.test({
  name: "install.sh refuses 32-bit ARM (armv8l, armv7l) instead of taking it for aarch64",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      for (const arch of ["armv8l", "armv7l"]) {
        const dir = join(tempDir("dollama-bin-"), "bin");
        const out = await installSh(
          ["--dir", dir],
          installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, DOLLAMA_OS: "Linux", DOLLAMA_ARCH: arch }),
        );
        assertEquals(out.code, 1, out.stdout);
        assertStringIncludes(
          out.stderr,
          `unsupported architecture: ${arch} on Linux (dollama has builds for x86_64 and aarch64)`,
        );
        assertEquals(await exists(dir), false);
      }
      assertEquals(server.requests, []);
    }),
});

Deno.test({
  name: "install.sh verifies with openssl when sha256sum and shasum are missing",
  ignore: ignore || Deno.build.os !== "linux" || !onPath("openssl"),
  fn: () =>
    withReleaseServer(
      [{ version: "0.3.0" }, { version: "0.4.0", badChecksums: true }],
      async (server) => {
        const tools = pathWithout(["sha256sum", "shasum"]);
        const env = installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, PATH: tools });
        const dir = tempDir("dollama-bin-");
        const good = await run(
          join(tools, "sh"),
          [INSTALL_SH, "--dir", dir, "--version", "0.3.0"],
          env,
        );
        assertEquals(good.code, 0, good.stderr);
        assertEquals(
          await versionOf(join(dir, "dollama")),
          `dollama version 0.3.0 (${HOST_TARGET})`,
        );
        // The fallback really checks: a wrong digest is still refused.
        const bad = await run(
          join(tools, "sh"),
          [INSTALL_SH, "--dir", dir, "--version", "0.4.0"],
          env,
        );
        assertEquals(bad.code, 1);
        assertStringIncludes(bad.stderr, "checksum mismatch for ");
        assertEquals(
          await versionOf(join(dir, "dollama")),
          `dollama version 0.3.0 (${HOST_TARGET})`,
        );
      },
    ),
});

Deno.test({
  name: "install.sh with no SHA-256 tool at all refuses to install",
  ignore: ignore || Deno.build.os !== "linux",
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const tools = pathWithout(["sha256sum", "shasum", "openssl"]);
      const dir = tempDir("dollama-bin-");
      const out = await run(
        join(tools, "sh"),
        [INSTALL_SH, "--dir", dir],
        installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, PATH: tools }),
      );
      assertEquals(out.code, 1);
      assertStringIncludes(
        out.stderr,
        "no SHA-256 tool found (sha256sum, shasum or openssl); cannot verify the download",
      );
      assertEquals(await listDir(dir), []);
    }),
});

Deno.test({
  name: "install.sh works in an empty environment",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const dir = tempDir("dollama-bin-");
      // No PATH, HOME, TMPDIR or locale: only the server, as `env -i` would leave it.
      const out = await run("/bin/sh", [INSTALL_SH, "--dir", dir], {
        DOLLAMA_DOWNLOAD_URL: server.url,
      });
      assertEquals(out.code, 0, out.stderr);
      assertEquals(await versionOf(join(dir, "dollama")), `dollama version 0.3.0 (${HOST_TARGET})`);

      // Without HOME, the default directory cannot be found: it says what to do instead.
      const noHome = await run("/bin/sh", [INSTALL_SH], { DOLLAMA_DOWNLOAD_URL: server.url });
      assertEquals(noHome.code, 1);
      assertStringIncludes(noHome.stderr, "HOME is not set; choose a directory with --dir DIR");
    }),
});

/**
 * A dollama that names the OLLAMA_HOST it was given on its version line, then prints a second
 * line and warns, as a real one does when no server answers.
 */
const chattyDollama = (version: string) =>
  `#!/bin/sh\necho "dollama version ${version} (asked $OLLAMA_HOST)"\n` +
  `echo "ollama server version is 0.12.0"\n` +
  `echo "Warning: could not connect to a running Ollama instance" >&2\n`;

Deno.test({
  name: "install.sh checks the installed binary without contacting Ollama",
  ignore,
  fn: () =>
    withReleaseServer(
      [{ version: "0.3.0", binary: () => chattyDollama("0.3.0") }],
      async (server) => {
        const dir = tempDir("dollama-bin-");
        const out = await installSh(
          ["--dir", dir],
          installEnv({ DOLLAMA_DOWNLOAD_URL: server.url, OLLAMA_HOST: "192.0.2.1:11434" }),
        );
        assertEquals(out.code, 0, out.stderr);
        // The user's OLLAMA_HOST was replaced by a port where nothing listens; only the version
        // line is shown, and no warning about a missing server.
        assertStringIncludes(
          out.stdout,
          `Installed dollama to ${dir}/dollama\ndollama version 0.3.0 (asked 127.0.0.1:0)\n`,
        );
        assert(!out.stdout.includes("server version"), out.stdout);
        assertEquals(out.stderr, "");
      },
    ),
});

Deno.test({
  name: "install.sh shows the binary's own error when it does not run",
  ignore,
  fn: () =>
    withReleaseServer([{
      version: "0.3.0",
      binary: () => "#!/bin/sh\necho 'cannot execute: Exec format error' >&2\nexit 126\n",
    }], async (server) => {
      const dir = tempDir("dollama-bin-");
      const out = await installSh(["--dir", dir], installEnv({ DOLLAMA_DOWNLOAD_URL: server.url }));
      assertEquals(out.code, 0, out.stderr);
      assertEquals(
        out.stderr,
        `dollama install: warning: ${dir}/dollama was installed but does not run on this machine:\n` +
          "cannot execute: Exec format error\n",
      );
    }),
});

Deno.test({
  name: "install.sh says how to verify the build's provenance",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const dir = tempDir("dollama-bin-");
      const out = await installSh(["--dir", dir], installEnv({ DOLLAMA_DOWNLOAD_URL: server.url }));
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(
        out.stdout,
        `Verified dollama-${HOST_TARGET}.tar.gz against the release's SHA256SUMS. ` +
          "To check where it was built (GitHub CLI):\n" +
          `  gh attestation verify ${dir}/dollama --repo acme/dollama\n`,
      );
    }),
});
