import { assertEquals } from "../support/assert.ts";
import { formatStatsJson } from "../../lib/render/stats_json.ts";

Deno.test("formatStatsJson() prints every field on one line, rates with two decimals", () => {
  assertEquals(
    formatStatsJson({
      total_duration: 1234567891,
      load_duration: 12345600,
      prompt_eval_count: 26,
      prompt_eval_duration: 123456000,
      eval_count: 298,
      eval_duration: 1098700000,
    }),
    '{"total_duration":1234567891,"load_duration":12345600,"prompt_eval_count":26,' +
      '"prompt_eval_duration":123456000,"prompt_eval_rate":210.6,"eval_count":298,' +
      '"eval_duration":1098700000,"eval_rate":271.23}\n',
  );
});

Deno.test("formatStatsJson() gives null for what the server did not send", () => {
  assertEquals(
    formatStatsJson({ eval_count: 3, eval_duration: 0 }),
    '{"total_duration":null,"load_duration":null,"prompt_eval_count":null,' +
      '"prompt_eval_duration":null,"prompt_eval_rate":null,"eval_count":3,' +
      '"eval_duration":0,"eval_rate":null}\n',
  );
});
