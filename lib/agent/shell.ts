/**
 * A small shell tokenizer and the bash deny-list (DESIGN.md decision 12): dangerous commands are
 * recognised by their command WORDS after tokenising — quotes, escapes, `;`, `&&`, `||`, `|`,
 * `&`, redirections, `$(…)` and backticks — not by substrings, so `echo "rm -rf is dangerous"`
 * and `grep history notes.txt` run while `rm -rf /` and `history` are blocked.
 */

export interface Redirect {
  op: string;
  target: string;
}

/** One simple command: its words (quotes removed) and its redirections. */
export interface SimpleCommand {
  words: string[];
  redirects: Redirect[];
}

export interface Parsed {
  /** Simple commands in order; `;`, `&&`, `||`, `|`, `&` and newlines separate them. */
  commands: SimpleCommand[];
  /** The text of each `$(…)` and backtick substitution, to be checked as commands too. */
  substitutions: string[];
  /** True when any separator other than nothing appeared (a pipeline or a list). */
  compound: boolean;
}

const OPERATORS = ["&&", "||", ";;", ";", "|&", "|", "&", "\n", "(", ")"];
const REDIRECTS = ["&>>", "&>", "2>>", "2>&1", "2>", ">>", ">|", ">&", ">", "<<<", "<<", "<>", "<"];

/** Reads `$(...)` starting after `$(` at `i`; returns the inner text and the index after `)`. */
function readSubstitution(text: string, i: number): [string, number] {
  let depth = 1;
  let inner = "";
  let quote: string | undefined;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') {
        inner += c + (text[i + 1] ?? "");
        i++;
        continue;
      }
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") {
      inner += c + (text[i + 1] ?? "");
      i++;
      continue;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return [inner, i + 1];
    inner += c;
  }
  return [inner, i];
}

/** Tokenises `text` into simple commands, as far as a deny-list needs to understand bash. */
export function parseShell(text: string): Parsed {
  const commands: SimpleCommand[] = [];
  const substitutions: string[] = [];
  let compound = false;
  let current: SimpleCommand = { words: [], redirects: [] };
  let word = "";
  let inWord = false;
  let pendingRedirect: string | undefined;

  const endWord = () => {
    if (!inWord) return;
    if (pendingRedirect !== undefined) {
      current.redirects.push({ op: pendingRedirect, target: word });
      pendingRedirect = undefined;
    } else {
      current.words.push(word);
    }
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    // A redirection without its target (`cat < ;`) must not take the next command's name.
    pendingRedirect = undefined;
    if (current.words.length || current.redirects.length) commands.push(current);
    current = { words: [], redirects: [] };
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      if (text[i + 1] === "\n") {
        i += 2;
        continue;
      }
      word += text[i + 1] ?? "";
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end < 0 ? text.length : end;
      word += text.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && '"\\$`\n'.includes(text[i + 1] ?? "")) {
          word += text[i + 1];
          i += 2;
        } else if (text[i] === "$" && text[i + 1] === "(") {
          const [inner, next] = readSubstitution(text, i + 2);
          substitutions.push(inner);
          word += `$(${inner})`;
          i = next;
        } else if (text[i] === "`") {
          const end = text.indexOf("`", i + 1);
          const stop = end < 0 ? text.length : end;
          substitutions.push(text.slice(i + 1, stop));
          word += text.slice(i, stop + 1);
          i = stop + 1;
        } else {
          word += text[i++];
        }
      }
      i++;
      continue;
    }
    if (c === "$" && text[i + 1] === "(") {
      const [inner, next] = readSubstitution(text, i + 2);
      substitutions.push(inner);
      word += `$(${inner})`;
      inWord = true;
      i = next;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      const stop = end < 0 ? text.length : end;
      substitutions.push(text.slice(i + 1, stop));
      word += text.slice(i, stop + 1);
      inWord = true;
      i = stop + 1;
      continue;
    }
    if (c === " " || c === "\t") {
      endWord();
      i++;
      continue;
    }
    if (c === "#" && !inWord) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    // Process substitution, `<(…)` and `>(…)`: a command of its own.
    if ((c === "<" || c === ">") && text[i + 1] === "(") {
      const [inner, next] = readSubstitution(text, i + 2);
      substitutions.push(inner);
      word += `${c}(${inner})`;
      inWord = true;
      i = next;
      continue;
    }
    // A redirection, with an optional file-descriptor number directly before it (`2>`).
    const rest = text.slice(i);
    const redirect = REDIRECTS.find((r) => rest.startsWith(r) && !(inWord && /^\d/.test(r)));
    if (redirect) {
      if (inWord && /^\d+$/.test(word)) {
        word = "";
        inWord = false;
      } else endWord();
      i += redirect.length;
      if (redirect === "2>&1") continue;
      if (redirect === ">&" && /^\d/.test(text[i] ?? "")) {
        while (/\d/.test(text[i] ?? "")) i++;
        continue;
      }
      pendingRedirect = redirect;
      continue;
    }
    const operator = OPERATORS.find((o) => rest.startsWith(o));
    if (operator) {
      endCommand();
      compound = true;
      i += operator.length;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endCommand();
  return { commands, substitutions, compound };
}

/** Words that run the rest of the line as a command; stripped to find the real command. */
const WRAPPERS = new Set([
  "env",
  "nohup",
  "time",
  "nice",
  "exec",
  "command",
  "builtin",
  "xargs",
  "timeout",
  "stdbuf",
  "then",
  "do",
  "else",
  "if",
  "while",
  "until",
  "!",
  "{",
]);

function basename(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

/** The command name and its arguments, past env assignments and wrappers like `nohup`. */
export function effectiveCommand(words: string[]): { name: string; args: string[] } | undefined {
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
      continue;
    }
    const name = basename(w);
    if (WRAPPERS.has(name)) {
      i++;
      // The wrapper's own options (`nice -n 5`, `timeout 10`, `xargs -0`).
      while (i < words.length && (words[i].startsWith("-") || /^\d+[smhd]?$/.test(words[i]))) {
        i++;
      }
      continue;
    }
    return { name, args: words.slice(i + 1) };
  }
  return undefined;
}

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
