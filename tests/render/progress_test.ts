import { assert, assertEquals } from "../support/assert.ts";
import { BufferOutput } from "../../lib/io.ts";
import { displayWidth } from "../../lib/term/width.ts";
import type { PullProgress } from "../../lib/api/types.ts";
import type { IntervalTimer } from "../../lib/render/spinner.ts";
import {
  barLine,
  formatEta,
  layerLabel,
  percentText,
  PullProgressDisplay,
} from "../../lib/render/progress.ts";

const ESC = "\x1b";
const FULL = "pulling 6a0746a1ec1a:";
const DIGEST = "sha256:6a0746a1ec1a" + "0".repeat(52);
const DIGEST2 = "sha256:4fa551d4f938" + "1".repeat(52);

class ManualTimer implements IntervalTimer {
  callbacks = new Map<number, () => void>();
  started = 0;
  #next = 1;
  setInterval(callback: () => void, _ms: number): number {
    this.started++;
    const id = this.#next++;
    this.callbacks.set(id, callback);
    return id;
  }
  clearInterval(id: unknown): void {
    this.callbacks.delete(id as number);
  }
  fire(): void {
    for (const cb of [...this.callbacks.values()]) cb();
  }
}

function setup(isTerminal: boolean, width = 80) {
  const out = new BufferOutput(isTerminal, width);
  const timer = new ManualTimer();
  let clock = 0;
  const display = new PullProgressDisplay({ output: out, timer, now: () => clock });
  return {
    out,
    timer,
    display,
    advance(ms: number) {
      clock += ms;
    },
  };
}

/** Splits terminal output into frames and strips the redraw escapes, for readable assertions. */
function frameTexts(text: string): string[] {
  const redraw = ["[?2026l", "[?25h", "[?25l", "[A", "[1G", "[K"].map((s) => ESC + s);
  return text.split(`${ESC}[?2026h`).filter((f) => f !== "").map((f) =>
    redraw.reduce((acc, seq) => acc.replaceAll(seq, ""), f)
  );
}

// The official client at 80 columns (docs/commands.md, `dollama pull MODEL`). 2 GB of 4.7 GB is 42.55 %, shown as 43 %.
Deno.test("barLine() matches the reference's running layer at 80 columns", () => {
  assertEquals(
    barLine(FULL, 2_000_000_000, 4_700_000_000, 80, 45_500_000),
    "pulling 6a0746a1ec1a:  43% ▕███████           ▏   2 GB/4.7 GB   45 MB/s     59s",
  );
});

Deno.test("barLine() handles a finished layer", () => {
  assertEquals(
    barLine(FULL, 4_700_000_000, 4_700_000_000, 80, 45_500_000),
    "pulling 6a0746a1ec1a: 100% ▕██████████████████▏ 4.7 GB                         ",
  );
});

// An in-progress pull as the official client draws it.
Deno.test("barLine() matches the API reference's 45 % line", () => {
  assertEquals(
    barLine("pulling dde5aa3fc5ff:", 905_000_000, 2_019_377_376, 80, 52_500_000),
    "pulling dde5aa3fc5ff:  45% ▕████████          ▏ 905 MB/2.0 GB   52 MB/s     21s",
  );
});

Deno.test("barLine() pads small finished sizes to six columns", () => {
  assertEquals(
    barLine("pulling 56bb8bd477a5:", 96, 96, 80),
    "pulling 56bb8bd477a5: 100% ▕██████████████████▏   96 B                         ",
  );
});

Deno.test("barLine() leaves 18 blank columns when there is no rate yet", () => {
  const line = barLine(FULL, 1_000_000, 4_000_000, 80);
  assertEquals(
    line,
    "pulling 6a0746a1ec1a:  25% ▕████              ▏   1 MB/  4 MB" + " ".repeat(18),
  );
});

Deno.test("barLine() clamps a value above the total to a finished bar", () => {
  assertEquals(barLine(FULL, 5_000, 4_000, 80), barLine(FULL, 4_000, 4_000, 80));
});

Deno.test("barLine() grows the bar with the terminal width", () => {
  const line = barLine(FULL, 50, 100, 120, 0);
  assertEquals(line.length, 119);
  assertEquals([...line.matchAll(/█/g)].length, 29);
});

Deno.test("barLine() draws an empty bar on a terminal too narrow for one", () => {
  assertEquals(
    barLine(FULL, 50, 100, 40),
    "pulling 6a0746a1ec1a:  50% ▕▏   50 B/ 100 B                  ",
  );
});

