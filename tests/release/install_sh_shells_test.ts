/**
 * install.sh under every POSIX shell users have as `sh`, in the C locale, piped (`curl … | SHELL
 * -s -- ARGS`) and as a file with no arguments at all (the case posh's `set -u` broke). A shell
 * that is not installed here is skipped, not failed; .ci/run installs them from Debian's packages.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { ReleaseServer } from "../support/release_server.ts";
import {
  HOST_TARGET,
  INSTALL_SH,
  installEnv,
  onPath,
  POSIX,
  run,
  tempDir,
  versionOf,
} from "./helpers.ts";

/** [label, program, arguments before the script, whether it takes `-s -- ARGS` on a pipe]. */
const SHELLS: [string, string, string[], boolean][] = [
  ["dash", "dash", [], true],
  ["bash", "bash", [], true],
  ["bash --posix", "bash", ["--posix"], true],
  ["busybox sh", "busybox", ["sh"], true],
  ["mksh", "mksh", [], true],
  ["ksh", "ksh", [], true],
  ["zsh", "zsh", [], true],
  // posh has no -s; piped, it takes its settings from the environment.
  ["posh", "posh", [], false],
  ["yash", "yash", [], true],
];

Deno.test("install.sh is plain ASCII (yash rejects other bytes in the C locale)", async () => {
  const bytes = await Deno.readFile(INSTALL_SH);
  const at = bytes.findIndex((b) => b > 0x7e || (b < 0x20 && b !== 0x0a));
  assertEquals(at, -1, `byte ${bytes[at]} at offset ${at}`);
});

for (const [label, program, before, dashS] of SHELLS) {
  Deno.test({
    name: `install.sh under ${label}, piped and as a file`,
    ignore: !POSIX || HOST_TARGET === undefined || !onPath(program) || !onPath("curl"),
    fn: async () => {
      const server = await ReleaseServer.start([{ version: "0.2.0" }, { version: "0.3.0" }]);
      try {
        const shell = [program, ...before].join(" ");
        const locale = { LC_ALL: "C", LANG: "C" };

        const piped = join(tempDir("dollama-bin-"), "bin");
        const fetch = `curl -fsSL "$DOLLAMA_DOWNLOAD_URL/latest/download/install.sh"`;
        const out = await run(
          "sh",
          [
            "-c",
            dashS
              ? `${fetch} | ${shell} -s -- --dir "$DOLLAMA_INSTALL_DIR" --version "$DOLLAMA_VERSION"`
              : `${fetch} | ${shell}`,
          ],
          installEnv({
            DOLLAMA_DOWNLOAD_URL: server.url,
            DOLLAMA_INSTALL_DIR: piped,
            DOLLAMA_VERSION: "v0.2.0",
            ...locale,
          }),
        );
        assertEquals(out.code, 0, `${label}: ${out.stderr}`);
        assertEquals(out.stderr, "");
        assertEquals(
          await versionOf(join(piped, "dollama")),
          `dollama version 0.2.0 (${HOST_TARGET})`,
        );

        // As a file, with no arguments: the place and version come from the environment.
        const home = tempDir("dollama-home-");
        const file = await run(
          program,
          [...before, INSTALL_SH],
          installEnv({ HOME: home, DOLLAMA_DOWNLOAD_URL: server.url, ...locale }),
        );
        assertEquals(file.code, 0, `${label}: ${file.stderr}`);
        assertEquals(file.stderr, "");
        assert(file.stdout.includes(`Installed dollama to ${home}/.local/bin/dollama\n`));
        assertEquals(
          await versionOf(join(home, ".local", "bin", "dollama")),
          `dollama version 0.3.0 (${HOST_TARGET})`,
        );
      } finally {
        await server.close();
      }
    },
  });
}
