/**
 * A pass over argv before commander sees it, giving the flags the meaning ollama users expect:
 * - `--think` alone means `--think=true`; `--think high` (a level word next) means the level
 *   (DESIGN.md decision 4), while `--think why is…` leaves `why` as prompt text.
 * - `--flag=true|false` works for boolean flags, as Go's pflag allows (`--truncate=false`).
 * Everything after `--` is passed through untouched.
 */
import { CliError } from "../errors.ts";
import { parseGoBool } from "../format/go.ts";

export const THINK_VALUES = ["true", "false", "high", "medium", "low", "max"] as const;

/** Boolean flags that may be written `--flag=VALUE`. `truncate` keeps an explicit false. */
const BOOL_FLAGS = new Set([
  "verbose",
  "nowordwrap",
  "hidethinking",
  "insecure",
  "truncate",
  "interactive",
  "experimental",
  "experimental-yolo",
  "experimental-websearch",
  "license",
  "modelfile",
  "parameters",
  "system",
  "template",
]);

export function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === "--think") {
      const next = argv[i + 1];
      if (next !== undefined && (THINK_VALUES as readonly string[]).includes(next)) {
        out.push(`--think=${next}`);
        i++;
      } else {
        out.push("--think=true");
      }
      continue;
    }
    const assigned = /^--([a-z-]+)=(.*)$/s.exec(arg);
    if (assigned && BOOL_FLAGS.has(assigned[1])) {
      const [, name, raw] = assigned;
      const value = parseGoBool(raw);
      if (value === undefined) {
        throw new CliError(
          `invalid value ${JSON.stringify(raw)} for --${name} (must be true or false)`,
        );
      }
      if (value) out.push(`--${name}`);
      else if (name === "truncate") out.push("--no-truncate");
      continue;
    }
    out.push(arg);
  }
  return out;
}
