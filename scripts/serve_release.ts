/**
 * Serves release assets the way GitHub serves a project's releases, so that `install.sh`,
 * `install.ps1` and `dollama upgrade` can install from them before they are public:
 *
 *   <base>/latest                      302 -> <base>/tag/<newest tag>
 *   <base>/tag/<tag>                   200 (an HTML page on GitHub)
 *   <base>/latest/download/<asset>     302 -> <base>/download/<newest tag>/<asset>
 *   <base>/download/<tag>/<asset>      302 -> <origin>/objects/<tag>/<asset>  (GitHub's CDN hop)
 *   <origin>/objects/<tag>/<asset>     200 the bytes
 *
 * where <base> is `<origin>/acme/dollama/releases`. The release workflow runs it on each target's
 * runner over the draft release's assets (`deno run --allow-net --allow-read
 * scripts/serve_release.ts DIR TAG`, which prints the base URL on its first line); the tests'
 * ReleaseServer (tests/support/release_server.ts) answers with the same handler.
 */
import { join } from "node:path";

/** Where the releases live on the server, like `/OWNER/REPO/releases` on GitHub. */
export const RELEASES_PATH = "/acme/dollama/releases";

/** Tag → asset name → bytes. */
export type Releases = Map<string, Map<string, Uint8Array>>;

export interface ReleaseSite {
  releases: Releases;
  /** The tag `<base>/latest` points at; none means the project has no release yet. */
  latest: string | undefined;
}

/** Answers one request as GitHub's release pages and downloads do. */
export function handleReleaseRequest(site: ReleaseSite, req: Request): Response {
  const url = new URL(req.url);
  const path = decodeURIComponent(url.pathname);
  const prefix = RELEASES_PATH;
  const asset = (tag: string, name: string) => site.releases.get(tag)?.get(name);
  const notFound = () => new Response("Not Found", { status: 404 });
  const redirect = (to: string) =>
    new Response(null, { status: 302, headers: { location: new URL(to, url.origin).href } });

  let m: RegExpExecArray | null;
  if (path === `${prefix}/latest`) {
    return site.latest ? redirect(`${prefix}/tag/${site.latest}`) : notFound();
  }
  if ((m = new RegExp(`^${prefix}/tag/([^/]+)$`).exec(path))) {
    return site.releases.has(m[1])
      ? new Response(`<html>release ${m[1]}</html>`, { headers: { "content-type": "text/html" } })
      : notFound();
  }
  if ((m = new RegExp(`^${prefix}/latest/download/([^/]+)$`).exec(path))) {
    return site.latest ? redirect(`${prefix}/download/${site.latest}/${m[1]}`) : notFound();
  }
  if ((m = new RegExp(`^${prefix}/download/([^/]+)/([^/]+)$`).exec(path))) {
    return asset(m[1], m[2]) ? redirect(`/objects/${m[1]}/${m[2]}`) : notFound();
  }
  if ((m = /^\/objects\/([^/]+)\/([^/]+)$/.exec(path))) {
    const bytes = asset(m[1], m[2]);
    return bytes
      ? new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "application/octet-stream" },
      })
      : notFound();
  }
  return notFound();
}

/** Every regular file directly in `dir`, by name. */
export async function readAssets(dir: string): Promise<Map<string, Uint8Array>> {
  const assets = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) assets.set(entry.name, await Deno.readFile(join(dir, entry.name)));
  }
  return assets;
}

if (import.meta.main) {
  const [dir, tag] = Deno.args;
  if (!dir || !tag || !/^v\d/.test(tag)) {
    console.error(
      "usage: serve_release.ts DIR TAG   (DIR holds one release's assets, TAG is v1.2.3)",
    );
    Deno.exit(2);
  }
  const site: ReleaseSite = { releases: new Map([[tag, await readAssets(dir)]]), latest: tag };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handleReleaseRequest(site, req),
  );
  console.log(`http://127.0.0.1:${server.addr.port}${RELEASES_PATH}`);
}
