/**
 * The build side of a release: `deno task bundle` output runs on its own, `deno task compile`
 * asks `deno compile` for every target with the dollama task's permission and V8 flags, and the release
 * workflow and install scripts agree with lib/release/targets.ts. (`deno compile` itself needs
 * dl.deno.land, so it runs in the GitHub workflows, never here.)
 */
import { join } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { TASK_FLAGS } from "../support/cli.ts";
import { VERSION } from "../../lib/version.ts";
import {
  assetName,
  compiledPath,
  DEFAULT_RELEASES_URL,
  TARGETS,
} from "../../lib/release/targets.ts";
import { chooseTargets, compileArgs, RUNTIME_FLAGS } from "../../scripts/compile.ts";
import { HOST_TARGET, ROOT, run } from "./helpers.ts";

const root = new URL("../../", import.meta.url);

Deno.test("deno task bundle output runs --version under deno run", async () => {
  // The bundle task's own command, writing to a temp dir instead of dist/.
  const words = denoJson.tasks.bundle.split(/\s+/);
  assertEquals(words.slice(0, 2), ["deno", "bundle"]);
  const out = words.indexOf("-o");
  assert(out > 0, "the bundle task names its output with -o");
  const dir = await Deno.makeTempDir({ prefix: "dollama-bundle-" });
  const bundle = join(dir, "dollama.js");
  const args = [...words.slice(1, out + 1), bundle, ...words.slice(out + 2)];
  const built = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  assertEquals(built.code, 0, new TextDecoder().decode(built.stderr));

  // Run from a directory with no deno.json or node_modules: the bundle must be self-contained.
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: dir,
    NO_COLOR: "1",
    OLLAMA_HOST: "127.0.0.1:9", // nothing answers; --version says so on stderr
  };
  for (const name of ["DENO_DIR", "SYSTEMROOT", "TEMP", "TMP"]) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  const copy = join(dir, "elsewhere");
  await Deno.mkdir(copy);
  await Deno.copyFile(bundle, join(copy, "dollama.js"));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", ...TASK_FLAGS, "dollama.js", "--version"],
    cwd: copy,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
  const ran = await child.output();
  const stdout = new TextDecoder().decode(ran.stdout);
  assertEquals(ran.code, 0, new TextDecoder().decode(ran.stderr));
  assertEquals(stdout.split("\n")[0], `dollama version ${VERSION}`);

  const help = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", ...TASK_FLAGS, "dollama.js", "--help"],
    cwd: copy,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(help.code, 0);
  assertStringIncludes(new TextDecoder().decode(help.stdout), "upgrade");
});

Deno.test("deno task compile builds every target with the dollama task's permission and V8 flags", async () => {
  // The task's flags, --no-lazy included, from the binaries' own entry point.
  assertEquals(RUNTIME_FLAGS, [
    "--allow-all",
    "--v8-flags=--optimize-for-size,--no-concurrent-recompilation,--initial-old-space-size=8,--no-lazy",
  ]);
  assertEquals(TASK_FLAGS, RUNTIME_FLAGS);
  assertEquals(chooseTargets([]), [...TARGETS]);
  assertEquals(compileArgs("x86_64-pc-windows-msvc"), [
    "compile",
    ...RUNTIME_FLAGS,
    "--target",
    "x86_64-pc-windows-msvc",
    "--output",
    "dist/dollama-x86_64-pc-windows-msvc.exe",
    "main_binary.ts",
  ]);

  // Through the task, as a user types it; --dry-run prints the deno compile commands.
  const all = await run(
    Deno.execPath(),
    ["task", "--quiet", "compile", "--dry-run"],
    {
      PATH: Deno.env.get("PATH") ?? "",
      NO_COLOR: "1",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      ...(Deno.env.get("SYSTEMROOT") ? { SYSTEMROOT: Deno.env.get("SYSTEMROOT")! } : {}),
    },
    undefined,
    ROOT,
  );
  assertEquals(all.code, 0, all.stderr);
  assertEquals(
    all.stdout.trim().split("\n"),
    TARGETS.map((t) =>
      `deno compile ${RUNTIME_FLAGS.join(" ")} --target ${t} --output ${
        compiledPath(t)
      } main_binary.ts`
    ),
  );
  if (HOST_TARGET) assertEquals(chooseTargets(["host"]), [HOST_TARGET]);
  const bad = await run(
    Deno.execPath(),
    ["task", "--quiet", "compile", "--dry-run", "riscv"],
    {
      PATH: Deno.env.get("PATH") ?? "",
      NO_COLOR: "1",
    },
    undefined,
    ROOT,
  );
  assertEquals(bad.code, 1);
  assertStringIncludes(bad.stderr, 'unknown target "riscv"; choose from host, x86_64-unknown');
});

Deno.test("the release workflow, install scripts and lib/release agree", async () => {
  const release = await Deno.readTextFile(new URL(".github/workflows/release.yml", root));
  for (const target of TARGETS) {
    assertStringIncludes(release, `target: ${target}`);
  }
  for (const name of ["SHA256SUMS", "install.sh", "install.ps1", "deno task compile"]) {
    assertStringIncludes(release, name);
  }
  // The workflow points the default URL at its own repository by rewriting this exact string.
  assertStringIncludes(release, DEFAULT_RELEASES_URL);
  const sh = await Deno.readTextFile(new URL("install.sh", root));
  const ps1 = await Deno.readTextFile(new URL("install.ps1", root));
  assertStringIncludes(sh, `DEFAULT_DOWNLOAD_URL="${DEFAULT_RELEASES_URL}"`);
  assertStringIncludes(ps1, `$DefaultDownloadUrl = '${DEFAULT_RELEASES_URL}'`);
  for (const target of TARGETS.filter((t) => !t.includes("windows"))) {
    // install.sh builds `dollama-$target.tar.gz` from these two parts.
    const [arch, ...rest] = target.split("-");
    assertStringIncludes(sh, `$arch-${rest.join("-")}`);
    assert(["x86_64", "aarch64"].includes(arch));
  }
  assertStringIncludes(sh, 'asset="dollama-$target.tar.gz"');
  assertStringIncludes(ps1, '$Asset = "dollama-$Target.zip"');
  assertEquals(assetName("x86_64-pc-windows-msvc"), "dollama-x86_64-pc-windows-msvc.zip");
  const ci = await Deno.readTextFile(new URL(".github/workflows/ci.yml", root));
  assertStringIncludes(ci, "deno task bundle");
  assertStringIncludes(ci, "deno task compile host");
});
