/**
 * The bash deny-list (docs/agent.md, Deny-list): the rules that block a command outright, with
 * or without yolo. They judge RESOLVED commands — the analyser (analyse.ts) has already removed
 * quotes, decoded `$'…'`, expanded braces, followed wrappers and nested shells — so one rule
 * covers every spelling the analyser can resolve. `dangerousPattern` (analyse.ts) applies them to
 * a whole command line.
 */
import { basename } from "./shell_words.ts";

/** Short flags of `args` as single letters, long flags as written (`--force`). */
export function flags(args: string[]): Set<string> {
  const set = new Set<string>();
  for (const a of args) {
    if (a === "--") break;
    if (a.startsWith("--")) set.add(a.split("=")[0]);
    else if (a.startsWith("-") && a.length > 1) { for (const ch of a.slice(1)) set.add(ch); }
  }
  return set;
}

/** Devices a command may write to: nothing is destroyed there. */
export const SAFE_DEVICES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+|zero)$/;

/** `a//b/./c/../d` → `a/b/d`, so `/etc//passwd` is `/etc/passwd`; a leading `/` or `~` stays. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length && parts[parts.length - 1] !== ".." && parts[0] !== "~") {
      parts.pop();
    } else if (part === ".." && parts.length === 1 && parts[0] === "~") {
      parts.pop();
    } else parts.push(part);
  }
  return (absolute ? "/" : "") + parts.join("/");
}

const HISTORY_FILES = new Set([
  ".bash_history",
  ".zsh_history",
  ".history",
  ".sh_history",
  ".python_history",
  ".node_repl_history",
  ".psql_history",
  ".mysql_history",
  ".sqlite_history",
  ".lesshst",
  ".viminfo",
]);

const CREDENTIAL_FILES = new Set([
  ".netrc",
  ".git-credentials",
  ".npmrc",
  ".pypirc",
  ".pgpass",
  "secrets.json",
]);

/** The secret that a literal path names, if any: the rule's name. */
export function secretFile(word: string): string | undefined {
  const lower = normalizePath(word.toLowerCase());
  const base = basename(lower);
  if (/(^|\/)\.ssh\/id_/.test(lower) || /^id_(rsa|dsa|ecdsa|ed25519)/.test(base)) {
    return ".ssh/id_*";
  }
  if (/(^|\/)\.ssh\/./.test(lower)) return ".ssh/";
  if (/(^|\/)\.aws\/credentials$/.test(lower)) return ".aws/credentials";
  if (/(^|\/)\.aws\/./.test(lower)) return "cloud credentials";
  if (
    /(^|\/)(\.config\/gcloud|\.azure|\.gnupg|\.config\/gh|\.docker\/config\.json|\.kube\/config)(\/|$)/
      .test(lower)
  ) {
    return "cloud credentials";
  }
  if (/^\/etc\/(passwd|shadow|gshadow|sudoers)$/.test(lower)) return lower;
  if (base === ".env" || base.startsWith(".env.")) return ".env";
  if (base.endsWith(".pem") && base.length > 4) return "*.pem";
  if (base.endsWith(".key") && base.length > 4) return "*.key";
  if (HISTORY_FILES.has(base)) return "shell history";
  if (CREDENTIAL_FILES.has(base)) return base;
  return undefined;
}

