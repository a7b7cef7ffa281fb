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

/**
 * `a//b/./c/../d` → `a/b/d`, so `/etc//passwd` is `/etc/passwd`; a leading `/` or `~` stays.
 * A `..` that climbs out of `~` leaves the home directory for one of its ancestors, which may be
 * `/` itself (`/root`), so the path becomes absolute from `/`: `~/../../etc/shadow` is
 * `/etc/shadow`, whatever the depth of the real home directory.
 */
export function normalizePath(path: string): string {
  let absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length === 1 && parts[0] === "~") {
      parts.pop();
      absolute = true;
    } else if (part === ".." && parts.length && parts[parts.length - 1] !== "..") {
      parts.pop();
    } else if (part === ".." && absolute) {
      // `/..` is `/`.
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

/**
 * The secret that a literal path names, if any: the rule's name. A path may also be the value
 * in an option or setting (`--post-file=.env`, `post_file=.env`, `-d@.env`, `if=~/.ssh/id_rsa`),
 * so what follows each `=` or `@` is judged too.
 */
export function secretFile(word: string): string | undefined {
  const whole = secretPathName(word);
  if (whole) return whole;
  // `--exclude=.env` names files to skip, not one to read.
  if (/^--(exclude|include|exclude-dir|include-dir)=/.test(word)) return undefined;
  for (let i = 0; i < word.length; i++) {
    if (word[i] !== "=" && word[i] !== "@") continue;
    const value = secretPathName(word.slice(i + 1));
    if (value) return value;
  }
  return undefined;
}

function secretPathName(word: string): string | undefined {
  if (word === "") return undefined;
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
      const modes = args.filter((a) => !a.startsWith("-") || /^-[rwxXst,ugoa=+-]+$/.test(a));
      if (modes.some(worldWritable)) return "chmod 777";
      if (modes.some((a) => /^(0*|[ugoa]*=|[ugoa]*-rwx)$/.test(a) && a !== "")) return "chmod 000";
      return undefined;
    }
    case "curl":
      return curlRule(args);
    case "wget":
      return wgetRule(args);
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
      // git, like curl, takes any unambiguous prefix of a long option: `--har` is `--hard`.
      const abbreviates = (long: string) =>
        sub.args.some((a) => {
          const given = a.split("=")[0];
          return given.length > 2 && long.startsWith(given);
        });
      if (sub.name === "clean" && (subFlags.has("f") || abbreviates("--force"))) {
        return "git clean -f";
      }
      if (sub.name === "reset" && abbreviates("--hard")) return "git reset --hard";
      if (
        sub.name === "push" &&
        (subFlags.has("f") || abbreviates("--force") ||
          abbreviates("--force-with-lease") || abbreviates("--force-if-includes") ||
          sub.args.some((a) => /^\+/.test(a)))
      ) return "git push --force";
      return undefined;
    }
  }
  return undefined;
}

/**
 * A chmod mode that makes a file writable by everyone: octal with the others' write bit
 * (`777`, `666`, `1777`), or a symbolic clause giving others write (`o+w`, `a=rwx`,
 * `u=rwx,go=rwx`). Clauses without `o` or `a` leave others to the umask and are not counted.
 */
function worldWritable(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) return (Number(mode[mode.length - 1]) & 2) !== 0;
  return mode.split(",").some((clause) => {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m || !/[oa]/.test(m[1])) return false;
    // `o=u` copies the user's bits, which may include write.
    return [...m[2].matchAll(/([-+=])([rwxXstugo]*)/g)]
      .some(([, op, perms]) => op !== "-" && /[wug]/.test(perms));
  });
}

/** Each option of a curl or wget command line as given, with its value (next word or attached). */
export interface Option {
  name: string;
  value?: string;
}

/**
 * Options of `args` for a getopt-style command: short letters bundled (`-sXDELETE` is `-s` and
 * `-X DELETE`), a letter in `valued` taking the rest of the word or the next word as its value;
 * long options as written, with `=value` or (`longValued`) the next word. A `--` ends them, and
 * is the last option given, so that a caller that knows no `--` can say so.
 */
