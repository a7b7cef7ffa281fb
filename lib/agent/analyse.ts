/**
 * The command analyser (docs/agent.md, The analyser): reads a bash command line the way bash
 * would and gives one verdict — run, ask (with the reason), or block (with the deny-list rule).
 *
 * It fails closed. Everything it can resolve statically it resolves before judging: quotes,
 * `$'…'`, brace expansion, `${IFS}`, variables assigned earlier on the line, `$(echo …)`, wrappers
 * such as `nohup`, nested `bash -c`, `eval`, `find -exec`, globs in command position (tried
 * against every name a rule knows), globs on secret paths. Whatever it cannot resolve, or a
 * command it does not know, becomes a reason to ask — even in yolo mode. Only a command line
 * whose every part is understood and judged harmless runs without asking in yolo mode.
 */
import {
  commandOptions,
  commandRule,
  CURL_VALUED,
  flags,
  gitSubcommand,
  GLOB_CHARS,
  globRegex,
  normalizePath,
  redirectRule,
  RULE_NAMES,
  SAFE_DEVICES,
  SECRET_VARIABLE,
  secretPath,
} from "./denylist.ts";
import {
  basename,
  commandPosition,
  parseShell,
  type RawWord,
  type Redirect,
} from "./shell_words.ts";

export type Verdict =
  | { action: "run" }
  /** `reason` says why yolo mode could not skip the prompt (none: yolo is off). */
  | { action: "ask"; reason?: string }
  | { action: "block"; rule: string };

/** A word after expansion, with what the analyser could not resolve in it. */
interface Word {
  text: string;
  /** Unquoted glob characters remain. */
  glob: boolean;
  /** Features the analyser did not resolve exactly (`parameter expansion`, …). */
  unresolved: string[];
  /** Brace expansion produced it. */
  braces: boolean;
}

interface Findings {
  block?: string;
  reasons: string[];
}

/** Commands that only read, print or compute, judged harmless with any arguments (but see `classify`). */
const HARMLESS = new Set([
  "ls",
  "cat",
  "head",
  "tail",
  "wc",
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "stat",
  "tree",
  "pwd",
  "echo",
  "printf",
  "true",
  "false",
  "test",
  "[",
  "[[",
  "]]",
  "date",
  "whoami",
  "id",
  "uname",
  "hostname",
  "which",
  "type",
  "basename",
  "dirname",
  "realpath",
  "readlink",
  "cut",
  "tr",
  "diff",
  "cmp",
  "comm",
  "du",
  "df",
  "ps",
  "sleep",
  "seq",
  "jq",
  "nl",
  "tac",
  "rev",
  "fold",
  "column",
  "md5sum",
  "sha1sum",
  "sha256sum",
  "sha512sum",
  "cksum",
  "base64",
  "xxd",
  "od",
  "hexdump",
  "strings",
  "file",
  "sort",
  "uniq",
  "mkdir",
  "touch",
  "cd",
  ":",
  "export",
  "unset",
  "local",
  "shift",
  "exit",
  "return",
  "break",
  "continue",
  "wait",
  "nproc",
  "free",
  "uptime",
  "git",
  "curl",
  "wget",
  "find",
  "sed",
]);

/** Shell keywords whose parts the analyser judges one by one. */
const KEYWORDS = new Set(["for", "in", "case", "esac", "select", "done", "fi", "}", "then", "do"]);

export const SHELLS = new Set([
  "bash",
  "sh",
  "zsh",
  "dash",
  "ksh",
  "mksh",
  "fish",
  "csh",
  "tcsh",
  "ash",
]);
export const AWKS = new Set(["awk", "gawk", "mawk", "nawk", "busybox"]);
export const INTERPRETERS = new Set([
  "perl",
  "ruby",
  "node",
  "nodejs",
  "deno",
  "bun",
  "php",
  "lua",
  "luajit",
  "tclsh",
  "wish",
  "Rscript",
  "R",
  "julia",
  "osascript",
  "pwsh",
  "powershell",
  "java",
  "groovy",
  "scala",
  "irb",
  "expect",
  "gdb",
  "vim",
  "vi",
  "nvim",
  "emacs",
  "ed",
  "ex",
  "nano",
]);
const WRITERS = new Set([
  "cp",
  "mv",
  "ln",
  "install",
  "tee",
  "patch",
  "tar",
  "unzip",
  "gzip",
  "gunzip",
  "zip",
  "bzip2",
  "xz",
  "split",
  "dos2unix",
  "chgrp",
  "chattr",
  "setfacl",
  "mktemp",
]);
const DELETERS = new Set(["rm", "unlink", "rmdir"]);
const PROJECT_RUNNERS = new Set([
  "make",
  "cmake",
  "ninja",
  "npm",
  "npx",
  "yarn",
  "pnpm",
  "cargo",
  "go",
  "gradle",
  "mvn",
  "pip",
  "pip3",
  "pipx",
  "pytest",
  "tox",
  "just",
  "rake",
  "bundle",
  "composer",
  "dotnet",
  "docker",
  "podman",
  "kubectl",
  "terraform",
  "rustc",
  "gcc",
  "g++",
  "cc",
  "clang",
  "javac",
  "tsc",
]);
/** Where a command named by its full path is the same as by its name. */
const SYSTEM_DIRS = /^\/(usr\/)?(local\/)?s?bin\/[^/]+$/;
/** Read-only git subcommands (their options are checked too). */
const GIT_READS = new Set([
  "status",
  "diff",
  "log",
  "show",
  "rev-parse",
  "ls-files",
  "blame",
  "grep",
  "describe",
  "shortlog",
]);

