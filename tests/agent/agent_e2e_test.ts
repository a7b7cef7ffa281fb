/**
 * Agent mode in a real pseudo-terminal (tmux): the approval prompt appears, `1` approves, the
 * command's output reaches the next request, and the terminal is restored after exit.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { type FakeModel, FakeOllama } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand, runCli } from "../support/cli.ts";
import { poll, TmuxSession } from "../support/tmux.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;

const agentModel: FakeModel = {
  name: "agent:latest",
  capabilities: ["completion", "tools"],
  toolCalls: [{
    id: "call_e2e00001",
    function: { index: 0, name: "bash", arguments: { command: "echo approved-output" } },
  }],
  reply: "Done.",
};

function waitUntil<T>(get: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  return poll(async () => await get(), 15_000, () => Promise.resolve(`${what} never happened`));
}

Deno.test("agent e2e handles an approval with 1: output reaches the model, terminal restored", async () => {
  const server = new FakeOllama({ models: [agentModel] });
  const dir = Deno.makeTempDirSync({ prefix: "dollama-agent-" });
  // No type-ahead window: the test types the answer as soon as the prompt is on screen.
  const env = baseEnv({
    OLLAMA_HOST: server.url,
    HOME: dir,
    NO_COLOR: "",
    DOLLAMA_APPROVAL_TYPEAHEAD_MS: "0",
  });
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  const script = `trap true INT; "$@"; status=$?; stty -a > ${dir}/stty; exit $status`;
  const term = await TmuxSession.start(
    [
      "sh",
      "-c",
      script,
      "sh",
      Deno.execPath(),
      ...dollamaCommand(["run", "agent", "--experimental"]),
    ],
    { env, cols: 100, rows: 30, cwd: repoRoot },
  );
  const chats = () => server.requestsTo("/api/chat").map((r) => r.body);
  try {
    await term.waitFor("tool enabled.");
    await term.waitFor(">>> ");
    await term.sendText("run it");
    await term.sendKeys("Enter");
    const prompt = await term.waitFor("ctrl+c cancel");
    assert(prompt.includes("Tool: Bash\nCommand: echo approved-output\n"), prompt);
    assert(prompt.includes("1. Execute once"), prompt);
    await term.sendText("1");
    const screen = await term.waitFor(/Done\.\n\n>>> /);
    assert(screen.includes("Approved: Bash: echo approved-output\n  approved-output\n"), screen);
    assertEquals(screen.includes("ctrl+c cancel"), false, "the prompt was not erased");
    await waitUntil(() => chats().length >= 2 ? true : undefined, "the follow-up request");
    assertEquals((chats()[1].messages as unknown[])[2], {
      role: "tool",
      content: "approved-output\n",
      tool_name: "bash",
      tool_call_id: "call_e2e00001",
    });
    await term.sendKeys("C-d");
    assertEquals(await term.waitForExit(), 0);
    const stty = await waitUntil(async () => {
      const text = await Deno.readTextFile(`${dir}/stty`).catch(() => "");
      return text === "" ? undefined : text;
    }, "stty");
    assert(/(^|\s)icanon(\s|$)/.test(stty), `raw mode left on:\n${stty}`);
    assert(/(^|\s)echo(\s|$)/.test(stty), `echo left off:\n${stty}`);
    assertEquals(await term.cursorVisible(), true);
  } finally {
    await term.kill();
    await server.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("agent e2e handles -i with piped stdin: the approval is read from the terminal", async () => {
  const server = new FakeOllama({ models: [agentModel] });
  const dir = Deno.makeTempDirSync({ prefix: "dollama-agent-" });
  Deno.writeTextFileSync(`${dir}/stdin`, "piped request\n");
  const env = baseEnv({
    OLLAMA_HOST: server.url,
    HOME: dir,
    NO_COLOR: "1",
    DOLLAMA_APPROVAL_TYPEAHEAD_MS: "0",
  });
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  const script =
    `trap true INT; "$@" < ${dir}/stdin; status=$?; stty -a > ${dir}/stty; exit $status`;
  const args = ["run", "agent", "--experimental", "-i"];
  const term = await TmuxSession.start(
    ["sh", "-c", script, "sh", Deno.execPath(), ...dollamaCommand(args)],
    { env, cols: 100, rows: 30, cwd: repoRoot },
  );
  const chats = () => server.requestsTo("/api/chat").map((r) => r.body);
  try {
    await term.waitFor("ctrl+c cancel");
    await term.sendText("busy");
    await term.sendKeys("Enter");
    const screen = await term.waitFor(/Done\.\n\n>>>/);
    assert(screen.includes("Denied: Bash: echo approved-output\n"), screen);
    await waitUntil(() => chats().length >= 2 ? true : undefined, "the follow-up request");
    assertEquals(chats()[1].messages, [
      { role: "user", content: "piped request\n" },
      { role: "assistant", content: "", tool_calls: agentModel.toolCalls },
      {
        role: "tool",
        content: "User denied execution of bash. Reason: busy",
        tool_name: "bash",
        tool_call_id: "call_e2e00001",
      },
    ]);
    await term.sendKeys("C-d");
    assertEquals(await term.waitForExit(), 0);
  } finally {
    await term.kill();
    await server.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("agent e2e handles a one-shot run: --experimental is ignored, no tools are sent", async () => {
  const server = new FakeOllama({ models: [agentModel] });
  try {
    const result = await runCli(["run", "agent", "--experimental", "--experimental-yolo", "hi"], {
      host: server.url,
    });
    assertEquals(result.stdout, "Done.\n");
    assertEquals(result.code, 0);
    assertEquals(result.stderr.includes("tool enabled"), false);
    assertEquals(server.requestsTo("/api/chat").length, 0);
    assertEquals("tools" in server.requestsTo("/api/generate").at(-1)!.body, false);
  } finally {
    await server.close();
  }
});
