/** Child processes for the bench: spawning dollama as `deno task dollama` does, and RSS sampling. */
import { baseEnv, dollamaCommand } from "../tests/support/cli.ts";

export const ROOT = new URL("../", import.meta.url).pathname;

/** One environment for every child: no colour, a private HOME, the caller's PATH and DENO_DIR. */
const sharedEnv = baseEnv();
if (sharedEnv.DENO_DIR === "") delete sharedEnv.DENO_DIR;

export function childEnv(host?: string): Record<string, string> {
  return host === undefined ? { ...sharedEnv } : { ...sharedEnv, OLLAMA_HOST: host };
}

export interface Spawned {
  child: Deno.ChildProcess;
  start: number;
}

/** Starts dollama with `args`, exactly as the `dollama` task would run it. */
export function spawnDollama(
  args: string[],
  options: { host?: string; stdin?: "null" | "piped"; stdout?: "null" | "piped" } = {},
): Spawned {
  const start = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: dollamaCommand(args),
    cwd: ROOT,
    env: childEnv(options.host),
    clearEnv: true,
    stdin: options.stdin ?? "null",
    stdout: options.stdout ?? "null",
    stderr: "piped",
  }).spawn();
  return { child, start };
}

/** Reads a stream to its end, counting bytes and keeping only the first `keep` of them. */
export async function drain(
  stream: ReadableStream<Uint8Array>,
  keep = 4096,
): Promise<{ bytes: number; head: string }> {
  let bytes = 0;
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  for await (const part of stream) {
    bytes += part.length;
    if (keptBytes < keep) {
      kept.push(part.subarray(0, keep - keptBytes));
      keptBytes += Math.min(part.length, keep - keptBytes);
    }
  }
  const all = new Uint8Array(keptBytes);
  let at = 0;
  for (const k of kept) {
    all.set(k, at);
    at += k.length;
  }
  return { bytes, head: new TextDecoder().decode(all) };
}

export interface RssSamples {
  /** Highest VmRSS seen by the sampler, in bytes. */
  peakSampled: number;
  /** Highest VmHWM (the kernel's own peak RSS) seen, in bytes; catches peaks between samples. */
  peakHwm: number;
  samples: number;
}

function kib(status: string, field: string): number {
  const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Samples /proc/<pid>/status every `intervalMs` until `done` settles. */
export async function sampleRss(
  pid: number,
  done: Promise<unknown>,
  intervalMs = 20,
): Promise<RssSamples> {
  let finished = false;
  done.finally(() => finished = true).catch(() => {});
  const result: RssSamples = { peakSampled: 0, peakHwm: 0, samples: 0 };
  while (!finished) {
    try {
      const status = await Deno.readTextFile(`/proc/${pid}/status`);
      const rss = kib(status, "VmRSS");
      // A zombie has no VmRSS line: the process is gone.
      if (rss > 0) {
        result.samples++;
        result.peakSampled = Math.max(result.peakSampled, rss);
        result.peakHwm = Math.max(result.peakHwm, kib(status, "VmHWM"));
      }
    } catch {
      // The process has already been reaped.
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return result;
}

/** Removes the private HOME made for the children. */
export function removeChildHome(): void {
  try {
    Deno.removeSync(sharedEnv.HOME, { recursive: true });
  } catch {
    // already gone
  }
}
