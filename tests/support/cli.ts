/** Runs dollama as a subprocess, exactly as `deno task dollama` does, and captures everything. */
import denoJson from "../../deno.json" with { type: "json" };

const root = new URL("../../", import.meta.url);
const mainPath = new URL("main.ts", root).pathname;

/** The permission and V8 flags of the `dollama` task, so tests run with what users get. */
export const TASK_FLAGS: string[] = denoJson.tasks.dollama.split(/\s+/).filter((w) =>
  w.startsWith("--allow-") || w.startsWith("--v8-flags=")
);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** OLLAMA_HOST; usually a FakeOllama's url. */
  host?: string;
  env?: Record<string, string>;
  /** Bytes for stdin; when absent stdin is empty (/dev/null). */
  stdin?: string | Uint8Array;
  /** Called with the running child, e.g. to send it a signal. */
  onSpawn?: (child: Deno.ChildProcess) => void | Promise<void>;
}

let cachedDenoDir: string | undefined;

/**
 * The test runner's Deno cache, so the CLI under test reuses compiled code instead of filling
 * each test's private HOME with a new cache.
 */
function denoDir(): string {
  cachedDenoDir ??= Deno.env.get("DENO_DIR") ?? JSON.parse(
    new TextDecoder().decode(
      new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "null" }).outputSync()
        .stdout,
    ),
  ).denoDir ?? "";
  return cachedDenoDir!;
}

let homesDir: string | undefined;

/**
 * A new empty HOME. All of them live in one directory that is removed when the test process
 * ends, so a test run leaves no temporary directories behind.
 */
export function privateHome(): string {
  if (homesDir === undefined) {
    const dir = homesDir = Deno.makeTempDirSync({ prefix: "dollama-homes-" });
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch {
        // a test made something unremovable; leaving it is all that can be done
      }
    });
  }
  return Deno.makeTempDirSync({ dir: homesDir, prefix: "home-" });
}

/** The environment every test run starts from: no colour, no proxies, a private HOME. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: privateHome(),
    DENO_DIR: denoDir(),
    RUST_BACKTRACE: "0",
    NO_COLOR: "1",
    ...extra,
  };
}

export function dollamaCommand(args: string[]): string[] {
  return ["run", "--quiet", ...TASK_FLAGS, mainPath, ...args];
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = baseEnv(options.env);
  if (options.host !== undefined) env.OLLAMA_HOST = options.host;
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  const child = new Deno.Command(Deno.execPath(), {
    args: dollamaCommand(args),
    env,
    clearEnv: true,
    cwd: root.pathname,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(
      typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin,
    );
    await writer.close();
  }
  await options.onSpawn?.(child);
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Runs dollama against `server` (a fake server's url becomes OLLAMA_HOST). */
export function runAgainst(
  server: { url: string },
  args: string[],
  options: CliOptions = {},
): Promise<CliResult> {
  return runCli(args, { host: server.url, ...options });
}
