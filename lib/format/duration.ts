/**
 * Go's `time.Duration`, as the official client uses it: `time.ParseDuration` for `--keepalive`,
 * `Duration.String()` for the wire form of keep-alive and for `--verbose` statistics.
 * Durations are int64 nanoseconds in Go, so they are `bigint` here: hours of nanoseconds do not
 * fit a float exactly.
 */

const NANOSECOND = 1n;
const MICROSECOND = 1000n * NANOSECOND;
const MILLISECOND = 1000n * MICROSECOND;
const SECOND = 1000n * MILLISECOND;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;

/** 1<<63: Go works in uint64 and compares against this bound to detect overflow. */
const LIMIT = 1n << 63n;

// Keys are the units' UTF-8 bytes read as Latin-1, because Go parses bytes, not characters.
const UNITS: Map<string, bigint> = new Map([
  ["ns", NANOSECOND],
  ["us", MICROSECOND],
  [latin1(new TextEncoder().encode("\u00b5s")), MICROSECOND], // µs, the micro sign
  [latin1(new TextEncoder().encode("\u03bcs")), MICROSECOND], // μs, Greek small mu
  ["ms", MILLISECOND],
  ["s", SECOND],
  ["m", MINUTE],
  ["h", HOUR],
]);

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/**
 * Go's `time.quote`: ASCII printable characters as they are (with `"` and `\` escaped), every
 * byte of anything else as `\xNN`. Error messages must match upstream byte for byte.
 */
function goQuote(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b >= 0x80 || b < 0x20) {
      out += "\\x" + b.toString(16).padStart(2, "0");
    } else {
      const c = String.fromCharCode(b);
      out += c === '"' || c === "\\" ? "\\" + c : c;
    }
  }
  return out + '"';
}

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const DOT = 0x2e;

/**
 * Parses a duration string exactly as Go's `time.ParseDuration` does and returns nanoseconds.
 * Accepts `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units ns, us, µs, μs, ms, s, m, h, and a bare
 * `0`. Throws an Error carrying Go's message (`time: invalid duration "abc"`, …).
 */
export function parseGoDuration(text: string): bigint {
  const bytes = new TextEncoder().encode(text);
  const quoted = goQuote(bytes);
  const invalid = () => new Error(`time: invalid duration ${quoted}`);
  let i = 0;
  let negative = false;
  if (bytes.length > 0 && (bytes[0] === 0x2d || bytes[0] === 0x2b)) {
    negative = bytes[0] === 0x2d;
    i = 1;
  }
  // A bare "0" (after an optional sign) needs no unit.
  if (bytes.length - i === 1 && bytes[i] === 0x30) return 0n;
  if (i === bytes.length) throw invalid();

  let total = 0n;
  while (i < bytes.length) {
    if (!(bytes[i] === DOT || isDigit(bytes[i]))) throw invalid();

    // Whole part: an overflow here is an invalid duration, not a wrapped number.
    const wholeStart = i;
    let whole = 0n;
    for (; i < bytes.length && isDigit(bytes[i]); i++) {
      if (whole > LIMIT / 10n) throw invalid();
      whole = whole * 10n + BigInt(bytes[i] - 0x30);
      if (whole > LIMIT) throw invalid();
    }
    const sawWhole = i !== wholeStart;

    // Fraction: Go stops gaining precision instead of failing once digits no longer fit.
    let fraction = 0n;
    let scale = 1;
    let sawFraction = false;
    if (i < bytes.length && bytes[i] === DOT) {
      i++;
      const fractionStart = i;
      let overflow = false;
      for (; i < bytes.length && isDigit(bytes[i]); i++) {
        if (overflow) continue;
        if (fraction > (LIMIT - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const next = fraction * 10n + BigInt(bytes[i] - 0x30);
        if (next > LIMIT) {
          overflow = true;
          continue;
        }
        fraction = next;
        scale *= 10;
      }
      sawFraction = i !== fractionStart;
    }
    if (!sawWhole && !sawFraction) throw invalid(); // ".s", "-.h"

    // The unit runs up to the next digit or dot.
    const unitStart = i;
    for (; i < bytes.length && !(bytes[i] === DOT || isDigit(bytes[i])); i++);
    if (i === unitStart) throw new Error(`time: missing unit in duration ${quoted}`);
    const unitBytes = bytes.subarray(unitStart, i);
    const unit = UNITS.get(latin1(unitBytes));
    if (unit === undefined) {
      throw new Error(`time: unknown unit ${goQuote(unitBytes)} in duration ${quoted}`);
    }

    if (whole > LIMIT / unit) throw invalid();
    let value = whole * unit;
    if (fraction > 0n) {
      // Go computes this in float64 (exact enough for fractions of an hour) and truncates;
      // doing the same keeps results identical in the last nanosecond.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > LIMIT) throw invalid();
    }
    total += value;
    if (total > LIMIT) throw invalid();
  }
  if (negative) return -total;
  if (total > LIMIT - 1n) throw invalid();
  return total;
}

/** Digits of `v` with trailing zeros removed, as Go's fmtFrac prints a fraction of `prec` digits. */
function fraction(v: bigint, prec: number): { text: string; rest: bigint } {
  let digits = "";
  let printing = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    printing ||= digit !== 0n;
    if (printing) digits = digit.toString() + digits;
    v /= 10n;
  }
  return { text: printing ? "." + digits : "", rest: v };
}

/**
 * Go's `Duration.String()`: `0s`, `850ns`, `1.5µs`, `523.5ms`, `1m1.5s`, `1h0m0s`. Numbers are
 * taken as nanoseconds (truncated to an integer) and wrapped to int64 as Go's conversion would.
 */
export function formatGoDuration(ns: bigint | number): string {
  if (typeof ns === "number" && !Number.isFinite(ns)) {
    throw new RangeError(`not a duration: ${ns}`);
  }
  const d = BigInt.asIntN(64, typeof ns === "bigint" ? ns : BigInt(Math.trunc(ns)));
  // Go negates in uint64, so the most negative duration still has a magnitude.
  const u = d < 0n ? -d : d;
  const sign = d < 0n ? "-" : "";
  if (u === 0n) return "0s";
  if (u < SECOND) {
    // Below a second the unit shrinks to keep a short number: 1.2ms, 850ns.
    if (u < MICROSECOND) return `${sign}${u}ns`;
    const [prec, unit] = u < MILLISECOND ? [3, "\u00b5s"] : [6, "ms"];
    const f = fraction(u, prec);
    return `${sign}${f.rest}${f.text}${unit}`;
  }
  const f = fraction(u, 9);
  const seconds = f.rest % 60n;
  const minutes = f.rest / 60n;
  let out = `${seconds}${f.text}s`;
  // Hours are the largest unit because days can be different lengths; once a larger unit
  // is printed, the smaller ones always follow (`1h0m0s`).
  if (minutes > 0n) {
    out = `${minutes % 60n}m${out}`;
    const hours = minutes / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return sign + out;
}

/**
 * The `keep_alive` value the official client sends for `--keepalive FLAG`: Go's canonical
 * duration string, or the number -1 for any negative duration (keep loaded forever).
 * Throws Go's parse error for a malformed flag.
 */
export function keepAliveWire(flag: string): string | number {
  const d = parseGoDuration(flag);
  return d < 0n ? -1 : formatGoDuration(d);
}
