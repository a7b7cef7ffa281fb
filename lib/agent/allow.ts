/**
 * "Allow for this session" (docs/agent.md, Allow for this session). For bash, a read-only command on a
 * relative path becomes a prefix rule `<cmd>:<dir>/` that covers that directory and its
 * subdirectories; anything else allows exactly that command. Other tools are allowed by name.
 */
import { effectiveCommand, parseShell } from "./shell_words.ts";

export const PREFIX_COMMANDS = new Set([
  "cat",
  "ls",
  "head",
  "tail",
  "less",
  "more",
  "file",
  "wc",
  "grep",
  "find",
  "tree",
  "stat",
  "sed",
]);

/** Commands whose first operand is a pattern or script, not a path. */
const PATTERN_FIRST = new Set(["grep", "sed"]);

/** Normalises a relative path (`a/./b/../c` → `a/c`); undefined when it leaves the cwd. */
export function normalizeRelative(path: string): string | undefined {
  if (path.startsWith("/") || path.startsWith("~")) return undefined;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

/** The path operands of a prefix command. */
function operands(name: string, args: string[]): string[] {
  const result: string[] = [];
  let skipPattern = PATTERN_FIRST.has(name);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("-") && a !== "-") {
      // `head -n 10`, `grep -e PATTERN`: the option's value is not a path.
      if (/^-[nce]$/.test(a)) i++;
      if (a === "-e") skipPattern = false;
      continue;
    }
    if (/^\d+$/.test(a)) continue;
    if (skipPattern) {
      skipPattern = false;
      continue;
    }
    result.push(a);
  }
  return result;
}

/**
 * The prefix rule for `command` (`cat:tools/`), or undefined when the exact command must be
 * allowed instead: not a read-only command, an absolute path, or a path that leaves the cwd.
 */
export function prefixRule(command: string): string | undefined {
  const parsed = parseShell(command);
  const first = parsed.commands[0];
  if (!first) return undefined;
  const found = effectiveCommand(first.words);
  if (!found || !PREFIX_COMMANDS.has(found.name)) return undefined;
  const paths = operands(found.name, found.args);
  if (paths.length === 0) return undefined;
  const path = paths[0];
  const normal = normalizeRelative(path);
  if (normal === undefined) return undefined;
  // A bare filename is in the cwd; a path names its directory (or itself, with a trailing /).
  let dir: string;
  if (path.endsWith("/")) dir = normal;
  else dir = normal.includes("/") ? normal.slice(0, normal.lastIndexOf("/")) : "";
  return `${found.name}:${dir === "" ? "." : dir}/`;
}

/** True when `rule` (`cat:tools/`) covers `command`. */
export function ruleCovers(rule: string, command: string): boolean {
  const colon = rule.indexOf(":");
  const name = rule.slice(0, colon);
  const dir = rule.slice(colon + 1);
  const parsed = parseShell(command);
  if (parsed.substitutions.length || parsed.commands.length === 0) return false;
  for (const [i, simple] of parsed.commands.entries()) {
    if (simple.redirects.some((r) => r.op !== "<")) return false;
    const found = effectiveCommand(simple.words);
    // Every stage must be read-only; the rule's directory binds the first one's paths.
    if (!found || !PREFIX_COMMANDS.has(found.name) || found.name === "sed" && i > 0) return false;
    if (found.name === "find" && found.args.some((a) => a.startsWith("-exec") || a === "-delete")) {
      return false;
    }
    if (found.name === "sed" && found.args.some((a) => /^(-i|--in-place)/.test(a))) return false;
    if (i === 0) {
      if (found.name !== name) return false;
      const paths = operands(found.name, found.args);
      if (paths.length === 0) return false;
      for (const path of paths) {
        const normal = normalizeRelative(path);
        if (normal === undefined) return false;
        if (dir === "./") continue;
        const base = dir.slice(0, -1);
        if (normal !== base && !normal.startsWith(dir)) return false;
      }
    } else if (operands(found.name, found.args).length) {
      return false;
    }
  }
  // A separator other than a pipe (`;`, `&&`) could start anything: only pipelines are covered.
  return !/[;&\n]/.test(command.replace(/'[^']*'|"[^"]*"/g, ""));
}

/** The grey note beside "Allow for this session" for a prefix rule. */
export function ruleNote(rule: string): string {
  const colon = rule.indexOf(":");
  const dir = rule.slice(colon + 1);
  const name = rule.slice(0, colon);
  return dir === "./"
    ? `${name} in current directory (includes subdirs)`
    : `${name} in ${dir} directory (includes subdirs)`;
}

/** What the session has allowed: tool names, exact bash commands and bash prefix rules. */
export class Approvals {
  #tools = new Set<string>();
  #commands = new Set<string>();
  #prefixes = new Set<string>();

  allow(tool: string, command?: string): void {
    if (tool !== "bash" || command === undefined) {
      this.#tools.add(tool);
      return;
    }
    const rule = prefixRule(command);
    if (rule) this.#prefixes.add(rule);
    else this.#commands.add(command);
  }

  isAllowed(tool: string, command?: string): boolean {
    if (tool !== "bash" || command === undefined) return this.#tools.has(tool);
    if (this.#commands.has(command)) return true;
    return [...this.#prefixes].some((rule) => ruleCovers(rule, command));
  }

  clear(): void {
    this.#tools.clear();
    this.#commands.clear();
    this.#prefixes.clear();
  }

  /** Lines for `/tools`: `cat:tools/*`, `bash: <cmd>`, tool names. */
  entries(): string[] {
    return [
      ...[...this.#prefixes].map((p) => `${p}*`),
      ...[...this.#commands].map((c) => `bash: ${c}`),
      ...this.#tools,
    ];
  }
}
