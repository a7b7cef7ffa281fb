/**
 * The release workflow's steps that do not need GitHub, as code that the tests run too:
 *
 *   deno run --allow-read --allow-write scripts/release_assets.ts point URL FILE...
 *       rewrites the project's releases URL in each FILE to URL (the repository the workflow
 *       runs in), and fails when a FILE does not contain it: a fork then publishes installers
 *       and a `dollama upgrade` that look for releases where they are.
 *   deno run --allow-read --allow-write scripts/release_assets.ts assemble URL DIR
 *       DIR holds the build jobs' archives. Checks that it holds exactly one archive per release
 *       target, adds install.sh and install.ps1 pointed at URL, and writes SHA256SUMS over all.
 */
import { join } from "node:path";
import {
  assetName,
  CHECKSUMS_ASSET,
  DEFAULT_RELEASES_URL,
  TARGETS,
} from "../lib/release/targets.ts";
import { formatSha256Sums, sha256Hex } from "../lib/release/checksums.ts";

const root = new URL("../", import.meta.url);

/** The install scripts every release carries next to its archives. */
export const INSTALL_SCRIPTS = ["install.sh", "install.ps1"] as const;

/** `text` with the project's releases URL replaced by `url`; throws when it has none. */
export function pointAt(text: string, url: string, what: string): string {
  if (!/^https?:\/\/[^/\s]+\/\S+\/releases$/.test(url)) {
    throw new Error(`${url} is not a releases URL such as https://github.com/OWNER/REPO/releases`);
  }
  if (!text.includes(DEFAULT_RELEASES_URL)) {
    throw new Error(`${what} does not mention ${DEFAULT_RELEASES_URL}; nothing to point at ${url}`);
  }
  return text.replaceAll(DEFAULT_RELEASES_URL, url);
}

/** Rewrites each file in place. */
export async function pointFiles(url: string, files: string[]): Promise<void> {
  for (const file of files) {
    await Deno.writeTextFile(file, pointAt(await Deno.readTextFile(file), url, file));
  }
}

/**
 * Completes a release directory holding the five archives: the install scripts (pointed at
 * `url`) and SHA256SUMS. Returns the SHA256SUMS text.
 */
export async function assemble(url: string, dir: string): Promise<string> {
  const present = new Set<string>();
  for await (const entry of Deno.readDir(dir)) present.add(entry.name);
  const wanted = TARGETS.map(assetName);
  const missing = wanted.filter((name) => !present.has(name));
  if (missing.length > 0) throw new Error(`${dir} lacks ${missing.join(", ")}`);
  const extra = [...present].filter((name) => !wanted.includes(name));
  if (extra.length > 0) throw new Error(`${dir} holds unexpected files: ${extra.join(", ")}`);

  for (const script of INSTALL_SCRIPTS) {
    const text = await Deno.readTextFile(new URL(script, root));
    await Deno.writeTextFile(join(dir, script), pointAt(text, url, script));
  }
  const sums: [string, string][] = [];
  for (const name of [...wanted, ...INSTALL_SCRIPTS]) {
    sums.push([name, await sha256Hex(await Deno.readFile(join(dir, name)))]);
  }
  const text = formatSha256Sums(sums);
  await Deno.writeTextFile(join(dir, CHECKSUMS_ASSET), text);
  return text;
}

if (import.meta.main) {
  const [command, url, ...rest] = Deno.args;
  try {
    if (command === "point" && url && rest.length > 0) {
      await pointFiles(url, rest);
    } else if (command === "assemble" && url && rest.length === 1) {
      console.log((await assemble(url, rest[0])).trimEnd());
    } else {
      console.error("usage: release_assets.ts point URL FILE... | assemble URL DIR");
      Deno.exit(2);
    }
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
}
