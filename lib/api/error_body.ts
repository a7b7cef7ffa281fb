/**
 * The message in an HTTP error body, reduced to something that fits on one `Error:` line: the
 * `error` field of Ollama's JSON, the title or first line of text of an HTML page (what proxies
 * and captive portals send), or the body's own text, shortened.
 */

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

/** The title of an HTML page, else its first line of visible text. */
function htmlMessage(html: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const clean = (s: string) => decodeEntities(s.replace(/\s+/g, " ")).trim();
  if (title !== undefined && clean(title) !== "") return clean(title);
  const visible = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]*>/g, "\n");
  for (const line of visible.split("\n")) {
    const text = clean(line);
    if (text !== "") return text;
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

/** What an error body says, or undefined when it says nothing. */
export function errorBodyMessage(body: string): string | undefined {
  const json = jsonErrorText(body);
  if (json !== undefined) return json === "" ? undefined : json;
  const text = looksLikeHtml(body) ? htmlMessage(body) : body.trim();
  return text ? shorten(text) : undefined;
}
