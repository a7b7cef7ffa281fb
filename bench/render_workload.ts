/**
 * The rendering workload shared by the in-process measurement and the pseudo-terminal one: many
 * small content chunks (a few words each, mostly ASCII with some CJK and the odd paragraph break)
 * pushed through ResponseRenderer with a terminal-like stdout, word wrap on, 80 columns.
 */
import type { Output } from "../lib/io.ts";
import { ResponseRenderer } from "../lib/render/response.ts";

const ASCII = [
  "The quick brown ",
  "fox jumps over ",
  "the lazy dog, ",
  "and then it ",
  "runs away. ",
  "Streaming tokens ",
  "arrive one by ",
  "one from the ",
  "model; each is ",
  "short. ",
];
const CJK = ["你好，世界。", "这是一个测试 ", "日本語のテキスト ", "한국어 문장 "];

/** `count` chunks: nine ASCII chunks to one CJK chunk, with a blank line every 97 chunks. */
export function makeChunks(count: number): string[] {
  const chunks: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    if (i % 97 === 96) chunks[i] = "\n\n";
    else if (i % 10 === 9) chunks[i] = CJK[(i / 10 | 0) % CJK.length];
    else chunks[i] = ASCII[i % ASCII.length];
  }
  return chunks;
}

const encoder = new TextEncoder();

/** An Output that claims to be an 80-column terminal and writes every chunk to `file`. */
export function terminalLikeOutput(file: { write(p: Uint8Array): Promise<number> }): Output {
  return {
    isTerminal: true,
    columns: () => 80,
    async write(chunk) {
      let bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      while (bytes.length > 0) {
        const n = await file.write(bytes);
        bytes = bytes.subarray(n);
      }
    },
  };
}

/** An Output that swallows everything (for the renderer's stderr, which this workload never uses). */
export const nullOutput: Output = {
  isTerminal: false,
  columns: () => undefined,
  write: () => Promise.resolve(),
};

/** Renders `chunks` into `stdout`; returns the elapsed milliseconds. */
export async function renderChunks(chunks: string[], stdout: Output): Promise<number> {
  const renderer = new ResponseRenderer({
    stdout,
    stderr: nullOutput,
    styleStderr: false,
    wordWrap: true,
    hideThinking: false,
  });
  const start = performance.now();
  for (const text of chunks) await renderer.handle({ type: "content", text });
  await renderer.end();
  return performance.now() - start;
}
