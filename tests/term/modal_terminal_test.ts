/**
 * The keyboard's one mode owner: which mode the device is set to as prompts and answers come and
 * go, and the restore hook it keeps registered for SIGTERM, SIGHUP and SIGQUIT while the mode is not cooked.
 */
import { assertEquals, assertRejects } from "../support/assert.ts";
import { type KeyboardMode, ModalTerminal } from "../../lib/term/modal_terminal.ts";
import { runPrompt } from "../../lib/term/prompt.ts";

/** A device that logs its modes and writes, with a termination registry tests can fire. */
function device(options: { failWrites?: boolean } = {}) {
  const log: string[] = [];
  const hooks: (() => Promise<void>)[] = [];
  const continued: (() => void)[] = [];
  let reads = ["\r"];
  const keyboard = {
    read(buffer: Uint8Array): Promise<number | null> {
      const next = reads.shift();
      if (next === undefined) return Promise.resolve(null);
      buffer.set(new TextEncoder().encode(next));
      return Promise.resolve(next.length);
    },
    setMode: (mode: KeyboardMode) => void log.push(`<${mode}>`),
    output: {
      isTerminal: true,
      columns: () => 80,
      write: (chunk: string | Uint8Array) => {
        if (options.failWrites) return Promise.reject(new Error("terminal gone"));
        log.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
        return Promise.resolve();
      },
    },
    columns: () => 80,
    onContinue: (handler: () => void) => {
      continued.push(handler);
      log.push("<cont on>");
      return () => {
        continued.splice(continued.indexOf(handler), 1);
        log.push("<cont off>");
      };
    },
  };
  const onTerminate = (hook: () => Promise<void>) => {
    hooks.push(hook);
    log.push("<hook on>");
    return () => {
      hooks.splice(hooks.indexOf(hook), 1);
      log.push("<hook off>");
    };
  };
  return {
    keyboard,
    onTerminate,
    log,
    hooks,
    setReads: (next: string[]) => reads = next,
    /** SIGCONT: the process was brought back with `fg`. */
    resume: () => {
      for (const handler of [...continued]) handler();
    },
    continued,
    /** What the signal path does: every registered hook, newest first. */
    terminate: async () => {
      for (const hook of [...hooks].reverse()) await hook();
    },
  };
}

Deno.test("ModalTerminal sets raw for a prompt and cooked after it, registering a restore hook meanwhile", () => {
  const dev = device();
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  assertEquals(terminal.mode, "cooked");
  terminal.setRaw(true);
  terminal.setRaw(false);
  assertEquals(dev.log, [
    "<raw>",
    "<hook on>",
    "<cont on>",
    "<cooked>",
    "<hook off>",
    "<cont off>",
  ]);
  assertEquals(dev.hooks.length, 0);
});

Deno.test("ModalTerminal keeps the keyboard quiet while an answer streams, and a prompt inside it goes back to quiet", async () => {
  const dev = device();
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  const result = await terminal.quietWhile(() => {
    // An approval prompt in the middle of the answer.
    terminal.setRaw(true);
    terminal.setRaw(false);
    return Promise.resolve(42);
  });
  assertEquals(result, 42);
  assertEquals(dev.log, [
    "<quiet>",
    "<hook on>",
    "<cont on>",
    "<raw>",
    "<quiet>",
    "<cooked>",
    "<hook off>",
    "<cont off>",
  ]);
});

Deno.test("ModalTerminal gives the keyboard back when the answer throws", async () => {
  const dev = device();
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  await assertRejects(() => terminal.quietWhile(() => Promise.reject(new Error("500"))), /500/);
  assertEquals(terminal.mode, "cooked");
  assertEquals(dev.hooks.length, 0);
});

Deno.test("ModalTerminal's restore hook turns paste off, shows the cursor and sets cooked mode", async () => {
  const dev = device();
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  terminal.setRaw(true);
  await dev.terminate();
  assertEquals(dev.log, ["<raw>", "<hook on>", "<cont on>", "\x1b[?2004l\x1b[?25h", "<cooked>"]);
  assertEquals(terminal.mode, "cooked");
});

Deno.test("ModalTerminal's restore hook still sets cooked mode when the terminal cannot be written", async () => {
  const dev = device({ failWrites: true });
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  await terminal.quietWhile(async () => {
    await dev.terminate();
  });
  assertEquals(dev.log.slice(0, 4), ["<quiet>", "<hook on>", "<cont on>", "<cooked>"]);
});

Deno.test("ModalTerminal runs a whole prompt in raw mode inside quiet, and registers one hook", async () => {
  const dev = device();
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  dev.setReads(["\r"]);
  const answer = await terminal.quietWhile(() =>
    runPrompt(terminal, {
      state: 0,
      render: () => ({ rows: ["ok?"] }),
      onKey: (state) => ({ type: "done", state, result: "yes", leave: "erase" }),
      onEnd: (state) => ({ type: "done", state, result: "no", leave: "erase" }),
    })
  );
  assertEquals(answer, "yes");
  const modes = dev.log.filter((entry) => entry.startsWith("<") && !entry.startsWith("<cont"));
  assertEquals(modes, ["<quiet>", "<hook on>", "<raw>", "<quiet>", "<cooked>", "<hook off>"]);
});

Deno.test("ModalTerminal sets its mode again when the process is continued after a stop, then tells prompts", async () => {
  const dev = device();
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  const told: string[] = [];
  const stop = terminal.onContinue(() => told.push(terminal.mode));
  await terminal.quietWhile(() => {
    // Ctrl+Z during the answer, then fg: the shell left the terminal cooked meanwhile.
    dev.resume();
    return Promise.resolve();
  });
  terminal.setRaw(true);
  dev.resume();
  terminal.setRaw(false);
  stop();
  assertEquals(dev.log, [
    "<quiet>",
    "<hook on>",
    "<cont on>",
    "<quiet>",
    "<cooked>",
    "<hook off>",
    "<cont off>",
    "<raw>",
    "<hook on>",
    "<cont on>",
    "<raw>",
    "<cooked>",
    "<hook off>",
    "<cont off>",
  ]);
  assertEquals(told, ["quiet", "raw"]);
});

Deno.test("ModalTerminal does not listen for SIGCONT in cooked mode: a prompt's own Ctrl+Z hands the terminal over cooked", () => {
  const dev = device();
  const terminal = new ModalTerminal(dev.keyboard, dev.onTerminate);
  const told: string[] = [];
  terminal.onContinue(() => told.push(terminal.mode));
  terminal.setRaw(true);
  terminal.setRaw(false);
  assertEquals(dev.continued.length, 0);
  dev.resume();
  assertEquals(told, []);
});
