/**
 * A small shell tokenizer: splits a bash command line into simple commands (words with quotes
 * and escapes removed, redirections apart) and the `$(…)`/backtick substitutions inside it, and
 * finds the command a line really runs past env assignments and wrappers such as `nohup`. The
 * deny-list (denylist.ts), the analyser (analyse.ts) and the session rules (allow.ts) all read
 * commands this way.
 *
 * Besides the plain words it keeps, for every character of every word, where that character came
 * from (`RawWord.origin`): bash expands `$`, globs and braces only outside quotes, so the analyser
 * must know which `*` was quoted and which `$` was inside single quotes.
 */

export interface Redirect {
  op: string;
  target: string;
  /** A here-document's text (`<<EOF … EOF`). */
  body?: string;
  /**
   * A here-document whose end word never came: bash takes the rest of the text as its body, but
   * a misreading of where it starts would hide commands there, so the analyser judges it.
   */
  unterminated?: boolean;
  /** A here-document whose end word is unquoted: `$X`, `$(…)` and `$((…))` in its body expand. */
  expands?: boolean;
}

/** One simple command: its words (quotes removed) and its redirections. */
export interface SimpleCommand {
  words: string[];
  redirects: Redirect[];
}

/**
 * A word with, per character, where it came from: `u` unquoted, `d` inside double quotes, `s`
 * literal (single quotes, a backslash escape, `$'…'`), `x` part of a substitution (`$(…)`,
 * backticks, `<(…)`), whose text runs as a command of its own, `a` part of an arithmetic
 * expansion (`$((…))`, `$[…]`), whose value is not known, `p` part of a `${…}` holding quotes or
 * expansions, whose value the analyser does not work out.
 */
export interface RawWord {
  text: string;
  origin: string;
}

export interface Parsed {
  /** Simple commands in order; `;`, `&&`, `||`, `|`, `&` and newlines separate them. */
  commands: SimpleCommand[];
  /** The text of each `$(…)` and backtick substitution, to be checked as commands too. */
  substitutions: string[];
  /** Index-aligned with `commands`: the words and redirection targets with their origins. */
  raw: { words: RawWord[]; redirects: RawWord[] }[];
  /** The operator that ended each command (`|`, `;`, `&&`, `&`, `(`, …; "" at the end). */
  separators: string[];
  /** Process substitutions (`<(…)`, `>(…)`) are among `substitutions`; this counts them. */
  processSubstitutions: number;
}

const OPERATORS = ["&&", "||", ";;", ";", "|&", "|", "&", "\n", "(", ")"];
const REDIRECTS = [
  "&>>",
  "&>",
  "2>>",
  "2>&1",
  "2>",
  ">>",
  ">|",
  ">&",
  ">",
  "<<<",
  "<<-",
  "<<",
  "<>",
  "<",
];

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

/**
 * Reads `${…}` starting after `${` at `i`, skipping quotes, escapes, substitutions and nested
 * `${…}`; returns the inner text and the index after its `}`.
 */
function readParameter(text: string, i: number): [string, number] {
  const start = i;
  let depth = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      i = end < 0 ? text.length : end;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\") i++;
        else if (text[i] === "$" && text[i + 1] === "(") i = readSubstitution(text, i + 2)[1] - 1;
        i++;
      }
    } else if (c === "$" && text[i + 1] === "(") i = readSubstitution(text, i + 2)[1] - 1;
    else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      i = end < 0 ? text.length : end;
    } else if (c === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (c === "}" && --depth === 0) return [text.slice(start, i), i + 1];
  }
  return [text.slice(start), text.length];
}

/**
 * Reads arithmetic after `$((` or `((` (at `i`, past both parentheses); returns the inner text and
 * the index after `))`, or undefined when the parentheses do not close as `))` (then bash reads
 * `((a) ; b)` as subshells, not arithmetic).
 */
function readArithmetic(text: string, i: number): [string, number] | undefined {
  const [inner, next] = readSubstitution(text, i - 1);
  if (!inner.startsWith("(") || !inner.endsWith(")") || text[next - 1] !== ")") return undefined;
  return [inner.slice(1, -1), next];
}

/** Reads `$[…]` starting after `$[` at `i`; returns the inner text and the index after `]`. */
function readBracketArithmetic(text: string, i: number): [string, number] {
  let depth = 1;
  const start = i;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "$" && text[i + 1] === "(") {
      i = readSubstitution(text, i + 2)[1] - 1;
    } else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return [text.slice(start, i), i + 1];
  }
  return [text.slice(start), i];
}

