/** The `dollama ps` table: the loaded models as the official client prints them. */
import type { RunningModel } from "../api/types.ts";
import { humanBytes, humanTime, parseTime } from "./human.ts";
import { renderTable } from "./table.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";

export const PS_HEADER = ["NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"];

/** Where a model sits: `100% GPU`, `100% CPU`, `48%/52% CPU/GPU`, or `Unknown`. */
export function processorText(size: number, sizeVram: number): string {
  if (sizeVram === 0) return "100% CPU";
  if (sizeVram === size) return "100% GPU";
  if (sizeVram > size || size === 0) return "Unknown";
  // Go's math.Round: halves away from zero (all values here are positive).
  const cpu = Math.round(((size - sizeVram) / size) * 100);
  return `${cpu}%/${100 - cpu}% CPU/GPU`;
}

/** `Stopping...` once the expiry has passed (a zero time counts as passed), else HumanTime. */
export function untilText(expiresAt: string | undefined, now: number): string {
  const t = parseTime(expiresAt);
  if (t === undefined || now - t > 0) return "Stopping...";
  return humanTime(expiresAt, now, "Never");
}

/**
 * The table for `ps`, rows in server order, filtered by a case-sensitive name prefix. Server
 * text is sanitised whatever the destination, as in the `list` table.
 */
export function formatPs(models: RunningModel[], prefix: string | undefined, now: number): string {
  const rows = models
    .filter((m) => prefix === undefined || (m.name ?? "").startsWith(prefix))
    .map((m) => [
      sanitizeForTerminal(m.name ?? ""),
      sanitizeForTerminal((m.digest ?? "").slice(0, 12)),
      humanBytes(m.size ?? 0),
      processorText(m.size ?? 0, m.size_vram ?? 0),
      String(m.context_length ?? 0),
      untilText(m.expires_at, now),
    ]);
  return renderTable(rows, { header: PS_HEADER });
}
