/**
 * The agent on a real 80×24 terminal (tmux): a command padded with newlines or spaces cannot
 * scroll its real first line off screen while the options are shown; Ctrl+C during a tool run
 * and a detached daemon both give the prompt back; the banner says whether the sandbox is on.
 * Every dollama here runs in a fresh temporary directory.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { exists } from "../support/files.ts";
import { type FakeModel, FakeOllama } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";
import { TmuxSession } from "../support/tmux.ts";

function bashModel(command: string): FakeModel {
  return {
    name: "agent:latest",
    capabilities: ["completion", "tools"],
    toolCalls: [{
      id: "call_scr00001",
      function: { index: 0, name: "bash", arguments: { command } },
    }],
    reply: "Done.",
  };
}

interface Started {
  term: TmuxSession;
  server: FakeOllama;
  dir: string;
  close(): Promise<void>;
}

async function startAgent(
  command: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<Started> {
  const server = new FakeOllama({ models: [bashModel(command)] });
  const dir = await Deno.makeTempDir({ prefix: "dollama-screen-" });
  const env = baseEnv({
    OLLAMA_HOST: server.url,
    HOME: dir,
    DOLLAMA_APPROVAL_TYPEAHEAD_MS: "0",
    ...options.env,
  });
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  const args = ["run", "agent", "--experimental", ...(options.args ?? [])];
  const term = await TmuxSession.start([Deno.execPath(), ...dollamaCommand(args)], {
    env,
    cols: 80,
    rows: 24,
    cwd: dir,
  });
  return {
    term,
    server,
    dir,
    async close() {
      await term.kill();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Every screen showing the options must show the command's real first line above them. */
function assertCommandAboveOptions(screen: string, first: string): void {
  const rows = screen.split("\n");
  const options = rows.findIndex((row) => row.includes("1. Execute once"));
  const command = rows.findIndex((row) => row.startsWith(`Command: ${first}`));
  assert(options >= 0, screen);
  assert(command >= 0 && command < options, `the command is not on screen:\n${screen}`);
}

Deno.test("approval screen: a newline-padded command shows its first line and 'press v'", async () => {
  const { term, close } = await startAgent("rm d #" + "\n".repeat(40) + "ls -la notes/");
  try {
    await term.waitFor(/^>>>/m);
    await term.sendText("go");
    await term.sendKeys("Enter");
    const screen = await term.waitFor("ctrl+c cancel");
    assertCommandAboveOptions(screen, "rm d #⏎");
    assert(/\(\d+ more lines — press v to view all\)/.test(screen), screen);
    await term.sendText("v");
    const view = await term.waitFor("v back to the options");
    assertEquals(view.includes("1. Execute once"), false, view);
    assert(view.includes("rm d #⏎"), view);
    await term.sendText("v");
    assertCommandAboveOptions(await term.waitFor("ctrl+c cancel"), "rm d #⏎");
    await term.sendText("3");
    await term.waitFor("Denied: Bash: rm d # ls -la notes/");
    await term.waitFor(/Done\.\n\n>>>/);
  } finally {
    await close();
  }
});

Deno.test("approval screen: a space-padded command shows the run of spaces counted", async () => {
  const { term, close } = await startAgent("rm d #" + " ".repeat(4000) + "ls -la notes/");
  try {
    await term.waitFor(/^>>>/m);
    await term.sendText("go");
    await term.sendKeys("Enter");
    const screen = await term.waitFor("ctrl+c cancel");
    assertCommandAboveOptions(screen, "rm d #␠×4000ls -la notes/");
    await term.sendText("3");
    await term.waitFor(/Done\.\n\n>>>/);
  } finally {
    await close();
  }
});

Deno.test("agent screen: Ctrl+C during a tool run gives the prompt back", async () => {
  const { term, close } = await startAgent("sleep 30", { args: ["--experimental-yolo"] });
  try {
    await term.waitFor(/^>>>/m);
    await term.sendText("wait");
    await term.sendKeys("Enter");
    await term.waitFor("running: Bash: sleep 30");
    await term.sendKeys("C-c");
    const screen = await term.waitFor(/^>>>\s*$/m, { timeoutMs: 10_000 });
    assert(!screen.includes("Done."), screen);
  } finally {
    await close();
  }
});

Deno.test("agent screen: a detached daemon does not keep the prompt from coming back", async () => {
  // Without the sandbox, so the daemon really outlives the shell (a sandbox would end it).
  const { term, dir, close } = await startAgent("setsid sleep 100 & echo $! > daemon.pid", {
    env: { DOLLAMA_AGENT_SANDBOX: "off" },
  });
  try {
    await term.waitFor(/^>>>/m);
    await term.sendText("start");
    await term.sendKeys("Enter");
    await term.waitFor("ctrl+c cancel");
    await term.sendText("1");
    await term.waitFor(/Done\.\n\n>>>/, { timeoutMs: 15_000 });
  } finally {
    const pid = Number((await Deno.readTextFile(`${dir}/daemon.pid`).catch(() => "")).trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await close();
  }
});

Deno.test("agent screen: the banner says the sandbox is off when asked or without bwrap", async () => {
  const off = await startAgent("true", { env: { DOLLAMA_AGENT_SANDBOX: "off" } });
  try {
    await off.term.waitFor("sandbox: off (DOLLAMA_AGENT_SANDBOX=off)");
  } finally {
    await off.close();
  }
  if (Deno.build.os !== "linux") return;
  // A PATH with the shells and nothing else: no bwrap.
  const bin = await Deno.makeTempDir({ prefix: "dollama-bin-" });
  try {
    for (const program of ["sh", "bash", "sleep"]) {
      const found = ["/usr/bin", "/bin"].map((d) => `${d}/${program}`).find(exists);
      if (found) await Deno.symlink(found, `${bin}/${program}`);
    }
    const missing = await startAgent("true", { env: { PATH: bin } });
    try {
      const screen = await missing.term.waitFor(/^>>>/m);
      assert(screen.includes("sandbox: off (bwrap not found; install bubblewrap)"), screen);
    } finally {
      await missing.close();
    }
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
});
