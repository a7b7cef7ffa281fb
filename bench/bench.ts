/**
 * `deno task bench [--quick] [--write] [SCENARIO…]`: dollama side by side with its floors, in
 * one run on this machine. Every figure is the min / median / max of several runs, CPU (user +
 * system) and peak RSS come from the OS (GNU time), and each is judged by its ratio to a floor
 * measured in the same run: a minimal Deno script doing the same requests (bench/floors/),
 * `curl -N` for the stream, a bare hello-world for start-up. The targets are those of issue 12;
 * a miss is reported as FAIL, never hidden by a friendlier threshold.
 *
 * `--write` writes the report to bench/RESULTS.md (a plain run leaves the tree clean);
 * `--quick` runs every scenario once at a small size, only to check the bench works (CI).
 * Scenarios: stream, pty, hi, version, stdin, repl.
 */
import { answerText, BenchServer } from "./server.ts";
import {
  BENCH_DIR,
  type Command,
  dollama,
  floor,
  HAVE_TIME,
  measure,
  type Measured,
  removeChildHome,
  ROOT,
  TRANSPILED_DENO_DIR,
  transpiledDollama,
} from "./proc.ts";
import { binaryCodeCache, transpileDollama } from "./transpiled.ts";
import { mb, ms, perSecond, seconds, showSpread, type Spread, spread } from "./stats.ts";

const flags = new Set(Deno.args.filter((a) => a.startsWith("--")));
const only = Deno.args.filter((a) => !a.startsWith("--"));
const QUICK = flags.has("--quick");
const WRITE = flags.has("--write");
for (const flag of flags) {
  if (flag !== "--quick" && flag !== "--write") {
    console.error(`bench: unknown flag ${flag} (use --quick, --write, scenario names)`);
    Deno.exit(2);
  }
}
/** Runs per figure: five at least for a real measurement, one to check that it works. */
const RUNS = QUICK ? 1 : 5;

type Verdict = "PASS" | "FAIL" | "n/a" | "—";

interface Row {
  scenario: string;
  figure: string;
  dollama: string;
  floor: string;
  ratio: string;
  target: string;
  verdict: Verdict;
}

const rows: Row[] = [];
const details: string[] = [];

function progress(text: string): void {
  console.error(`bench: ${text}`);
}

function judge(value: number, ok: (value: number) => boolean): Verdict {
  if (Number.isNaN(value)) return "n/a";
  if (QUICK) return "—";
  return ok(value) ? "PASS" : "FAIL";
}

const ratioText = (value: number) => Number.isNaN(value) ? "n/a" : `${value.toFixed(2)}×`;

/** A command's measurements over the runs. */
class Series {
  readonly runs: Measured[] = [];
  constructor(readonly name: string, readonly command: Command) {}
  get wall(): Spread {
    return spread(this.runs.map((r) => r.wallMs));
  }
  get cpu(): Spread {
    return spread(this.runs.map((r) => r.cpuS));
  }
  get rss(): Spread {
    return spread(this.runs.map((r) => r.rssBytes));
  }
}

/**
 * Runs every series `RUNS` times, interleaved so that drift in the machine's load hits each
 * alike, after one warm-up run each (module cache, server code paths). Each round starts with
 * the next series: on this machine, runs of one command back to back showed a bias by position
 * alone (an A/A test of `run m hi` differed by 9 ms in its median). `check` refuses a run whose
 * output is wrong: a fast wrong answer is no measurement.
 */
async function runSeries(
  series: Series[],
  options: Omit<Parameters<typeof measure>[1], "stdin"> & { stdin?: Uint8Array },
  check: (series: Series, run: Measured) => string | undefined,
  runs = RUNS,
): Promise<void> {
  for (let round = -1; round < runs; round++) {
    const start = Math.max(round, 0) % series.length;
    for (const s of [...series.slice(start), ...series.slice(0, start)]) {
      const run = await measure(s.command, options);
      const problem = run.code !== 0
        ? `exit code ${run.code}: ${run.stderr.trim().slice(0, 300)}`
        : check(s, run);
      if (problem !== undefined) throw new Error(`${s.name}: ${problem}`);
      if (round >= 0) s.runs.push(run);
    }
  }
}

