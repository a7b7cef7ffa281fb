/**
 * A small shell tokenizer: splits a bash command line into simple commands (words with quotes
 * and escapes removed, redirections apart) and the `$(…)`/backtick substitutions inside it, and
 * finds the command a line really runs past env assignments and wrappers such as `nohup`. The
 * deny-list (denylist.ts) and the approval prefixes (allow.ts) both read commands this way.
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
      i += operator.length;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endCommand();
  return { commands, substitutions };
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

/** The last path component: `/bin/rm` → `rm`. */
export function basename(word: string): string {
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
