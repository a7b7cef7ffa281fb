/**
 * Floor for piped stdin to an embedding model: read stdin, send it as the input of one
 * `/api/embed` request, print the embedding. Usage: deno run -A bench/floors/embed_stdin.ts HOST
 */
const input = new TextDecoder().decode(await new Response(Deno.stdin.readable).arrayBuffer());
const response = await fetch(`${Deno.args[0]}/api/embed`, {
  method: "POST",
  body: JSON.stringify({ model: "emb", input }),
});
const { embeddings } = await response.json();
console.log(JSON.stringify(embeddings[0]));
