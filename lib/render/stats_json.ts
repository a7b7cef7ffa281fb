/**
 * `--verbose=json`: the timing statistics as one JSON object on one line of stderr, for scripts
 * (README, Scripting). Durations stay in nanoseconds as the server sends them; the rates are
 * tokens per second with two decimals, as the text block (lib/render/stats.ts) prints them.
 * Every field is present; `null` when the server did not send it or a rate cannot be computed.
 */
import type { Metrics } from "../api/types.ts";

export interface StatsJson {
  total_duration: number | null;
  load_duration: number | null;
  prompt_eval_count: number | null;
  prompt_eval_duration: number | null;
  prompt_eval_rate: number | null;
  eval_count: number | null;
  eval_duration: number | null;
  eval_rate: number | null;
}

const value = (n: number | undefined): number | null => typeof n === "number" ? n : null;

function rate(tokens: number | undefined, durationNs: number | undefined): number | null {
  if (typeof tokens !== "number" || typeof durationNs !== "number" || durationNs <= 0) return null;
  return Math.round((tokens / (durationNs / 1e9)) * 100) / 100;
}

export function statsJson(m: Metrics): StatsJson {
  return {
    total_duration: value(m.total_duration),
    load_duration: value(m.load_duration),
    prompt_eval_count: value(m.prompt_eval_count),
    prompt_eval_duration: value(m.prompt_eval_duration),
    prompt_eval_rate: rate(m.prompt_eval_count, m.prompt_eval_duration),
    eval_count: value(m.eval_count),
    eval_duration: value(m.eval_duration),
    eval_rate: rate(m.eval_count, m.eval_duration),
  };
}

/** The object and a newline. */
export function formatStatsJson(m: Metrics): string {
  return JSON.stringify(statsJson(m)) + "\n";
}