/** ESC, decoded from `$'\e'`; written as a code so lib/term/ansi.ts stays the only spelling. */
const ESCAPE = String.fromCharCode(27);

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: ESCAPE,
  E: ESCAPE,
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/**
 * Decodes ANSI-C quoting (`$'\x72\x6d'` → `rm`) starting after `$'` at `i`; returns the text and
 * the index after the closing quote. bash decodes these statically, so the analyser can too.
 */
function readAnsiC(text: string, i: number): [string, number] {
  let out = "";
  while (i < text.length && text[i] !== "'") {
    if (text[i] !== "\\") {
      out += text[i++];
      continue;
    }
    const e = text[i + 1] ?? "";
    i += 2;
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (e === "x") {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i))?.[0] ?? "";
      out += hex ? String.fromCharCode(parseInt(hex, 16)) : "\\x";
      i += hex.length;
    } else if (e === "u" || e === "U") {
      const hex = new RegExp(`^[0-9a-fA-F]{1,${e === "u" ? 4 : 8}}`).exec(text.slice(i))?.[0] ??
        "";
      out += hex ? String.fromCodePoint(parseInt(hex, 16)) : "\\" + e;
      i += hex.length;
    } else if (/[0-7]/.test(e)) {
      const oct = e + (/^[0-7]{0,2}/.exec(text.slice(i))?.[0] ?? "");
      out += String.fromCharCode(parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else if (e === "c") {
      out += String.fromCharCode((text[i] ?? "@").charCodeAt(0) & 0x1f);
      i++;
    } else out += "\\" + e;
  }
  return [out, i + 1];
}

