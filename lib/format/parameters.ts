/**
 * `/set parameter NAME VALUE...`: the option types of the official client and its error texts
 * (docs/repl.md, /set). Pure: returns the value to store or the message to print.
 */
import { parseGoBool } from "./go.ts";

const INT = new Set([
  "num_keep",
  "seed",
  "num_predict",
  "top_k",
  "repeat_last_n",
  "num_ctx",
  "num_batch",
  "num_gpu",
  "num_thread",
  "draft_num_predict",
  "main_gpu",
]);
const FLOAT = new Set([
  "top_p",
  "min_p",
  "typical_p",
  "temperature",
  "repeat_penalty",
  "presence_penalty",
  "frequency_penalty",
]);
const BOOL = new Set(["use_mmap"]);

// Decimal and exponent forms, as Go's ParseFloat reads them (infinities and NaN cannot be sent).
const GO_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export type ParameterResult = { ok: true; value: unknown } | { ok: false; error: string };

export function parseParameter(name: string, values: string[]): ParameterResult {
  const list = `[${values.join(" ")}]`;
  const first = values[0] ?? "";
  if (name === "stop") return { ok: true, value: [...values] };
  // Go refuses numbers out of its range; here a number JSON cannot carry exactly (an integer past
  // 2^53, a float that overflows to Infinity, which JSON.stringify would send as null) is refused.
  if (INT.has(name)) {
    return /^[+-]?\d+$/.test(first) && Number.isSafeInteger(Number(first))
      ? { ok: true, value: Number(first) }
      : { ok: false, error: `invalid int value ${list}` };
  }
  if (FLOAT.has(name)) {
    return GO_FLOAT.test(first) && Number.isFinite(Number(first))
      ? { ok: true, value: Number(first) }
      : { ok: false, error: `invalid float value ${list}` };
  }
  if (BOOL.has(name)) {
    const value = parseGoBool(first);
    return value === undefined
      ? { ok: false, error: `invalid bool value ${list}` }
      : { ok: true, value };
  }
  return { ok: false, error: `unknown parameter '${name}'` };
}