Deno.test("percentText() rounds exact halves to even as Go's %3.0f does", () => {
  assertEquals(percentText(12.5), " 12%");
  assertEquals(percentText(13.5), " 14%");
  assertEquals(percentText(42.55), " 43%");
  assertEquals(percentText(0), "  0%");
  assertEquals(percentText(100), "100%");
});

Deno.test("formatEta() uses Go's duration text below an hour and h/m above", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [59.9, "59s"],
    [60, "1m0s"],
    [3599, "59m59s"],
    [3600, "1h0m"],
    [3725, "1h2m"],
    [359_999, "99h59m"],
    [360_000, "99h+"],
  ];
  for (const [seconds, text] of cases) assertEquals(formatEta(seconds), text, `${seconds}s`);
});

Deno.test("layerLabel() keeps 12 characters of a sha256 digest", () => {
  assertEquals(layerLabel(DIGEST), FULL);
  assertEquals(layerLabel("sha256:model"), "pulling model:");
  assertEquals(layerLabel(" blob-without-prefix-long "), "pulling blob-without-prefix-long:");
});

const TRANSCRIPT: PullProgress[] = [
  { status: "pulling manifest" },
  { status: "pulling 6a0746a1ec1a", digest: DIGEST, total: 4_700_000_000 },
  { status: "pulling 6a0746a1ec1a", digest: DIGEST, total: 4_700_000_000, completed: 2e9 },
  // The last update of this layer stops short of the total, as real servers may.
  { status: "pulling 6a0746a1ec1a", digest: DIGEST, total: 4_700_000_000, completed: 4.6e9 },
  { status: "pulling 4fa551d4f938", digest: DIGEST2, total: 12_000, completed: 12_000 },
  { status: "verifying sha256 digest" },
  { status: "writing manifest" },
  { status: "success" },
];

Deno.test("PullProgressDisplay writes plain lines when stderr is not a terminal", async () => {
  const { out, timer, display } = setup(false);
  for (const p of TRANSCRIPT) display.update(p);
  await display.stop();
  assertEquals(
    out.text,
    "pulling manifest\n" +
      "pulling 6a0746a1ec1a: 4.7 GB\n" +
      "pulling 4fa551d4f938: 12 KB\n" +
      "verifying sha256 digest\n" +
      "writing manifest\n" +
      "success\n",
  );
  assertEquals(timer.started, 0, "no redraw timer off a terminal");
});

Deno.test("PullProgressDisplay in plain mode writes a repeated status only once", async () => {
  const { out, display } = setup(false);
  display.update({ status: "pulling manifest" });
  display.update({ status: "pulling manifest" });
  await display.stop();
  assertEquals(out.text, "pulling manifest\n");
});

Deno.test("PullProgressDisplay in plain mode shows how far a layer got when stopped early", async () => {
  const { out, display } = setup(false);
  display.update({ status: "pulling manifest" });
  display.update({ status: "pulling 6a07", digest: DIGEST, total: 4.7e9, completed: 2e9 });
  await display.stop();
  assertEquals(out.text, "pulling manifest\npulling 6a0746a1ec1a: 2 GB/4.7 GB\n");
});

Deno.test("PullProgressDisplay never writes an escape byte off a terminal", async () => {
  const { out, display } = setup(false);
  display.update({ status: "evil \x1b]0;title\x07 status" });
  for (const p of TRANSCRIPT) display.update(p);
  await display.stop();
  assert(!out.text.includes(ESC), JSON.stringify(out.text));
  assert(out.text.startsWith("evil ␛]0;title␇ status\n"), JSON.stringify(out.text));
});

Deno.test("PullProgressDisplay draws nothing on a terminal until the first tick", async () => {
  const { out, display } = setup(true);
  display.update({ status: "pulling manifest" });
  await display.flushed();
  assertEquals(out.text, "");
});

