/** The `--verbose` block (docs/run.md, Verbose statistics), printed on stderr after a response. */
import type { Metrics } from "../api/types.ts";
import { formatGoDuration } from "../format/duration.ts";

const label = (name: string) => `${name}:`.padEnd(22);

function rate(count: number, durationNs: number): string {
  return (count / (durationNs / 1e9)).toFixed(2);
}

/** Each line appears only for a value above zero; rates go with their durations. */
export function formatStats(m: Metrics): string {
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
