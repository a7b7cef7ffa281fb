/**
 * The entry point of the release binaries (`deno task compile`): main.ts, with the modules of a
 * one-shot answer (into a pipe or a terminal) and of `--version` imported statically ahead of it.
 *
 * A compiled binary keeps a V8 code cache for the modules of its entry's static import graph only:
 * its first run records one for each of them, and from then on every module it imports dynamically
 * is compiled from source on every start. main.ts loads the argument parser, `run`, the answer's
 * renderer and the word wrapper with `import()`, which suits `deno run` (whose cache keeps every
 * module it ever compiled) and spares `--version` loading them; in a binary it would compile them
 * anew each time. Imported here, they join the cached graph, and the binary's `--no-lazy` puts all
 * of their bytecode in the cache. docs/performance.md has the measurements: the wrapper and its
 * width tables cost a run into a pipe 1.5% more instructions and save one into a terminal 7.6%.
 *
 * Evaluating these modules only defines functions and constants, so importing them ahead of
 * main.ts changes nothing in what dollama does.
 */
import "./lib/program.ts";
import "./lib/commands/run.ts";
import "./lib/chat/turn.ts";
import "./lib/render/wrap.ts";
import "./lib/commands/version.ts";
import "./main.ts";
