/**
 * `deno run -A bench/delay_proxy.ts PORT MS`: a TCP proxy on loopback to 127.0.0.1:PORT that holds
 * every piece of data MS milliseconds in each direction, so a server on this machine answers as
 * one across a network would (a round trip of twice MS). It prints the OLLAMA_HOST to use.
 *
 * For measuring what overlapping requests gains, which a server on loopback, answering at once,
 * cannot show:
 *
 *     deno run -A bench/server.ts 1          # prints OLLAMA_HOST=http://127.0.0.1:PORT
 *     deno run -A bench/delay_proxy.ts PORT 10
 */

const [portText, msText] = Deno.args;
const port = Number(portText);
const delayMs = Number(msText);
if (!Number.isInteger(port) || port <= 0 || !(delayMs >= 0)) {
  console.error("usage: deno run -A bench/delay_proxy.ts PORT MS");
  Deno.exit(2);
}

/** Copies `from` to `to`, each piece written `delayMs` after it arrived, in order. */
async function forward(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  let writes = Promise.resolve();
  const buffer = new Uint8Array(64 * 1024);
  try {
    for (let n = await from.read(buffer); n !== null; n = await from.read(buffer)) {
      const piece = buffer.slice(0, n);
      const due = performance.now() + delayMs;
      writes = writes.then(async () => {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        for (let at = 0; at < piece.length;) at += await to.write(piece.subarray(at));
      });
    }
  } catch {
    // the connection went away
  }
  await writes.catch(() => {});
  await to.closeWrite().catch(() => {});
}

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
console.log(`OLLAMA_HOST=http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`);
for await (const client of listener) {
  (async () => {
    try {
      const server = await Deno.connect({ hostname: "127.0.0.1", port });
      await Promise.all([forward(client, server), forward(server, client)]);
      server.close();
    } catch {
      // the server is not there: the client sees its connection close
    }
    try {
      client.close();
    } catch {
      // already closed
    }
  })();
}
