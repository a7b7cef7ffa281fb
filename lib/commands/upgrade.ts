/**
 * `dollama upgrade [--version V]`: replace the running binary with a release build.
 *
 * 1. Which file: the running executable when this is a `deno compile` binary, or the file named
 *    by DOLLAMA_UPGRADE_TARGET. Run from source (`deno task dollama`, `deno run dist/dollama.js`)
 *    there is no binary to replace: it says how to update a checkout and exits 1.
 * 2. Which release: `--version V`, or the newest one, found the way a browser finds it:
 *    `<base>/latest` redirects to `<base>/tag/<tag>` (GitHub does this; so does the test server).
 *    `<base>` is DOLLAMA_DOWNLOAD_URL or the project's GitHub releases page.
 * 3. Download `<base>/download/<tag>/SHA256SUMS` and this platform's archive, verify the
 *    archive's SHA-256, take the executable out, write it next to the target, check that it runs
 *    and reports exactly the expected version, then rename it over the target. Any failure before
 *    the rename leaves the old binary as it was.
 *
 * Every request gives up when the server sends nothing for `stallTimeoutMs` (a slow download
 * that keeps moving is fine), and a staged file that an earlier, killed upgrade left next to the
 * target is removed before a new one is written.
 */
import { basename, dirname, extname, join } from "node:path";
import { joinBytes } from "../bytes.ts";
import type { Context } from "../context.ts";
import { userAgent } from "../context.ts";
import { CliError } from "../errors.ts";
import { VERSION } from "../version.ts";
import {
  assetName,
  binaryName,
  CHECKSUMS_ASSET,
  DEFAULT_RELEASES_URL,
  isWindowsTarget,
  releaseUrls,
  tagFromReleaseUrl,
  type Target,
  targetFor,
} from "../release/targets.ts";
import { parseSha256Sums, sha256Hex } from "../release/checksums.ts";
import { compareVersions, normalizeTag, versionOfTag } from "../release/version.ts";
import { ArchiveError, extractFromTarGz, extractFromZip } from "../release/archive.ts";

/** Replace this file instead of the running executable (for tests and unusual installs). */
export const UPGRADE_TARGET_ENV = "DOLLAMA_UPGRADE_TARGET";

export interface UpgradeOptions {
  /** A release tag or version (`v0.2.0`, `0.2.0`); the newest release when absent. */
  version?: string;
}

/** How long a request may go without receiving anything before the upgrade gives up. */
export const STALL_TIMEOUT_MS = 30_000;

/** What the command needs to know about the process it runs in. */
export interface Runtime {
  /** The running executable: dollama itself when compiled, `deno` when run from source. */
  execPath: string;
  /** True inside a `deno compile` binary. */
  standalone: boolean;
  /** Runs `path --version`; resolves with its exit code and output. */
  probe(path: string, signal: AbortSignal): Promise<{ code: number; output: string }>;
  /** Silence after which a request fails; STALL_TIMEOUT_MS unless a test shortens it. */
  stallTimeoutMs?: number;
}

