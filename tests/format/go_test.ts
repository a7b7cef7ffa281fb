import { assertEquals } from "../support/assert.ts";
import {
  goFields,
  goFormatFloatF,
  goFormatG,
  goFormatValue,
  goTrimSpace,
  scanLines,
} from "../../lib/format/go.ts";

// Expected strings are what Go's fmt and strconv print for the same float64 values.
const G: [number, string][] = [
  [0, "0"],
  [1, "1"],
  [-1, "-1"],
  [0.5, "0.5"],
  [131072, "131072"],
  [999999, "999999"],
  [1e6, "1e+06"],
  [8e9, "8e+09"],
  [8030261248, "8.030261248e+09"],
  [0.0001, "0.0001"],
  [0.00001, "1e-05"],
  [1.5e-7, "1.5e-07"],
  [1e300, "1e+300"],
  [123.456, "123.456"],
];

for (const [x, expected] of G) {
  Deno.test(`goFormatG() prints ${x} as ${expected}`, () => {
    assertEquals(goFormatG(x), expected);
  });
}

const F: [number, string][] = [
  [131072, "131072"],
  [0, "0"],
  [1e21, "1000000000000000000000"],
  [0.00001, "0.00001"],
  [3.5, "3.5"],
  [-2.25, "-2.25"],
];

for (const [x, expected] of F) {
  Deno.test(`goFormatFloatF() prints ${x} as ${expected}`, () => {
    assertEquals(goFormatFloatF(x), expected);
  });
}

Deno.test("goFormatValue() prints JSON values as Go's %v", () => {
  assertEquals(goFormatValue([1, 2, "a", true, null, [3, 4]]), "[1 2 a true <nil> [3 4]]");
  assertEquals(goFormatValue({ b: 1, a: "x" }), "map[a:x b:1]");
  assertEquals(goFormatValue([1e6]), "[1e+06]");
});

Deno.test("goFields() and goTrimSpace() split and trim on Go's white space", () => {
  assertEquals(goFields('\t\tstop   "<|eot_id|>"\u00a0x '), ["stop", '"<|eot_id|>"', "x"]);
  assertEquals(goFields("   "), []);
  assertEquals(goTrimSpace("\t a b \r\n"), "a b");
});

Deno.test("scanLines() yields lines as bufio.Scanner does", () => {
  assertEquals(scanLines("a\r\nb\n\nc\n"), ["a", "b", "", "c"]);
  assertEquals(scanLines(""), []);
  assertEquals(scanLines("x"), ["x"]);
});