/** `NAME=value` (and `a[i]=`, `NAME+=`) before a command: an assignment, as bash reads it. */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/**
 * Every redirection with `>` opens its target for writing (`>`, `2>`, `>>`, `&>`, `>|`, `<>`); the
 * parser has already taken the descriptor copies (`>&2`, `2>&1`) out, and turned `>& f` into `&> f`.
 */
function isWrite(op: string): boolean {
  return op.includes(">");
}

/** More words than this from one word's braces: the analyser stops and asks. */
const MAX_BRACE_WORDS = 256;

/**
 * `{a,b}` and `{1..3}` with unquoted braces. The work stops as soon as there are more than
 * `MAX_BRACE_WORDS` words (`tooLarge`): `{a,b}` thirty times over is 2^30 words, which would hold
 * the process beyond Ctrl+C if it were expanded first and cut afterwards.
 */
function expandBraces(
  text: string,
  origin: string,
): { words: { text: string; origin: string }[]; tooLarge: boolean } {
  const words: { text: string; origin: string }[] = [];
  let tooLarge = false;
  const emit = (text: string, origin: string) => {
    if (words.length >= MAX_BRACE_WORDS) tooLarge = true;
    else words.push({ text, origin });
  };
  const walk = (text: string, origin: string): void => {
    for (let open = 0; open < text.length; open++) {
      if (text[open] !== "{" || origin[open] !== "u") continue;
      let depth = 0;
      const commas: number[] = [];
      let close = -1;
      for (let j = open; j < text.length; j++) {
        if (origin[j] !== "u") continue;
        if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) {
          close = j;
          break;
        } else if (text[j] === "," && depth === 1) commas.push(j);
      }
      if (close < 0) return emit(text, origin);
      const head = { text: text.slice(0, open), origin: origin.slice(0, open) };
      const tail = { text: text.slice(close + 1), origin: origin.slice(close + 1) };
      const parts: { text: string; origin: string }[] = [];
      if (commas.length) {
        const bounds = [open, ...commas, close];
        for (let k = 0; k < bounds.length - 1; k++) {
          parts.push({
            text: text.slice(bounds[k] + 1, bounds[k + 1]),
            origin: origin.slice(bounds[k] + 1, bounds[k + 1]),
          });
        }
      } else {
        const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])$/.exec(text.slice(open + 1, close));
        if (!range) continue;
        const numeric = /\d/.test(range[1]);
        const from = numeric ? Number(range[1]) : range[1].charCodeAt(0);
        const to = numeric ? Number(range[2]) : range[2].charCodeAt(0);
        const step = from <= to ? 1 : -1;
        for (let v = from;; v += step) {
          if (parts.length > MAX_BRACE_WORDS) {
            tooLarge = true;
            break;
          }
          const value = numeric ? String(v) : String.fromCharCode(v);
          parts.push({ text: value, origin: "s".repeat(value.length) });
          if (v === to) break;
        }
      }
      for (const part of parts) {
        if (tooLarge) return;
        walk(head.text + part.text + tail.text, head.origin + part.origin + tail.origin);
      }
      return;
    }
    emit(text, origin);
  };
  walk(text, origin);
  return { words, tooLarge };
}

/** The static value of `$(echo …)`/`` `echo …` ``, when the inner command is a plain echo. */
function echoValue(inner: string): string | undefined {
  const parsed = parseShell(inner);
  if (parsed.commands.length !== 1 || parsed.substitutions.length) return undefined;
  const [name, ...args] = parsed.commands[0].words;
  if (name !== "echo" && name !== "printf") return undefined;
  if (parsed.raw[0].words.some((w) => /[ud]/.test(w.origin) && w.text.includes("$"))) {
    return undefined;
  }
  if (name === "echo") {
    // `echo -n rm` prints `rm`: its options are not part of the value.
    let k = 0;
    while (k < args.length && /^-[neE]+$/.test(args[k])) k++;
    const options = args.slice(0, k).join("");
    if (options.includes("e") && args.some((a) => a.includes("\\"))) return undefined;
    return args.slice(k).join(" ");
  }
  // printf: a format without `%` or escapes is printed as it is; `%s` joins the arguments.
  const [format, ...values] = args;
  if (format === undefined || format.includes("\\")) return undefined;
  if (!format.includes("%")) return format;
  if (format === "%s") return values.join("");
  if (format === "%s ") return values.map((v) => v + " ").join("");
  return undefined;
}

/**
 * Expands one word as far as that can be done without running anything. `vars` holds the
 * variables assigned earlier on the line; `names` collects every variable the word reads.
 */