function describe(s: Series): string {
  return `${s.name}: wall ${showSpread(s.wall, ms)}, CPU ${showSpread(s.cpu, seconds)}, ` +
    `peak RSS ${showSpread(s.rss, mb)}`;
}

// ---------------------------------------------------------------------------------------------
// Streamed answers into a pipe.

/** What `run m hi` prints for an answer of `tokens` tokens on a pipe: the text, one newline. */
function expectedBytes(tokens: number): number {
  const text = answerText(tokens);
  return text.length + (text.endsWith("\n") ? 0 : 1);
}

async function stream(server: BenchServer): Promise<void> {
  const counts = QUICK ? [2_000] : [10_000, 100_000, 1_000_000];
  const host = server.url;
  const rssByCount = new Map<number, Spread>();
  for (const tokens of counts) {
    server.tokens = tokens;
    progress(`stream: ${tokens.toLocaleString("en-US")} chunks to a pipe`);
    const mine = new Series("dollama", dollama(["run", "m", "hi"]));
    const byob = new Series("BYOB floor", floor("stream_byob", [host]));
    const iter = new Series("async-iterator floor", floor("stream_iter", [host]));
    const curl = new Series("curl -N", {
      argv: [
        "curl",
        "-sSN",
        "-X",
        "POST",
        "--data",
        '{"model":"m","prompt":"hi"}',
        `${host}/api/generate`,
      ],
    });
    // The 10k and 1M runs are only for flatness: dollama and the BYOB floor suffice.
    const all = tokens === 100_000 || QUICK ? [mine, byob, iter, curl] : [mine, byob];
    const expected = expectedBytes(tokens);
    await runSeries(all, { host, stdout: "pipe" }, (s, run) => {
      // The floors end with a newline of their own, whether the answer did or not.
      const ok = s === curl || run.stdoutBytes === expected ||
        (s !== mine && run.stdoutBytes === answerText(tokens).length + 1);
      return ok ? undefined : `printed ${run.stdoutBytes} bytes, not ${expected}`;
    });
    rssByCount.set(tokens, mine.rss);
    const label = `${tokens.toLocaleString("en-US")} chunks → pipe`;
    const cpuRatio = mine.cpu.median / byob.cpu.median;
    rows.push({
      scenario: label,
      figure: "CPU (user+sys)",
      dollama: showSpread(mine.cpu, seconds),
      floor: `${showSpread(byob.cpu, seconds)} (BYOB floor)`,
      ratio: ratioText(cpuRatio),
      target: tokens === 100_000 ? "≤ 1.15×" : "—",
      verdict: tokens === 100_000 ? judge(cpuRatio, (r) => r <= 1.15) : "—",
    });
    rows.push({
      scenario: label,
      figure: "peak RSS",
      dollama: showSpread(mine.rss, mb),
      floor: `${showSpread(byob.rss, mb)} (BYOB floor)`,
      ratio: ratioText(mine.rss.median / byob.rss.median),
      target: tokens === 100_000 ? "≤ 60 MB" : "—",
      verdict: tokens === 100_000 ? judge(mine.rss.median, (r) => r <= 60e6) : "—",
    });
    details.push(
      `${label}: ${all.map(describe).join("; ")}. Every dollama run printed exactly ` +
        `${expected.toLocaleString("en-US")} bytes.`,
    );
  }
  if (counts.length > 1) {
    const first = rssByCount.get(counts[0])!;
    const last = rssByCount.get(counts.at(-1)!)!;
    const growth = last.median / first.median;
    rows.push({
      scenario: `${counts[0].toLocaleString("en-US")} → ${
        counts.at(-1)!.toLocaleString("en-US")
      } chunks → pipe`,
      figure: "peak RSS growth",
      dollama: `${mb(first.median)} → ${mb(last.median)}`,
      floor: "flat",
      ratio: ratioText(growth),
      target: "≤ 1.10×",
      verdict: judge(growth, (g) => g <= 1.1),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Streamed answers into a pseudo-terminal (word wrap on, 80 columns).

async function pty(server: BenchServer): Promise<void> {
  const counts = QUICK ? [2_000] : [100_000, 1_000_000];
  const host = server.url;
  for (const tokens of counts) {
    server.tokens = tokens;
    progress(`pty: ${tokens.toLocaleString("en-US")} chunks into a pseudo-terminal`);
    const mine = new Series("dollama", dollama(["run", "m", "hi"]));
    const byob = new Series("BYOB floor", floor("stream_byob", [host]));
    const reads = new Series("reads alone", floor("stream_reads", [host]));
    await runSeries([mine, byob, reads], { host, stdout: "pty" }, () => undefined);
    const rate = tokens / (mine.wall.median / 1000);
    const floorRate = tokens / (byob.wall.median / 1000);
    const readsRate = tokens / (reads.wall.median / 1000);
    rows.push({
      scenario: `${tokens.toLocaleString("en-US")} chunks → pty`,
      figure: "chunks/s (wall, start-up included)",
      dollama: `${perSecond(tokens / (mine.wall.max / 1000))} / ${perSecond(rate)} / ${
        perSecond(tokens / (mine.wall.min / 1000))
      }`,
      floor: `${perSecond(floorRate)} (BYOB floor, no wrap); ${perSecond(readsRate)} (reads alone)`,
      ratio: ratioText(rate / floorRate),
      target: "≥ 200,000/s",
      verdict: judge(rate, (r) => r >= 200_000),
    });
    details.push(
      `${tokens.toLocaleString("en-US")} chunks → pty (util-linux \`script\`, \`stty cols 80\`, ` +
        `so dollama wraps at 80 columns): ${describe(mine)}; ${describe(byob)}; ` +
        `${describe(reads)} (bench/floors/stream_reads.ts: the body read and discarded, one ` +
        `read per chunk, the most any fetch-based client can stream here).`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Start-up: a one-token `run`, and `--version`, each also as a release binary would load it.

let transpiledEntry: Promise<string> | undefined;

/**
 * dollama as `deno compile` stores it, one JavaScript file per module, and code-cached as a
 * binary code-caches it (bench/transpiled.ts): built once per bench run, warmed with both
 * start-up commands, then trimmed.
 */
function compiledLike(server: BenchServer, args: string[]): Promise<Series> {
  transpiledEntry ??= (async () => {
    const dir = `${BENCH_DIR}/transpiled`;
    const entry = await transpileDollama(dir);
    const tokens = server.tokens;
    server.tokens = 1;
    for (const warm of [["run", "m", "hi"], ["--version"], ["run", "m", "hi"], ["--version"]]) {
      const run = await measure(transpiledDollama(entry, warm), {
        host: server.url,
        stdout: "pipe",
      });
      if (run.code !== 0) throw new Error(`transpiled dollama: ${run.stderr.trim().slice(0, 300)}`);
    }
    server.tokens = tokens;
    const cached = await binaryCodeCache(entry, dir, TRANSPILED_DENO_DIR);
    progress(`transpiled: ${cached} modules code-cached, as in a binary`);
    return entry;
  })();
  return transpiledEntry.then((entry) =>
    new Series("dollama, transpiled ahead", transpiledDollama(entry, args))
  );
}

/** One start-up row: `s` against the floor `same`, by the medians of their wall times. */
function startupRow(scenario: string, s: Series, same: Series, floorName: string, limit: number) {
  const ratio = s.wall.median / same.wall.median;
  rows.push({
    scenario,
    figure: "wall",
    dollama: showSpread(s.wall, ms),
    floor: `${showSpread(same.wall, ms)} (${floorName})`,
    ratio: ratioText(ratio),
    target: `≤ ${limit}×`,
    verdict: judge(ratio, (r) => r <= limit),
  });
}

/** The start-up rows: from the source, and transpiled ahead as a release binary has it. */
function startupRows(
  scenario: string,
  mine: Series,
  ahead: Series,
  same: Series,
  floorName: string,
  limit: number,
): void {
  startupRow(scenario, mine, same, floorName, limit);
  startupRow(
    `${scenario}, transpiled ahead (as \`deno compile\` ships it)`,
    ahead,
    same,
    floorName,
    limit,
  );
}

async function hi(server: BenchServer): Promise<void> {
  server.tokens = 1;
  const host = server.url;
  progress("hi: `run m hi` with a one-token answer");
  const mine = new Series("dollama", dollama(["run", "m", "hi"]));
  const ahead = await compiledLike(server, ["run", "m", "hi"]);
  const same = new Series("floor (same requests)", floor("run_hi", [host]));
  const hello = new Series("hello-world", floor("hello", []));
  const expected = `${answerText(1)}\n`;
  await runSeries([mine, ahead, same, hello], { host, stdout: "pipe" }, (s, run) => {
    if (s === hello || run.stdoutHead === expected) return undefined;
    return `printed ${JSON.stringify(run.stdoutHead)}, not ${JSON.stringify(expected)}`;
  }, QUICK ? 1 : 11);
  startupRows("`run m hi`, one-token answer", mine, ahead, same, "same requests", 1.5);
  details.push(
    `\`run m hi\`: ${describe(mine)}; ${describe(ahead)}; ${describe(same)}; ${describe(hello)}.`,
  );
  // The same in a terminal, as someone typing it sees it: dollama wraps words there, which needs
  // display widths. Both sides run under `script`, whose own start-up is in both wall times.
  const mineTty = new Series("dollama", dollama(["run", "m", "hi"]));
  const aheadTty = await compiledLike(server, ["run", "m", "hi"]);
  const sameTty = new Series("floor (same requests)", floor("run_hi", [host]));
  await runSeries([mineTty, aheadTty, sameTty], { host, stdout: "pty" }, (_s, run) => {
    if (run.stdoutHead.includes(answerText(1))) return undefined;
    return `printed ${JSON.stringify(run.stdoutHead)}, without ${JSON.stringify(answerText(1))}`;
  }, QUICK ? 1 : 11);
  startupRows(
    "`run m hi`, one-token answer, into a terminal",
    mineTty,
    aheadTty,
    sameTty,
    "same requests, also under `script`",
    1.5,
  );
  details.push(
    `\`run m hi\` into a terminal (util-linux \`script\`, 80 columns): ${describe(mineTty)}; ` +
      `${describe(aheadTty)}; ${describe(sameTty)}.`,
  );
}

async function version(server: BenchServer): Promise<void> {
  const host = server.url;
  progress("version: `--version` with its /api/version request");
  const mine = new Series("dollama", dollama(["--version"]));
  const ahead = await compiledLike(server, ["--version"]);
  const same = new Series("floor (/api/version)", floor("version", [host]));
  const hello = new Series("hello-world", floor("hello", []));
  await runSeries([mine, ahead, same, hello], { host, stdout: "pipe" }, (s, run) => {
    if (s === same || s === hello || run.stdoutHead.includes("0.33.0")) return undefined;
    return `printed ${JSON.stringify(run.stdoutHead)}, without the server's version`;
  }, QUICK ? 1 : 11);
  startupRows("`--version`", mine, ahead, same, "/api/version", 1.3);
  details.push(
    `\`--version\`: ${describe(mine)}; ${describe(ahead)}; ${describe(same)}; ` +
      `${describe(hello)} (a bare \`deno run\`, for reference).`,
  );
}

// ---------------------------------------------------------------------------------------------
// Piped stdin to an embedding model.

function stdinData(bytes: number): Uint8Array {
  const line = new TextEncoder().encode(
    "The quick brown fox jumps over the lazy dog; piped stdin for an embedding model.\n",
  );
  const data = new Uint8Array(bytes);
  for (let at = 0; at < bytes; at += line.length) data.set(line.subarray(0, bytes - at), at);
  return data;
}

async function stdin(server: BenchServer): Promise<void> {
  const host = server.url;
  const sizes = QUICK ? [1e6] : [10e6, 100e6];
  const big = stdinData(sizes.at(-1)!);
  const results = new Map<number, { mine: Series; same: Series }>();
  for (const size of sizes) {
    progress(`stdin: ${mb(size)} of piped stdin to an embedding model`);
    const mine = new Series("dollama", dollama(["run", "emb"]));
    const same = new Series("floor (read all, one request)", floor("embed_stdin", [host]));
    // The JSON body carries each newline as `\n`: two bytes for one.
    const data = big.subarray(0, size);
    const lines = data.filter((b) => b === 0x0a).length;
    const bodyAtLeast = size + lines;
    await runSeries([mine, same], { host, stdout: "pipe", stdin: data }, (_s, run) => {
      if (run.stdoutHead !== "[0.1,0.2,0.3]\n") return `printed ${run.stdoutHead}`;
      if (server.embedBytes < bodyAtLeast) return `sent ${server.embedBytes} bytes`;
      return undefined;
    }, QUICK ? 1 : size > 50e6 ? 3 : RUNS);
    results.set(size, { mine, same });
    const rssRatio = mine.rss.median / size;
    rows.push({
      scenario: `${mb(size)} of stdin → embedding`,
      figure: "peak RSS",
      dollama: showSpread(mine.rss, mb),
      floor: `${showSpread(same.rss, mb)} (floor)`,
      ratio: `${ratioText(rssRatio)} the input`,
      target: size === 100e6 ? "≤ 2.5× the input" : "—",
      verdict: size === 100e6 ? judge(rssRatio, (r) => r <= 2.5) : "—",
    });
    details.push(`${mb(size)} of stdin: ${describe(mine)}; ${describe(same)}.`);
  }
  if (sizes.length > 1) {
    const [small, large] = sizes.map((size) => results.get(size)!.mine.wall.median);
    const [smallFloor, largeFloor] = sizes.map((size) => results.get(size)!.same.wall.median);
    // Linear: ten times the input takes at most ten times as long, give or take start-up.
    const growth = large / small;
    rows.push({
      scenario: "10 MB → 100 MB of stdin",
      figure: "wall growth",
      dollama: `${ms(small)} → ${ms(large)}`,
      floor: `${ms(smallFloor)} → ${ms(largeFloor)} = ${ratioText(largeFloor / smallFloor)}`,
      ratio: ratioText(growth),
      target: "≤ 10× (linear)",
      verdict: judge(growth, (g) => g <= 10),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// A REPL conversation, typed into a pseudo-terminal.

const encoder = new TextEncoder();

/** Types `turns` prompts, each after the previous answer and the next `>>> `, then `/bye`. */
function conversation(turns: number) {
  return async (input: WritableStream<Uint8Array>, output: ReadableStream<Uint8Array>) => {
    const writer = input.getWriter();
    const reader = output.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(seen)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${JSON.stringify(seen)}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`the chat ended early: ${JSON.stringify(seen.slice(-500))}`);
        seen += decoder.decode(value, { stream: true });
        if (seen.length > 100_000) seen = seen.slice(-10_000);
      }
      seen = "";
    };
    await waitFor(/>>> /);
    for (let turn = 1; turn <= turns; turn++) {
      await writer.write(encoder.encode(`question ${turn}\r`));
      // The answer ends with "answer." and the prompt is drawn again after it.
      await waitFor(/answer\.[^]*>>> /);
    }
    await writer.write(encoder.encode("/bye\r"));
    await writer.close().catch(() => {});
    while (!(await reader.read()).done) {
      // drain until the chat exits
    }
  };
}

async function repl(server: BenchServer): Promise<void> {
  const turns = QUICK ? 3 : 200;
  const host = server.url;
  // Twenty-three tokens: three lines, the last one ending in "answer.".
  server.chatTokens = 23;
  progress(`repl: a ${turns}-turn conversation`);
  const mine = new Series("dollama", dollama(["run", "m"]));
  await runSeries(
    [mine],
    { host, stdout: "pty", drive: conversation(turns) },
    () => undefined,
    QUICK ? 1 : RUNS,
  );
  const same = new Series("floor (same requests)", floor("chat_turns", [host, `${turns}`]));
  await runSeries([same], { host, stdout: "pipe" }, () => undefined, QUICK ? 1 : RUNS);
  for (
    const [figure, a, b, show] of [
      ["wall", mine.wall, same.wall, ms],
      ["CPU (user+sys)", mine.cpu, same.cpu, seconds],
      ["peak RSS", mine.rss, same.rss, mb],
    ] as const
  ) {
    rows.push({
      scenario: `REPL, ${turns} turns`,
      figure,
      dollama: showSpread(a, show),
      floor: `${showSpread(b, show)} (same requests)`,
      ratio: ratioText(a.median / b.median),
      target: "—",
      verdict: "—",
    });
  }
  details.push(
    `REPL: ${turns} prompts typed into \`dollama run m\` under \`script\`, each after the ` +
      `previous answer (${server.chatTokens} chunks) and the next prompt; ${describe(mine)}; ` +
      `the floor sends the same ${turns} /api/chat requests with the growing history: ` +
      `${describe(same)}.`,
  );
}

// ---------------------------------------------------------------------------------------------

async function firstLine(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(out.stdout).split("\n")[0].trim();
  } catch {
    return "unknown";
  }
}

async function loadAverage(): Promise<string> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

function table(): string {
  const cells = (
    r: Row,
  ) => [r.scenario, r.figure, r.dollama, r.floor, r.ratio, r.target, r.verdict];
  return [
    "| Scenario | Figure | dollama (min / median / max) | Floor (min / median / max) | Ratio (medians) | Target | Result |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${cells(r).join(" | ")} |`),
  ].join("\n");
}

async function main(): Promise<void> {
  const began = performance.now();
  const date = new Date().toISOString();
  const denoVersion = await firstLine(Deno.execPath(), ["--version"]);
  const curlVersion = await firstLine("curl", ["--version"]);
  const nproc = await firstLine("nproc", []);
  const loadBefore = await loadAverage();
  if (!HAVE_TIME) progress("no /usr/bin/time (GNU time): CPU and peak RSS are not measured");

  const scenarios: [string, (server: BenchServer) => Promise<void>][] = [
    ["stream", stream],
    ["pty", pty],
    ["hi", hi],
    ["version", version],
    ["stdin", stdin],
    ["repl", repl],
  ];
  for (const name of only) {
    if (!scenarios.some(([known]) => known === name)) {
      console.error(`bench: unknown scenario ${name}`);
      Deno.exit(2);
    }
  }
  const server = new BenchServer({ tokens: 1 });
  try {
    for (const [name, scenario] of scenarios) {
      if (only.length > 0 && !only.includes(name)) continue;
      const t = performance.now();
      await scenario(server);
      progress(`${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await server.close();
    removeChildHome();
  }

  const total = (performance.now() - began) / 1000;
  const report = [
    "# dollama performance bench",
    "",
    `- Date: ${date}; ${QUICK ? "quick check (one small run each)" : `${RUNS} runs per figure`}`,
    `- ${denoVersion}; ${curlVersion.split(" ").slice(0, 2).join(" ")}; nproc ${nproc}`,
    `- Load average (1/5/15 min) before: ${loadBefore}; after: ${await loadAverage()}`,
    `- Bench run time: ${total.toFixed(1)} s. Reproduce: \`deno task bench\` ` +
    "(`deno task bench --write` updates this file)",
    "- The official Go client is not measured here (no binary on this machine); the floors are " +
    "the measure. Ratios are of medians.",
    "",
    table(),
    "",
    "## Details",
    "",
    ...details.map((d) => `- ${d}`),
    "",
  ].join("\n");
  if (WRITE) {
    const resultsPath = `${ROOT}bench/RESULTS.md`;
    await Deno.writeTextFile(resultsPath, report);
    // `deno fmt --check` covers the repository, RESULTS.md included.
    await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", resultsPath],
      cwd: ROOT,
      stdout: "null",
    }).output();
    progress("wrote bench/RESULTS.md");
  }
  console.log(report);
  progress(`done in ${total.toFixed(1)} s`);
}

await main();
