import { assertEquals } from "../support/assert.ts";
import { formatList } from "../../lib/format/list.ts";
import { formatPs, processorText, untilText } from "../../lib/format/ps.ts";
import type { ListModel, RunningModel } from "../../lib/api/types.ts";

const NOW = Date.parse("2026-11-24T12:00:00Z");
const HOUR = 3_600_000;
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function listModel(name: string, size: number, ageMs: number, extra: Partial<ListModel> = {}) {
  return {
    name,
    model: name,
    size,
    digest: `${
      name.length.toString(16).padStart(2, "0")
    }0a1f067a9f5e2f0a5b3c4d5e6f7081920a1b2c3d4e5f60718293a4b5c6d7e8f9`,
    modified_at: iso(-ageMs),
    ...extra,
  };
}

Deno.test("formatList() matches upstream's unit test row", () => {
  const models = [{
    name: "model1",
    model: "model1",
    digest: "sha256:abc123",
    size: 1024,
    modified_at: iso(-24 * HOUR),
  }];
  assertEquals(
    formatList(models, undefined, NOW),
    "NAME      ID              SIZE      MODIFIED     \n" +
      "model1    sha256:abc12    1.0 KB    24 hours ago    \n",
  );
});

Deno.test("formatList() prints '-' as the size of cloud models", () => {
  const models = [
    listModel("qwen3:8b", 5.2e9, 2 * 24 * HOUR),
    listModel("gpt-oss:120b-cloud", 384, 5 * 7 * 24 * HOUR, {
      remote_model: "gpt-oss:120b",
      remote_host: "https://ollama.com:443",
    }),
  ];
  models[0].digest = "500a1f067a9f" + "0".repeat(52);
  models[1].digest = "569662207105" + "0".repeat(52);
  assertEquals(
    formatList(models, undefined, NOW),
    "NAME                  ID              SIZE      MODIFIED    \n" +
      "qwen3:8b              500a1f067a9f    5.2 GB    2 days ago     \n" +
      "gpt-oss:120b-cloud    569662207105    -         5 weeks ago    \n",
  );
});

Deno.test("formatList() filters by a case-insensitive prefix", () => {
  const models = [listModel("Llama3.2:latest", 2e9, HOUR), listModel("qwen3:8b", 5e9, HOUR)];
  const out = formatList(models, "lLaMa", NOW);
  assertEquals(out.split("\n").length, 3);
  assertEquals(out.split("\n")[1].startsWith("Llama3.2:latest    "), true);
});

Deno.test("formatList() prints only the header when nothing matches", () => {
  assertEquals(
    formatList([listModel("a:latest", 1, 0)], "zzz", NOW),
    "NAME    ID    SIZE    MODIFIED \n",
  );
});

Deno.test("formatList() prints Never for a zero modification time", () => {
  const model = listModel("a:latest", 1, 0, { modified_at: "0001-01-01T00:00:00Z" });
  assertEquals(
    formatList([model], undefined, NOW).split("\n")[1].endsWith("    Never       "),
    true,
  );
});

const PROCESSOR: [number, number, string][] = [
  [5137025024, 5137025024, "100% GPU"],
  [5137025024, 0, "100% CPU"],
  [100, 52, "48%/52% CPU/GPU"],
  [1000, 555, "45%/55% CPU/GPU"], // 44.5 rounds half away from zero
  [1000, 995, "1%/99% CPU/GPU"], // 0.5 rounds up to 1
  [100, 150, "Unknown"],
  [0, 10, "Unknown"],
  [0, 0, "100% CPU"],
];

for (const [size, vram, expected] of PROCESSOR) {
  Deno.test(`processorText() prints ${expected} for size ${size} and size_vram ${vram}`, () => {
    assertEquals(processorText(size, vram), expected);
  });
}

Deno.test("untilText() prints Stopping... for past and zero expiry times", () => {
  assertEquals(untilText(iso(-1000), NOW), "Stopping...");
  assertEquals(untilText("0001-01-01T00:00:00Z", NOW), "Stopping...");
  assertEquals(untilText(undefined, NOW), "Stopping...");
});

Deno.test("untilText() prints relative future times and Forever", () => {
  assertEquals(untilText(iso(4 * 60_000 + 59_000), NOW), "4 minutes from now");
  assertEquals(untilText(iso(0), NOW), "Less than a second ago");
  assertEquals(untilText("2318-11-24T12:00:00Z", NOW), "Forever");
});

function running(name: string, size: number, vram: number, ctx: number, expires: string) {
  return {
    name,
    model: name,
    size,
    size_vram: vram,
    digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
    expires_at: expires,
    context_length: ctx,
  } satisfies RunningModel;
}

Deno.test("formatPs() reproduces the reference example", () => {
  const models = [
    {
      ...running("qwen3:8b", 6.9e9, 6.9e9, 4096, iso(4 * 60_000 + 30_000)),
      digest: "500a1f067a9f",
    },
    running("llama3.2:latest", 3.4e9, 3.4e9 * 0.52, 8192, "2318-11-24T12:00:00Z"),
  ];
  assertEquals(
    formatPs(models, undefined, NOW),
    "NAME               ID              SIZE      PROCESSOR          CONTEXT    UNTIL              \n" +
      "qwen3:8b           500a1f067a9f    6.9 GB    100% GPU           4096       4 minutes from now    \n" +
      "llama3.2:latest    a80c4f17acd5    3.4 GB    48%/52% CPU/GPU    8192       Forever               \n",
  );
});

Deno.test("formatPs() filters by a case-sensitive prefix", () => {
  const models = [running("Qwen:1b", 1, 1, 1, iso(HOUR)), running("qwen:2b", 1, 1, 1, iso(HOUR))];
  const lines = formatPs(models, "qwen", NOW).split("\n");
  assertEquals(lines.length, 3);
  assertEquals(lines[1].startsWith("qwen:2b    "), true);
});

Deno.test("formatPs() prints only the header with nothing loaded", () => {
  assertEquals(
    formatPs([], undefined, NOW),
    "NAME    ID    SIZE    PROCESSOR    CONTEXT    UNTIL \n",
  );
});
