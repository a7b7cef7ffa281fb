/**
 * `/set parameter` and `--parameter` refuse numbers that JSON cannot carry as given, as Go's
 * ParseInt/ParseFloat refuse numbers out of range, instead of sending a rounded integer or null.
 */
import { assertEquals } from "../support/assert.ts";
import { parseParameter } from "../../lib/format/parameters.ts";

Deno.test("parseParameter() refuses integers past 2^53 and floats that overflow", () => {
  assertEquals(parseParameter("num_ctx", ["99999999999999999999"]), {
    ok: false,
    error: "invalid int value [99999999999999999999]",
  });
  assertEquals(parseParameter("seed", ["9007199254740992"]), {
    ok: false,
    error: "invalid int value [9007199254740992]",
  });
  assertEquals(parseParameter("seed", ["-9007199254740991"]), {
    ok: true,
    value: -9007199254740991,
  });
  assertEquals(parseParameter("temperature", ["1e400"]), {
    ok: false,
    error: "invalid float value [1e400]",
  });
  assertEquals(parseParameter("temperature", ["1e-400"]), { ok: true, value: 0 });
  assertEquals(parseParameter("top_p", ["0.9"]), { ok: true, value: 0.9 });
});
