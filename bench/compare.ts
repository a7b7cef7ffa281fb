/**
 * `deno run -A bench/compare.ts [--rounds N] [--instructions] -- NAME CMD… [-- NAME CMD…]…`: two
 * or more commands compared in paired rounds, for changes too small for `deno task bench` to
 * tell apart.
 *
 * Each round runs every command once, starting with the next one in turn, and the report gives,
 * for each command against the first, the median of the per-round differences: on a machine whose
 * speed drifts from one second to the next, a difference taken within one round is steadier than
 * a difference of medians. CPU time comes from `perf stat -e task-clock` when `perf` is there.
 * Two warm-up rounds come first. A command that exits with an error stops the comparison.
 *
 * `--instructions` counts the instructions each command runs in user space instead, under
 * valgrind (`cachegrind`, every process of the command), which repeats to a few tenths of a
 * percent whatever else the machine does: one or two rounds settle what twenty timed rounds
 * cannot. It counts no kernel work (system calls, page faults) and no waiting, and each command
 * runs some fifty times slower. Compare only commands with the same V8 threading flags: V8's
 * helper threads spin while valgrind runs one thread at a time, so a run with concurrent
 * recompilation or concurrent marking (Deno's defaults, the floors' flags) counts that spinning
 * too; dollama's flags (`--no-concurrent-recompilation`, `--optimize-for-size`) count steadily.
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
  /** CPU milliseconds, or instructions with `--instructions`. */
  cost: number[];
}

interface Options {
  rounds: number;
  instructions: boolean;
  contenders: Contender[];
}

const succeeds = (command: string) =>
  new Deno.Command(command, { args: ["--version"], stdout: "null", stderr: "null" })
    .output().then((o) => o.success, () => false);

function parse(args: string[]): Options {
  let rounds = 20;
  let instructions = false;
  const at = args.indexOf("--");
  const options = at < 0 ? args : args.slice(0, at);
  for (let i = 0; i < options.length; i++) {
    if (options[i] === "--rounds" && /^[1-9][0-9]*$/.test(options[i + 1] ?? "")) {
      rounds = Number(options[++i]);
    } else if (options[i] === "--instructions") instructions = true;
    else throw new Error(`unknown option ${options[i]}`);
  }
  const contenders: Contender[] = [];
  let current: string[] = [];
  for (const word of [...args.slice(at + 1), "--"]) {
    if (word !== "--") current.push(word);
    else if (current.length > 0) {
      if (current.length < 2) throw new Error(`"${current[0]}" has no command`);
      contenders.push({ name: current[0], argv: current.slice(1), wallMs: [], cost: [] });
      current = [];
    }
  }
  if (at < 0 || contenders.length < 2) throw new Error("give at least two commands after --");
  return { rounds, instructions, contenders };
}

/** How one run is measured: the command line around the contender's, and how to read it. */
interface Meter {
  wrap(argv: string[], dir: string): string[];
  read(dir: string): Promise<number>;
}

/** CPU time of every thread, from perf's CSV line: "12.34,msec,task-clock,…". */
const PERF_METER: Meter = {
  wrap: (argv, dir) => ["perf", "stat", "-x,", "-e", "task-clock", "-o", `${dir}/perf`, ...argv],
  read: async (dir) =>
    Number((await Deno.readTextFile(`${dir}/perf`)).trim().split("\n").at(-1)!.split(",")[0]),
};

/** User-space instructions of every process the command starts, summed from valgrind's logs. */
const VALGRIND_METER: Meter = {
  wrap: (argv, dir) => [
    "valgrind",
    "--tool=cachegrind",
    "--cache-sim=no",
    // V8 writes the code it compiles: valgrind must notice code changing anywhere but in files.
    "--smc-check=all-non-file",
    "--trace-children=yes",
    "--cachegrind-out-file=/dev/null",
    `--log-file=${dir}/valgrind.%p`,
    ...argv,
  ],
  read: async (dir) => {
    let total = 0;
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.name.startsWith("valgrind.")) continue;
      const log = await Deno.readTextFile(`${dir}/${entry.name}`);
      await Deno.remove(`${dir}/${entry.name}`);
      // "==123== I   refs:      968,418,483"
      const refs = log.match(/I\s+refs:\s+([\d,]+)/);
      if (refs) total += Number(refs[1].replaceAll(",", ""));
    }
    return total;
  },
};

/** Without perf: wall time only. */
const WALL_ONLY: Meter = { wrap: (argv) => argv, read: () => Promise.resolve(NaN) };

async function runOnce(contender: Contender, meter: Meter, dir: string): Promise<[number, number]> {
  const argv = meter.wrap(contender.argv, dir);
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
  return [wall, await meter.read(dir)];
}

const show = (value: number, digits: number) =>
  Number.isNaN(value) ? "n/a" : value.toLocaleString("en-US", { maximumFractionDigits: digits });

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parse(Deno.args);
  } catch (err) {
    console.error(`compare: ${(err as Error).message}`);
    Deno.exit(2);
  }
  const { rounds, instructions, contenders } = parsed;
  if (instructions && !await succeeds("valgrind")) {
    console.error("compare: --instructions needs valgrind");
    Deno.exit(2);
  }
  const meter = instructions ? VALGRIND_METER : await succeeds("perf") ? PERF_METER : WALL_ONLY;
  const dir = await Deno.makeTempDir({ prefix: "dollama-compare-" });
  try {
    for (let round = -2; round < rounds; round++) {
      const start = ((round % contenders.length) + contenders.length) % contenders.length;
      for (const c of [...contenders.slice(start), ...contenders.slice(0, start)]) {
        // Warm-up rounds fill the caches; under valgrind they are counted no better, so they
        // run without it.
        const [wall, cost] = await runOnce(c, round < 0 ? WALL_ONLY : meter, dir);
        if (round >= 0) {
          c.wallMs.push(wall);
          c.cost.push(cost);
        }
      }
    }
  } catch (err) {
    console.error(`compare: ${(err as Error).message}`);
    Deno.exit(1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const [base] = contenders;
  const unit = instructions ? "instructions" : "CPU ms";
  const digits = instructions ? 0 : 1;
  console.log(
    `${rounds} rounds; medians` + (meter === WALL_ONLY ? " (no perf: CPU not measured)" : ""),
  );
  for (const c of contenders) {
    let line = `${c.name.padEnd(16)} wall ${show(median(c.wallMs), 1)} ms  ${unit} ` +
      show(median(c.cost), digits);
    if (c !== base) {
      const dWall = median(c.wallMs.map((w, i) => w - base.wallMs[i]));
      const dCost = median(c.cost.map((t, i) => t - base.cost[i]));
      const relative = ((dCost / median(base.cost)) * 100).toFixed(2);
      line += `   against ${base.name}, per round: wall ${show(dWall, 1)} ms  ${unit} ` +
        `${show(dCost, digits)} (${relative}%)`;
    }
    console.log(line);
  }
}

await main();
