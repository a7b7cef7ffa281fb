/**
 * Image and audio files named in a prompt (docs/run.md, Images and audio): paths ending in .jpg,
 * .jpeg, .png, .webp or .wav are read, checked by their content, base64-encoded and taken out of
 * the text. A path that does not exist is left alone, as the user may just be talking about it.
 */

import { CliError } from "../errors.ts";
import type { Output } from "../io.ts";

export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

// Upstream's RE2 pattern with `(?i:…)` spelled out: an optional drive, then ./ or / or \, then
// the lazily shortest run of non-space characters, escaped characters or spaces, then the extension.
const PATH_PATTERN =
  /(?:[a-zA-Z]:)?(?:\.\/|\/|\\)[\S\\ ]+?\.(?:[jJ][pP][eE]?[gG]|[pP][nN][gG]|[wW][eE][bB][pP]|[wW][aA][vV])\b/g;

export interface Attachment {
  path: string;
  kind: "image" | "audio";
  base64: string;
}

export interface ExtractResult {
  text: string;
  attachments: Attachment[];
}

export type ReadFile = (path: string) => Promise<Uint8Array | undefined>;

/** Reads a file, or undefined when there is no such file. */
export const readFileIfExists: ReadFile = async (path) => {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return undefined;
    if (info.size > MAX_ATTACHMENT_BYTES) {
      throw new Error("file size exceeds maximum limit (100MB)");
    }
    return await Deno.readFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
};

/** Shell-style escapes a user may type in a path: `\ `, `\(`, `\'` and friends. */
export function unescapePath(path: string): string {
  return path.replace(/\\([ ()[\]{}$&;'\\*?~])/g, "$1");
}

/** The first candidate paths in `text`, in order. */
export function findPaths(text: string): string[] {
  return [...text.matchAll(PATH_PATTERN)].map((m) => m[0]);
}

/** WHATWG-style sniffing of the four types dollama accepts, else a descriptive type. */
export function sniffType(bytes: Uint8Array): string {
  const at = (i: number, s: string) => [...s].every((c, k) => bytes[i + k] === c.charCodeAt(0));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (at(0, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (at(0, "RIFF") && at(8, "WEBP")) return "image/webp";
  if (at(0, "RIFF") && at(8, "WAVE")) return "audio/wave";
  const head = bytes.subarray(0, 512);
  const binary = head.some((b) => b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b));
  return binary ? "application/octet-stream" : "text/plain; charset=utf-8";
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Loads one file as an attachment; throws with upstream's texts when it is not one. */
export function toAttachment(path: string, bytes: Uint8Array): Attachment {
  if (bytes.length === 0) throw new Error("EOF");
  const type = sniffType(bytes);
  if (!["image/jpeg", "image/png", "image/webp", "audio/wave"].includes(type)) {
    throw new Error(`invalid file type: ${type}`);
  }
  return { path, kind: type === "audio/wave" ? "audio" : "image", base64: toBase64(bytes) };
}

export async function extractAttachments(
  text: string,
  readFile: ReadFile = readFileIfExists,
): Promise<ExtractResult> {
  const attachments: Attachment[] = [];
  for (const raw of findPaths(text)) {
    const path = unescapePath(raw);
    const bytes = await readFile(path);
    if (bytes === undefined) continue;
    attachments.push(toAttachment(path, bytes));
    text = text.replace(`'${path}'`, "").replace(`'${raw}'`, "").replace(raw, "");
  }
  return { text: text.trim(), attachments };
}

/**
 * Takes the files named in a message out of it, reporting each on stderr (`Added image '…'`).
 * A file that cannot be used ends the command, as upstream: `Couldn't process file: "…"`.
 */
export async function takeAttachments(
  text: string,
  stderr: Output,
  readFile: ReadFile = readFileIfExists,
): Promise<ExtractResult> {
  let extracted: ExtractResult;
  try {
    extracted = await extractAttachments(text, readFile);
  } catch (err) {
    const message = (err as Error).message;
    await stderr.write(`Couldn't process file: ${JSON.stringify(message)}\n`);
    throw new CliError(message);
  }
  for (const a of extracted.attachments) await stderr.write(`Added ${a.kind} '${a.path}'\n`);
  return extracted;
}
