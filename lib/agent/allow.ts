/**
 * "Allow for this session" (docs/agent.md, Allow for this session). A session rule must never
 * cover more than the user saw, so there are three kinds:
 *
 * - read-only: a pipeline of commands from a curated list whose every accepted option only reads
 *   (`ls`, `cat`, `head`, `grep`, `git status`, …), on relative paths inside the working
 *   directory. The rule covers the same commands with the same options (values included) on
 *   files in the same directory — not its subdirectories, not other options. A grep pattern may
 *   differ: it is data, not a path or an option.
 * - exact: any other command is allowed again only as exactly the same text.
 * - never: commands whose arguments are code or which run other commands (`sed`, `find`, `awk`,
 *   `xargs`, interpreters, shells, `eval`, …) or whose text is not what runs (substitutions) get
 *   no rule at all; choosing "Allow for this session" runs them once. After `sed 1p notes.txt`
 *   was allowed, `sed '1e touch PWNED' notes.txt` must ask again, and it would only be covered by
 *   reading sed scripts, which is the analyser's job, not a rule's.
 *
 * Other tools are allowed by name.
 */
import { AWKS, INTERPRETERS, SHELLS } from "./analyse.ts";
import { basename, commandPosition, parseShell } from "./shell_words.ts";

/** The options a read-only command accepts in a rule; any other option means no rule. */
interface OptionSpec {
  /** Single-letter options that only change what is printed (clusters such as `-la` too). */
  letters: string;
  /** Options whose value is the next word (`-n 5`); the value is part of the rule. */
  valued?: string[];
  /** Long options accepted as written, or ending in `=` to accept any value. */
  long?: string[];
  /** `-5` (a count) is accepted. */
  counts?: boolean;
  /** The first operand is a pattern, not a path (`grep PATTERN FILE`), unless `-e` gave it. */
  patternFirst?: boolean;
}

const COLOR = ["--color=never", "--colour=never", "--no-color"];

/**
 * The curated read-only commands. Deliberately absent: `sed` (`e`, `w`), `find` (`-exec`,
 * `-fprint`, `-delete`), `awk` (`system`), `less`/`more` (shell escapes), `tail -f` (never ends),
 * `sort -o`, `tree -o`, `file -C`: anything with an option that writes or runs.
 */
const READ_ONLY: Record<string, OptionSpec> = {
  ls: {
    letters: "aAlhRtrSdFisn1GgoXvUpQmc",
    long: ["--all", "--almost-all", "--human-readable", "--recursive", "--classify", ...COLOR],
  },
  cat: { letters: "AbeEnstTuv" },
  head: { letters: "qv", valued: ["-n", "-c"], counts: true },
  tail: { letters: "qv", valued: ["-n", "-c"], counts: true },
  wc: { letters: "lwcmL" },
  grep: {
    letters: "iIvwxcnlLhHrRsqEFGoabTZ",
    valued: ["-e", "-A", "-B", "-C", "-m"],
    long: ["--include=", "--exclude=", "--exclude-dir=", ...COLOR],
    patternFirst: true,
  },
  stat: { letters: "Lt", valued: ["-c"] },
  file: { letters: "bLihz" },
  tree: { letters: "adfliFhpsDC", valued: ["-L", "-I", "-P"] },
  du: { letters: "shacbkmxL", valued: ["-d"] },
  "git status": {
    letters: "sbuv",
    long: ["--short", "--branch", "--porcelain", "--untracked-files=", "--ignored"],
  },
  "git diff": {
    letters: "wpbR",
    long: [
      "--stat",
      "--cached",
      "--staged",
      "--name-only",
      "--name-status",
      "--shortstat",
      "--numstat",
      "--word-diff",
      ...COLOR,
    ],
  },
  "git log": {
    letters: "p",
    valued: ["-n"],
    counts: true,
    long: [
      "--oneline",
      "--stat",
      "--graph",
      "--decorate",
      "--all",
      "--format=",
      "--pretty=",
      ...COLOR,
    ],
  },
};

/** Commands that never get a rule: their arguments are code, or they run other commands. */
const NEVER = new Set([
  "sed",
  "find",
  "xargs",
  "eval",
  "source",
  ".",
  "exec",
  "trap",
  "alias",
  "env",
  "command",
  "builtin",
  "nohup",
  "setsid",
  "timeout",
]);

