/**
 * `OLLAMA_HOST` → base URL, following the official client's rules (docs/api.md, Host parsing)
 * exactly, including its quirks: `http://` without a port means port 80, anything after the first
 * `/` is a base path, and a bad port falls back to the default with a warning. One deliberate
 * addition: `user:password@` before the host is taken as credentials for HTTP Basic
 * authentication (Ollama is often put behind a reverse proxy that asks for them), and the
 * password is shown as `***` wherever the address is printed.
 */

export interface OllamaHost {
  scheme: string;
  /** Host name or IP without brackets; "" means the local machine (Go dials localhost). */
  host: string;
  port: string;
  /** Base path without leading or trailing slashes, "" for none. */
  path: string;
  /** Problems that were repaired, for a warning line on stderr. */
  warnings: string[];
  /** `user:password@` of the address, percent-decoded; never printed. */
  credentials?: { username: string; password: string };
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `user:password@host:port` → the credentials and `host:port` (the last `@` ends them). */
function splitUserinfo(
  hostport: string,
): [OllamaHost["credentials"] | undefined, string] {
  const at = hostport.lastIndexOf("@");
  if (at < 0) return [undefined, hostport];
  const userinfo = hostport.slice(0, at);
  const colon = userinfo.indexOf(":");
  const username = percentDecode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? "" : percentDecode(userinfo.slice(colon + 1));
  return [{ username, password }, hostport.slice(at + 1)];
}

/** Go's `envconfig.Var`: trim spaces, then surrounding quotes, then spaces again. */
export function cleanEnvValue(raw: string | undefined): string {
  return (raw ?? "").trim().replace(/^["']+|["']+$/g, "").trim();
}

/** Go's `net.SplitHostPort`, returning undefined where Go returns an error. */
function splitHostPort(hostport: string): [string, string] | undefined {
  if (hostport.startsWith("[")) {
    const end = hostport.indexOf("]");
    if (end < 0 || hostport[end + 1] !== ":") return undefined;
    const host = hostport.slice(1, end);
    const port = hostport.slice(end + 2);
    if (port.includes(":") || port.includes("[") || port.includes("]")) return undefined;
    return [host, port];
  }
  const colon = hostport.lastIndexOf(":");
  if (colon < 0) return undefined;
  const host = hostport.slice(0, colon);
  if (host.includes(":") || host.includes("[") || host.includes("]")) return undefined;
  return [host, hostport.slice(colon + 1)];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIp(candidate: string): boolean {
  const v4 = IPV4.exec(candidate);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  if (!candidate.includes(":")) return false;
  try {
    new URL(`http://[${candidate}]/`);
    return true;
  } catch {
    return false;
  }
}

export function parseOllamaHost(raw: string | undefined): OllamaHost {
  const value = cleanEnvValue(raw);
  const warnings: string[] = [];
  let defaultPort = "11434";
  let scheme: string;
  let hostport: string;
  const sep = value.indexOf("://");
  if (sep < 0) {
    scheme = "http";
    hostport = value;
    if (value === "ollama.com") [scheme, hostport] = ["https", "ollama.com:443"];
  } else {
    scheme = value.slice(0, sep);
    hostport = value.slice(sep + 3);
    if (scheme === "http") defaultPort = "80";
    if (scheme === "https") defaultPort = "443";
  }
  // A query or a fragment is no part of a server's address; Go's URL parser sets both aside.
  hostport = hostport.replace(/[?#][\s\S]*$/, "");
  const slash = hostport.indexOf("/");
  const path = slash < 0 ? "" : hostport.slice(slash + 1).replace(/^\/+|\/+$/g, "");
  if (slash >= 0) hostport = hostport.slice(0, slash);
  const [credentials, bare] = splitUserinfo(hostport);
  hostport = bare;

  let host: string;
  let port: string;
  const split = splitHostPort(hostport);
  if (split) {
    [host, port] = split;
  } else {
    host = "127.0.0.1";
    port = defaultPort;
    const bare = hostport.replace(/^\[+|\]+$/g, "");
    if (isIp(bare)) host = bare.toLowerCase();
    else if (hostport !== "") host = hostport;
  }
  const n = /^[+-]?\d+$/.test(port) ? Number(port) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 65535) {
    warnings.push(`invalid port ${JSON.stringify(port)} in OLLAMA_HOST, using ${defaultPort}`);
    port = defaultPort;
  } else {
    // As a number reads it: `+11434` and `011434` are port 11434, which a URL must spell so.
    port = String(n);
  }
  return { scheme, host, port, path, warnings, ...(credentials && { credentials }) };
}

function withoutUserinfo(h: OllamaHost): string {
  const host = h.host.includes(":") ? `[${h.host}]` : h.host;
  return `${h.scheme}://${host}:${h.port}${h.path ? `/${h.path}` : ""}`;
}

/**
 * The base URL as the official client prints it, e.g. `http://[::1]:11434` or `http://:1234`;
 * with credentials `http://user:***@host:port`, so the password is never shown.
 */
export function hostToString(h: OllamaHost): string {
  const url = withoutUserinfo(h);
  if (!h.credentials) return url;
  const scheme = `${h.scheme}://`;
  return `${scheme}${h.credentials.username}:***@${url.slice(scheme.length)}`;
}

/** A base URL `fetch` can dial: an empty host means this machine; credentials go in a header. */
export function hostToFetchBase(h: OllamaHost): string {
  return withoutUserinfo({ ...h, host: h.host === "" ? "127.0.0.1" : h.host });
}

/** The `Authorization` header value for the address's credentials, if it has any. */
export function basicAuthorization(h: OllamaHost): string | undefined {
  if (!h.credentials) return undefined;
  const bytes = new TextEncoder().encode(`${h.credentials.username}:${h.credentials.password}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}
