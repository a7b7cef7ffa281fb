/**
 * The message in an HTTP error body, reduced to something that fits on one `Error:` line: the
 * `error` field of Ollama's JSON, the title or first line of text of an HTML page (what proxies
 * and captive portals send), or the body's own text, shortened.
 */
import { oneLine } from "./errors.ts";

/** Longer messages are cut here: an error line is not the place for a whole page. */
const MAX_LENGTH = 300;

function shorten(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function looksLikeHtml(text: string): boolean {
  return /^\s*</.test(text) && /<(!doctype|html|head|body|title|h1|p|center)\b/i.test(text);
}

/**
 * Where `pattern` (global, case-insensitive) next matches from `from` on: its index and its end,
 * or undefined. The patterns are plain words, so each search is one pass over the text.
 */
function find(
  text: string,
  pattern: RegExp,
  from: number,
): { at: number; end: number } | undefined {
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  return match ? { at: match.index, end: match.index + match[0].length } : undefined;
}

const clean = (s: string) => decodeEntities(s).replace(/\s+/g, " ").trim();

/**
 * The title of an HTML page, else its first line of visible text. Every search starts where the
 * last one ended, or is not made again once it found nothing: a page is scanned a bounded number
 * of times however it is built (patterns that could backtrack took seconds for a page of many
 * `<title>` or `<` and could not be stopped, not even with Ctrl+C).
 */
function htmlMessage(html: string): string | undefined {
  const open = find(html, /<title/gi, 0);
  const start = open && html.indexOf(">", open.end);
  const close = start !== undefined && start >= 0 ? find(html, /<\/title>/gi, start) : undefined;
  if (close) {
    const title = clean(html.slice(start! + 1, close.at));
    if (title !== "") return title;
  }
  return firstVisibleLine(html);
}

/** The first non-blank line of the text between tags, scripts, styles and comments left out. */
function firstVisibleLine(html: string): string | undefined {
  // A closing search that once failed fails from anywhere later too: remembered, not repeated.
  const unclosed = new Set<string>();
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf("<", at);
    const gt = open < 0 ? -1 : html.indexOf(">", open);
    // Text up to the next tag; a `<` with no `>` after it starts no tag, so the rest is text.
    const text = html.slice(at, gt < 0 ? html.length : open);
    for (const line of text.split("\n")) {
      const visible = clean(line);
      if (visible !== "") return visible;
    }
    if (gt < 0) return undefined;
    at = gt + 1;
    const kind = /^<(!--|script\b|style\b)/i.exec(html.slice(open, open + 8))?.[1].toLowerCase();
    if (kind === undefined || unclosed.has(kind)) continue;
    const end = kind === "!--"
      ? find(html, /-->/g, open + 4)
      : find(html, kind === "script" ? /<\/script>/gi : /<\/style>/gi, open);
    if (end) at = end.end;
    else unclosed.add(kind);
  }
  return undefined;
}

/** The `error` text of an Ollama JSON body, when it is one. */
export function jsonErrorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed === "object" && typeof parsed.error === "string") {
      return parsed.error;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** What an error body says, on one line, or undefined when it says nothing. */
export function errorBodyMessage(body: string): string | undefined {
  const json = jsonErrorText(body);
  if (json !== undefined) return json.trim() === "" ? undefined : oneLine(json);
  const text = looksLikeHtml(body) ? htmlMessage(body) : oneLine(body.trim());
  return text ? shorten(text) : undefined;
}