export function commandOptions(
  args: string[],
  valued: string,
  longValued: (name: string) => boolean,
): Option[] {
  const out: Option[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      out.push({ name: a });
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) out.push({ name: a.slice(0, eq), value: a.slice(eq + 1) });
      else if (longValued(a)) out.push({ name: a, value: args[++i] });
      else out.push({ name: a });
    } else if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        if (!valued.includes(a[j])) {
          out.push({ name: `-${a[j]}` });
          continue;
        }
        const rest = a.slice(j + 1);
        out.push({ name: `-${a[j]}`, value: rest !== "" ? rest : args[++i] });
        break;
      }
    }
  }
  return out;
}

/**
 * The long option a curl or wget argument names: both take any unambiguous prefix
 * (`--upload-fil` is `--upload-file`). A prefix of several options is matched against each of
 * them (the command refuses it, so judging it by the worst costs nothing).
 */
function names(given: string, long: string, exact: string[]): boolean {
  if (given === long) return true;
  return given.length > 2 && long.startsWith(given) && !exact.includes(given);
}

/** curl long options that send data, and those that write a file the analyser does not model. */
const CURL_SENDS = ["--data", "--data-ascii", "--data-binary", "--data-raw", "--data-urlencode"]
  .concat(["--form", "--form-string", "--upload-file", "--json"]);
const CURL_WRITES = ["--output", "--output-dir", "--remote-name", "--remote-name-all"]
  .concat(["--dump-header", "--cookie-jar", "--trace", "--trace-ascii", "--stderr", "--config"])
  .concat(["--etag-save", "--libcurl", "--hsts", "--alt-svc"]);
/** Written out in full these the analyser asks about; abbreviated or not in its list, it cannot. */
const CURL_WRITES_ASKED = CURL_WRITES.slice(0, 10);
/** Full curl options that are prefixes of the ones above, and so are not abbreviations of them. */
const CURL_EXACT = ["--data", "--form", "--trace", "--output", "--remote-name", "--cookie"];
/** Short curl options that take a value. */
export const CURL_VALUED = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/** Methods that only read. */
const READ_METHODS = /^(GET|HEAD|OPTIONS)$/i;

function curlRule(args: string[]): string | undefined {
  // curl's long options take no `=value`; only `--request`'s value matters here, so only it
  // takes the next word (a value read as an option can only add a match).
  const opts = commandOptions(args, CURL_VALUED, (name) => names(name, "--request", []));
  if (
    opts.some((o) =>
      /^-[dFT]$/.test(o.name) || CURL_SENDS.some((long) => names(o.name, long, CURL_EXACT))
    )
  ) return "curl -d";
  // curl uses the last `-X`; every one is judged, which covers the last.
  if (
    opts.some((o) =>
      (o.name === "-X" || names(o.name, "--request", [])) && o.value !== undefined &&
      !READ_METHODS.test(o.value)
    )
  ) return "curl -X POST";
  if (
    opts.some((o) =>
      CURL_WRITES.some((long) =>
        names(o.name, long, CURL_EXACT) && !(o.name === long && CURL_WRITES_ASKED.includes(long))
      )
    )
  ) return "curl writes a file";
  return undefined;
}

/** wget long options that send data, run commands or read settings that could. */
const WGET_SENDS = ["--post-data", "--post-file", "--body-data", "--body-file", "--method"];
const WGET_RUNS = ["--execute", "--config", "--use-askpass"];
/** Short wget options that take a value (`-n` takes the letter after it). */
const WGET_VALUED = "aABDeIilnoOPQRtTUwXY";

function wgetRule(args: string[]): string | undefined {
  const opts = commandOptions(args, WGET_VALUED, () => false);
  if (opts.some((o) => WGET_SENDS.some((long) => names(o.name, long, [])))) return "wget --post";
  // `-e` runs any wgetrc command: `post_file = .env` uploads, `output_document` writes.
  if (opts.some((o) => o.name === "-e" || WGET_RUNS.some((long) => names(o.name, long, [])))) {
    return "wget -e";
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
  const truncates = op === ">" || op === ">|" || op === "&>" || op === ">&";
  if (
    truncates && !SAFE_DEVICES.test(target) &&
    (commandName === undefined || commandName === ":" || commandName === "true")
  ) {
    return ": > file";
  }
  return undefined;
}