export function denoRuntime(): Runtime {
  const execPath = Deno.execPath();
  const standalone = (Deno.build as { standalone?: boolean }).standalone ??
    !/^deno(\.exe)?$/i.test(basename(execPath));
  return {
    execPath,
    standalone,
    async probe(path, signal) {
      const out = await new Deno.Command(path, {
        args: ["--version"],
        // `--version` also asks the Ollama server for its version: point it where nothing
        // listens, so the check neither contacts the user's server nor waits for it.
        env: { OLLAMA_HOST: "127.0.0.1:0", NO_PROXY: "127.0.0.1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal,
      }).output();
      const decoder = new TextDecoder();
      return { code: out.code, output: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
    },
  };
}

export async function upgradeCommand(
  ctx: Context,
  options: UpgradeOptions,
  runtime: Runtime = denoRuntime(),
): Promise<void> {
  const { io } = ctx;
  const http: Http = { ctx, stallMs: runtime.stallTimeoutMs ?? STALL_TIMEOUT_MS };
  const base = ctx.config.downloadUrl ?? DEFAULT_RELEASES_URL;
  const windows = io.os === "windows";

  const targetPath = ctx.config.upgradeTarget || (runtime.standalone ? runtime.execPath : "");
  if (!targetPath) {
    const install = windows
      ? `irm ${base}/latest/download/install.ps1 | iex`
      : `curl -fsSL ${base}/latest/download/install.sh | sh`;
    await io.stderr.write(
      `dollama is running from source (${runtime.execPath}), so there is no binary to replace.\n` +
        `  To update a source checkout:  git pull && deno install --frozen\n` +
        `  To install a release binary:  ${install}\n`,
    );
    throw new CliError("nothing to upgrade when running from source");
  }

  const target = targetFor(io.os, io.arch);
  if (!target) {
    throw new CliError(`there are no dollama release builds for ${io.os} on ${io.arch}`);
  }

  let tag: string;
  if (options.version !== undefined) {
    const pinned = normalizeTag(options.version);
    if (!pinned) {
      throw new CliError(
        `invalid version ${JSON.stringify(options.version)} (expected e.g. v0.2.0 or 0.2.0)`,
      );
    }
    tag = pinned;
  } else {
    tag = await latestTag(http, base);
  }
  const wanted = versionOfTag(tag);

  const order = compareVersions(wanted, VERSION);
  if (order === 0) {
    await io.stdout.write(
      options.version === undefined
        ? `dollama ${VERSION} is already the newest release\n`
        : `dollama ${VERSION} is already installed\n`,
    );
    return;
  }
  if (order < 0 && options.version === undefined) {
    await io.stdout.write(
      `dollama ${VERSION} is newer than the newest release (${wanted}); nothing to do\n`,
    );
    return;
  }

  const asset = assetName(target);
  const sumsUrl = releaseUrls.asset(base, tag, CHECKSUMS_ASSET);
  const sums = parseSha256Sums(
    new TextDecoder().decode(
      await download(http, sumsUrl, `release ${tag} has no ${CHECKSUMS_ASSET}`),
    ),
  );
  const expected = sums.get(asset);
  if (!expected) {
    throw new CliError(
      `release ${tag} has no build for ${target} (its ${CHECKSUMS_ASSET} does not list ${asset})`,
    );
  }

  const assetUrl = releaseUrls.asset(base, tag, asset);
  await io.stderr.write(`Downloading ${assetUrl}\n`);
  const archive = await download(http, assetUrl, `release ${tag} has no build for ${target}`);
  const actual = await sha256Hex(archive);
  if (actual !== expected) {
    throw new CliError(
      `checksum mismatch for ${asset}: expected ${expected}, got ${actual}; ` +
        `${targetPath} was left unchanged`,
    );
  }

  const binary = await unpack(archive, target);
  await replaceExecutable(targetPath, binary, windows, async (staged) => {
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(60_000)]);
    let result: { code: number; output: string };
    try {
      result = await runtime.probe(staged, signal);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      throw new CliError(`the downloaded dollama ${wanted} does not run here: ${message(err)}`);
    }
    if (reportedVersion(result.output) !== wanted) {
      const said = result.output.trim().split("\n")[0] || `exit code ${result.code}`;
      throw new CliError(
        `the downloaded dollama did not report version ${wanted} (it said: ${said})`,
      );
    }
  });
  await io.stdout.write(`dollama upgraded from ${VERSION} to ${wanted} (${targetPath})\n`);
}

/**
 * The version on the first line of `dollama --version` (`dollama version 0.2.0`, possibly
 * followed by more words), compared whole: `0.2.0-rc.1` or `10.2.0` is not `0.2.0`.
 */
export function reportedVersion(output: string): string | undefined {
  const first = output.replace(/^\s+/, "").split(/\r?\n/)[0];
  return /^dollama version (\S+)(?:\s|$)/.exec(first)?.[1];
}

/** The context and the stall limit every request of one upgrade shares. */
interface Http {
  ctx: Context;
  stallMs: number;
}

/**
 * An abort signal for one request that also fires when `stallMs` pass without `progress()`:
 * a stalled server cannot hang the upgrade, while a slow download that keeps moving goes on.
 */