function neverGetsRule(name: string): boolean {
  return NEVER.has(name) || SHELLS.has(name) || AWKS.has(name) || INTERPRETERS.has(name) ||
    name.startsWith("python");
}

/**
 * Normalises a relative path (`a/./b` → `a/b`); undefined when it has a `..` at all. `link/..`
 * is not `.` when `link` is a symbolic link (it is the link target's parent), so a rule is never
 * made from, nor widened across, a `..` that only the text seems to cancel.
 */
export function normalizeRelative(path: string): string | undefined {
  if (path.startsWith("/") || path.startsWith("~")) return undefined;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") return undefined;
    parts.push(part);
  }
  return parts.join("/");
}

/** One command of a read-only pipeline, as a rule sees it. */
export interface Stage {
  /** `cat`, or `git status` for git. */
  name: string;
  /** The options with their values, as written (`-n 5`). */
  options: string[];
  /** The directory its path operands are in (`.` for the cwd); undefined without operands. */
  dir?: string;
  /**
   * A recursive stage (`grep -r`, `ls -R`, `tree`, `du`) reads whole subtrees, not files in a
   * directory: its rule covers exactly these operands (normalised, sorted), so allowing
   * `grep -r foo src` does not allow `grep -r foo .`.
   */
  paths?: string[];
}

export type SessionRule =
  | { kind: "read-only"; stages: Stage[] }
  | { kind: "exact"; command: string }
  /** `name` is what keeps the command from getting a rule. */
  | { kind: "never"; name: string };

