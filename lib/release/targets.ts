/**
 * What a release is made of: one archive per build target, a SHA256SUMS file, and the two
 * install scripts. The names here are the contract between `scripts/compile.ts`, the release
 * workflow, `install.sh`, `install.ps1` and `dollama upgrade`; change them in all places at once.
 */

/** The targets `deno compile` builds and every release carries. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

export type Target = typeof TARGETS[number];

/**
 * Where releases live. The release workflow rewrites this URL to the repository it runs in
 * (`github.repository`), in this file and in both install scripts, before it compiles. The
 * environment variable DOLLAMA_DOWNLOAD_URL overrides it at run time.
 */
export const DEFAULT_RELEASES_URL = "https://github.com/dollama/dollama/releases";

/** The environment variable that points installers and `dollama upgrade` at another server. */
export const DOWNLOAD_URL_ENV = "DOLLAMA_DOWNLOAD_URL";

export const CHECKSUMS_ASSET = "SHA256SUMS";

export function isTarget(value: string): value is Target {
  return (TARGETS as readonly string[]).includes(value);
}

/**
 * The target for an operating system and architecture as Deno names them (`Deno.build.os`,
 * `Deno.build.arch`), or undefined when no release build exists for it.
 */
export function targetFor(os: string, arch: string): Target | undefined {
  const target = `${arch}-${
    {
      linux: "unknown-linux-gnu",
      darwin: "apple-darwin",
      windows: "pc-windows-msvc",
    }[os] ?? "unsupported"
  }`;
  return isTarget(target) ? target : undefined;
}

export function isWindowsTarget(target: Target): boolean {
  return target.endsWith("-windows-msvc");
}

/** `dollama-<target>.tar.gz`, or `.zip` for Windows. */
export function assetName(target: Target): string {
  return `dollama-${target}${isWindowsTarget(target) ? ".zip" : ".tar.gz"}`;
}

/** The one file inside each archive. */
export function binaryName(target: Target): string {
  return isWindowsTarget(target) ? "dollama.exe" : "dollama";
}

/** The file `deno compile` writes for a target, relative to the repository root. */
export function compiledPath(target: Target): string {
  return `dist/dollama-${target}${isWindowsTarget(target) ? ".exe" : ""}`;
}

/** Release URLs under a base such as `https://github.com/OWNER/dollama/releases`. */
export const releaseUrls = {
  /** Redirects to `<base>/tag/<newest tag>`, as GitHub does. */
  latest: (base: string): string => `${trimSlash(base)}/latest`,
  asset: (base: string, tag: string, asset: string): string =>
    `${trimSlash(base)}/download/${encodeURIComponent(tag)}/${encodeURIComponent(asset)}`,
};

/** The tag a `<base>/latest` redirect points at (`…/releases/tag/v0.2.0` → `v0.2.0`). */
export function tagFromReleaseUrl(url: string): string | undefined {
  const match = /\/tag\/([^/?#]+)\/?(?:[?#].*)?$/.exec(url);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

function trimSlash(base: string): string {
  return base.replace(/\/+$/, "");
}