class StallWatch {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: AbortSignal, ms: number) {
    this.#ms = ms;
    this.signal = AbortSignal.any([parent, this.#controller.signal]);
    this.progress();
  }

  get stalled(): boolean {
    return this.#controller.signal.aborted;
  }

  progress(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#controller.abort(), this.#ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

function seconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The tag `<base>/latest` redirects to. */
async function latestTag(http: Http, base: string): Promise<string> {
  const url = releaseUrls.latest(base);
  const watch = new StallWatch(http.ctx.signal, http.stallMs);
  let res: Response;
  try {
    res = await request(http, watch, url, "manual");
    await res.body?.cancel();
  } finally {
    watch.stop();
  }
  let location: string | undefined;
  if (res.status >= 300 && res.status < 400) {
    const header = res.headers.get("location");
    if (header) location = new URL(header, url).href;
  } else if (res.ok) {
    location = res.url;
  } else if (res.status === 404) {
    throw new CliError(`no releases found at ${base} (${url}: HTTP 404)`);
  }
  const tag = location ? tagFromReleaseUrl(location) : undefined;
  const normalized = tag ? normalizeTag(tag) : undefined;
  if (!normalized) {
    throw new CliError(
      `could not find the newest release: ${url} answered HTTP ${res.status}` +
        (location ? ` pointing at ${location}` : "") + ", not at a release tag",
    );
  }
  return normalized;
}

async function request(
  http: Http,
  watch: StallWatch,
  url: string,
  redirect: RequestRedirect = "follow",
): Promise<Response> {
  const { ctx } = http;
  try {
    return await ctx.io.fetch(url, {
      redirect,
      signal: watch.signal,
      headers: { "user-agent": userAgent(ctx.io) },
    });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    if (watch.stalled) {
      throw new CliError(`could not reach ${url}: no answer within ${seconds(http.stallMs)}`);
    }
    throw new CliError(`could not reach ${url}: ${message(err)}`);
  }
}

async function download(http: Http, url: string, notFound: string): Promise<Uint8Array> {
  const { ctx } = http;
  const watch = new StallWatch(ctx.signal, http.stallMs);
  try {
    const res = await request(http, watch, url);
    if (!res.ok) {
      await res.body?.cancel();
      throw new CliError(
        res.status === 404
          ? `${notFound} (${url}: HTTP 404)`
          : `downloading ${url} failed: HTTP ${res.status}`,
      );
    }
    const chunks: Uint8Array[] = [];
    try {
      if (res.body) {
        for await (const chunk of res.body) {
          watch.progress();
          chunks.push(chunk);
        }
      }
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      if (watch.stalled) {
        throw new CliError(
          `downloading ${url} failed: the server sent nothing for ${seconds(http.stallMs)}`,
        );
      }
      throw new CliError(`downloading ${url} failed: ${message(err)}`);
    }
    return joinBytes(chunks);
  } finally {
    watch.stop();
  }
}

async function unpack(archive: Uint8Array, target: Target): Promise<Uint8Array> {
  const name = binaryName(target);
  try {
    return isWindowsTarget(target)
      ? await extractFromZip(archive, name)
      : await extractFromTarGz(archive, name);
  } catch (err) {
    if (err instanceof ArchiveError) {
      throw new CliError(`cannot unpack ${assetName(target)}: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Writes `bytes` next to `target`, lets `check` try the new file, then renames it over `target`
 * in one step. On Windows a running executable cannot be overwritten but can be renamed, so the
 * old one moves aside to `<target>.old` first (and back if the swap fails); a stale `.old` from
 * an earlier upgrade is removed when it no longer runs.
 */
async function replaceExecutable(
  target: string,
  bytes: Uint8Array,
  windows: boolean,
  check: (staged: string) => Promise<void>,
): Promise<void> {
  const dir = dirname(target);
  const stagedPrefix = `.${basename(target, extname(target))}.upgrade-`;
  const staged = join(dir, `${stagedPrefix}${crypto.randomUUID().slice(0, 8)}${extname(target)}`);
  let mode = 0o755;
  try {
    const info = await Deno.stat(target);
    if (info.mode !== null) mode = (info.mode & 0o777) | 0o111;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw fsError(err, target);
    throw new CliError(`${target} does not exist; nothing to upgrade`);
  }
  if (windows) await Deno.remove(`${target}.old`).catch(() => {});
  await removeStaleStaged(dir, stagedPrefix);

  try {
    try {
      await Deno.writeFile(staged, bytes, { mode, createNew: true });
      if (!windows) await Deno.chmod(staged, mode);
    } catch (err) {
      throw fsError(err, dir);
    }
    await check(staged);
    try {
      if (windows) {
        const old = `${target}.old`;
        await Deno.rename(target, old);
        try {
          await Deno.rename(staged, target);
        } catch (err) {
          await Deno.rename(old, target);
          throw err;
        }
        await Deno.remove(old).catch(() => {});
      } else {
        await Deno.rename(staged, target);
      }
    } catch (err) {
      throw fsError(err, target);
    }
  } catch (err) {
    await Deno.remove(staged).catch(() => {});
    throw err;
  }
}

/**
 * Removes files an earlier upgrade staged but never renamed: one killed (SIGKILL, power loss)
 * while it checked the new binary cannot clean up after itself, and each leftover is as large as
 * dollama. Only names this command makes are touched.
 */
async function removeStaleStaged(dir: string, prefix: string): Promise<void> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.startsWith(prefix)) {
        await Deno.remove(join(dir, entry.name)).catch(() => {});
      }
    }
  } catch {
    // An unreadable directory: the write below reports what is wrong with it.
  }
}

function fsError(err: unknown, path: string): unknown {
  if (err instanceof Deno.errors.PermissionDenied) {
    return new CliError(
      `cannot write to ${path}: permission denied; ` +
        `run the upgrade as the user who owns it, or reinstall into a directory you own`,
    );
  }
  if (err instanceof Error && !(err instanceof CliError)) {
    return new CliError(`cannot replace ${path}: ${err.message}`);
  }
  return err;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