function expandWord(raw: RawWord, vars: Map<string, string>, names: Set<string>): Word[] {
  const unresolved = new Set<string>();
  let text = "";
  let origin = "";
  const { text: src, origin: from } = raw;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const o = from[i];
    if (o === "a") {
      // Arithmetic: its value is unknown, and bash evaluates variables in it as expressions
      // (`a[$(cmd)]` in a value runs cmd), so it is never verified.
      unresolved.add("arithmetic expansion");
      while (i + 1 < src.length && from[i + 1] === "a") i++;
      continue;
    }
    if (o === "p") {
      // A `${…}` with quotes or expansions inside: its value is not worked out, but every
      // variable it names is still one it reads (`${X:-$OLLAMA_API_KEY}`).
      let j = i;
      while (j < src.length && from[j] === "p") j++;
      for (const m of src.slice(i, j).matchAll(/\$\{?[!#]?([A-Za-z_][A-Za-z0-9_]*)/g)) {
        names.add(m[1]);
      }
      unresolved.add("parameter expansion");
      i = j - 1;
      continue;
    }
    if (o === "x") {
      // A substitution: its text runs as a command (analysed separately); its value is unknown.
      let j = i;
      while (j < src.length && from[j] === "x") j++;
      const chunk = src.slice(i, j);
      i = j - 1;
      const process = chunk.startsWith("<(") || chunk.startsWith(">(");
      if (process) {
        unresolved.add("process substitution");
        text += "/dev/fd/63";
        origin += "s".repeat(10);
        continue;
      }
      unresolved.add("command substitution");
      const inner = chunk.startsWith("$(") ? chunk.slice(2, -1) : chunk.slice(1, -1);
      const value = echoValue(inner);
      if (value !== undefined) {
        text += value;
        origin += "U".repeat(value.length);
      }
      continue;
    }
    if (c === "$" && (o === "u" || o === "d")) {
      const rest = src.slice(i + 1);
      let name: string | undefined;
      let fallback: string | undefined;
      let length = 0;
      let simple = true;
      const braced = /^\{([^}]*)\}/.exec(rest);
      if (braced) {
        length = braced[0].length;
        const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+|[@*#?$!-])(?:(:?[-=])(.*))?$/s.exec(braced[1]);
        if (m) {
          name = m[1];
          if (m[2] !== undefined) fallback = m[3];
        } else {
          simple = false;
          name = /^!?([A-Za-z_][A-Za-z0-9_]*)/.exec(braced[1])?.[1];
        }
      } else {
        const m = /^([A-Za-z_][A-Za-z0-9_]*|\d|[@*#?$!-])/.exec(rest);
        if (m) {
          name = m[1];
          length = m[0].length;
        }
      }
      if (length === 0) {
        text += c;
        origin += o;
        continue;
      }
      i += length;
      if (name) names.add(name);
      unresolved.add("parameter expansion");
      let value: string | undefined;
      if (simple && name === "IFS") value = " ";
      else if (simple && name !== undefined && vars.has(name)) value = vars.get(name);
      else if (simple && fallback !== undefined) value = fallback;
      if (value !== undefined) {
        text += value;
        origin += (o === "u" ? "U" : "d").repeat(value.length);
      }
      continue;
    }
    text += c;
    origin += o;
  }
  // Unquoted expansion results are split into words (`rm${IFS}-rf` → `rm`, `-rf`).
  const pieces: { text: string; origin: string }[] = [];
  let piece = { text: "", origin: "" };
  for (let i = 0; i < text.length; i++) {
    if (origin[i] === "U" && /[ \t\n]/.test(text[i])) {
      if (piece.text !== "") pieces.push(piece);
      piece = { text: "", origin: "" };
      continue;
    }
    piece.text += text[i];
    piece.origin += origin[i] === "U" ? "u" : origin[i];
  }
  if (piece.text !== "" || pieces.length === 0) pieces.push(piece);
  const words: Word[] = [];
  for (const p of pieces) {
    const braces = expandBraces(p.text, p.origin);
    // Cut short, the words so far may be none: the word as written still carries the reason.
    const expanded = braces.words.length ? braces.words : [p];
    if (braces.tooLarge) unresolved.add("brace expansion too large");
    for (const e of expanded) {
      const glob = [...e.text].some((ch, k) => e.origin[k] === "u" && GLOB_CHARS.test(ch));
      words.push({ text: e.text, glob, unresolved: [...unresolved], braces: expanded.length > 1 });
    }
  }
  return words;
}

/** sed scripts made only of commands that print or edit the stream: no `e`, `w`, `r`, `W`, `R`. */
export function sedScriptIsPure(script: string): boolean {
  let i = 0;
  const skipAddress = () => {
    const one = () => {
      if (/\d/.test(script[i] ?? "")) { while (/[\d~]/.test(script[i] ?? "")) i++; }
      else if (script[i] === "$") i++;
      else if (script[i] === "/" || script[i] === "\\") {
        const delim = script[i] === "\\" ? script[++i] : "/";
        i++;
        while (i < script.length && script[i] !== delim) i += script[i] === "\\" ? 2 : 1;
        i++;
        while (/[IM]/.test(script[i] ?? "")) i++;
      } else return false;
      return true;
    };
    if (one() && script[i] === ",") {
      i++;
      if (/[+~]/.test(script[i] ?? "")) i++;
      one();
    }
  };
  /** Reads a delimited part of `s` or `y`; false when unterminated. */
  const part = (delim: string) => {
    while (i < script.length && script[i] !== delim) {
      if (script[i] === "\n") return false;
      i += script[i] === "\\" ? 2 : 1;
    }
    if (i >= script.length) return false;
    i++;
    return true;
  };
  while (i < script.length) {
    while (/[\s;]/.test(script[i] ?? "")) i++;
    if (i >= script.length) break;
    skipAddress();
    while (/[\s!]/.test(script[i] ?? "")) i++;
    const command = script[i++];
    if (command === undefined) break;
    if ("pdqQ=nNPDgGhHxlz{}".includes(command)) {
      // `q5`, `l 40`: an optional number.
      while (/[\d ]/.test(script[i] ?? "")) i++;
      continue;
    }
    if (command === "#") {
      while (i < script.length && script[i] !== "\n") i++;
      continue;
    }
    if (command === "a" || command === "i" || command === "c") {
      // Text to print: the rest of the line (or the next, after `a\`).
      if (script[i] === "\\") i += 2;
      while (i < script.length && script[i] !== "\n") i += script[i] === "\\" ? 2 : 1;
      continue;
    }
    if (command === "b" || command === "t" || command === "T" || command === ":") {
      while (i < script.length && !/[;\n]/.test(script[i])) i++;
      continue;
    }
    if (command === "s" || command === "y") {
      const delim = script[i++];
      if (delim === undefined || delim === "\n" || delim === "\\") return false;
      if (!part(delim) || !part(delim)) return false;
      if (command === "s") {
        const start = i;
        while (i < script.length && !/[;\n}]/.test(script[i])) i++;
        const sFlags = script.slice(start, i).trim();
        if (!/^[gpiImM\d]*$/.test(sFlags)) return false;
      }
      continue;
    }
    return false;
  }
  return true;
}

/** The scripts a sed command line runs, and whether its options stay read-only. */
function sedReason(args: string[]): string | undefined {
  const scripts: string[] = [];
  let operandScript = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-e" || a === "--expression") {
      scripts.push(args[++i] ?? "");
      operandScript = false;
    } else if (a.startsWith("--expression=")) {
      scripts.push(a.slice(13));
      operandScript = false;
    } else if (/^-[nErsuz]*e./.test(a)) {
      scripts.push(a.slice(a.indexOf("e") + 1));
      operandScript = false;
    } else if (/^(-i|--in-place)/.test(a) || (/^-[a-zA-Z]+$/.test(a) && a.includes("i"))) {
      return "writes files (sed -i)";
    } else if (a === "-f" || a.startsWith("--file") || /^-[nErsuz]*f/.test(a)) {
      return "cannot verify: sed script from a file";
    } else if (
      /^-[nErsuz]+$/.test(a) ||
      /^--(quiet|silent|regexp-extended|posix|debug|separate|unbuffered|null-data)$/.test(a)
    ) {
      continue;
    } else if (a.startsWith("-") && a !== "-") {
      return `cannot verify: sed option ${a}`;
    } else if (operandScript) {
      scripts.push(a);
      operandScript = false;
    }
  }
  return scripts.every(sedScriptIsPure) ? undefined : "cannot verify: sed script (e, w or r)";
}

/** An operand naming a place outside the working directory: `/…`, `~…`, or a `..` leaving it. */
function leavesProject(arg: string): boolean {
  if (arg.startsWith("-")) return false;
  if (arg.startsWith("/") || arg.startsWith("~")) return true;
  let depth = 0;
  for (const part of arg.split("/")) {
    if (part === "..") depth--;
    else if (part !== "" && part !== ".") depth++;
    if (depth < 0) return true;
  }
  return false;
}

/** `/proc/<pid>/environ` (and `task/<tid>/environ`), also through `..` or a glob. */
const PROC_ENVIRON = /^\/proc\/[^/]+\/(task\/[^/]+\/)?environ$/;

/** A word naming a process's environment, which holds every secret variable. */
function readsEnvironment(word: Word): boolean {
  if (!word.text.includes("/")) return false;
  if (word.glob) {
    const pattern = globRegex(word.text);
    return ["/proc/self/environ", "/proc/1/environ", "/proc/self/task/1/environ"].some((p) =>
      pattern.test(p)
    ) || (/^\/proc\b/.test(word.text) && /environ/.test(word.text));
  }
  return PROC_ENVIRON.test(normalizePath(word.text)) ||
    (/^\/proc\b/.test(word.text) && /environ/.test(word.text));
}

/**
 * curl options known only to shape a download: curl has hundreds more that write files
 * (`--libcurl f`, `--etag-save f`), send them (`-H @f`, `--json`, `-b f`) or change the method,
 * and it takes any unambiguous abbreviation (`--upload-fil`), so an option not listed here asks.
 */
const CURL_FLAGS =
  /^--(silent|show-error|location|fail|fail-with-body|include|head|verbose|insecure|compressed|get|no-buffer|http1\.0|http1\.1|http2|ipv4|ipv6|no-progress-meter|globoff|raw|no-keepalive|location-trusted)$/;
const CURL_VALUES =
  /^--(header|user-agent|referer|max-time|connect-timeout|retry|retry-delay|retry-max-time|max-redirs|write-out|request|url|range|proxy|resolve|user)$/;
const CURL_SHORT_FLAGS = "sSLfiIvkGN46g";
const CURL_SHORT_VALUES = "HAemXwrxu";

/** Why curl's options need asking (past `-o` and the like), or undefined when they only read. */
function curlOptionReason(args: string[]): string | undefined {
  for (const { name, value } of commandOptions(args, CURL_VALUED, (n) => CURL_VALUES.test(n))) {
    const short = name.startsWith("--") ? undefined : name[1];
    if (value === undefined && (CURL_FLAGS.test(name) || CURL_SHORT_FLAGS.includes(short ?? "@"))) {
      continue;
    }
    if (short === undefined ? !CURL_VALUES.test(name) : !CURL_SHORT_VALUES.includes(short)) {
      return `cannot verify: curl option ${name}`;
    }
    const given = value ?? "";
    if (/^(-X|--request)$/.test(name) && !/^(GET|HEAD|OPTIONS)$/i.test(given)) {
      return `cannot verify: curl ${name} ${given}`;
    }
    // `-H @file` sends a file's lines as headers; `-w '%output{f}'` writes a file.
    if (given.startsWith("@") || /%output\{/.test(given)) {
      return `cannot verify: curl ${name} ${given}`;
    }
  }
  return undefined;
}

/** wget options known only to shape a download to stdout; `-e` runs wgetrc commands, and more. */
const WGET_OPTIONS =
  /^(-q|--quiet|-nv|--no-verbose|-S|--server-response|--spider|-O-|-qO-|-O|--output-document(=-)?|-T\d*|--timeout=\d+|--max-redirect=\d+|--no-check-certificate|-4|-6)$/;

/** Why wget's options need asking (past its output file), or undefined when they only read. */
function wgetOptionReason(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("-") || a === "-") continue;
    if (!WGET_OPTIONS.test(a)) return `cannot verify: wget option ${a}`;
    if (a === "-O" || a === "--output-document" || a === "-T") i++;
  }
  return undefined;
}

