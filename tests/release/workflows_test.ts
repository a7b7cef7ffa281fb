/**
 * What the GitHub workflows promise and no runner here can execute: the release is a draft until
 * every target has installed it, provenance is attested, each target builds and installs on its
 * own runner, and no action runs on a Node version GitHub has removed. (actionlint, run by
 * .ci/run, checks the syntax and the shell in every step.)
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { assetName, DEFAULT_RELEASES_URL, TARGETS } from "../../lib/release/targets.ts";

const root = new URL("../../", import.meta.url);
const ci = await Deno.readTextFile(new URL(".github/workflows/ci.yml", root));
const release = await Deno.readTextFile(new URL(".github/workflows/release.yml", root));

/** The text of one top-level job: from `  name:` to the next job or the end. */
function job(workflow: string, name: string): string {
  const start = workflow.indexOf(`\n  ${name}:\n`);
  assert(start >= 0, `no job ${name}`);
  const rest = workflow.slice(start + 1);
  const next = rest.slice(1).search(/\n {2}[a-z][a-z0-9_-]*:\n/);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

/** The lowest major version each action needs to run on Node 24. */
const NODE24: Record<string, number> = {
  "actions/checkout": 5,
  "actions/setup-node": 5,
  "actions/upload-artifact": 6,
  "actions/download-artifact": 7,
  "actions/attest-build-provenance": 3,
};

Deno.test("every action is pinned at a version that runs on Node 24", () => {
  for (const [file, text] of [["ci.yml", ci], ["release.yml", release]]) {
    const uses = [...text.matchAll(/uses: ([\w.-]+\/[\w.-]+)@v(\d+)/g)];
    assert(uses.length > 0, file);
    for (const [, action, major] of uses) {
      assert(action in NODE24, `${file}: ${action} is not a known action`);
      assert(Number(major) >= NODE24[action], `${file}: ${action}@v${major} runs on Node 20`);
    }
    assertEquals(/node-version: (\d+)/.exec(text)?.[1], "24", file);
  }
});

Deno.test("ci.yml: read-only token, bash for every step, all five targets compiled", () => {
  assertStringIncludes(ci, "\npermissions:\n  contents: read\n");
  for (const name of ["ci", "compiled"]) {
    assertStringIncludes(job(ci, name), "    defaults:\n      run:\n        shell: bash\n");
  }
  const compiled = job(ci, "compiled");
  for (const target of TARGETS) assertStringIncludes(compiled, `target: ${target}\n`);
  assertStringIncludes(compiled, "DOLLAMA_COMPILED_NEWER=");
});

Deno.test("release.yml: a draft, installed on every target, published last", () => {
  assertStringIncludes(release, "\n  workflow_dispatch:\n");
  assertStringIncludes(release, "\npermissions:\n  contents: read\n");
  for (const name of ["build", "verify"]) {
    const text = job(release, name);
    for (const target of TARGETS) assertStringIncludes(text, `target: ${target}\n`, name);
  }
  assertStringIncludes(job(release, "build"), "bash scripts/smoke_archive.sh");
  assertStringIncludes(job(release, "assemble"), "scripts/release_assets.ts assemble");
  const draft = job(release, "draft");
  assertStringIncludes(draft, "needs: assemble");
  assertStringIncludes(draft, "--draft");
  assertStringIncludes(draft, "if: github.event_name == 'push'");
  const verify = job(release, "verify");
  assertStringIncludes(verify, "needs: [assemble, draft]");
  assertStringIncludes(verify, "scripts/serve_release.ts assets");
  assertStringIncludes(verify, "install.sh");
  assertStringIncludes(verify, "install.ps1");
  assertStringIncludes(verify, "gh attestation verify");
  const publish = job(release, "publish");
  assertStringIncludes(publish, "needs: verify");
  assertStringIncludes(publish, "if: github.event_name == 'push'");
  assertStringIncludes(publish, "--draft=false");
  // Nothing but the publish job makes a release public.
  assertEquals(release.split("--draft=false").length, 2);
  assert(!/gh release create (?![^\n]*--draft)/.test(release), "a release created public");
});

Deno.test("release.yml attests every archive, its binary, and SHA256SUMS", () => {
  const build = job(release, "build");
  assertStringIncludes(build, "uses: actions/attest-build-provenance@v3");
  assertStringIncludes(build, "out/dollama-*");
  assertStringIncludes(build, "stage/dollama*");
  assertStringIncludes(build, "id-token: write");
  assertStringIncludes(build, "attestations: write");
  const assemble = job(release, "assemble");
  assertStringIncludes(assemble, "uses: actions/attest-build-provenance@v3");
  assertStringIncludes(assemble, "assets/SHA256SUMS");
  // A dry run attests nothing: its builds are never published.
  assertEquals(release.match(/if: env.PUBLISH == 'true'\n\s+uses: actions\/attest/g)?.length, 2);
});

Deno.test("the README's install section matches what the release workflow publishes", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const install = readme.slice(
    readme.indexOf("## Install"),
    readme.indexOf("\n## ", readme.indexOf("## Install") + 3),
  );
  for (const target of TARGETS) assertStringIncludes(install, `\`${assetName(target)}\``);
  assertStringIncludes(
    install,
    `curl -fsSL ${DEFAULT_RELEASES_URL}/latest/download/install.sh | sh`,
  );
  assertStringIncludes(install, `irm ${DEFAULT_RELEASES_URL}/latest/download/install.ps1 | iex`);
  assertStringIncludes(install, "SHA256SUMS");
  // The attested files are the ones the README tells users to verify.
  assertStringIncludes(
    install,
    "gh attestation verify ~/.local/bin/dollama --repo dollama/dollama",
  );
  assertStringIncludes(install, "gh attestation verify SHA256SUMS --repo dollama/dollama");
  // A downloaded install.ps1 only runs as a file with the execution policy bypassed.
  for (const line of install.split("\n").filter((l) => l.includes("install.ps1 -"))) {
    assertStringIncludes(line, "-ExecutionPolicy Bypass -File", line);
  }
});
