/**
 * The official client's human-readable numbers (upstream `format/bytes.go`, `format/format.go`,
 * `format/time.go`): sizes in decimal units, parameter counts, and relative times.
 */

/**
 * `x` with `digits` decimals, as Go's `%.Nf` prints it: rounded from the exact binary value,
 * with exact ties going to the even digit. `toFixed` rounds ties up (1.25 → "1.3" where Go
 * prints "1.2") and switches to exponent form past 1e21, so it cannot be used.
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : x < 0 ? "-Inf" : "NaN";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  // x * 10^digits = mantissa * 10^digits * 2^exponent, rounded half to even.
  const scaled = mantissa * 10n ** BigInt(digits);
  let q: bigint;
  if (exponent >= 0) {
    q = scaled << BigInt(exponent);
  } else {
    const den = 1n << BigInt(-exponent);
    q = scaled / den;
    const twice = (scaled % den) * 2n;
    if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  }
  let text = q.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, "0");
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return negative ? `-${text}` : text;
}

const BYTE_UNITS: [number, string][] = [
  [1e12, "TB"],
  [1e9, "GB"],
  [1e6, "MB"],
  [1e3, "KB"],
];

/**
 * Go's `format.HumanBytes`: decimal units; at 10 and above the value is truncated to a whole
 * number (`42 GB`), below 10 it gets one decimal unless it is whole (`5.2 GB`, `2 GB`,
 * `1.0 KB` for 1024 bytes). Below 1000: `<n> B`.
 */
export function humanBytes(n: number): string {
  const b = Math.trunc(n);
  for (const [size, unit] of BYTE_UNITS) {
    if (b < size) continue;
    const value = b / size;
    if (value >= 10 || value === Math.trunc(value)) return `${Math.trunc(value)} ${unit}`;
    return `${formatFixed(value, 1)} ${unit}`;
  }
  return `${b} B`;
}

/**
 * Go's `format.HumanNumber`, used for parameter counts: `8B`, `1.5B`, `133.70M`, `125M`, `12K`,
 * `999`. Billions get one decimal and millions two, unless the value is whole.
 */
export function humanNumber(n: number): string {
  const b = Math.max(0, Math.trunc(n));
  if (b >= 1e9) {
    const v = b / 1e9;
    return v === Math.floor(v) ? `${formatFixed(v, 0)}B` : `${formatFixed(v, 1)}B`;
  }
  if (b >= 1e6) {
    const v = b / 1e6;
    return v === Math.floor(v) ? `${formatFixed(v, 0)}M` : `${formatFixed(v, 2)}M`;
  }
  if (b >= 1e3) return `${formatFixed(b / 1e3, 0)}K`;
  return String(b);
}

/** Go's zero `time.Time` (0001-01-01T00:00:00Z) in epoch milliseconds. */
export const GO_ZERO_TIME_MS = -62135596800000;

/** Go's Duration is int64 nanoseconds, so time differences saturate at about ±292 years. */
const MAX_DURATION_MS = 9223372036854.775;

/** Parses an RFC 3339 timestamp; undefined for a missing, empty or unparsable one. */
export function parseTime(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** True for what Go would decode as the zero time: absent, empty, or 0001-01-01T00:00:00Z. */
export function isZeroTime(value: Date | string | undefined | null): boolean {
  const ms = parseTime(value);
  return ms === undefined || ms === GO_ZERO_TIME_MS;
}

/** Go's `math.Round`: halves away from zero (JS `Math.round` sends -0.5 up to -0). */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** `About a minute`, `4 hours`, `3 weeks`: upstream's humanDuration of a non-negative span. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  // Hours are rounded, not truncated, and every longer unit is counted from that rounded value.
  const hours = roundHalfAway(ms / 3_600_000);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(hours / 24 / 365)} years`;
}

/**
 * Go's `format.HumanTime`: `zeroText` for a zero time, `Forever` beyond 20 years ahead,
 * `<span> from now` or `<span> ago` otherwise. `now` is epoch milliseconds (or a Date).
 */
export function humanTime(
  date: Date | string | undefined | null,
  now: number | Date,
  zeroText: string,
): string {
  const t = parseTime(date);
  if (t === undefined || t === GO_ZERO_TIME_MS) return zeroText;
  const nowMs = now instanceof Date ? now.getTime() : now;
  const delta = Math.min(MAX_DURATION_MS, Math.max(-MAX_DURATION_MS, nowMs - t));
  // Go: int(delta.Hours())/24/365 < -20, every step truncating toward zero.
  if (Math.trunc(Math.trunc(delta / 3_600_000) / 24 / 365) < -20) return "Forever";
  if (delta < 0) return `${humanDuration(-delta)} from now`;
  return `${humanDuration(delta)} ago`;
}
