/** Typed lines for a REPL session under test, without a terminal. */
import type { ReadLine } from "../../lib/repl/session.ts";

/** A ReadLine that returns `texts` one at a time, then end of input. */
export function scriptedLines(texts: string[]): ReadLine {
  let i = 0;
  return () =>
    Promise.resolve(i < texts.length ? { type: "line", text: texts[i++] } : { type: "eof" });
}