/** Tokenises `text` into simple commands, as far as an analyser needs to understand bash. */
export function parseShell(text: string): Parsed {
  const commands: SimpleCommand[] = [];
  const substitutions: string[] = [];
  const raw: Parsed["raw"] = [];
  const separators: string[] = [];
  let processSubstitutions = 0;
  let current: SimpleCommand = { words: [], redirects: [] };
  let currentRaw: Parsed["raw"][number] = { words: [], redirects: [] };
  let word = "";
  let origin = "";
  let inWord = false;
  let pendingRedirect: string | undefined;
  /** Here-documents whose bodies start after the next newline. */
  let pendingHeredocs: {
    redirect: Redirect;
    delimiter: string;
    strip: boolean;
    expand: boolean;
  }[] = [];

  const add = (chars: string, from: string) => {
    word += chars;
    origin += from.repeat(chars.length);
    inWord = true;
  };
  const endWord = () => {
    if (!inWord) return;
    const rawWord = { text: word, origin };
    if (pendingRedirect !== undefined) {
      const redirect: Redirect = { op: pendingRedirect, target: word };
      current.redirects.push(redirect);
      currentRaw.redirects.push(rawWord);
      if (pendingRedirect === "<<" || pendingRedirect === "<<-") {
        pendingHeredocs.push({
          redirect,
          delimiter: word,
          strip: pendingRedirect === "<<-",
          expand: !/[sd]/.test(origin),
        });
      }
      pendingRedirect = undefined;
    } else {
      current.words.push(word);
      currentRaw.words.push(rawWord);
    }
    word = "";
    origin = "";
    inWord = false;
  };
  const endCommand = (separator: string) => {
    endWord();
    // A redirection without its target (`cat < ;`) must not take the next command's name.
    pendingRedirect = undefined;
    if (current.words.length || current.redirects.length) {
      commands.push(current);
      raw.push(currentRaw);
      separators.push(separator);
    } else if (separators.length && separator !== "") {
      // `a | (b)`: keep the strongest operator seen for the command before.
      if (separators[separators.length - 1] === "") separators[separators.length - 1] = separator;
    }
    current = { words: [], redirects: [] };
    currentRaw = { words: [], redirects: [] };
  };
  /** Substitutions inside an unquoted-delimiter here-document run like those in "…". */
  const scanExpansions = (body: string) => {
    for (let j = 0; j < body.length; j++) {
      if (body[j] === "\\") j++;
      else if (body[j] === "$" && body.startsWith("((", j + 1) && readArithmetic(body, j + 3)) {
        const [inner, next] = readArithmetic(body, j + 3)!;
        scanExpansions(inner);
        j = next - 1;
      } else if (body[j] === "$" && body[j + 1] === "(") {
        const [inner, next] = readSubstitution(body, j + 2);
        substitutions.push(inner);
        j = next - 1;
      } else if (body[j] === "`") {
        const end = body.indexOf("`", j + 1);
        substitutions.push(body.slice(j + 1, end < 0 ? body.length : end));
        j = end < 0 ? body.length : end;
      }
    }
  };

  /** `$((…))` or `$[…]` at `i`: arithmetic, where `<<` is a shift, not a here-document. */
  const arithmeticAt = (at: number) =>
    text[at] === "$" &&
    (text[at + 1] === "[" || (text.startsWith("((", at + 1) && !!readArithmetic(text, at + 3)));
  /**
   * Takes the arithmetic at `i` (`$((…))`, `$[…]`, or the command `((…))`) as one word whose value
   * is unknown; the substitutions inside it still run. Returns the index after it.
   */
  const arithmetic = (at: number): number => {
    let inner: string;
    let next: number;
    if (text.startsWith("$[", at)) [inner, next] = readBracketArithmetic(text, at + 2);
    else {
      const start = text[at] === "$" ? at + 3 : at + 2;
      [inner, next] = readArithmetic(text, start) ?? ["", text.length];
    }
    scanExpansions(inner);
    add(text.slice(at, next), "a");
    return next;
  };

  /**
   * Takes the `${…}` at `at` as one piece of the word: `from` when it is plain (`${X:-rm}`, which
   * the analyser resolves), `p` when it holds quotes or expansions, whose substitutions still run.
   */
  const parameter = (at: number, from: string): number => {
    const [inner, next] = readParameter(text, at + 2);
    const complex = /['"\\$`]/.test(inner);
    if (complex) scanExpansions(inner);
    add(text.slice(at, next), complex ? "p" : from);
    return next;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      if (text[i + 1] === "\n") {
        i += 2;
        continue;
      }
      add(text[i + 1] ?? "", "s");
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end < 0 ? text.length : end;
      add(text.slice(i + 1, stop), "s");
      inWord = true;
      i = stop + 1;
      continue;
    }
    if (c === "$" && text[i + 1] === "'") {
      const [decoded, next] = readAnsiC(text, i + 2);
      add(decoded, "s");
      inWord = true;
      i = next;
      continue;
    }
    if (c === '"' || (c === "$" && text[i + 1] === '"')) {
      inWord = true;
      i += c === "$" ? 2 : 1;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && '"\\$`\n'.includes(text[i + 1] ?? "")) {
          add(text[i + 1], "s");
          i += 2;
        } else if (arithmeticAt(i)) {
          i = arithmetic(i);
        } else if (text[i] === "$" && text[i + 1] === "{") {
          // Inside "…" too, quotes in a `${…}` are its own (`"${x:-"}"}"` is one word).
          i = parameter(i, "d");
        } else if (text[i] === "$" && text[i + 1] === "(") {
          const [inner, next] = readSubstitution(text, i + 2);
          substitutions.push(inner);
          add(`$(${inner})`, "x");
          i = next;
        } else if (text[i] === "`") {
          const end = text.indexOf("`", i + 1);
          const stop = end < 0 ? text.length : end;
          substitutions.push(text.slice(i + 1, stop));
          add(text.slice(i, stop + 1), "x");
          i = stop + 1;
        } else {
          add(text[i++], "d");
        }
      }
      i++;
      continue;
    }
    // `((…))` is arithmetic where a command starts, also after `if`, `while`, `!` and the like.
    const commandStart = !inWord &&
      current.words.every((w) => /^(for|if|elif|while|until|then|do|else|!|time)$/.test(w));
    if (
      arithmeticAt(i) ||
      (commandStart && text.startsWith("((", i) && readArithmetic(text, i + 2))
    ) {
      i = arithmetic(i);
      continue;
    }
    if (c === "$" && text[i + 1] === "(") {
      const [inner, next] = readSubstitution(text, i + 2);
      substitutions.push(inner);
      add(`$(${inner})`, "x");
      i = next;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      const stop = end < 0 ? text.length : end;
      substitutions.push(text.slice(i + 1, stop));
      add(text.slice(i, stop + 1), "x");
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
      processSubstitutions++;
      add(`${c}(${inner})`, "x");
      i = next;
      continue;
    }
    // `${…}` is one expansion even when it holds spaces or operators (`${X:-a b}`); it ends at
    // its own `}`, not one inside quotes or a nested `${…}` (`${x:-'}'}`), and the substitutions
    // in it run (`${X:-$(cmd)}`).
    if (c === "$" && text[i + 1] === "{") {
      i = parameter(i, "u");
      continue;
    }
    // A redirection, with an optional file-descriptor number directly before it (`2>`).
    const rest = text.slice(i);
    const redirect = REDIRECTS.find((r) => rest.startsWith(r) && !(inWord && /^\d/.test(r)));
    if (redirect) {
      if (inWord && /^\d+$/.test(word)) {
        word = "";
        origin = "";
        inWord = false;
      } else endWord();
      i += redirect.length;
      if (redirect === "2>&1") continue;
      // `>&2`, `2>&3`, `<&0`, `>&-`: a copy or a close of a descriptor, which writes no file.
      const duplicate = /^(\d+|-)(?=$|[\s;&|()<>])/;
      if (redirect === ">&" && duplicate.test(text.slice(i))) {
        i += duplicate.exec(text.slice(i))![0].length;
        continue;
      }
      if (/^\d*[<>]$/.test(redirect) && text[i] === "&") {
        const fd = duplicate.exec(text.slice(i + 1));
        if (fd) {
          i += 1 + fd[0].length;
          continue;
        }
        // `2>&name`: bash refuses it; read it as a write to `name`, never as `&`.
        i++;
      }
      // `>& file` is `&> file`: stdout and stderr to the file, emptying it first.
      pendingRedirect = redirect === ">&" ? "&>" : redirect;
      continue;
    }
    const operator = OPERATORS.find((o) => rest.startsWith(o));
    if (operator) {
      endCommand(operator);
      i += operator.length;
      if (operator === "\n" && pendingHeredocs.length) {
        // The here-documents' bodies follow, one after the other, each up to its delimiter line.
        for (const heredoc of pendingHeredocs) {
          const lines: string[] = [];
          heredoc.redirect.unterminated = true;
          while (i < text.length) {
            const end = text.indexOf("\n", i);
            const line = text.slice(i, end < 0 ? text.length : end);
            i = end < 0 ? text.length : end + 1;
            const compared = heredoc.strip ? line.replace(/^\t+/, "") : line;
            if (compared === heredoc.delimiter) {
              heredoc.redirect.unterminated = false;
              break;
            }
            lines.push(compared);
          }
          heredoc.redirect.body = lines.length ? lines.join("\n") + "\n" : "";
          heredoc.redirect.expands = heredoc.expand;
          if (heredoc.expand) scanExpansions(heredoc.redirect.body);
        }
        pendingHeredocs = [];
      }
      continue;
    }
    add(c, "u");
    i++;
  }
  endCommand("");
  // A here-document whose body never started (no newline after its command) has no end word.
  for (const heredoc of pendingHeredocs) {
    heredoc.redirect.body = "";
    heredoc.redirect.unterminated = true;
  }
  return { commands, substitutions, raw, separators, processSubstitutions };
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
  "setsid",
  "then",
  "do",
  "else",
  "elif",
  "if",
  "while",
  "until",
  "!",
  "{",
]);

