/**
 * Shared pieces of the fault suite (docs/reliability.md): a fault server with an ordinary model,
 * the CLI run against it, and checks that output is harmless.
 */
import { assert } from "../support/assert.ts";
import { type CliResult, runAgainst } from "../support/cli.ts";
import { closing } from "../support/closing.ts";
import { type FaultScript, FaultServer } from "../support/fault_server.ts";
import { poll } from "../support/tmux.ts";

/** A short bound, so timeout scenarios finish quickly; no assertion is about time. */
export const SHORT_TIMEOUT = { DOLLAMA_TIMEOUT: "1" };

/** `/api/show` for an ordinary text model. */
export const TEXT_MODEL: FaultScript = (c) => c.json(200, { capabilities: ["completion"] });

/** Runs `fn` with a fault server that has `routes` (and an ordinary `/api/show`). */
export function withFaults(
  routes: Record<string, FaultScript>,
  fn: (server: FaultServer) => Promise<void>,
): Promise<void> {
  return closing(new FaultServer({ "POST /api/show": TEXT_MODEL, ...routes }), fn);
}

/** Runs dollama against a fault server. */
export const dollama = runAgainst;

/** Nothing that can drive a terminal: no C0 control but tab and newline, no C1, no bidi. */
export function assertHarmless(text: string, where = "output"): void {
  // deno-lint-ignore no-control-regex -- looking for control characters is the point
  const bad = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.exec(text);
  assert(bad === null, `${where} carries ${JSON.stringify(bad?.[0])}: ${JSON.stringify(text)}`);
}

/** The run ended with exactly one `Error: …` line on stderr and exit code 1. */
export function assertOneErrorLine(result: CliResult, expected: string): void {
  assert(
    result.code === 1 && result.stderr === `Error: ${expected}\n`,
    `expected exit 1 and "Error: ${expected}", got ${result.code}: ${
      JSON.stringify(result.stderr)
    }`,
  );
}

/** Sends SIGINT to the child once the server has received a request for `path`. */
export function interruptAt(server: FaultServer, path: string) {
  return async (child: Deno.ChildProcess) => {
    await poll(
      () => Promise.resolve(server.requests.some((r) => r.path === path) ? true : undefined),
      15_000,
      () => Promise.resolve(`no request for ${path} arrived`),
    );
    child.kill("SIGINT");
  };
}

/** One NDJSON generate stream answering `text`, with its final chunk. */
export function answer(text: string, final: Record<string, unknown> = {}): unknown[] {
  return [
    { model: "m", response: text, done: false },
    { model: "m", response: "", done: true, done_reason: "stop", ...final },
  ];
}
