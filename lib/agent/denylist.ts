/**
 * The bash deny-list (docs/agent.md, Deny-list): dangerous commands are recognised by their
 * command WORDS after tokenising — quotes, escapes, `;`, `&&`, `||`, `|`, `&`, redirections,
 * `$(…)` and backticks — not by substrings, so `echo "rm -rf is dangerous"` and
 * `grep history notes.txt` run while `rm -rf /` and `history` are blocked.
 */
import { basename, effectiveCommand, parseShell, type SimpleCommand } from "./shell_words.ts";

/** Short flags of `args` as single letters, long flags as written (`--force`). */
function flags(args: string[]): Set<string> {
  const set = new Set<string>();
  for (const a of args) {
    if (a === "--") break;
    if (a.startsWith("--")) set.add(a.split("=")[0]);
    else if (a.startsWith("-") && a.length > 1) { for (const ch of a.slice(1)) set.add(ch); }
  }
  return set;
}

const SAFE_DEVICES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+|zero)$/;

/** The sensitive-file pattern that `word` names, if any. */
function sensitiveFile(word: string): string | undefined {
  const lower = word.toLowerCase();
  const base = basename(lower);
  if (/(^|\/)\.ssh\/id_/.test(lower)) return ".ssh/id_*";
  if (/(^|\/)\.ssh\/(authorized_keys|config)$/.test(lower)) return ".ssh/";
  if (/(^|\/)\.aws\/credentials$/.test(lower)) return ".aws/credentials";
  if (lower === "/etc/passwd" || lower === "/etc/shadow") return lower;
  if (base === ".env" || base.startsWith(".env.")) return ".env";
  if (base.endsWith(".pem") && base.length > 4) return "*.pem";
  if (base.endsWith(".key") && base.length > 4) return "*.key";
  if (base === "secrets.json") return "secrets.json";
  return undefined;
}

const SHELLS = new Set(["bash", "sh", "zsh", "dash", "ksh"]);
const ALWAYS = new Map<string, string>([
  ["mkfs", "mkfs"],
  ["dd", "dd"],
  ["shred", "shred"],
  ["sudo", "sudo"],
  ["su", "su"],
  ["doas", "doas"],
  ["chown", "chown"],
  ["nc", "nc"],
  ["ncat", "nc"],
  ["netcat", "nc"],
  ["scp", "scp"],
  ["rsync", "rsync"],
  ["mkfifo", "mkfifo"],
  ["history", "history"],
  ["wipefs", "wipefs"],
  ["fdisk", "fdisk"],
  ["shutdown", "shutdown"],
  ["reboot", "reboot"],
]);

function checkSimple(command: SimpleCommand, depth: number): string | undefined {
  for (const r of command.redirects) {
    if (r.op !== "<" && r.target.startsWith("/dev/") && !SAFE_DEVICES.test(r.target)) {
      return "> /dev/";
    }
    const file = sensitiveFile(r.target);
    if (file) return file;
  }
  for (const w of command.words) {
    const file = sensitiveFile(w);
    if (file) return file;
  }
  const found = effectiveCommand(command.words);
  if (!found) return undefined;
  const { name, args } = found;
  if (ALWAYS.has(name)) return ALWAYS.get(name);
  if (name.startsWith("mkfs.")) return "mkfs";
  const f = flags(args);
  switch (name) {
    case "rm": {
      const recursive = f.has("r") || f.has("R") || f.has("--recursive");
      const force = f.has("f") || f.has("--force");
      if (recursive && force) return "rm -rf";
      if (recursive && args.some((a) => a === "/" || a === "~" || a === "/*")) return "rm -r /";
      return undefined;
    }
    case "chmod":
      if (args.some((a) => /^(0?777|a\+rwx|ugo\+rwx)$/.test(a))) return "chmod 777";
      return undefined;
    case "curl": {
      if (
        args.some((a) => /^--(data|data-\w+|form|upload-file|json)(=|$)/.test(a)) ||
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
    case "eval":
      return checkDepth(args.join(" "), depth + 1);
    case "find": {
      const at = args.findIndex((a) => a === "-exec" || a === "-execdir" || a === "-ok");
      if (args.includes("-delete")) return "find -delete";
      if (at >= 0) {
        return checkSimple({ words: args.slice(at + 1), redirects: [] }, depth + 1);
      }
      return undefined;
    }
    case "tee":
      if (args.some((a) => a.startsWith("/dev/") && !SAFE_DEVICES.test(a))) return "> /dev/";
      return undefined;
  }
  if (SHELLS.has(name)) {
    const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    if (c >= 0 && args[c + 1] !== undefined) return checkDepth(args[c + 1], depth + 1);
  }
  return undefined;
}

function checkDepth(command: string, depth: number): string | undefined {
  if (depth > 8) return "nested commands";
  const parsed = parseShell(command);
  for (const simple of parsed.commands) {
    const hit = checkSimple(simple, depth);
    if (hit) return hit;
  }
  for (const inner of parsed.substitutions) {
    const hit = checkDepth(inner, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** The dangerous pattern `command` matches, or undefined when it may be run. */
export function dangerousPattern(command: string): string | undefined {
  return checkDepth(command, 0);
}
