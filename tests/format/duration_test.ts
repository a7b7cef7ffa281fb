import { assertEquals, assertRejects } from "../support/assert.ts";
import { formatGoDuration, keepAliveWire, parseGoDuration } from "../../lib/format/duration.ts";

// Expected values were produced by Go's time.ParseDuration / Duration.String().
const PARSE: [string, bigint][] = [
  ["0", 0n],
  ["-0", 0n],
  ["+0", 0n],
  ["0s", 0n],
  ["5s", 5_000_000_000n],
  ["30s", 30_000_000_000n],
  ["-5s", -5_000_000_000n],
  ["+5s", 5_000_000_000n],
  ["1478s", 1_478_000_000_000n],
  ["1h30m", 5_400_000_000_000n],
  ["1.5h", 5_400_000_000_000n],
  ["-1.5h", -5_400_000_000_000n],
  ["2h45m", 9_900_000_000_000n],
  ["1h2m3.5s", 3_723_500_000_000n],
  ["90s", 90_000_000_000n],
  ["5m", 300_000_000_000n],
  ["500ms", 500_000_000n],
  ["0.5s", 500_000_000n],
  [".5s", 500_000_000n],
  ["5.s", 5_000_000_000n],
  ["1.000000001s", 1_000_000_001n],
  ["1.0000000001s", 1_000_000_000n],
  ["100ns", 100n],
  ["1us", 1000n],
  ["1\u00b5s", 1000n], // micro sign
  ["1\u03bcs", 1000n], // Greek mu
  ["1.5\u00b5s", 1500n],
  ["3m.5s", 180_500_000_000n],
  ["1.5m30s", 120_000_000_000n],
  ["00005s", 5_000_000_000n],
  ["0.3333333333333333333h", 1_200_000_000_000n],
  ["0.830103483285477580700h", 2_988_372_539_827n],
  ["9223372036854775807ns", 9223372036854775807n],
  ["-9223372036854775808ns", -9223372036854775808n],
  ["9223372036.854775807s", 9223372036854775807n],
  ["2562047h47m16.854775807s", 9223372036854775807n],
  ["-2562047h47m16.854775808s", -9223372036854775808n],
];

for (const [input, expected] of PARSE) {
  Deno.test(`parseGoDuration() parses ${JSON.stringify(input)}`, () => {
    assertEquals(parseGoDuration(input), expected);
  });
}

