/**
 * A tiny stand-in for a project's GitHub releases, on `Deno.serve` port 0, serving small fake
 * release archives with the URLs and redirects GitHub uses (scripts/serve_release.ts answers the
 * requests, the same code the release workflow serves its draft release with). <base> is
 * `<origin>/acme/dollama/releases`. Each release holds one archive per target (a `.tar.gz` with
 * `dollama`, a `.zip` with `dollama.exe`), SHA256SUMS, install.sh and install.ps1. The fake
 * `dollama` is a shell script printing `dollama version <V>`.
 *
 *     const server = await ReleaseServer.start([{ version: "0.2.0" }, { version: "0.3.0" }]);
 *     try { ... DOLLAMA_DOWNLOAD_URL: server.url ... } finally { await server.close(); }
 */
import {
  assetName,
  binaryName,
  CHECKSUMS_ASSET,
  isWindowsTarget,
  type Target,
  TARGETS,
} from "../../lib/release/targets.ts";
import { joinBytes } from "../../lib/bytes.ts";
import { closing } from "./closing.ts";
import { crc32 } from "../../lib/release/archive.ts";
import { formatSha256Sums, sha256Hex } from "../../lib/release/checksums.ts";
import { compareVersions } from "../../lib/release/version.ts";
import {
  handleReleaseRequest,
  type Releases,
  RELEASES_PATH,
  type ReleaseSite,
} from "../../scripts/serve_release.ts";

const root = new URL("../../", import.meta.url);
const encoder = new TextEncoder();

export interface FakeRelease {
  /** Without the `v`: "0.2.0". The tag is `v0.2.0`. */
  version: string;
  /** Targets whose archive this release lacks. */
  without?: Target[];
  /** SHA256SUMS lists wrong digests for the archives. */
  badChecksums?: boolean;
  /** The executable inside each archive; default `fakeDollama(version, target)`. */
  binary?: (target: Target) => string | Uint8Array;
}

/** A shell script that behaves like `dollama --version` of the given version. */
export function fakeDollama(version: string, target?: Target): string {
  return `#!/bin/sh\necho "dollama version ${version}${target ? ` (${target})` : ""}"\n`;
}

/** Runs `fn` with a release server holding `releases`, and closes the server however it ends. */
export async function withReleaseServer(
  releases: FakeRelease[],
  fn: (server: ReleaseServer) => Promise<void>,
): Promise<void> {
  await closing(await ReleaseServer.start(releases), fn);
}

export class ReleaseServer {
  /** Every path requested, in order. */
  readonly requests: string[] = [];
  readonly #site: ReleaseSite;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;

  private constructor(site: ReleaseSite) {
    this.#site = site;
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => {
        this.requests.push(decodeURIComponent(new URL(req.url).pathname));
        return handleReleaseRequest(this.#site, req);
      },
    );
  }

  /** Serves `releases`; the newest version is "latest" unless `latest` names another. */
  static async start(
    releases: FakeRelease[],
    options: { latest?: string } = {},
  ): Promise<ReleaseServer> {
    const assets: Releases = new Map();
    for (const release of releases) assets.set(`v${release.version}`, await buildRelease(release));
    const newest = releases.map((r) => r.version).sort(compareVersions).at(-1);
    const latest = options.latest ?? newest;
    return new ReleaseServer({
      releases: assets,
      latest: latest === undefined ? undefined : `v${latest}`,
    });
  }

  /** Serves release assets made elsewhere (tag -> name -> bytes), e.g. by the workflow's steps. */
  static serve(releases: Releases, latest: string | undefined): ReleaseServer {
    return new ReleaseServer({ releases, latest });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** The releases base URL, for DOLLAMA_DOWNLOAD_URL. */
  get url(): string {
    return `${this.origin}${RELEASES_PATH}`;
  }

  /** The bytes of one asset of one release (`v0.2.0`). */
  asset(tag: string, name: string): Uint8Array | undefined {
    return this.#site.releases.get(tag)?.get(name);
  }

  /** Requests for release archives (not SHA256SUMS, scripts or redirects' targets). */
  archiveRequests(): string[] {
    return this.requests.filter((p) =>
      /\/download\/.*dollama-[^/]+\.(tar\.gz|zip)$/.test(p) && !p.includes("/latest/")
    );
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}

async function buildRelease(release: FakeRelease): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const target of TARGETS) {
    if (release.without?.includes(target)) continue;
    const body = release.binary?.(target) ?? fakeDollama(release.version, target);
    const data = typeof body === "string" ? encoder.encode(body) : body;
    const entry = { name: binaryName(target), data, mode: 0o755 };
    files.set(
      assetName(target),
      isWindowsTarget(target) ? await zip([entry]) : await tarGz([entry]),
    );
  }
  for (const script of ["install.sh", "install.ps1"]) {
    files.set(script, await Deno.readFile(new URL(script, root)));
  }
  const sums: [string, string][] = [];
  for (const [name, data] of files) {
    const wrong = release.badChecksums && /\.(tar\.gz|zip)$/.test(name);
    sums.push([name, await sha256Hex(wrong ? encoder.encode(`not ${name}`) : data)]);
  }
  files.set(CHECKSUMS_ASSET, encoder.encode(formatSha256Sums(sums)));
  return files;
}

export interface ArchiveEntry {
  name: string;
  data: Uint8Array;
  mode?: number;
}

async function compress(data: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A ustar archive, as `tar` writes it. */
export function tar(entries: ArchiveEntry[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    const header = new Uint8Array(512);
    const put = (offset: number, text: string) => header.set(encoder.encode(text), offset);
    const num = (offset: number, width: number, value: number) =>
      put(offset, value.toString(8).padStart(width - 1, "0") + "\0");
    put(0, entry.name);
    num(100, 8, entry.mode ?? 0o644);
    num(108, 8, 0);
    num(116, 8, 0);
    num(124, 12, entry.data.length);
    num(136, 12, 1_700_000_000);
    put(148, "        ");
    put(156, "0");
    put(257, "ustar\0");
    put(263, "00");
    put(265, "root");
    put(297, "root");
    const sum = header.reduce((a, b) => a + b, 0);
    put(148, sum.toString(8).padStart(6, "0") + "\0 ");
    blocks.push(header, entry.data, new Uint8Array((512 - entry.data.length % 512) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return joinBytes(blocks);
}

export async function tarGz(entries: ArchiveEntry[]): Promise<Uint8Array> {
  return await compress(tar(entries), "gzip");
}

/** A zip archive; entries deflated unless `stored`. */
export async function zip(entries: ArchiveEntry[], stored = false): Promise<Uint8Array> {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const body = stored ? entry.data : await compress(entry.data, "deflate-raw");
    const crc = crc32(entry.data);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, stored ? 0 : 8, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, entry.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, stored ? 0 : 8, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, entry.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  return joinBytes([...locals, ...centrals, end]);
}
