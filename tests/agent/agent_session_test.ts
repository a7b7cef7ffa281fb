/**
 * Agent mode in the REPL session, in-process against the fake server: a tool call, its
 * execution (or denial, or block) and the follow-up request that carries the results.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { type FakeModel, FakeOllama } from "../support/fake_ollama.ts";
import { fakeTerminal } from "../support/fake_terminal.ts";
import { testContext, type TestIo, testIo } from "../support/test_io.ts";
import { scriptedLines } from "../support/scripted_lines.ts";
import { ChatSession } from "../../lib/repl/session.ts";
import { History } from "../../lib/repl/history.ts";
import { Agent, type AgentOptions, NO_TOOLS } from "../../lib/agent/agent.ts";
import type { ToolCall } from "../../lib/api/types.ts";
import { BASH_TOOL, WEB_FETCH_TOOL, WEB_SEARCH_TOOL } from "../../lib/agent/tools.ts";

function bashCall(command: string, id: string | undefined = "call_k2x9q7ab"): ToolCall {
  return { ...(id && { id }), function: { index: 0, name: "bash", arguments: { command } } };
}

function toolModel(calls: ToolCall[]): FakeModel {
  return {
    name: "agent:latest",
    capabilities: ["completion", "tools"],
    toolCalls: calls,
    reply: "Done.",
  };
}

interface Run {
  io: TestIo;
  server: FakeOllama;
  session: ChatSession;
  agent: Agent;
  chats: () => Record<string, unknown>[];
  terminal: ReturnType<typeof fakeTerminal>;
}

async function agentChat(
  lines: string[],
  model: FakeModel,
  options: {
    keys?: string[];
    agent?: Partial<AgentOptions> | ((io: TestIo) => Partial<AgentOptions>);
    env?: Record<string, string>;
  } = {},
): Promise<Run> {
  const server = new FakeOllama({ models: [model] });
  try {
    const io = testIo({ env: options.env });
    const ctx = testContext(io, server.url);
    const info = await ctx.client.show({ model: model.name });
    const terminal = fakeTerminal(options.keys ?? []);
    const agent = new Agent({
      yolo: false,
      webSearch: false,
      disableBash: false,
      // Scripted keys are all waiting from the start: no type-ahead window.
      typeAheadMs: 0,
      terminal,
      stderr: io.stderr,
      style: false,
      web: { client: ctx.client },
      ...(typeof options.agent === "function" ? options.agent(io) : options.agent),
    });
    const readLine = scriptedLines(lines);
    const session = new ChatSession(ctx, {
      model: model.name,
      info,
      thinkExplicit: false,
      verbose: false,
      wordWrap: true,
      hideThinking: false,
    }, { readLine, history: await History.open({ useFile: false }), agent });
    await session.run();
    return {
      io,
      server,
      session,
      agent,
      terminal,
      chats: () => server.requestsTo("/api/chat").map((r) => r.body),
    };
  } finally {
    await server.close();
  }
}

Deno.test("agent handles yolo: bash runs and the results go back to the model", async () => {
  const call = bashCall("echo hi");
  const { io, chats } = await agentChat(["say hi"], toolModel([call]), { agent: { yolo: true } });
  assertEquals(chats().length, 2);
  assertEquals(chats()[0].tools, [BASH_TOOL]);
  assertEquals(chats()[1].messages, [
    { role: "user", content: "say hi" },
    { role: "assistant", content: "", tool_calls: [call] },
    { role: "tool", content: "hi\n", tool_name: "bash", tool_call_id: "call_k2x9q7ab" },
  ]);
  assertEquals(io.stdout.text, "Done.\n\n");
  assertEquals(io.stderr.text, "\nrunning: Bash: echo hi\n  hi\n\n");
});

Deno.test("agent handles the conversation after tools: the next message keeps the whole exchange", async () => {
  const { chats } = await agentChat(["one", "/tools", "two"], toolModel([bashCall("echo hi")]), {
    agent: { yolo: true },
  });
  const messages = chats()[2].messages as { role: string }[];
  assertEquals(messages.map((m) => m.role), ["user", "assistant", "tool", "assistant", "user"]);
});

Deno.test("agent handles approval: 1 executes once and a call without id gets no tool_call_id", async () => {
  const { io, chats, terminal } = await agentChat(["go"], toolModel([bashCall("echo once", "")]), {
    keys: ["1"],
  });
  assertEquals((chats()[1].messages as unknown[])[2], {
    role: "tool",
    content: "once\n",
    tool_name: "bash",
  });
  assertStringIncludes(io.stderr.text, "Approved: Bash: echo once\n  once\n");
  assertStringIncludes(terminal.out.text, "Tool: Bash\r\nCommand: echo once\r\n");
  assertEquals(terminal.raw, [true, false]);
});

Deno.test("agent handles a denial without and with a reason", async () => {
  const plain = await agentChat(["go"], toolModel([bashCall("echo no")]), { keys: ["3"] });
  assertEquals(
    (plain.chats()[1].messages as { content: string }[])[2].content,
    "User denied execution of bash.",
  );
  assertStringIncludes(plain.io.stderr.text, "Denied: Bash: echo no\n");
  const reason = await agentChat(["go"], toolModel([bashCall("echo no")]), { keys: ["not now\r"] });
  assertEquals(
    (reason.chats()[1].messages as { content: string }[])[2].content,
    "User denied execution of bash. Reason: not now",
  );
  const cancelled = await agentChat(["go"], toolModel([bashCall("echo no")]), { keys: ["\x03"] });
  assertEquals(
    (cancelled.chats()[1].messages as { content: string }[])[2].content,
    "User denied execution of bash. Reason: cancelled",
  );
});

Deno.test("agent handles a blocked command: it never runs, even with yolo", async () => {
  const dir = Deno.makeTempDirSync();
  const marker = `${dir}/marker`;
  try {
    const command = `touch ${marker} && rm -rf ${dir}/nothing`;
    const { io, chats } = await agentChat(["clean up"], toolModel([bashCall(command)]), {
      agent: { yolo: true },
    });
    let exists = true;
    try {
      Deno.statSync(marker);
    } catch {
      exists = false;
    }
    assertEquals(exists, false, "the blocked command ran");
    assertEquals(
      (chats()[1].messages as { content: string }[])[2].content,
      "Command blocked: this command matches a dangerous pattern (rm -rf) and cannot be executed. If this command is necessary, please ask the user to run it manually.",
    );
    assertStringIncludes(io.stderr.text, "blocked: Bash: touch");
    assertStringIncludes(io.stderr.text, "\n  matches dangerous pattern: rm -rf\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("agent handles a model without the tools capability: plain chat, /tools explains", async () => {
  const model = { ...toolModel([bashCall("echo hi")]), capabilities: ["completion"] };
  const { io, chats } = await agentChat(["/tools", "hi"], model, { agent: { yolo: true } });
  assertEquals(chats().length, 1);
  assertEquals("tools" in chats()[0], false);
  assertEquals(io.stdout.text, `${NO_TOOLS}\nDone.\n\n`);
});

Deno.test("agent handles allow for this session, /tools, and /clear resetting approvals", async () => {
  const { io, chats, terminal } = await agentChat(
    ["one", "two", "/tools", "/clear", "/tools", "three"],
    toolModel([bashCall("echo hi")]),
    { keys: ["2"] },
  );
  // one: prompted, allowed; two: allowed without a prompt; three: prompt again, terminal closed.
  assertEquals(chats().length, 6);
  assertEquals((chats()[3].messages as { content: string }[]).at(-1)!.content, "hi\n");
  assertEquals(
    (chats()[5].messages as { content: string }[]).at(-1)!.content,
    "User denied execution of bash. Reason: cancelled",
  );
  assertEquals(terminal.raw, [true, false, true, false]);
  assertStringIncludes(io.stderr.text, "Always allowed: Bash: echo hi\n");
  assertStringIncludes(io.stderr.text, "running: Bash: echo hi\n");
  const tools = "Available tools:\n" +
    `  bash - ${BASH_TOOL.function.description}\n\n`;
  assertStringIncludes(io.stdout.text, tools + "Session approvals:\n  bash: echo hi\n");
  assertStringIncludes(
    io.stdout.text,
    "Cleared session context and tool approvals\n" + tools +
      "No tools approved for this session yet\n",
  );
});

Deno.test("agent handles a read-only rule: the same pipeline on other files in that directory", async () => {
  const model = toolModel([bashCall("cat tests/agent/shell_test.ts | head -1")]);
  const { agent, terminal } = await agentChat(["a"], model, { keys: ["2"] });
  assertStringIncludes(
    terminal.out.text,
    "2. Allow for this session cat in tests/agent/ | head -1 (same options, same directory)",
  );
  assertEquals(agent.approvals.entries(), [
    "bash: cat in tests/agent/ | head -1 (same options, same directory)",
  ]);
  assertEquals(agent.approvals.isAllowed("bash", "cat tests/agent/tools_test.ts | head -1"), true);
  assertEquals(agent.approvals.isAllowed("bash", "cat tests/agent/tools_test.ts"), false);
  assertEquals(agent.approvals.isAllowed("bash", "cat tests/support/tmux.ts | head -1"), false);
});

Deno.test("agent handles option 2 on sed: it runs once and the escalation asks again", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/notes.txt`, "one\ntwo\n");
    const model = toolModel([bashCall("sed -n 1p notes.txt")]);
    const { agent, io, terminal } = await agentChat(["a"], model, {
      keys: ["2"],
      agent: { cwd: dir },
    });
    assertStringIncludes(
      terminal.out.text,
      "2. Allow for this session (runs once: sed is never allowed for a session)",
    );
    assertStringIncludes(io.stderr.text, "Approved: Bash: sed -n 1p notes.txt\n  one\n");
    assertEquals(agent.approvals.entries(), []);
    assertEquals(agent.approvals.isAllowed("bash", "sed '1e touch PWNED' notes.txt"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("agent handles OLLAMA_AGENT_DISABLE_BASH and the web tools through the local server", async () => {
  const call: ToolCall = {
    id: "call_web00001",
    function: { index: 0, name: "web_search", arguments: { query: "ollama" } },
  };
  const { chats, io } = await agentChat(["search"], toolModel([call]), {
    agent: { yolo: true, webSearch: true, disableBash: true },
  });
  assertEquals(chats()[0].tools, [WEB_FETCH_TOOL, WEB_SEARCH_TOOL]);
  assertEquals((chats()[1].messages as unknown[])[2], {
    role: "tool",
    content:
      "Search results for: ollama\n\n1. Ollama\n   URL: https://ollama.com/\n   About ollama.\n\n",
    tool_name: "web_search",
    tool_call_id: "call_web00001",
  });
  assertStringIncludes(io.stderr.text, "running: Web Search: ollama\n");
});

Deno.test("agent handles Ctrl+C during a tool run: the turn is cancelled, the REPL goes on", async () => {
  let runs = 0;
  const { chats, session } = await agentChat(
    ["first", "second"],
    toolModel([bashCall("sleep 9")]),
    {
      agent: (io) => ({
        yolo: true,
        runBash: (_command, signal) => {
          if (++runs > 1) return Promise.resolve("ok\n");
          // The user presses Ctrl+C while the first command runs.
          io.interrupt();
          return Promise.reject(signal.reason);
        },
      }),
    },
  );
  assertEquals(runs, 2);
  assertEquals(chats().length, 3);
  assertEquals(chats()[1].messages, [{ role: "user", content: "second" }]);
  assertEquals(session.conversation.messages.map((m) => m.role), [
    "user",
    "assistant",
    "tool",
    "assistant",
  ]);
});

Deno.test("agent handles the banner: bash, web tools and yolo, bold only with style", () => {
  const info = { capabilities: ["completion", "tools"] };
  const io = testIo();
  const agent = (options: Partial<AgentOptions>) =>
    new Agent({
      yolo: false,
      webSearch: false,
      disableBash: false,
      stderr: io.stderr,
      style: false,
      ...options,
    });
  assertEquals(
    agent({}).banner(info),
    "\nThis experimental version of Ollama has the bash tool enabled.\n" +
      "Models can read files on your computer, or run commands (after you allow them).\n\n",
  );
  assertEquals(
    agent({ style: true, webSearch: true, yolo: true }).banner(info),
    "\nThis experimental version of Ollama has the \x1b[1mbash\x1b[0m tool enabled.\n" +
      "Models can read files on your computer, or run commands (after you allow them).\n\n" +
      "The \x1b[1mWeb Search\x1b[0m and \x1b[1mWeb Fetch\x1b[0m tools are enabled. " +
      "Models can search and fetch web content via ollama.com.\n\n" +
      "\x1b[1mwarning:\x1b[0m yolo mode - calls run without asking, except commands the " +
      "analyser cannot verify as harmless\n",
  );
  assertEquals(agent({ yolo: true }).banner({ capabilities: ["completion"] }), "");
});

Deno.test("agent handles the banner: whether the sandbox is on, and yolo without one", () => {
  const info = { capabilities: ["completion", "tools"] };
  const io = testIo();
  const launch = () => ({ program: "true", args: [] });
  const agent = (options: Partial<AgentOptions>) =>
    new Agent({
      yolo: false,
      webSearch: false,
      disableBash: false,
      stderr: io.stderr,
      style: false,
      ...options,
    });
  const intro = "\nThis experimental version of Ollama has the bash tool enabled.\n" +
    "Models can read files on your computer, or run commands (after you allow them).\n";
  assertEquals(
    agent({ sandbox: { status: { on: true, tool: "bwrap" }, launch } }).banner(info),
    intro +
      "sandbox: on (bwrap) - writes only in the working directory and a private /tmp\n\n",
  );
  assertEquals(
    agent({ yolo: true, sandbox: { status: { on: false, reason: "bwrap not found" }, launch } })
      .banner(info),
    intro + "sandbox: off (bwrap not found)\n\n" +
      "warning: yolo mode - calls run without asking, except commands the analyser cannot " +
      "verify as harmless\n" +
      "warning: yolo mode without a sandbox\n",
  );
});

Deno.test("agent handles a command on paths outside the project: the prompt warns", async () => {
  const { terminal, io } = await agentChat(["/?", "look"], toolModel([bashCall("ls ../../..")]), {
    keys: ["3"],
  });
  assertStringIncludes(
    terminal.out.text,
    "warning: command targets paths outside project\r\n\r\nTool: Bash\r\nCommand: ls ../../..\r\n",
  );
  assertStringIncludes(
    io.stderr.text,
    "  /clear          Clear session context\n  /tools          Show available tools and approvals\n",
  );
});

Deno.test("agent handles a command inside the project: no warning", async () => {
  const { terminal } = await agentChat(["look"], toolModel([bashCall("ls lib/../tests")]), {
    keys: ["3"],
  });
  assertEquals(terminal.out.text.includes("warning:"), false);
});

Deno.test("agent handles yolo and a disguised rm: the analyser blocks it, nothing runs", async () => {
  let runs = 0;
  const { io, chats } = await agentChat(["go"], toolModel([bashCall("$(echo rm) -rf d")]), {
    agent: {
      yolo: true,
      runBash: () => {
        runs++;
        return Promise.resolve("");
      },
    },
  });
  assertEquals(runs, 0);
  assertStringIncludes(
    io.stderr.text,
    "blocked: Bash: $(echo rm) -rf d\n  matches dangerous pattern: rm -rf\n",
  );
  assertStringIncludes(
    (chats()[1].messages as { content: string }[])[2].content,
    "Command blocked: this command matches a dangerous pattern (rm -rf)",
  );
});

Deno.test("agent handles yolo and a command it cannot verify: it asks and says why", async () => {
  let runs = 0;
  const { io, terminal } = await agentChat(["go"], toolModel([bashCall("eval ls")]), {
    keys: ["3"],
    agent: {
      yolo: true,
      runBash: () => {
        runs++;
        return Promise.resolve("");
      },
    },
  });
  assertEquals(runs, 0);
  assertStringIncludes(
    terminal.out.text,
    "Tool: Bash\r\nCommand: eval ls\r\nyolo: asking, cannot verify: eval\r\n",
  );
  assertStringIncludes(io.stderr.text, "Denied: Bash: eval ls\n");
});

Deno.test("agent handles yolo and a harmless command: it runs without asking", async () => {
  const { io, terminal } = await agentChat(["go"], toolModel([bashCall("ls -la")]), {
    agent: { yolo: true, runBash: () => Promise.resolve("listing\n") },
  });
  assertEquals(terminal.out.text, "");
  assertStringIncludes(io.stderr.text, "running: Bash: ls -la\n  listing\n");
});

Deno.test("agent handles malformed tool calls: each is an error for the model, the chat goes on", async () => {
  const calls = [
    { id: "call_bad00001" },
    { id: "call_bad00002", function: { name: "nope", arguments: {} } },
    { id: "call_bad00003", function: { name: "bash", arguments: "ls" } },
    { function: { name: 7, arguments: {} } },
  ] as unknown as ToolCall[];
  const { io, chats } = await agentChat(["go", "again"], toolModel(calls));
  const results = (chats()[1].messages as Record<string, unknown>[]).slice(2);
  assertEquals(results, [
    {
      role: "tool",
      content: "Error: malformed tool call: no function",
      tool_name: "",
      tool_call_id: "call_bad00001",
    },
    {
      role: "tool",
      content: "Error: unknown tool: nope",
      tool_name: "nope",
      tool_call_id: "call_bad00002",
    },
    {
      role: "tool",
      content: "Error: malformed tool call: arguments are not an object",
      tool_name: "bash",
      tool_call_id: "call_bad00003",
    },
    { role: "tool", content: "Error: malformed tool call: no tool name", tool_name: "" },
  ]);
  assertStringIncludes(io.stderr.text, "error: malformed tool call: no function\n");
  // The next message is still sent: the REPL went on.
  assertEquals(chats().length, 4);
});

Deno.test("agent /tools wraps each description at word boundaries on a narrow terminal", () => {
  const agent = new Agent({
    yolo: false,
    webSearch: true,
    disableBash: false,
    stderr: testIo().stderr,
    style: false,
  });
  const info = { capabilities: ["completion", "tools"] };
  assertEquals(
    agent.toolsText(info, 60),
    "Available tools:\n" +
      "  bash - Execute a bash command on the system. Use this to\n" +
      "         run shell commands, check files, run programs, etc.\n" +
      "  web_fetch - Fetch and extract text content from a web\n" +
      "              page. Use this to read the full content of a\n" +
      "              URL found in search results or provided by the\n" +
      "              user.\n" +
      "  web_search - Search the web for current information. Use\n" +
      "               this when you need up-to-date information\n" +
      "               that may not be in your training data.\n" +
      "\n" +
      "No tools approved for this session yet\n",
  );
  // Not a terminal (no width): one line each, as the official client prints them.
  assertEquals(
    agent.toolsText(info).split("\n")[1],
    `  bash - ${BASH_TOOL.function.description}`,
  );
});
