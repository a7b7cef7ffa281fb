/**
 * install.ps1 under Windows PowerShell against the local release server. Windows only: these
 * run on the windows-latest CI runner (and are ignored elsewhere). The fake dollama.exe is not
 * a real program, so the script's closing `dollama --version` only warns; the tests compare the
 * installed bytes instead.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { fakeDollama, withReleaseServer } from "../support/release_server.ts";
import { INSTALL_PS1, listDir, type Run } from "./helpers.ts";

const ignore = Deno.build.os !== "windows";
const TARGET = "x86_64-pc-windows-msvc";

async function installPs1(args: string[], env: Record<string, string>): Promise<Run> {
  const inherited = Deno.env.toObject();
  for (const name of Object.keys(inherited)) {
    if (name.toUpperCase().startsWith("DOLLAMA_")) delete inherited[name];
  }
  const out = await new Deno.Command("powershell.exe", {
    args: [
      "-NoProfile",
      "-NonInteractive",
      "-ExecutionPolicy",
      "Bypass",
      "-File",
      INSTALL_PS1,
      ...args,
    ],
    env: { ...inherited, ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

const installed = async (dir: string) => await Deno.readTextFile(join(dir, "dollama.exe"));

Deno.test({
  name: "install.ps1 installs the newest release",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.2.0" }, { version: "0.3.0" }], async (server) => {
      const dir = join(await Deno.makeTempDir({ prefix: "dollama-bin-" }), "bin");
      const out = await installPs1(["-Dir", dir], { DOLLAMA_DOWNLOAD_URL: server.url });
      assertEquals(out.code, 0, out.stderr);
      assertEquals(await listDir(dir), ["dollama.exe"]);
      assertEquals(await installed(dir), fakeDollama("0.3.0", TARGET));
      assertStringIncludes(out.stdout, `Downloading the newest dollama for ${TARGET}`);
      assertStringIncludes(out.stdout, "Installed dollama to ");
      assertStringIncludes(out.stdout, "is not on your PATH");
      assertEquals(server.archiveRequests(), [
        `/acme/dollama/releases/download/v0.3.0/dollama-${TARGET}.zip`,
      ]);
    }),
});

Deno.test({
  name: "install.ps1 handles a checksum mismatch",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0", badChecksums: true }], async (server) => {
      const dir = await Deno.makeTempDir({ prefix: "dollama-bin-" });
      await Deno.writeTextFile(join(dir, "dollama.exe"), "old");
      const out = await installPs1(["-Dir", dir], { DOLLAMA_DOWNLOAD_URL: server.url });
      assertEquals(out.code, 1, out.stdout);
      assertMatch(out.stderr, /checksum mismatch for dollama-x86_64-pc-windows-msvc\.zip/);
      assertEquals(await listDir(dir), ["dollama.exe"]);
      assertEquals(await installed(dir), "old");
    }),
});

Deno.test({
  name: "install.ps1 refuses an unsupported platform with a clear error",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const dir = await Deno.makeTempDir({ prefix: "dollama-bin-" });
      const linux = await installPs1(["-Dir", dir], {
        DOLLAMA_DOWNLOAD_URL: server.url,
        DOLLAMA_OS: "Linux",
      });
      assertEquals(linux.code, 1);
      assertStringIncludes(linux.stderr, "install.ps1 is for Windows, not Linux");
      assertStringIncludes(linux.stderr, `${server.url}/latest/download/install.sh | sh`);
      const x86 = await installPs1(["-Dir", dir], {
        DOLLAMA_DOWNLOAD_URL: server.url,
        DOLLAMA_ARCH: "x86",
      });
      assertEquals(x86.code, 1);
      assertStringIncludes(x86.stderr, "unsupported architecture: x86 on Windows");
      assertEquals(server.requests, []);
      assertEquals(await listDir(dir), []);
    }),
});

Deno.test({
  name: "install.ps1 reports a release without the Windows archive",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0", without: [TARGET] }], async (server) => {
      const dir = await Deno.makeTempDir({ prefix: "dollama-bin-" });
      const out = await installPs1(["-Dir", dir], { DOLLAMA_DOWNLOAD_URL: server.url });
      assertEquals(out.code, 1);
      assertStringIncludes(
        out.stderr,
        `could not download ${server.url}/latest/download/dollama-${TARGET}.zip`,
      );
      assertEquals(await listDir(dir), []);
    }),
});

Deno.test({
  name: "install.ps1 installs a pinned version, and can run twice",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.2.0" }, { version: "0.3.0" }], async (server) => {
      const dir = await Deno.makeTempDir({ prefix: "dollama-bin-" });
      for (
        const [args, env] of [
          [["-Version", "v0.2.0"], {}],
          [[], { DOLLAMA_VERSION: "0.2.0" }],
        ] as [string[], Record<string, string>][]
      ) {
        const out = await installPs1(args, {
          DOLLAMA_DOWNLOAD_URL: server.url,
          DOLLAMA_INSTALL_DIR: dir,
          ...env,
        });
        assertEquals(out.code, 0, out.stderr);
        assertStringIncludes(out.stdout, `Downloading dollama v0.2.0 for ${TARGET}`);
        assertEquals(await listDir(dir), ["dollama.exe"]);
        assertEquals(await installed(dir), fakeDollama("0.2.0", TARGET));
      }
      const latest = await installPs1([], {
        DOLLAMA_DOWNLOAD_URL: server.url,
        DOLLAMA_INSTALL_DIR: dir,
      });
      assertEquals(latest.code, 0, latest.stderr);
      assertEquals(await listDir(dir), ["dollama.exe"]);
      assertEquals(await installed(dir), fakeDollama("0.3.0", TARGET));
      assert(server.archiveRequests().length === 3);
    }),
});

/** Runs PowerShell commands the way a user's session or script would, with the server's URL. */
async function powershell(command: string, env: Record<string, string>): Promise<Run> {
  const inherited = Deno.env.toObject();
  for (const name of Object.keys(inherited)) {
    if (name.toUpperCase().startsWith("DOLLAMA_")) delete inherited[name];
  }
  const out = await new Deno.Command("powershell.exe", {
    args: ["-NoProfile", "-NonInteractive", "-Command", command],
    env: { ...inherited, ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test({
  name: "install.ps1 under irm | iex leaves the caller's session as it was",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const dir = await Deno.makeTempDir({ prefix: "dollama-bin-" });
      const out = await powershell(
        [
          "$ErrorActionPreference = 'Continue'",
          "$env:OLLAMA_HOST = 'example:1'",
          `irm '${server.url}/latest/download/install.ps1' | iex`,
          "foreach ($n in 'Version','Dir','Base','Target','Asset','Dest','Tmp','Url') {" +
          ' if (Get-Variable -Name $n -ErrorAction SilentlyContinue) { "leaked $n" } }',
          '"preference $ErrorActionPreference"',
          '"host $env:OLLAMA_HOST"',
        ].join("; "),
        { DOLLAMA_DOWNLOAD_URL: server.url, DOLLAMA_INSTALL_DIR: dir },
      );
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(out.stdout, "Installed dollama to ");
      assert(!out.stdout.includes("leaked"), out.stdout);
      assertStringIncludes(out.stdout, "preference Continue");
      assertStringIncludes(out.stdout, "host example:1");
      assertEquals(await installed(dir), fakeDollama("0.3.0", TARGET));
    }),
});

Deno.test({
  name: "install.ps1 under irm | iex throws to the caller's script instead of ending it",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0", badChecksums: true }], async (server) => {
      const dir = await Deno.makeTempDir({ prefix: "dollama-bin-" });
      const out = await powershell(
        [
          `try { irm '${server.url}/latest/download/install.ps1' | iex; 'no error' }` +
          ' catch { "caught: $($_.Exception.Message)" }',
          "'the caller goes on'",
        ].join("; "),
        { DOLLAMA_DOWNLOAD_URL: server.url, DOLLAMA_INSTALL_DIR: dir },
      );
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(out.stdout, "caught: dollama install failed: checksum mismatch");
      assertStringIncludes(out.stdout, "the caller goes on");
      assertEquals(await listDir(dir), []);
    }),
});

Deno.test({
  name: "install.ps1's PATH advice keeps %VAR% entries of the user's Path unexpanded",
  ignore,
  fn: () =>
    withReleaseServer([{ version: "0.3.0" }], async (server) => {
      const dir = join(await Deno.makeTempDir({ prefix: "dollama-bin-" }), "bin");
      const out = await installPs1(["-Dir", dir], { DOLLAMA_DOWNLOAD_URL: server.url });
      assertEquals(out.code, 0, out.stderr);
      assertStringIncludes(out.stdout, "'DoNotExpandEnvironmentNames'");
      assertStringIncludes(out.stdout, "-PropertyType ExpandString");
      assert(!out.stdout.includes("SetEnvironmentVariable"), out.stdout);
    }),
});
