/**
 * The bash tool never hangs the agent: it returns when the shell exits, even when a background
 * process it started keeps the output pipes open. Every command runs in a fresh temporary
 * directory.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { runBash } from "../../lib/agent/tools.ts";

async function inTempDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dollama-bash-" });
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Ends the process whose id `file` holds, if it still runs (the test started it). */
async function killRecorded(file: string): Promise<void> {
  const pid = Number((await Deno.readTextFile(file).catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

Deno.test("runBash returns when the shell exits, not when a detached daemon does", async () => {
  await inTempDir(async (dir) => {
    const started = Date.now();
    try {
      const text = await runBash("setsid sleep 100 & echo $! > daemon.pid; echo started", {
        signal: new AbortController().signal,
        cwd: dir,
      });
      assertEquals(text, "started\n");
      // Generous: the point is "not 100 seconds", on a loaded machine.
      assert(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    } finally {
      await killRecorded(`${dir}/daemon.pid`);
    }
  });
});

Deno.test("runBash keeps output a background child writes right after the shell exits", async () => {
  await inTempDir(async (dir) => {
    const text = await runBash("(echo late) & echo early", {
      signal: new AbortController().signal,
      cwd: dir,
    });
    assertEquals(text.split("\n").sort(), ["", "early", "late"]);
  });
});

Deno.test("runBash handles Ctrl+C while a daemon holds the pipes: it rejects at once", async () => {
  await inTempDir(async (dir) => {
    const controller = new AbortController();
    try {
      const running = runBash("setsid sleep 100 & echo $! > daemon.pid; sleep 100", {
        signal: controller.signal,
        cwd: dir,
      });
      // Abort once the daemon is known to run.
      for (let i = 0; i < 200; i++) {
        const pid = await Deno.readTextFile(`${dir}/daemon.pid`).catch(() => "");
        if (pid.trim() !== "") break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      controller.abort();
      let error: unknown;
      try {
        await running;
      } catch (err) {
        error = err;
      }
      assertEquals((error as DOMException | undefined)?.name, "AbortError");
    } finally {
      await killRecorded(`${dir}/daemon.pid`);
    }
  });
});
