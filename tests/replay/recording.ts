/**
 * Reads the recorded exchanges with a real Ollama server (tests/fixtures/transcripts/, README
 * there): one HTTP request and its response per line, the body kept as the network delivered it.
 */

export interface Chunk {
  /** Milliseconds after the request was sent. */
  ms: number;
  text: string;
}

export interface Exchange {
  scenario: string;
  method: string;
  path: string;
  user_agent: string;
  // deno-lint-ignore no-explicit-any
  request_body: any;
  status: number;
  content_type: string;
  chunks: Chunk[];
}

export const RECORDING_PATH = new URL(
  "../fixtures/transcripts/ollama-0.24.0.jsonl",
  import.meta.url,
);

/** Every exchange of the recording, in the order they happened. */
export function loadExchanges(path: URL = RECORDING_PATH): Exchange[] {
  return Deno.readTextFileSync(path).split("\n").filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Exchange);
}

/** The exchanges grouped by scenario, scenarios in the order they were recorded. */
export function scenarios(exchanges: Exchange[] = loadExchanges()): Map<string, Exchange[]> {
  const grouped = new Map<string, Exchange[]>();
  for (const exchange of exchanges) {
    const list = grouped.get(exchange.scenario) ?? [];
    list.push(exchange);
    grouped.set(exchange.scenario, list);
  }
  return grouped;
}

/** The whole response body. */
export function bodyOf(exchange: Exchange): string {
  return exchange.chunks.map((c) => c.text).join("");
}

/** The response body's NDJSON lines, parsed (a plain JSON body is one line). */
// deno-lint-ignore no-explicit-any
export function linesOf(exchange: Exchange): any[] {
  return bodyOf(exchange).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

/** True when the official `ollama` client sent the request (not curl or a script). */
export function byOfficialClient(exchange: Exchange): boolean {
  return exchange.user_agent.startsWith("ollama/");
}