/** Why yolo mode must still ask before `name args`, or undefined when it is harmless. */
function classify(name: string, args: string[]): string | undefined {
  if (KEYWORDS.has(name)) return undefined;
  if (SHELLS.has(name)) return undefined; // judged by `nested`
  if (name.startsWith("python") || INTERPRETERS.has(name)) {
    if (args.length === 1 && /^(--version|-V|--help)$/.test(args[0])) return undefined;
    return `cannot verify: ${name} runs code`;
  }
  if (AWKS.has(name)) return `cannot verify: ${name} program`;
  if (DELETERS.has(name)) return `deletes files (${name})`;
  if (WRITERS.has(name)) {
    if (name === "tee" && args.every((a) => a.startsWith("-") || SAFE_DEVICES.test(a))) {
      return undefined;
    }
    return `writes files (${name})`;
  }
  if (name === "chmod") return "changes permissions (chmod)";
  if (/^(kill|pkill|killall)$/.test(name)) return `stops processes (${name})`;
  if (PROJECT_RUNNERS.has(name)) return `cannot verify: ${name} runs project code`;
  switch (name) {
    case "alias":
    case "unalias":
      return "cannot verify: alias";
    case "eval":
      return "cannot verify: eval";
    case "source":
    case ".":
      return "cannot verify: source runs a script";
    case "trap":
      return "cannot verify: trap";
    case "function":
    case "coproc":
      return "cannot verify: function definition";
    case "env":
    case "printenv":
    case "set":
    case "compgen":
      return "prints the environment (secrets)";
    case "declare":
    case "typeset":
    case "export":
    case "readonly":
    case "local":
      // `export PATH=.` or `export LD_PRELOAD=…` changes what every later command runs; `export`
      // (or `export -p`) alone lists the environment.
      return args.every((a) => a.startsWith("-"))
        ? "prints the environment (secrets)"
        : "sets environment variables";
    case "less":
    case "more":
      // A pager runs commands (LESSOPEN from the environment, `!cmd`); without a terminal it only
      // copies its input, which `cat` does too.
      return `cannot verify: ${name} can run commands (LESSOPEN, !)`;
    case "exec":
    case "shopt":
    case "enable":
    case "read":
    case "mapfile":
    case "readarray":
    case "let":
    case "ulimit":
    case "umask":
    case "watch":
      return `cannot verify: ${name}`;
  }
  if (!HARMLESS.has(name)) return `cannot verify: unknown command ${name}`;
  const f = flags(args);
  switch (name) {
    case "jq":
      // jq's `env` and `$ENV` are the whole environment.
      return args.some((a) => /\benv\b|\$ENV\b/.test(a))
        ? "prints the environment (secrets)"
        : undefined;
    case "ps":
      // BSD-style `ps e`, `ps eww`, `ps axe` print each process's environment.
      return args.some((a) => /^[a-zA-Z]*e[a-zA-Z]*$/.test(a))
        ? "prints the environment (secrets)"
        : undefined;
    case "sort":
      if (f.has("o") || f.has("--output") || f.has("--compress-program")) {
        return "writes files (sort -o)";
      }
      return undefined;
    case "uniq":
      return args.filter((a) => !a.startsWith("-")).length > 1 ? "writes files (uniq)" : undefined;
    case "tree":
      return f.has("o") ? "writes files (tree -o)" : undefined;
    case "xxd":
      // `xxd in out` (and `xxd -r`) writes its second operand.
      return f.has("r") || args.filter((a) => !a.startsWith("-")).length > 1
        ? "writes files (xxd)"
        : undefined;
    case "rg":
      if (f.has("--pre")) return "cannot verify: rg --pre runs a command";
      return args.some(leavesProject) ? "reads outside the project recursively (rg)" : undefined;
    case "grep":
    case "egrep":
    case "fgrep":
      // A recursive search of `~` or `/` would print the contents of every secret file in it.
      if (
        (f.has("r") || f.has("R") || f.has("--recursive") || f.has("--dereference-recursive")) &&
        args.some(leavesProject)
      ) return `reads outside the project recursively (${name} -r)`;
      return undefined;
    case "file":
      return f.has("C") ? "writes files (file -C)" : undefined;
    case "sed":
      return sedReason(args);
    case "find":
      if (args.some((a) => /^-(exec|execdir|ok|okdir)$/.test(a))) {
        return "cannot verify: find -exec runs a command";
      }
      return undefined;
    case "curl":
      if (
        args.some((a) =>
          /^--(output|remote-name|remote-name-all|dump-header|cookie-jar|config|trace|trace-ascii|stderr|output-dir)(=|$)/
            .test(a)
        ) || f.has("o") || f.has("O") || f.has("D") || f.has("c") || f.has("K")
      ) return "writes files (curl -o)";
      return curlOptionReason(args);
    case "wget": {
      const out = args.findIndex((a) => a === "-O" || a === "--output-document");
      const value = out >= 0
        ? args[out + 1]
        // `-O-`, or `-qO-` with quiet bundled before it, as the read-only options allow.
        : args.find((a) => a.startsWith("--output-document=") || /^-q?O./.test(a))?.replace(
          /^(--output-document=|-q?O)/,
          "",
        );
      if (value !== "-") return "writes files (wget)";
      return wgetOptionReason(args);
    }
    case "git": {
      const sub = gitSubcommand(args);
      if (!sub) return undefined;
      if (sub.globals.some((g) => /^(-c|--exec-path|--config-env)/.test(g))) {
        return "cannot verify: git -c";
      }
      if (
        sub.args.some((a) => /^--(output|ext-diff|exec|upload-pack|receive-pack|textconv)/.test(a))
      ) {
        return `cannot verify: git ${sub.name} ${sub.args.find((a) => a.startsWith("--"))}`;
      }
      if (
        sub.name === "grep" &&
        sub.args.some((a) => /^--open-files-in-pager/.test(a) || /^-[^-]*O/.test(a))
      ) return "cannot verify: git grep -O runs a program";
      if (GIT_READS.has(sub.name)) return undefined;
      if (
        sub.name === "branch" &&
        sub.args.every((a) => /^(-a|-r|-v|-vv|--list|--all|--show-current)$/.test(a))
      ) {
        return undefined;
      }
      if (sub.name === "remote" && sub.args.every((a) => a === "-v")) return undefined;
      return `changes the repository (git ${sub.name})`;
    }
  }
  return undefined;
}

