/** The environment variables of the fault handling, as lib/cli/config.ts reads them. */
import { assertEquals } from "../support/assert.ts";
import { readConfig } from "../../lib/cli/config.ts";

const configOf = (vars: Record<string, string>) => readConfig((name) => vars[name]);

Deno.test("DOLLAMA_TIMEOUT handles whole and fractional seconds", () => {
  for (const [raw, ms] of [["1", 1000], ["0.5", 500], [" 2 ", 2000], ["'3'", 3000], [".25", 250]]) {
    const config = configOf({ DOLLAMA_TIMEOUT: raw as string });
    assertEquals([config.timeoutMs, config.warnings], [ms, []], String(raw));
  }
  assertEquals(configOf({}).timeoutMs, undefined);
  // Beyond what a timer can hold (about 24 days), the longest timer instead of one that fires.
  assertEquals(configOf({ DOLLAMA_TIMEOUT: "99999999" }).timeoutMs, 2 ** 31 - 1);
  assertEquals(configOf({ DOLLAMA_TIMEOUT: "" }).warnings, []);
});

Deno.test("DOLLAMA_TIMEOUT handles zero, negative and words with a warning and no bound", () => {
  for (const raw of ["0", "-1", "soon", "1s", "1e3", "Infinity"]) {
    const config = configOf({ DOLLAMA_TIMEOUT: raw });
    assertEquals(config.timeoutMs, undefined, raw);
    assertEquals(config.warnings, [
      `invalid DOLLAMA_TIMEOUT ${JSON.stringify(raw)}, must be a number of seconds above 0`,
    ]);
  }
});

Deno.test("OLLAMA_API_KEY handles surrounding whitespace by trimming it", () => {
  assertEquals(configOf({ OLLAMA_API_KEY: "  sk-1\n" }).apiKey, "sk-1");
  assertEquals(configOf({ OLLAMA_API_KEY: " \n" }).apiKey, undefined);
  // A break inside is kept, for the client to refuse with its own message.
  assertEquals(configOf({ OLLAMA_API_KEY: "sk\n1" }).apiKey, "sk\n1");
});
