/**
 * Go's `fmt` renderings of JSON values that `show` prints: `%g`/`%v` of a float64,
 * `strconv.FormatFloat(f, 'f', -1, 64)`, `%v` of decoded JSON, and `strings.Fields`.
 */

/** Digits and exponent of the shortest representation that reads back as `x` (x finite, ≠ 0). */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mantissa, e] = Math.abs(x).toExponential().split("e");
  return { digits: mantissa.replace(".", ""), exp: Number(e) };
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  return undefined;
}

/** Go's `%g` (and `%v`) of a float64: shortest digits, exponent form below 1e-4 or from 1e6 (`8e+09`). */
export function goFormatG(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const sign = x < 0 ? "-" : "";
  const { digits, exp } = shortestDigits(x);
  if (exp < -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${mantissa}e${exp < 0 ? "-" : "+"}${e}`;
  }
  return sign + placeDecimal(digits, exp);
}

/** `strconv.FormatFloat(x, 'f', -1, 64)`: shortest digits, never an exponent. */
export function goFormatFloatF(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const { digits, exp } = shortestDigits(x);
  return (x < 0 ? "-" : "") + placeDecimal(digits, exp);
}

/** Writes `0.d1d2… × 10^(exp+1)` in plain decimal notation. */
function placeDecimal(digits: string, exp: number): string {
  const point = exp + 1; // digits before the decimal point
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Go's `%v` of a value decoded from JSON into `any`. */
export function goFormatValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFormatG(v);
  if (typeof v === "boolean" || typeof v === "string") return String(v);
  if (Array.isArray(v)) return `[${v.map(goFormatValue).join(" ")}]`;
  if (typeof v === "object") {
    // Go prints maps with their keys sorted.
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    );
    return `map[${entries.map(([k, val]) => `${k}:${goFormatValue(val)}`).join(" ")}]`;
  }
  return String(v);
}

/** Go's `%T` of a value decoded from JSON into `any`. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

// unicode.IsSpace: the Latin-1 spaces plus the Unicode White_Space characters.
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Go's `strings.Fields`: split on runs of white space, no empty fields. */
export function goFields(s: string): string[] {
  return s.split(GO_SPACE).filter((f) => f !== "");
}

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  return s.replace(new RegExp(`^${GO_SPACE.source}|${GO_SPACE.source}$`, "g"), "");
}

/** The lines `bufio.Scanner` with `ScanLines` yields: `\n`-split, one trailing `\r` dropped. */
export function scanLines(s: string): string[] {
  if (s === "") return [];
  const lines = s.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/** Go's strconv.ParseBool. */
export function parseGoBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}
