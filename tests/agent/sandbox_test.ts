/**
 * The bash tool's sandbox: how it is detected (with fake probes), and on Linux with a working
 * bwrap the real thing — writes outside the working directory fail, inside they succeed, /tmp is
 * private, and secrets from dollama's environment are not visible to the command. The real tests
 * are skipped (ignored) where bwrap is missing or cannot create namespaces; CI installs it.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { testIo } from "../support/test_io.ts";
import { Agent } from "../../lib/agent/agent.ts";
import { bwrapArgs, detectSandbox, macProfile, type Probe } from "../../lib/agent/sandbox.ts";
import { runBash } from "../../lib/agent/tools.ts";
import { readConfig } from "../../lib/cli/config.ts";

const env = { path: Deno.env.get("PATH"), home: Deno.env.get("HOME") };
const real = await detectSandbox({ setting: "auto", os: Deno.build.os, env });
const bwrap = Deno.build.os === "linux" && real.status.on;

function probe(result: { ok: boolean; missing?: boolean; stderr?: string }): Probe {
  return () => Promise.resolve({ missing: false, stderr: "", ...result });
}

Deno.test("detectSandbox handles the setting, a missing tool, a failing trial and other systems", async () => {
  const detect = (setting: "auto" | "off", os: string, p: Probe) =>
    detectSandbox({ setting, os, env: {}, probe: p }).then((s) => s.status);
  assertEquals(await detect("off", "linux", probe({ ok: true })), {
    on: false,
    reason: "DOLLAMA_AGENT_SANDBOX=off",
  });
  assertEquals(await detect("auto", "linux", probe({ ok: false, missing: true })), {
    on: false,
    reason: "bwrap not found; install bubblewrap",
  });
  assertEquals(
    await detect(
      "auto",
      "linux",
      probe({ ok: false, stderr: "bwrap: No permissions to creating new namespace\n" }),
    ),
    { on: false, reason: "bwrap cannot run here: No permissions to creating new namespace" },
  );
  assertEquals(await detect("auto", "linux", probe({ ok: true })), { on: true, tool: "bwrap" });
  assertEquals(await detect("auto", "darwin", probe({ ok: true })), {
    on: true,
    tool: "sandbox-exec",
  });
  assertEquals(await detect("auto", "windows", probe({ ok: true })), {
    on: false,
    reason: "no sandbox on windows",
  });
});

Deno.test("the sandboxed launch gets a clean environment and the working directory bound", async () => {
  const sandbox = await detectSandbox({
    setting: "auto",
    os: "linux",
    env: { path: "/usr/bin:/bin", home: "/home/u" },
    probe: probe({ ok: true }),
  });
  assertEquals(sandbox.launch("ls", "/work/p"), {
    program: "bwrap",
    args: bwrapArgs("ls", "/work/p"),
    env: { PATH: "/usr/bin:/bin", HOME: "/home/u" },
    clearEnv: true,
  });
  const args = bwrapArgs("ls", "/work/p");
  assertEquals(args.slice(args.indexOf("--bind"), args.indexOf("--bind") + 3), [
    "--bind",
    "/work/p",
    "/work/p",
  ]);
  assertEquals(args.slice(-3), ["bash", "-c", "ls"]);
  assertStringIncludes(macProfile('/Users/a "b"'), '(subpath "/Users/a \\"b\\"")');
});

async function withDirs(test: (cwd: string, outside: string) => Promise<void>): Promise<void> {
  const cwd = await Deno.makeTempDir({ prefix: "dollama-sbx-" });
  // Outside the working directory and outside /tmp (which the sandbox replaces).
  const outside = await Deno.makeTempDir({ prefix: "dollama-sbx-out-", dir: "/var/tmp" });
  try {
    await test(cwd, outside);
  } finally {
    await Deno.remove(cwd, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
}

const run = (command: string, cwd: string) =>
  runBash(command, { signal: new AbortController().signal, cwd, launch: real.launch });

Deno.test({
  name: "sandbox (bwrap): writing inside the working directory works, outside it fails",
  ignore: !bwrap,
  fn: () =>
    withDirs(async (cwd, outside) => {
      assertEquals(await run("touch inside.txt && echo ok", cwd), "ok\n");
      assert(Deno.statSync(`${cwd}/inside.txt`).isFile);
      const text = await run(`touch ${outside}/outside.txt`, cwd);
      assertStringIncludes(text, "Read-only file system");
      assertStringIncludes(text, "Exit code: 1");
      assertEquals(await Deno.stat(`${outside}/outside.txt`).catch(() => undefined), undefined);
    }),
});

Deno.test({
  name: "sandbox (bwrap): /tmp is private to the command",
  ignore: !bwrap,
  fn: () =>
    withDirs(async (cwd) => {
      const name = `/tmp/dollama-sbx-private-${crypto.randomUUID()}`;
      assertEquals(await run(`touch ${name} && ls ${name}`, cwd), `${name}\n`);
      assertEquals(await Deno.stat(name).catch(() => undefined), undefined);
    }),
});

Deno.test({
  name: "sandbox (bwrap): secrets in dollama's environment are not visible to the command",
  ignore: !bwrap,
  fn: () =>
    withDirs(async (cwd) => {
      const names = ["OLLAMA_API_KEY", "DOLLAMA_TEST_TOKEN", "DOLLAMA_TEST_SECRET"];
      for (const name of names) Deno.env.set(name, "s3cr3t");
      try {
        const show = 'echo "[$OLLAMA_API_KEY][$DOLLAMA_TEST_TOKEN][$DOLLAMA_TEST_SECRET]"';
        // Unsandboxed, the command would see them: the check below can fail.
        const bare = await runBash(show, { signal: new AbortController().signal, cwd });
        assertEquals(bare, "[s3cr3t][s3cr3t][s3cr3t]\n");
        assertEquals(await run(show, cwd), "[][][]\n");
      } finally {
        for (const name of names) Deno.env.delete(name);
      }
    }),
});

Deno.test({
  name: "sandbox (bwrap): the agent runs its bash calls inside it",
  ignore: !bwrap,
  fn: () =>
    withDirs(async (cwd, outside) => {
      const io = testIo();
      const agent = new Agent({
        yolo: true,
        webSearch: false,
        disableBash: false,
        stderr: io.stderr,
        style: false,
        sandbox: real,
        cwd,
      });
      const [result] = await agent.runCalls(
        [{ function: { name: "bash", arguments: { command: `touch ${outside}/x.txt` } } }],
        { signal: new AbortController().signal, cloud: false },
      );
      assertStringIncludes(result.content, "Read-only file system");
      assertEquals(await Deno.stat(`${outside}/x.txt`).catch(() => undefined), undefined);
    }),
});

Deno.test("DOLLAMA_AGENT_SANDBOX: off, 0, false and no turn the sandbox off; anything else looks for it", () => {
  const setting = (value: string | undefined) =>
    readConfig((name) => name === "DOLLAMA_AGENT_SANDBOX" ? value : undefined).agentSandbox;
  for (const value of ["off", "OFF", "0", "false", "no", " off "]) {
    assertEquals(setting(value), "off", value);
  }
  for (const value of [undefined, "", "on", "1", "auto"]) assertEquals(setting(value), "auto");
});