const ERRORS: [string, string][] = [
  ["abc", 'time: invalid duration "abc"'],
  ["300", 'time: missing unit in duration "300"'],
  ["5x", 'time: unknown unit "x" in duration "5x"'],
  ["", 'time: invalid duration ""'],
  ["-", 'time: invalid duration "-"'],
  ["+", 'time: invalid duration "+"'],
  [".s", 'time: invalid duration ".s"'],
  ["-.s", 'time: invalid duration "-.s"'],
  ["5 s", 'time: unknown unit " s" in duration "5 s"'],
  [" 5s", 'time: invalid duration " 5s"'],
  ["5s ", 'time: unknown unit "s " in duration "5s "'],
  ["1h 30m", 'time: unknown unit "h " in duration "1h 30m"'],
  ["1e3s", 'time: unknown unit "e" in duration "1e3s"'],
  ["5S", 'time: unknown unit "S" in duration "5S"'],
  ["5M", 'time: unknown unit "M" in duration "5M"'],
  ["1d", 'time: unknown unit "d" in duration "1d"'],
  ["5sm", 'time: unknown unit "sm" in duration "5sm"'],
  ["--5s", 'time: invalid duration "--5s"'],
  ["1h-5m", 'time: unknown unit "h-" in duration "1h-5m"'],
  ["-1", 'time: missing unit in duration "-1"'],
  ["1.5.5s", 'time: missing unit in duration "1.5.5s"'],
  ["5\u00b5", 'time: unknown unit "\\xc2\\xb5" in duration "5\\xc2\\xb5"'],
  ["\u00b5s", 'time: invalid duration "\\xc2\\xb5s"'],
  ['5"s', 'time: unknown unit "\\"s" in duration "5\\"s"'],
  ["5\\s", 'time: unknown unit "\\\\s" in duration "5\\\\s"'],
  ["5\u0001s", 'time: unknown unit "\\x01s" in duration "5\\x01s"'],
  ["9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'],
  ["-9223372036854775809ns", 'time: invalid duration "-9223372036854775809ns"'],
  ["2562047h47m16.854775808s", 'time: invalid duration "2562047h47m16.854775808s"'],
  ["3000000h", 'time: invalid duration "3000000h"'],
  ["12345678901234567890s", 'time: invalid duration "12345678901234567890s"'],
  ["99999999999999999999h", 'time: invalid duration "99999999999999999999h"'],
];

for (const [input, message] of ERRORS) {
  Deno.test(`parseGoDuration() rejects ${JSON.stringify(input)} with Go's message`, async () => {
    await assertRejects(
      () => Promise.resolve().then(() => parseGoDuration(input)),
      (err) => {
        assertEquals(err instanceof Error, true);
        assertEquals((err as Error).message, message);
      },
    );
  });
}

const FORMAT: [bigint | number, string][] = [
  [0n, "0s"],
  [1n, "1ns"],
  [850n, "850ns"],
  [999n, "999ns"],
  [1000n, "1\u00b5s"],
  [1500n, "1.5\u00b5s"],
  [850_000n, "850\u00b5s"],
  [999_999n, "999.999\u00b5s"],
  [1_000_000n, "1ms"],
  [12_345_600n, "12.3456ms"],
  [12_300_000n, "12.3ms"],
  [123_456_000n, "123.456ms"],
  [523_500_000n, "523.5ms"],
  [999_999_999n, "999.999999ms"],
  [1_000_000_000n, "1s"],
  [1_000_000_001n, "1.000000001s"],
  [1_098_700_000n, "1.0987s"],
  [1_234_000_000n, "1.234s"],
  [1_234_567_891n, "1.234567891s"],
  [5_000_000_000n, "5s"],
  [59_000_000_000n, "59s"],
  [60_000_000_000n, "1m0s"],
  [61_500_000_000n, "1m1.5s"],
  [90_000_000_000n, "1m30s"],
  [300_000_000_000n, "5m0s"],
  [3_600_000_000_000n, "1h0m0s"],
  [3_723_500_000_000n, "1h2m3.5s"],
  [86_400_000_000_000n, "24h0m0s"],
  [9223372036854775807n, "2562047h47m16.854775807s"],
  [-9223372036854775808n, "-2562047h47m16.854775808s"],
  [-1n, "-1ns"],
  [-1500n, "-1.5\u00b5s"],
  [-5_000_000_000n, "-5s"],
  [-5_400_000_000_000n, "-1h30m0s"],
  [1234567891, "1.234567891s"],
  [12345600, "12.3456ms"],
  [1.9, "1ns"],
  [0, "0s"],
];

for (const [input, expected] of FORMAT) {
  Deno.test(`formatGoDuration() formats ${input} as ${JSON.stringify(expected)}`, () => {
    assertEquals(formatGoDuration(input), expected);
  });
}

Deno.test("formatGoDuration() wraps values past int64 as Go's conversion does", () => {
  assertEquals(formatGoDuration(9223372036854775808n), "-2562047h47m16.854775808s");
});

Deno.test("formatGoDuration() refuses NaN and infinities", async () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    await assertRejects(() => Promise.resolve().then(() => formatGoDuration(bad)), /duration/);
  }
});

Deno.test("formatGoDuration() inverts parseGoDuration() for canonical strings", () => {
  for (const s of ["1h2m3.5s", "523.5ms", "1.5\u00b5s", "850ns", "1m1.5s", "-1h0m0s", "0s"]) {
    assertEquals(formatGoDuration(parseGoDuration(s)), s);
  }
});

const KEEPALIVE: [string, string | number][] = [
  ["5m", "5m0s"],
  ["1h", "1h0m0s"],
  ["90s", "1m30s"],
  ["500ms", "500ms"],
  ["0", "0s"],
  ["-0", "0s"],
  ["0s", "0s"],
  ["1.5h", "1h30m0s"],
  ["1h30m", "1h30m0s"],
  ["30", "error"],
  ["-1", "error"],
  ["-1s", -1],
  ["-5m", -1],
  ["-1ns", -1],
  ["1ns", "1ns"],
  ["1\u03bcs", "1\u00b5s"],
  ["+10m", "10m0s"],
];

for (const [flag, wire] of KEEPALIVE) {
  Deno.test(`keepAliveWire() sends ${JSON.stringify(wire)} for ${JSON.stringify(flag)}`, () => {
    if (wire === "error") {
      let message = "";
      try {
        keepAliveWire(flag);
      } catch (err) {
        message = (err as Error).message;
      }
      assertEquals(message, `time: missing unit in duration ${JSON.stringify(flag)}`);
    } else {
      assertEquals(keepAliveWire(flag), wire);
    }
  });
}

Deno.test("keepAliveWire() passes Go's error text through", () => {
  let message = "";
  try {
    keepAliveWire("abc");
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message, 'time: invalid duration "abc"');
});
