/** The `--verbose` block (docs/run.md, Verbose statistics), printed on stderr after a response. */
import type { Metrics } from "../api/types.ts";
import { formatGoDuration } from "../format/duration.ts";

const label = (name: string) => `${name}:`.padEnd(22);

function rate(count: number, durationNs: number): string {
  return (count / (durationNs / 1e9)).toFixed(2);
}

/** A count or duration, or 0 when the server sent something that is not a finite number. */
function positive(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * Each line appears only for a value above zero; rates go with their durations. A field that is
 * not a finite number counts as absent: the statistics come after a complete answer, and a
 * server's odd value must not turn that into an error.
 */
export function formatStats(metrics: Metrics): string {
  const m: Metrics = {
    total_duration: positive(metrics.total_duration),
    load_duration: positive(metrics.load_duration),
    prompt_eval_count: positive(metrics.prompt_eval_count),
    prompt_eval_duration: positive(metrics.prompt_eval_duration),
    eval_count: positive(metrics.eval_count),
    eval_duration: positive(metrics.eval_duration),
  };
  const lines: string[] = [];
  if (m.total_duration) lines.push(label("total duration") + formatGoDuration(m.total_duration));
  if (m.load_duration) lines.push(label("load duration") + formatGoDuration(m.load_duration));
  if (m.prompt_eval_count) {
    lines.push(label("prompt eval count") + `${m.prompt_eval_count} token(s)`);
  }
  if (m.prompt_eval_duration) {
    lines.push(label("prompt eval duration") + formatGoDuration(m.prompt_eval_duration));
    lines.push(
      label("prompt eval rate") +
        `${rate(m.prompt_eval_count ?? 0, m.prompt_eval_duration)} tokens/s`,
    );
  }
  if (m.eval_count) lines.push(label("eval count") + `${m.eval_count} token(s)`);
  if (m.eval_duration) {
    lines.push(label("eval duration") + formatGoDuration(m.eval_duration));
    lines.push(label("eval rate") + `${rate(m.eval_count ?? 0, m.eval_duration)} tokens/s`);
  }
  return lines.map((l) => l + "\n").join("");
}
