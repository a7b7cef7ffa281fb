/** The `dollama list` table: the local models as the official client prints them. */
import type { ListModel } from "../api/types.ts";
import { humanBytes, humanTime } from "./human.ts";
import { renderTable } from "./table.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";

export const LIST_HEADER = ["NAME", "ID", "SIZE", "MODIFIED"];

/**
 * The table for `list`, rows in server order, filtered by a case-insensitive name prefix. Every
 * cell is server text, sanitised whatever the destination: a table is for reading, and a name
 * carrying an escape sequence would drive the terminal even through `| less -R` or `| cat`.
 */
export function formatList(models: ListModel[], prefix: string | undefined, now: number): string {
  const wanted = prefix?.toLowerCase();
  const rows = models
    .filter((m) => wanted === undefined || (m.name ?? "").toLowerCase().startsWith(wanted))
    .map((m) => [
      sanitizeForTerminal(m.name ?? ""),
      sanitizeForTerminal((m.digest ?? "").slice(0, 12)),
      // Cloud and remote models take no disk space here; their size means nothing to the user.
      m.remote_model || m.remote_host ? "-" : humanBytes(m.size ?? 0),
      humanTime(m.modified_at, now, "Never"),
    ]);
  return renderTable(rows, { header: LIST_HEADER });
}
