/**
 * The demo: the fake server with the recorded models, on a fixed port, for trying dollama without
 * a real Ollama (`deno task demo`, `deno task demo --port 8080`). It prints the `export
 * OLLAMA_HOST=…` line to paste into another shell and the models it serves, then runs until
 * Ctrl+C.
 */
import { FakeOllama } from "./fake_ollama.ts";
import { DEMO_PORT, demoBanner, demoModels, demoOptions } from "./demo.ts";

const USAGE = "usage: deno task demo [--port N]  (default port 11435)";

function portFrom(args: string[]): number {
  if (args.length === 0) return DEMO_PORT;
  const value = args[0] === "--port" ? args[1] : args[0].match(/^--port=(.*)$/)?.[1];
  const extra = args[0] === "--port" ? args.slice(2) : args.slice(1);
  if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535 || extra.length) {
    console.error(USAGE);
    Deno.exit(2);
  }
  return Number(value);
}

const options = demoOptions();
let server: FakeOllama;
try {
  server = new FakeOllama({ ...options, port: portFrom(Deno.args) });
} catch (err) {
  if (!(err instanceof Deno.errors.AddrInUse)) throw err;
  console.error(`Port ${portFrom(Deno.args)} is in use: is the demo already running? --port N`);
  Deno.exit(1);
}
console.log(demoBanner(server.url, demoModels(options)));
