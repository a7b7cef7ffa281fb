import { assertEquals } from "../support/assert.ts";
import {
  basicAuthorization,
  hostToFetchBase,
  hostToString,
  parseOllamaHost,
} from "../../lib/api/host.ts";

// Every row of the table in docs/api.md, Host parsing, and more.
const TABLE: [string | undefined, string][] = [
  [undefined, "http://127.0.0.1:11434"],
  ["", "http://127.0.0.1:11434"],
  ["1.2.3.4", "http://1.2.3.4:11434"],
  [":1234", "http://:1234"],
  ["example.com:1234", "http://example.com:1234"],
  ["::1", "http://[::1]:11434"],
  ["[::1]", "http://[::1]:11434"],
  ["[::1]:1337", "http://[::1]:1337"],
  ['" 1.2.3.4 "', "http://1.2.3.4:11434"],
  ['"1.2.3.4"', "http://1.2.3.4:11434"],
  ["http://1.2.3.4", "http://1.2.3.4:80"],
  ["https://1.2.3.4", "https://1.2.3.4:443"],
  ["https://example.com/ollama", "https://example.com:443/ollama"],
  ["ollama.com", "https://ollama.com:443"],
  [":66000", "http://:11434"],
  [":-1", "http://:11434"],
  ["0.0.0.0", "http://0.0.0.0:11434"],
];

for (const [input, expected] of TABLE) {
  Deno.test(`parseOllamaHost() handles ${JSON.stringify(input)}`, () => {
    assertEquals(hostToString(parseOllamaHost(input)), expected);
  });
}

Deno.test("parseOllamaHost() warns about a port out of range", () => {
  const host = parseOllamaHost(":66000");
  assertEquals(host.warnings, ['invalid port "66000" in OLLAMA_HOST, using 11434']);
  assertEquals(parseOllamaHost("example.com:1234").warnings, []);
});

Deno.test("parseOllamaHost() keeps a base path; drops its trailing slash, a query, a fragment", () => {
  assertEquals(parseOllamaHost("http://h:8080/a/b/").path, "a/b");
  assertEquals(parseOllamaHost("http://h:8080/base?x=1").path, "base");
  assertEquals(parseOllamaHost("http://h:8080/base/#top").path, "base");
  assertEquals(parseOllamaHost("h:8080?x=1").port, "8080");
});

Deno.test("parseOllamaHost() handles credentials before the host", () => {
  const host = parseOllamaHost("http://user:secret@127.0.0.1:39999");
  assertEquals(host.host, "127.0.0.1");
  assertEquals(host.port, "39999");
  assertEquals(host.credentials, { username: "user", password: "secret" });
  assertEquals(host.warnings, []);
  assertEquals(hostToString(host), "http://user:***@127.0.0.1:39999");
  assertEquals(hostToFetchBase(host), "http://127.0.0.1:39999");
  assertEquals(basicAuthorization(host), `Basic ${btoa("user:secret")}`);
});

Deno.test("parseOllamaHost() handles credentials with encoded characters, a path, no scheme", () => {
  const host = parseOllamaHost("https://me%40corp:p%3Ass@w@[::1]:8443/ollama/");
  assertEquals(host.credentials, { username: "me@corp", password: "p:ss@w" });
  assertEquals(hostToString(host), "https://me@corp:***@[::1]:8443/ollama");
  assertEquals(hostToFetchBase(host), "https://[::1]:8443/ollama");
  const bare = parseOllamaHost("bob:pw@example.com:1234");
  assertEquals(hostToString(bare), "http://bob:***@example.com:1234");
  assertEquals(basicAuthorization(bare), `Basic ${btoa("bob:pw")}`);
  assertEquals(basicAuthorization(parseOllamaHost("example.com:1234")), undefined);
});
