/**
 * Floor for `dollama --version`: one `GET /api/version`, both versions printed.
 * Usage: deno run -A bench/floors/version.ts HOST
 */
const response = await fetch(`${Deno.args[0]}/api/version`);
const { version } = await response.json();
console.log(`ollama version is ${version}\nclient version is 0.0.0`);
