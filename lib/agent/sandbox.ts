/**
 * The bash tool's sandbox (docs/agent.md, Sandbox). On Linux, with bubblewrap (`bwrap`) on PATH,
 * a command sees the whole filesystem read-only except the working directory and a private
 * `/tmp`, runs in its own PID namespace (so nothing it starts outlives it, daemons included) and
 * dies with dollama. On macOS the same write rules go through `sandbox-exec` with a profile.
 * Either way the command gets a clean environment (PATH and HOME only): `OLLAMA_API_KEY` and
 * every `*_TOKEN`, `*_SECRET` or `*_KEY` are simply not there.
 *
 * What it does not do: reads are not restricted (the deny-list and the approvals are what stand
 * between a model and `~/.ssh`), and the network is not cut off.
 */
import type { BashLaunch } from "./tools.ts";

export type SandboxSetting = "auto" | "off";

export type SandboxStatus =
  | { on: true; tool: "bwrap" | "sandbox-exec" }
  | { on: false; reason: string };

export interface Sandbox {
  readonly status: SandboxStatus;
  /** How to run `bash -c command` from `cwd` inside the sandbox (only when it is on). */
  launch(command: string, cwd: string): BashLaunch;
}

/** What the sandboxed command's environment is built from. */
export interface SandboxEnv {
  path?: string;
  home?: string;
}

function cleanEnv(env: SandboxEnv): Record<string, string> {
  return {
    ...(env.path !== undefined && { PATH: env.path }),
    ...(env.home !== undefined && { HOME: env.home }),
  };
}

/** What every bwrap run mounts: the whole filesystem read-only, fresh /dev, /proc and /tmp. */
const BWRAP_MOUNTS = [
  "--ro-bind",
  "/",
  "/",
  "--dev",
  "/dev",
  "--proc",
  "/proc",
  "--tmpfs",
  "/tmp",
] as const;

/** How every bwrap run is cut off: its own PID namespace, dying with dollama. */
const BWRAP_ISOLATION = [
  "--unshare-pid",
  "--die-with-parent",
  // A new session: the command cannot push keys into the terminal dollama reads (TIOCSTI).
  "--new-session",
] as const;

/** bwrap's arguments around `bash -c command` (without the program name). */
export function bwrapArgs(command: string, cwd: string): string[] {
  return [
    ...BWRAP_MOUNTS,
    "--bind",
    cwd,
    cwd,
    "--chdir",
    cwd,
    ...BWRAP_ISOLATION,
    "bash",
    "-c",
    command,
  ];
}

/**
 * The trial run: the same mounts and isolation as a command, without the working directory.
 * Sharing the lists keeps the probe testing exactly what a command will need.
 */
const PROBE_ARGS = [...BWRAP_MOUNTS, ...BWRAP_ISOLATION, "true"];

/** A sandbox-exec profile: everything allowed except writes outside `cwd`, the temp dirs, devices. */
export function macProfile(cwd: string): string {
  const quoted = (path: string) => `"${path.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  return [
    "(version 1)",
    "(allow default)",
    "(deny file-write*)",
    `(allow file-write* (subpath ${quoted(cwd)}) (subpath "/private/tmp")` +
    ` (subpath "/private/var/folders") (literal "/dev/null") (literal "/dev/stdout")` +
    ` (literal "/dev/stderr") (regex #"^/dev/fd/"))`,
  ].join("\n");
}

/** A probe: runs `program args` and says whether it exited 0, and what it said on stderr. */
export type Probe = (
  program: string,
  args: string[],
) => Promise<{ ok: boolean; missing: boolean; stderr: string }>;

/** Runs a probe with Deno.Command. */
export const denoProbe: Probe = async (program, args) => {
  try {
    const out = await new Deno.Command(program, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    return { ok: out.success, missing: false, stderr: new TextDecoder().decode(out.stderr) };
  } catch (err) {
    return { ok: false, missing: err instanceof Deno.errors.NotFound, stderr: String(err) };
  }
};

function off(reason: string): Sandbox {
  return {
    status: { on: false, reason },
    launch: () => {
      throw new Error("the sandbox is off");
    },
  };
}

/**
 * Finds out whether the bash tool can run sandboxed here: the setting, the OS, the tool on PATH,
 * and one trial run (inside some containers bwrap is installed but may not create namespaces).
 */
export async function detectSandbox(options: {
  setting: SandboxSetting;
  os: string;
  env: SandboxEnv;
  probe?: Probe;
}): Promise<Sandbox> {
  if (options.setting === "off") return off("DOLLAMA_AGENT_SANDBOX=off");
  const probe = options.probe ?? denoProbe;
  const env = cleanEnv(options.env);
  if (options.os === "linux") {
    const trial = await probe("bwrap", PROBE_ARGS);
    if (trial.missing) return off("bwrap not found; install bubblewrap");
    if (!trial.ok) {
      const why = trial.stderr.trim().split("\n")[0] ?? "";
      return off(`bwrap cannot run here${why ? `: ${why.replace(/^bwrap: /, "")}` : ""}`);
    }
    return {
      status: { on: true, tool: "bwrap" },
      launch: (command, cwd) => ({
        program: "bwrap",
        args: bwrapArgs(command, cwd),
        env,
        clearEnv: true,
      }),
    };
  }
  if (options.os === "darwin") {
    const trial = await probe("sandbox-exec", ["-p", macProfile("/"), "true"]);
    if (trial.missing) return off("sandbox-exec not found");
    if (!trial.ok) return off("sandbox-exec cannot run here");
    return {
      status: { on: true, tool: "sandbox-exec" },
      launch: (command, cwd) => ({
        program: "sandbox-exec",
        args: ["-p", macProfile(cwd), "bash", "-c", command],
        env,
        clearEnv: true,
      }),
    };
  }
  return off(`no sandbox on ${options.os}`);
}