Deno.test("PullProgressDisplay frames follow upstream's redraw sequence", async () => {
  const { out, timer, display } = setup(true);
  display.update({ status: "pulling manifest" });
  timer.fire();
  display.update({ status: "pulling 6a07", digest: DIGEST, total: 4.7e9, completed: 2e9 });
  timer.fire();
  await display.stop();
  await Promise.resolve();
  const bar = barLine(FULL, 2e9, 4.7e9, 80);
  assertEquals(
    out.text,
    `${ESC}[?2026h${ESC}[?25l${ESC}[1Gpulling manifest ⠋ ${ESC}[K${ESC}[?25h${ESC}[?2026l` +
      `${ESC}[?2026h${ESC}[?25l${ESC}[1Gpulling manifest ${ESC}[K\n${bar}${ESC}[K` +
      `${ESC}[?25h${ESC}[?2026l` +
      `${ESC}[?2026h${ESC}[?25l${ESC}[A${ESC}[1Gpulling manifest ${ESC}[K\n${bar}${ESC}[K` +
      `${ESC}[?25h${ESC}[?2026l\n`,
  );
});

Deno.test("PullProgressDisplay ignores a layer's announcement with nothing completed", async () => {
  const { out, timer, display } = setup(true);
  display.update({ status: "pulling manifest" });
  display.update({ status: "pulling 6a07", digest: DIGEST, total: 4.7e9 });
  display.update({ status: "pulling 6a07", digest: DIGEST, total: 4.7e9, completed: 0 });
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text), ["pulling manifest ⠋ "]);
});

Deno.test("PullProgressDisplay advances running spinners on each tick", async () => {
  const { out, timer, display } = setup(true);
  display.update({ status: "pulling manifest" });
  timer.fire();
  timer.fire();
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text), [
    "pulling manifest ⠋ ",
    "pulling manifest ⠙ ",
    "pulling manifest ⠹ ",
  ]);
});

Deno.test("PullProgressDisplay stop() draws the final screen and a newline", async () => {
  const { out, display } = setup(true);
  for (const p of TRANSCRIPT) display.update(p);
  await display.stop();
  const frames = frameTexts(out.text);
  assertEquals(frames.length, 1);
  assertEquals(
    frames[0],
    "pulling manifest \n" +
      barLine(FULL, 4.6e9, 4.7e9, 80) + "\n" +
      "pulling 4fa551d4f938: 100% ▕██████████████████▏  12 KB                         \n" +
      "verifying sha256 digest \n" +
      "writing manifest \n" +
      "success \n",
  );
});

Deno.test("PullProgressDisplay stop() is idempotent", async () => {
  const { out, timer, display } = setup(true);
  display.update({ status: "pulling manifest" });
  await display.stop();
  const once = out.text;
  assert(once.endsWith("\n"));
  await display.stop();
  timer.fire();
  display.update({ status: "success" });
  display.tick();
  await display.flushed();
  assertEquals(out.text, once);
  assertEquals(timer.callbacks.size, 0, "the redraw timer is cleared");
});

Deno.test("PullProgressDisplay stop() on a terminal with nothing shown writes nothing", async () => {
  const { out, display } = setup(true);
  await display.stop();
  assertEquals(out.text, "");
});

Deno.test("PullProgressDisplay shows the rate from samples at least a second apart", async () => {
  const { out, timer, display, advance } = setup(true);
  const at = (completed: number) =>
    display.update({ status: "p", digest: DIGEST, total: 1e9, completed });
  at(100e6); // bar created at t=0 with this as its initial value
  advance(500);
  at(150e6); // within a second of the last sample: not sampled
  advance(1000);
  at(200e6); // t=1.5 s, sampled
  timer.fire();
  // (200 MB − 100 MB) over 1.5 s rounded to 2 s is 50 MB/s; 800 MB left takes 16 s.
  await display.flushed();
  assertEquals(frameTexts(out.text).at(-1), barLine(FULL, 200e6, 1e9, 80, 50e6));
  assert(out.text.includes("   50 MB/s     16s"), JSON.stringify(out.text));
});

Deno.test("PullProgressDisplay shows no rate within the first half second", async () => {
  const { out, timer, display, advance } = setup(true);
  display.update({ status: "p", digest: DIGEST, total: 1e9, completed: 1e6 });
  advance(400);
  display.update({ status: "p", digest: DIGEST, total: 1e9, completed: 9e6 });
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text), [barLine(FULL, 9e6, 1e9, 80)]);
});

