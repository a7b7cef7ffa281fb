import { assertEquals } from "../support/assert.ts";
import {
  formatFixed,
  GO_ZERO_TIME_MS,
  humanBytes,
  humanNumber,
  humanTime,
  isZeroTime,
} from "../../lib/format/human.ts";

// Expected strings come from the references and from Go's format.HumanBytes / HumanNumber /
// HumanTime run on the same inputs.
const BYTES: [number, string][] = [
  [0, "0 B"],
  [1, "1 B"],
  [96, "96 B"],
  [999, "999 B"],
  [1000, "1 KB"],
  [1024, "1.0 KB"],
  [1234, "1.2 KB"],
  [1250, "1.2 KB"], // an exact tie rounds to even, as Go's %.1f does
  [1350, "1.4 KB"],
  [1450, "1.4 KB"],
  [1500, "1.5 KB"],
  [1536, "1.5 KB"],
  [9950, "9.9 KB"],
  [9999, "10.0 KB"],
  [12000, "12 KB"],
  [12345, "12 KB"],
  [999999, "999 KB"],
  [1000000, "1 MB"],
  [905000000, "905 MB"],
  [2019393189, "2.0 GB"],
  [2000000000, "2 GB"],
  [4.7e9, "4.7 GB"],
  [5137025024, "5.1 GB"],
  [42999999999, "42 GB"],
  [1999999999999, "2.0 TB"],
  [1e12, "1 TB"],
  [1.5e15, "1500 TB"],
];

for (const [n, expected] of BYTES) {
  Deno.test(`humanBytes() handles ${n}`, () => {
    assertEquals(humanBytes(n), expected);
  });
}

const NUMBERS: [number, string][] = [
  [0, "0"],
  [999, "999"],
  [1000, "1K"],
  [1001, "1K"],
  [1500, "2K"],
  [2500, "2K"],
  [3500, "4K"],
  [1000000, "1M"],
  [125000000, "125M"],
  [133700000, "133.70M"],
  [500500000, "500.50M"],
  [500550000, "500.55M"],
  [1234567, "1.23M"],
  [1245000, "1.25M"],
  [1255000, "1.25M"],
  [1000000000, "1B"],
  [1500000000, "1.5B"],
  [2800000000, "2.8B"],
  [2850000000, "2.9B"],
  [8000000000, "8B"],
  [8030261248, "8.0B"],
  [1000000000000, "1000B"],
];

for (const [n, expected] of NUMBERS) {
  Deno.test(`humanNumber() handles ${n}`, () => {
    assertEquals(humanNumber(n), expected);
  });
}

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const TIMES: [string, number, string][] = [
  ["the same instant", 0, "Less than a second ago"],
  ["800ms ahead", 800, "Less than a second from now"],
  ["1s ago", -1 * S, "1 second ago"],
  ["59s ago", -59 * S, "59 seconds ago"],
  ["60s ago", -60 * S, "About a minute ago"],
  ["119s ago", -119 * S, "About a minute ago"],
  ["2m ago", -2 * M, "2 minutes ago"],
  ["4m59s ahead", 4 * M + 59 * S, "4 minutes from now"],
  ["59m ago", -59 * M, "59 minutes ago"],
  ["60m ago", -60 * M, "About an hour ago"],
  ["89m ago", -89 * M, "About an hour ago"],
  ["90m ago (rounds up)", -90 * M, "2 hours ago"],
  ["24h ago", -24 * H, "24 hours ago"],
  ["47h ago", -47 * H, "47 hours ago"],
  ["48h ago", -48 * H, "2 days ago"],
  ["48h ahead", 48 * H, "2 days from now"],
  ["13 days ago", -13 * D, "13 days ago"],
  ["14 days ago", -14 * D, "2 weeks ago"],
  ["21 days ago", -21 * D, "3 weeks ago"],
  ["59 days ago", -59 * D, "8 weeks ago"],
  ["60 days ago", -60 * D, "2 months ago"],
  ["729 days ago", -729 * D, "24 months ago"],
  ["730 days ago", -730 * D, "2 years ago"],
  ["5 years ago", -5 * 365 * D, "5 years ago"],
  ["20 years ahead", 20 * 365 * D, "20 years from now"],
  ["21 years ahead", 21 * 365 * D, "Forever"],
  ["200 years ahead", 200 * 365 * D, "Forever"],
  ["292 years ahead (keep-alive -1)", 292 * 365 * D, "Forever"],
  ["500 years ago (Go saturates at 292)", -500 * 365 * D, "292 years ago"],
];

for (const [label, offset, expected] of TIMES) {
  Deno.test(`humanTime() handles ${label}`, () => {
    assertEquals(humanTime(new Date(NOW + offset), NOW, "Never"), expected);
  });
}

Deno.test("humanTime() prints the placeholder for Go's zero time and missing times", () => {
  assertEquals(humanTime("0001-01-01T00:00:00Z", NOW, "Never"), "Never");
  assertEquals(humanTime(new Date(GO_ZERO_TIME_MS), NOW, "Never"), "Never");
  assertEquals(humanTime(undefined, NOW, "Never"), "Never");
  assertEquals(humanTime("", NOW, "zero"), "zero");
});

Deno.test("humanTime() reads RFC 3339 strings with offsets and nanoseconds", () => {
  const now = Date.parse("2024-06-04T21:34:31.837Z");
  assertEquals(humanTime("2024-06-04T14:38:31.83753-07:00", now, "Never"), "4 minutes from now");
  assertEquals(humanTime("2026-11-24T11:57:00.123456789Z", NOW, "Never"), "2 minutes ago");
});

Deno.test("isZeroTime() recognises only Go's zero instant", () => {
  assertEquals(isZeroTime("0001-01-01T00:00:00Z"), true);
  assertEquals(isZeroTime(undefined), true);
  assertEquals(isZeroTime("0001-01-01T00:00:01Z"), false);
  assertEquals(isZeroTime("2026-01-01T00:00:00Z"), false);
});

const FIXED: [number, number, string][] = [
  [1.25, 1, "1.2"],
  [1.35, 1, "1.4"],
  [0.5, 0, "0"],
  [1.5, 0, "2"],
  [2.5, 0, "2"],
  [1.005, 2, "1.00"],
  [1e21, 1, "1000000000000000000000.0"],
  [-1.25, 1, "-1.2"],
  [0.05, 1, "0.1"],
  [9.96, 1, "10.0"],
];

for (const [x, digits, expected] of FIXED) {
  Deno.test(`formatFixed() prints ${x} with ${digits} decimals as Go's %.${digits}f`, () => {
    assertEquals(formatFixed(x, digits), expected);
  });
}
