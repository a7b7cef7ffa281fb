/**
 * `--keepalive` as a bare number of seconds: one the server could not hold as a Go Duration
 * (int64 nanoseconds) is refused with Go's text, as a duration with a unit already is.
 */
import { assertEquals } from "../support/assert.ts";
import { parseKeepAlive } from "../../lib/commands/run_options.ts";

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("no error");
}

Deno.test("parseKeepAlive() refuses a number of seconds past Go's Duration range", () => {
  assertEquals(
    errorOf(() => parseKeepAlive("99999999999999999999")),
    'time: invalid duration "99999999999999999999"',
  );
  assertEquals(
    errorOf(() => parseKeepAlive("9999999999h")),
    'time: invalid duration "9999999999h"',
  );
  assertEquals(parseKeepAlive("9223372036"), 9223372036);
  assertEquals(parseKeepAlive("-99999999999999999999"), -1);
  assertEquals(parseKeepAlive("300"), 300);
});