Deno.test("PullProgressDisplay computes the rate over the last ten samples only", async () => {
  const { out, timer, display, advance } = setup(true);
  // 1 MB/s for ten seconds, then 11 MB/s: the window of ten samples forgets the slow start.
  let value = 1e6;
  display.update({ status: "p", digest: DIGEST, total: 1e12, completed: value });
  for (let i = 0; i < 10; i++) {
    advance(1001);
    value += 1e6;
    display.update({ status: "p", digest: DIGEST, total: 1e12, completed: value });
  }
  for (let i = 0; i < 9; i++) {
    advance(1001);
    value += 11e6;
    display.update({ status: "p", digest: DIGEST, total: 1e12, completed: value });
  }
  timer.fire();
  await display.flushed();
  assert(out.text.includes("   11 MB/s"), frameTexts(out.text).join("\n"));
});

Deno.test("PullProgressDisplay drops the rate once a layer finishes", async () => {
  const { out, timer, display, advance } = setup(true);
  display.update({ status: "p", digest: DIGEST, total: 4e9, completed: 1e9 });
  advance(2000);
  display.update({ status: "p", digest: DIGEST, total: 4e9, completed: 3e9 });
  timer.fire();
  await display.flushed();
  assert(out.text.includes("/s"), "a rate while running");
  advance(2000);
  display.update({ status: "p", digest: DIGEST, total: 4e9, completed: 4e9 });
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text).at(-1), barLine(FULL, 4e9, 4e9, 80));
});

Deno.test("PullProgressDisplay uses the terminal's width for bars", async () => {
  const { out, timer, display } = setup(true, 100);
  display.update({ status: "p", digest: DIGEST, total: 100, completed: 100 });
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text), [barLine(FULL, 100, 100, 100)]);
});

Deno.test("PullProgressDisplay makes server text harmless on a terminal", async () => {
  const { out, timer, display } = setup(true);
  display.update({ status: "a\x1b[2Jb\nc" });
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text), ["a␛[2Jb c ⠋ "]);
});

Deno.test("barLine() measures a label of wide characters in cells", () => {
  // Each of the three characters takes two cells: the bar is three cells shorter than for ASCII.
  const line = barLine("pulling 日本語:", 50, 100, 80);
  assertEquals(displayWidth(line), 79);
  assertEquals(
    line,
    `pulling 日本語:  50% ▕${"█".repeat(12)}${" ".repeat(12)}▏   50 B/ 100 B${" ".repeat(18)}`,
  );
});

/** Every line of every frame written fits in `width - 1` cells, so none wraps. */
function assertFits(text: string, width: number): void {
  for (const frame of frameTexts(text)) {
    for (const line of frame.split("\n")) {
      assert(displayWidth(line) <= width - 1, `${displayWidth(line)} cells: ${line}`);
    }
  }
}

Deno.test("PullProgressDisplay cuts a status wider than the terminal, keeping its spinner", async () => {
  const { out, timer, display } = setup(true);
  const status = "pulling manifest " + "W".repeat(250);
  display.update({ status });
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text), [status.slice(0, 76) + " ⠋ "]);
  await display.stop();
  assertEquals(frameTexts(out.text).at(-1), status.slice(0, 79) + "\n");
});

Deno.test("PullProgressDisplay cuts a status of wide characters by cells", async () => {
  const { out, timer, display } = setup(true);
  display.update({ status: "日".repeat(50) });
  timer.fire();
  await display.stop();
  // 76 cells hold 38 wide characters; the stopped line's 79 cells hold 39.
  assertEquals(frameTexts(out.text), ["日".repeat(38) + " ⠋ ", "日".repeat(39) + "\n"]);
});

Deno.test("PullProgressDisplay shortens a long layer label so the numbers stay in view", async () => {
  const { out, timer, display } = setup(true);
  const digest = "d".repeat(150); // no sha256: prefix, so the label keeps it whole
  display.update({ status: "p", digest, total: 100, completed: 50 });
  timer.fire();
  await display.flushed();
  assertEquals(frameTexts(out.text), [
    `pulling ${"d".repeat(30)}…  50% ▕▏   50 B/ 100 B${" ".repeat(18)}`,
  ]);
});

Deno.test("PullProgressDisplay keeps every line of a long block within the width", async () => {
  const { out, timer, display } = setup(true, 40);
  display.update({ status: "pulling manifest " + "W".repeat(250) });
  timer.fire();
  display.update({ status: "p", digest: "d".repeat(150), total: 4.7e9, completed: 2e9 });
  timer.fire();
  display.update({ status: "ケ".repeat(50) });
  timer.fire();
  display.update({ status: "tab\there" });
  timer.fire();
  await display.stop();
  assertFits(out.text, 40);
  assertEquals(frameTexts(out.text).at(-1)?.split("\n").at(-2), "tab here ");
});
