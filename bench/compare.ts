/**
 * `deno run -A bench/compare.ts [--rounds N] -- NAME CMD… [-- NAME CMD…]…`: two or more commands
 * compared in paired rounds, for changes too small for `deno task bench` to tell apart.
 *
 * Each round runs every command once, starting with the next one in turn, and the report gives,
 * for each command against the first, the median of the per-round differences: on a machine whose
 * speed drifts from one second to the next, a difference taken within one round is steadier than
 * a difference of medians. CPU time comes from `perf stat -e task-clock` when `perf` is there.
 * Two warm-up rounds come first. A command that exits with an error stops the comparison.
 *
 * Each command runs with the caller's environment. Give commands with different V8 flags their
 * own `DENO_DIR` (`env DENO_DIR=… deno run …`): Deno's code cache is made for one set of flags.
 *
 *     deno run -A bench/compare.ts --rounds 30 \
 *       -- before env DENO_DIR=/tmp/a deno run -A ../old/main.ts run m hi \
 *       -- after env DENO_DIR=/tmp/b deno run -A main.ts run m hi
 */
import { median } from "./stats.ts";

interface Contender {
  name: string;
  argv: string[];
  wallMs: number[];
  cpuMs: number[];
}

const PERF = await new Deno.Command("perf", { args: ["--version"], stdout: "null", stderr: "null" })
  .output().then((o) => o.success, () => false);

function parse(args: string[]): { rounds: number; contenders: Contender[] } {
  let rounds = 20;
  const at = args.indexOf("--");
  const options = at < 0 ? args : args.slice(0, at);
  for (let i = 0; i < options.length; i++) {
    if (options[i] === "--rounds" && /^[1-9][0-9]*$/.test(options[i + 1] ?? "")) {
      rounds = Number(options[++i]);
    } else throw new Error(`unknown option ${options[i]}`);
  }
  const contenders: Contender[] = [];
  let current: string[] = [];
  for (const word of [...args.slice(at + 1), "--"]) {
    if (word !== "--") current.push(word);
    else if (current.length > 0) {
      if (current.length < 2) throw new Error(`"${current[0]}" has no command`);
      contenders.push({ name: current[0], argv: current.slice(1), wallMs: [], cpuMs: [] });
      current = [];
    }
  }
  if (at < 0 || contenders.length < 2) throw new Error("give at least two commands after --");
  return { rounds, contenders };
}

async function runOnce(contender: Contender, cpuFile: string): Promise<[number, number]> {
  const argv = PERF
    ? ["perf", "stat", "-x,", "-e", "task-clock", "-o", cpuFile, ...contender.argv]
    : contender.argv;
  const start = performance.now();
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const wall = performance.now() - start;
  if (!out.success) {
    const reason = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
    throw new Error(`${contender.name} exited with ${out.code}${reason ? `: ${reason}` : ""}`);
  }
  // perf's CSV line: "12.34,msec,task-clock,…".
  const cpu = PERF
    ? Number((await Deno.readTextFile(cpuFile)).trim().split("\n").at(-1)!.split(",")[0])
    : NaN;
  return [wall, cpu];
}

const show = (value: number) => Number.isNaN(value) ? "n/a" : value.toFixed(1);

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parse(Deno.args);
  } catch (err) {
    console.error(`compare: ${(err as Error).message}`);
    Deno.exit(2);
  }
  const { rounds, contenders } = parsed;
  const cpuFile = await Deno.makeTempFile({ prefix: "dollama-compare-" });
  try {
    for (let round = -2; round < rounds; round++) {
      const start = ((round % contenders.length) + contenders.length) % contenders.length;
      for (const c of [...contenders.slice(start), ...contenders.slice(0, start)]) {
        const [wall, cpu] = await runOnce(c, cpuFile);
        if (round >= 0) {
          c.wallMs.push(wall);
          c.cpuMs.push(cpu);
        }
      }
    }
  } catch (err) {
    console.error(`compare: ${(err as Error).message}`);
    Deno.exit(1);
  } finally {
    await Deno.remove(cpuFile);
  }
  const [base] = contenders;
  console.log(`${rounds} rounds; medians in ms${PERF ? "" : " (no perf: CPU not measured)"}`);
  for (const c of contenders) {
    let line = `${c.name.padEnd(16)} wall ${show(median(c.wallMs))}  CPU ${show(median(c.cpuMs))}`;
    if (c !== base) {
      const dWall = median(c.wallMs.map((w, i) => w - base.wallMs[i]));
      const dCpu = median(c.cpuMs.map((t, i) => t - base.cpuMs[i]));
      line += `   against ${base.name}, per round: wall ${show(dWall)}  CPU ${show(dCpu)}`;
    }
    console.log(line);
  }
}

await main();