/** Wrapper options whose value is the next word: it is not the command. */
const OPTION_VALUES: Record<string, string[]> = {
  xargs: [
    "-I",
    "-i",
    "-n",
    "-P",
    "-L",
    "-l",
    "-s",
    "-d",
    "-E",
    "-e",
    "-a",
    "--replace",
    "--arg-file",
  ],
  timeout: ["-s", "--signal", "-k", "--kill-after"],
  env: ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
  nice: ["-n", "--adjustment"],
  time: ["-f", "--format", "-o", "--output"],
  stdbuf: ["-o", "-e", "-i"],
  exec: ["-a"],
};

/** The last path component: `/bin/rm` → `rm`. */
export function basename(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

/** The command name and its arguments, past env assignments and wrappers like `nohup`. */
export function effectiveCommand(words: string[]): { name: string; args: string[] } | undefined {
  const found = commandPosition(words);
  return found === undefined
    ? undefined
    : { name: basename(words[found.index]), args: words.slice(found.index + 1) };
}

/**
 * Where the real command of `words` is, and the wrappers passed on the way with the options
 * given to them (`timeout -s KILL 10 rm` → wrappers `[{name: "timeout", options: ["-s",
 * "KILL", "10"]}]`).
 */
export function commandPosition(
  words: string[],
): { index: number; wrappers: { name: string; options: string[] }[] } | undefined {
  const wrappers: { name: string; options: string[] }[] = [];
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(w)) {
      i++;
      continue;
    }
    const name = basename(w);
    if (WRAPPERS.has(name)) {
      i++;
      const options: string[] = [];
      const takesValue = OPTION_VALUES[name];
      // The wrapper's own options (`nice -n 5`, `timeout 10`, `xargs -I {}`), with their values.
      while (
        i < words.length && (words[i].startsWith("-") || /^\d+(\.\d+)?[smhd]?$/.test(words[i]))
      ) {
        options.push(words[i]);
        if (takesValue?.includes(words[i]) && i + 1 < words.length) options.push(words[++i]);
        i++;
      }
      wrappers.push({ name, options });
      continue;
    }
    return { index: i, wrappers };
  }
  return undefined;
}