const MAX_DEPTH = 8;

/** One command past its wrappers, as `judge` and `nested` see it. */
interface Invocation {
  name: string;
  args: string[];
  /** The words behind `args`, index for index: what a text alone does not say (expansions). */
  argWords: Word[];
  redirects: Redirect[];
  at: { depth: number; piped: boolean };
}

class Analysis {
  findings: Findings = { reasons: [] };
  /** Variables assigned earlier on the line, with their static values. */
  vars = new Map<string, string>();

  block(rule: string | undefined): void {
    if (rule !== undefined) this.findings.block ??= rule;
  }

  /** A `cd` went somewhere other than a plain subdirectory of the project. */
  leftProject = false;

  /** Reasons shown only when nothing more telling was found. */
  lateReasons: string[] = [];

  late(reason: string): void {
    if (!this.lateReasons.includes(reason)) this.lateReasons.push(reason);
  }

  ask(reason: string): void {
    if (!this.findings.reasons.includes(reason)) this.findings.reasons.push(reason);
  }

  line(command: string, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.block("nested commands");
      return;
    }
    const parsed = parseShell(command);
    parsed.commands.forEach((simple, k) => {
      const names = new Set<string>();
      const words = parsed.raw[k].words.flatMap((w) => expandWord(w, this.vars, names));
      const targets = parsed.raw[k].redirects.map((w) => expandWord(w, this.vars, names));
      for (const name of names) {
        if (SECRET_VARIABLE.test(name)) this.block(`secret variable $${name}`);
      }
      const previous = k > 0 ? parsed.separators[k - 1] : "";
      this.simple(words, simple.redirects, targets, {
        depth,
        piped: previous === "|" || previous === "|&",
        definesFunction: parsed.separators[k] === "(",
      });
    });
    if (parsed.processSubstitutions) this.ask("cannot verify: process substitution");
    for (const inner of parsed.substitutions) this.line(inner, depth + 1);
  }

  simple(
    words: Word[],
    redirects: Redirect[],
    targets: Word[][],
    at: { depth: number; piped: boolean; definesFunction: boolean },
  ): void {
    const texts = words.map((w) => w.text);
    const position = commandPosition(texts);
    // What is wrong with the command word is the most telling reason, so it is found first.
    const commandWord = position === undefined ? undefined : words[position.index];
    if (commandWord?.unresolved.length) {
      this.ask(`cannot verify: ${commandWord.unresolved[0]} in command position`);
    }
    if (commandWord?.braces) this.ask("cannot verify: brace expansion in command position");
    // `PATH=.`, `LD_PRELOAD=`, `BASH_ENV=`, `LESSOPEN=`, `GIT_CONFIG_*=`: a variable can make any
    // command run another, so no command with an assignment before it is harmless.
    const assignments = words.slice(0, position?.index ?? words.length).filter((w) =>
      ASSIGNMENT.test(w.text)
    );
    if (position !== undefined && assignments.length) {
      this.ask("sets environment variables for the command");
    } else if (assignments.length) {
      // bash passes a variable that is already exported on to every later command; the reason
      // comes last, after what is wrong with the commands that follow.
      this.late("sets environment variables");
    }
    if (this.leftProject) this.ask("cannot verify: runs after a cd outside the project");
    for (const word of [...words, ...targets.flat()]) {
      // `~/../../etc/shadow` too: normalizePath reads a `..` out of `~` as leading towards `/`.
      this.block(secretPath(word.text, word.glob));
      if (readsEnvironment(word)) this.ask("prints the environment (secrets)");
      for (const feature of word.unresolved) this.ask(`cannot verify: ${feature}`);
    }
    // `env -S 'rm -rf d'` splits its value into the command it runs.
    const env = texts.findIndex((t) => basename(t) === "env");
    if (env >= 0 && (position === undefined || env < position.index)) {
      for (let k = env + 1; k < texts.length; k++) {
        const m = /^(?:-S|--split-string)(?:=?)(.*)$/s.exec(texts[k]);
        if (!m) continue;
        const split = m[1] !== "" ? m[1] : texts[++k] ?? "";
        this.ask("cannot verify: env -S");
        this.line([split, ...texts.slice(k + 1)].join(" "), at.depth + 1);
        break;
      }
    }
    if (position === undefined) {
      // Only assignments (`X=rm`): remembered for later words on the line.
      for (const w of words) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
        if (!m) continue;
        if (w.unresolved.length) this.vars.delete(m[1]);
        else this.vars.set(m[1], m[2]);
      }
      if (words.some((w) => /^(env|printenv)$/.test(basename(w.text)))) {
        // A wrapper with nothing to run: `env` alone prints the environment.
        this.ask("prints the environment (secrets)");
      }
    }
    const nameWord = position === undefined ? undefined : words[position.index];
    const name = nameWord === undefined ? undefined : basename(nameWord.text);
    const args = position === undefined ? [] : texts.slice(position.index + 1);
    redirects.forEach((r, i) => {
      if (r.unterminated) {
        // bash would read the rest of the text as the body, but if this parser misread where a
        // here-document starts, those lines are commands: ask, and judge them as commands too.
        this.ask("cannot verify: here-document without its end word");
        this.line(r.body ?? "", at.depth + 1);
      }
      if (r.expands && r.body) {
        // The body expands as if it were in "…": `$OLLAMA_API_KEY` there is read as anywhere else.
        const names = new Set<string>();
        const body = expandWord(
          { text: r.body, origin: "d".repeat(r.body.length) },
          this.vars,
          names,
        );
        for (const name of names) {
          if (SECRET_VARIABLE.test(name)) this.block(`secret variable $${name}`);
        }
        for (const feature of body.flatMap((w) => w.unresolved)) {
          this.ask(`cannot verify: ${feature}`);
        }
        if (/\$\(\(|\$\[/.test(r.body)) this.ask("cannot verify: arithmetic expansion");
      }
      const target = targets[i]?.[0]?.text ?? r.target;
      this.block(redirectRule(r.op, target, name));
      if (isWrite(r.op) && !SAFE_DEVICES.test(target)) this.ask(`writes ${target}`);
      if (r.op.startsWith("<<") && name !== undefined && SHELLS.has(name)) {
        this.ask("cannot verify: here-document into a shell");
        if (r.op !== "<<<") this.line(r.body ?? "", at.depth + 1);
        else this.line(target, at.depth + 1);
      }
    });
    if (position === undefined || nameWord === undefined || name === undefined) return;
    if (name === "cd" || name === "pushd" || name === "popd") {
      // After `cd ~/.ssh`, `cat config` reads a secret that no word names; later commands ask.
      const target = words.slice(position.index + 1);
      const plain = target.length === 1 && !target[0].glob && !target[0].unresolved.length &&
        !/^[-~]/.test(target[0].text) && !leavesProject(target[0].text) &&
        !/(^|\/)\.\.(\/|$)/.test(target[0].text);
      if (name !== "cd" || !plain) {
        this.ask(`cannot verify: ${name} outside the project`);
        this.leftProject = true;
      }
    }
    if (at.definesFunction) this.ask("cannot verify: function definition");

    for (const wrapper of position.wrappers) this.wrapper(wrapper.name, wrapper.options);

    const call = { name, args, argWords: words.slice(position.index + 1), redirects, at };
    if (nameWord.glob) {
      this.ask("cannot verify: glob in command position");
      const pattern = globRegex(basename(nameWord.text));
      for (const candidate of RULE_NAMES) {
        if (pattern.test(candidate)) this.judge({ ...call, name: candidate });
      }
      return;
    }
    if (nameWord.text.includes("/") && !SYSTEM_DIRS.test(nameWord.text)) {
      this.ask(`cannot verify: runs ${nameWord.text}`);
    }
    this.judge(call);
  }

  /** One command past its wrappers: the deny-list, nested commands, then the yolo catalogue. */
  judge(call: Invocation): void {
    this.block(commandRule(call.name, call.args));
    const reason = classify(call.name, call.args);
    if (reason) this.ask(reason);
    this.nested(call);
  }

  wrapper(name: string, options: string[]): void {
    switch (name) {
      case "xargs":
        this.ask("cannot verify: xargs runs commands from its input");
        return;
      case "setsid":
      case "nohup":
        this.ask(`cannot verify: ${name} detaches the command`);
        return;
      case "timeout":
        if (options.length !== 1 || options[0].startsWith("-")) {
          this.ask("cannot verify: timeout options");
        }
        return;
      case "env":
        if (options.length) this.ask(`cannot verify: env ${options[0]}`);
        return;
      case "nice":
        if (!(options.length === 0 || (options.length === 2 && options[0] === "-n"))) {
          this.ask("cannot verify: nice options");
        }
        return;
      case "exec":
      case "command":
      case "builtin":
        if (options.length) this.ask(`cannot verify: ${name} ${options[0]}`);
        return;
      case "stdbuf":
        if (options.some((o) => !/^-[oei]/.test(o))) this.ask("cannot verify: stdbuf options");
        return;
    }
  }

  /** Commands that run other commands: `bash -c`, `eval`, `find -exec`, `trap`. */
  nested({ name, args, argWords, redirects, at }: Invocation): void {
    const depth = at.depth + 1;
    if (SHELLS.has(name)) {
      let i = 0;
      let code: number | undefined;
      for (; i < args.length; i++) {
        const a = args[i];
        if (a === "--" || a === "-") continue;
        if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) {
          let j = i + 1;
          while (args[j] === "--") j++;
          code = j;
          break;
        }
        if (/^[-+]o$/.test(a)) {
          i++;
          continue;
        }
        if (!a.startsWith("-") && !a.startsWith("+")) break;
      }
      if (code !== undefined && args[code] !== undefined) {
        if (argWords[code]?.unresolved.length) {
          this.ask("cannot verify: shell code from an expansion");
        }
        this.line(args[code], depth);
      } else if (i < args.length && code === undefined) {
        this.ask(`cannot verify: runs a script (${name} ${args[i]})`);
      } else if (!redirects.some((r) => r.op.startsWith("<<"))) {
        this.ask(
          at.piped
            ? "cannot verify: piped into a shell"
            : "cannot verify: shell reads commands from its input",
        );
      }
      return;
    }
    if (name.startsWith("python") || INTERPRETERS.has(name) || AWKS.has(name)) {
      if (at.piped) this.ask("cannot verify: piped into an interpreter");
      // Shell commands spelled out in the code (`system("rm -rf d")`) are judged too.
      for (const code of args) {
        for (
          const m of code.matchAll(
            /(?:system|popen|exec|spawn|call|run|check_output)\s*\(\s*\[?\s*(["'])(.*?)\1/g,
          )
        ) {
          this.line(m[2], depth);
        }
        for (const m of code.matchAll(/`([^`]*)`/g)) this.line(m[1], depth);
      }
      return;
    }
    switch (name) {
      case "eval":
        this.line(args.join(" "), depth);
        return;
      case "function":
        // `function f { rm -rf d; }`: the body's first command is among this one's words.
        if (argWords.length > 1) {
          this.simple(argWords.slice(1), [], [], { depth, piped: false, definesFunction: false });
        }
        return;
      case "alias":
        for (const a of args) if (a.includes("=")) this.line(a.slice(a.indexOf("=") + 1), depth);
        return;
      case "trap":
        if (args[0] !== undefined && !args[0].startsWith("-")) this.line(args[0], depth);
        return;
      case "find": {
        for (let i = 0; i < args.length; i++) {
          if (!/^-(exec|execdir|ok|okdir)$/.test(args[i])) continue;
          let end = i + 1;
          while (end < args.length && args[end] !== ";" && args[end] !== "+") end++;
          const inner = argWords.slice(i + 1, end);
          if (inner.length) {
            this.simple(inner, [], [], { depth, piped: false, definesFunction: false });
          }
          i = end;
        }
        return;
      }
    }
  }
}

/** Everything the analyser found in `command`. */
function findings(command: string): Findings {
  const analysis = new Analysis();
  analysis.line(command, 0);
  for (const reason of analysis.lateReasons) analysis.ask(reason);
  return analysis.findings;
}

/** The verdict on a bash command: what the agent does with it, in yolo mode or not. */
export function analyse(command: string, options: { yolo: boolean }): Verdict {
  const found = findings(command);
  if (found.block !== undefined) return { action: "block", rule: found.block };
  if (!options.yolo) {
    return found.reasons.length ? { action: "ask", reason: found.reasons[0] } : { action: "ask" };
  }
  if (command.trim() === "") return { action: "ask", reason: "cannot verify: empty command" };
  return found.reasons.length ? { action: "ask", reason: found.reasons[0] } : { action: "run" };
}

/** The deny-list rule `command` matches, or undefined when it is not blocked. */
export function dangerousPattern(command: string): string | undefined {
  return findings(command).block;
}