/** A glob as a regular expression for one path component. */
export function globRegex(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        const inner = glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
        source += `[${inner}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "i");
}

export const GLOB_CHARS = /[*?[]/;

/** Names a glob component is tried against when looking for a secret it could match. */
const SECRET_COMPONENTS = [
  ".env",
  ".env.local",
  ".env.production",
  ".ssh",
  "id_rsa",
  "id_ed25519",
  "id_ecdsa",
  "authorized_keys",
  "config",
  ".aws",
  "credentials",
  "etc",
  "passwd",
  "shadow",
  "server.pem",
  "private.key",
  "secrets.json",
  ".kube",
  ".docker",
  "config.json",
  ".gnupg",
  ".azure",
  ".config",
  "gcloud",
  ...HISTORY_FILES,
  ...CREDENTIAL_FILES,
];

/**
 * The secret a path names, globs included: `cat .e?v` names `.env`, `~/.ssh/id*` an SSH key.
 * `glob` marks which characters were unquoted glob characters (a quoted `*` is a literal).
 */
export function secretPath(word: string, isGlob: boolean): string | undefined {
  const direct = secretFile(word);
  if (direct || !isGlob) return direct;
  // Each globbing component is replaced by every secret-looking name it matches.
  let candidates = [""];
  for (const [i, part] of word.split("/").entries()) {
    // A bare `*` names everything and so nothing in particular; a glob that does not start with
    // a literal `.` never matches a dot file, as in bash.
    const options = !GLOB_CHARS.test(part)
      ? [part]
      : /^[*?]+$/.test(part)
      ? ["x"]
      : SECRET_COMPONENTS
        .filter((name) => globRegex(part).test(name) && (!name.startsWith(".") || part[0] === "."));
    if (options.length === 0) return undefined;
    candidates = candidates.flatMap((c) => options.map((o) => i === 0 ? o : `${c}/${o}`))
      .slice(0, 512);
  }
  for (const candidate of candidates) {
    const hit = secretFile(candidate);
    if (hit) return hit;
  }
  return undefined;
}

/** Environment variables that hold secrets, by name. */
export const SECRET_VARIABLE =
  /^(OLLAMA_API_KEY|[A-Za-z0-9_]*_(TOKEN|SECRET|KEY|PASSWORD|CREDENTIALS)|[A-Za-z0-9_]*SECRET[A-Za-z0-9_]*)$/;

const ALWAYS = new Map<string, string>([
  ["mkfs", "mkfs"],
  ["dd", "dd"],
  ["shred", "shred"],
  ["sudo", "sudo"],
  ["su", "su"],
  ["doas", "doas"],
  ["pkexec", "sudo"],
  ["chown", "chown"],
  ["nc", "nc"],
  ["ncat", "nc"],
  ["netcat", "nc"],
  ["socat", "nc"],
  ["telnet", "nc"],
  ["scp", "scp"],
  ["sftp", "scp"],
  ["rsync", "rsync"],
  ["mkfifo", "mkfifo"],
  ["history", "history"],
  ["wipefs", "wipefs"],
  ["fdisk", "fdisk"],
  ["parted", "fdisk"],
  ["shutdown", "shutdown"],
  ["reboot", "reboot"],
  ["halt", "shutdown"],
  ["poweroff", "shutdown"],
  ["truncate", "truncate"],
  ["crontab", "crontab"],
]);

/** Every command name a rule here names: a glob in command position is tried against these. */
export const RULE_NAMES = [
  ...ALWAYS.keys(),
  "rm",
  "chmod",
  "curl",
  "wget",
  "find",
  "tee",
  "cp",
  "ln",
  "git",
  "mkfs.ext4",
];

/** Devices other than the harmless ones. */
function isDevice(path: string): boolean {
  return path.startsWith("/dev/") && !SAFE_DEVICES.test(normalizePath(path));
}

/** Writes to these truncate or replace a file with nothing. */
const EMPTY_SOURCES = /^\/dev\/(null|zero|random|urandom|full)$/;

/**
 * The rule a resolved simple command matches: `name` is the command past wrappers (basename),
 * `args` its words after it. Nested commands (`bash -c`, `find -exec`) are the analyser's to
 * follow; this judges one command.
 */
export function commandRule(name: string, args: string[]): string | undefined {
  if (ALWAYS.has(name)) return ALWAYS.get(name);
  if (name.startsWith("mkfs.")) return "mkfs";
  const f = flags(args);
  switch (name) {
    case "rm": {
      const recursive = f.has("r") || f.has("R") || f.has("--recursive");
      const force = f.has("f") || f.has("--force");
      if (recursive && force) return "rm -rf";
      if (recursive && args.some((a) => /^(\/|~|\/\*|~\/?\*?)$/.test(normalizePath(a) || "/"))) {
        return "rm -r /";
      }
      if (recursive) return "rm -r";
      return undefined;
    }
    case "chmod": {
      const modes = args.filter((a) => !a.startsWith("-") || /^-[rwxXst]+$/.test(a));
      if (modes.some((a) => /^(0?777|[ugoa]*\+rwx|[ugoa]*=rwx)$/.test(a))) return "chmod 777";
      if (modes.some((a) => /^(0*|[ugoa]*=|[ugoa]*-rwx)$/.test(a) && a !== "")) return "chmod 000";
      return undefined;
    }
    case "curl": {
      if (
        args.some((a) => /^--(data|data-\w+|form|form-string|upload-file|json)(=|$)/.test(a)) ||
        f.has("d") || f.has("F") || f.has("T")
      ) return "curl -d";
      const x = args.findIndex((a) => a === "-X" || a === "--request");
      const method = x >= 0 ? args[x + 1] : args.find((a) => /^-X\w/.test(a))?.slice(2);
      if (method && /^(POST|PUT|PATCH|DELETE)$/i.test(method)) return "curl -X POST";
      return undefined;
    }
    case "wget":
      if (args.some((a) => /^--(post|body|method)/.test(a))) return "wget --post";
      return undefined;
    case "find":
      if (args.includes("-delete")) return "find -delete";
      if (args.some((a) => /^-(fprint|fprint0|fprintf|fls)$/.test(a))) return "find -fprint";
      return undefined;
    case "tee":
      if (args.some(isDevice)) return "> /dev/";
      return undefined;
    case "cp":
    case "mv":
    case "install":
      if (args.some((a) => EMPTY_SOURCES.test(a))) return "cp /dev/null";
      if (args.some(isDevice)) return "> /dev/";
      return undefined;
    case "ln":
      if (args.some((a) => EMPTY_SOURCES.test(a))) return "ln -sf /dev/null";
      return undefined;
    case "git": {
      const sub = gitSubcommand(args);
      if (!sub) return undefined;
      const subFlags = flags(sub.args);
      if (sub.name === "clean" && (subFlags.has("f") || subFlags.has("--force"))) {
        return "git clean -f";
      }
      if (sub.name === "reset" && subFlags.has("--hard")) return "git reset --hard";
      if (
        sub.name === "push" &&
        (subFlags.has("f") || subFlags.has("--force") || subFlags.has("--force-with-lease") ||
          sub.args.some((a) => /^\+/.test(a)))
      ) return "git push --force";
      return undefined;
    }
  }
  return undefined;
}

/** `git -C dir status -s` → `{name: "status", args: ["-s"], globals: ["-C", "dir"]}`. */
export function gitSubcommand(
  args: string[],
): { name: string; args: string[]; globals: string[] } | undefined {
  let i = 0;
  const globals: string[] = [];
  while (i < args.length && args[i].startsWith("-")) {
    globals.push(args[i]);
    // Global options that take a value as the next word.
    if (/^(-C|-c|--git-dir|--work-tree|--namespace|--exec-path|--config-env)$/.test(args[i])) {
      globals.push(args[i + 1] ?? "");
      i++;
    }
    i++;
  }
  if (i >= args.length) return undefined;
  return { name: args[i], args: args.slice(i + 1), globals };
}

/** The rule a redirection matches: a device write, or a file emptied by `: > f` / `> f`. */
export function redirectRule(op: string, target: string, commandName?: string): string | undefined {
  if (op === "<" || op.startsWith("<<")) return undefined;
  if (isDevice(target)) return "> /dev/";
  const truncates = op === ">" || op === ">|" || op === "&>";
  if (
    truncates && !SAFE_DEVICES.test(target) &&
    (commandName === undefined || commandName === ":" || commandName === "true")
  ) {
    return ": > file";
  }
  return undefined;
}
