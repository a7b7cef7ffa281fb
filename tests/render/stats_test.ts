import { assertEquals } from "../support/assert.ts";
import { formatStats } from "../../lib/render/stats.ts";

Deno.test("formatStats() handles a full set of metrics", () => {
  assertEquals(
    formatStats({
      total_duration: 4883583458,
      load_duration: 1334875,
      prompt_eval_count: 26,
      prompt_eval_duration: 342546000,
      eval_count: 282,
      eval_duration: 4535599000,
    }),
    "total duration:       4.883583458s\n" +
      "load duration:        1.334875ms\n" +
      "prompt eval count:    26 token(s)\n" +
      "prompt eval duration: 342.546ms\n" +
      "prompt eval rate:     75.90 tokens/s\n" +
      "eval count:           282 token(s)\n" +
      "eval duration:        4.535599s\n" +
      "eval rate:            62.17 tokens/s\n",
  );
});

Deno.test("formatStats() handles zero and missing values by leaving their lines out", () => {
  assertEquals(
    formatStats({ total_duration: 850, eval_count: 0, eval_duration: 0 }),
    "total duration:       850ns\n",
  );
  assertEquals(formatStats({}), "");
});

Deno.test("formatStats() handles durations across units", () => {
  assertEquals(
    formatStats({ total_duration: 61_500_000_000, load_duration: 1500 }),
    "total duration:       1m1.5s\nload duration:        1.5µs\n",
  );
});

Deno.test("formatStats() handles values that are not finite positive numbers as absent", () => {
  const odd = {
    total_duration: "5s",
    load_duration: NaN,
    prompt_eval_count: Infinity,
    prompt_eval_duration: -5,
    eval_count: 2,
    eval_duration: 1e9,
  } as unknown as Parameters<typeof formatStats>[0];
  assertEquals(
    formatStats(odd),
    "eval count:           2 token(s)\n" +
      "eval duration:        1s\n" +
      "eval rate:            2.00 tokens/s\n",
  );
});