/** Characters that make bash expand a word: such a word is not what runs. */
const EXPANDING = /[$*?[{~`]/;

/** The stage `words` form when they are a curated read-only command; undefined otherwise. */
function stage(words: string[]): Stage | undefined {
  if (words.length === 0 || words[0].includes("/")) return undefined;
  let name = words[0];
  let args = words.slice(1);
  if (name === "git") {
    name = `git ${args[0]}`;
    args = args.slice(1);
  }
  const spec = READ_ONLY[name];
  if (!spec) return undefined;
  const options: string[] = [];
  const operands: string[] = [];
  let patternPending = spec.patternFirst === true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      if (patternPending) patternPending = false;
      else operands.push(a);
      continue;
    }
    if (spec.valued?.includes(a)) {
      if (i + 1 >= args.length) return undefined;
      options.push(a, args[++i]);
      if (a === "-e") patternPending = false;
      continue;
    }
    const known = (spec.counts && /^-\d+$/.test(a)) ||
      spec.long?.some((l) => l.endsWith("=") ? a.startsWith(l) : a === l) ||
      (/^-[a-zA-Z0-9]+$/.test(a) && [...a.slice(1)].every((c) => spec.letters.includes(c)));
    if (!known) return undefined;
    options.push(a);
  }
  if (operands.length === 0) return { name, options };
  const dirs = new Set<string>();
  for (const operand of operands) {
    const normal = normalizeRelative(operand);
    if (normal === undefined) return undefined;
    // `tools/` names that directory; `tools/a.go` and `a.go` name the directory they are in.
    let dir: string;
    if (operand.endsWith("/")) dir = normal;
    else dir = normal.includes("/") ? normal.slice(0, normal.lastIndexOf("/")) : "";
    dirs.add(dir === "" ? "." : dir);
  }
  if (recursive(name, options)) {
    const paths = [...new Set(operands.map((o) => normalizeRelative(o) || "."))].sort();
    return { name, options, paths };
  }
  // Operands in several directories would make "the same directory" ambiguous.
  if (dirs.size !== 1) return undefined;
  return { name, options, dir: [...dirs][0] };
}

/** Whether a stage reads the whole tree under its operands. */
function recursive(name: string, options: string[]): boolean {
  if (name === "tree" || name === "du") return true;
  const letters = name === "grep" ? /^-[a-zA-Z0-9]*[rR]/ : name === "ls" ? /^-[a-zA-Z0-9]*R/ : null;
  return letters !== null &&
    options.some((o) => letters.test(o) && !o.startsWith("--") || o === "--recursive");
}

/** The read-only stages of `command`, or undefined when it is anything more than that. */
function readOnlyStages(command: string): Stage[] | undefined {
  const parsed = parseShell(command);
  if (parsed.commands.length === 0 || parsed.substitutions.length) return undefined;
  if (parsed.separators.some((s, i) => s !== (i === parsed.separators.length - 1 ? "" : "|"))) {
    return undefined;
  }
  const stages: Stage[] = [];
  for (const [k, simple] of parsed.commands.entries()) {
    if (simple.redirects.length) return undefined;
    const literal = parsed.raw[k].words.every((w) =>
      [...w.text].every((c, i) => w.origin[i] === "s" || !EXPANDING.test(c))
    );
    if (!literal) return undefined;
    const found = stage(simple.words);
    if (!found) return undefined;
    stages.push(found);
  }
  return stages;
}

/** The rule "Allow for this session" would add for a bash command. */
export function sessionRule(command: string): SessionRule {
  const stages = readOnlyStages(command);
  if (stages) return { kind: "read-only", stages };
  const parsed = parseShell(command);
  if (parsed.substitutions.length) return { kind: "never", name: "command substitution" };
  for (const simple of parsed.commands) {
    const found = commandPosition(simple.words);
    if (!found) continue;
    for (const wrapper of found.wrappers) {
      if (neverGetsRule(wrapper.name)) return { kind: "never", name: wrapper.name };
    }
    const name = basename(simple.words[found.index]);
    if (neverGetsRule(name)) return { kind: "never", name };
  }
  return { kind: "exact", command };
}

function sameStage(a: Stage, b: Stage): boolean {
  return a.name === b.name && a.dir === b.dir && a.options.join("\0") === b.options.join("\0") &&
    a.paths?.join("\0") === b.paths?.join("\0");
}

/** True when `rule` covers `command`. */
export function ruleCovers(rule: SessionRule, command: string): boolean {
  if (rule.kind === "never") return false;
  if (rule.kind === "exact") return rule.command === command;
  const stages = readOnlyStages(command);
  return stages !== undefined && stages.length === rule.stages.length &&
    stages.every((s, i) => sameStage(s, rule.stages[i]));
}

/** `cat -n in tools/ | head -1`: what a read-only rule covers, in a few words. */
function describeStages(stages: Stage[]): string {
  return stages.map((s) => {
    const options = s.options.length ? ` ${s.options.join(" ")}` : "";
    const where = s.paths !== undefined
      ? ` on ${s.paths.join(" ")}`
      : s.dir === undefined
      ? ""
      : s.dir === "."
      ? " in ./"
      : ` in ${s.dir}/`;
    return `${s.name}${options}${where}`;
  }).join(" | ");
}

/** What a read-only rule keeps the same besides the commands. */
function sameWhat(stages: Stage[]): string {
  return stages.some((s) => s.paths)
    ? "(same options, same paths)"
    : "(same options, same directory)";
}

/** The grey note beside "Allow for this session": what choosing it will allow. */
export function ruleNote(rule: SessionRule): string {
  switch (rule.kind) {
    case "read-only":
      return `${describeStages(rule.stages)} ${sameWhat(rule.stages)}`;
    case "exact":
      return "(this exact command)";
    case "never":
      return `(runs once: ${rule.name} is never allowed for a session)`;
  }
}

/** What the session has allowed: tool names and bash rules. */
export class Approvals {
  #tools = new Set<string>();
  #rules = new Map<string, SessionRule>();

  /** Records the rule for `command` (or the tool); false when it gets none and runs once. */
  allow(tool: string, command?: string): boolean {
    if (tool !== "bash" || command === undefined) {
      this.#tools.add(tool);
      return true;
    }
    const rule = sessionRule(command);
    if (rule.kind === "never") return false;
    this.#rules.set(JSON.stringify(rule), rule);
    return true;
  }

  isAllowed(tool: string, command?: string): boolean {
    if (tool !== "bash" || command === undefined) return this.#tools.has(tool);
    return [...this.#rules.values()].some((rule) => ruleCovers(rule, command));
  }

  clear(): void {
    this.#tools.clear();
    this.#rules.clear();
  }

  /** Lines for `/tools`: `bash: cat in tools/ (same options)`, `bash: <cmd>`, tool names. */
  entries(): string[] {
    return [
      ...[...this.#rules.values()].map((rule) =>
        rule.kind === "read-only"
          ? `bash: ${describeStages(rule.stages)} ${sameWhat(rule.stages)}`
          : `bash: ${rule.kind === "exact" ? rule.command : ""}`
      ),
      ...this.#tools,
    ];
  }
}
