/**
 * Floor for a REPL conversation: TURNS streamed `/api/chat` requests one after another, each
 * carrying the whole conversation so far, every answer written to stdout.
 * Usage: deno run -A bench/floors/chat_turns.ts HOST TURNS
 */
const [host, turnsArg] = Deno.args;
const messages: { role: string; content: string }[] = [];
const encoder = new TextEncoder();
for (let turn = 1; turn <= Number(turnsArg); turn++) {
  messages.push({ role: "user", content: `question ${turn}` });
  const response = await fetch(`${host}/api/chat`, {
    method: "POST",
    body: JSON.stringify({ model: "m", messages, stream: true }),
  });
  let answer = "";
  const decoder = new TextDecoder();
  let carry = "";
  for await (const chunk of response.body!) {
    const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n");
    carry = lines.pop()!;
    let text = "";
    for (const line of lines) if (line !== "") text += JSON.parse(line).message?.content ?? "";
    if (text !== "") Deno.stdout.writeSync(encoder.encode(text));
    answer += text;
  }
  messages.push({ role: "assistant", content: answer });
}
