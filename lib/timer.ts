/**
 * A one-shot timer on the runtime's web timers, for the paths every answer takes. In Deno the
 * global `setTimeout` is the Node-compatible one, and its first use loads that compatibility
 * layer: measured, 4 MB of memory and 6 ms of a 50 ms run. `AbortSignal.timeout` runs on the
 * web timers underneath and loads nothing.
 *
 * Like that signal's timer, this one does not keep the process alive: it is for work that
 * something else is waiting beside (a stream being read, a prompt), never for a bare wait.
 */
export function startTimer(ms: number, callback: () => void): () => void {
  const signal = AbortSignal.timeout(ms);
  signal.addEventListener("abort", callback, { once: true });
  return () => signal.removeEventListener("abort", callback);
}

/** `startTimer` over and over, every `ms`, until the returned function is called. */
export function startInterval(ms: number, callback: () => void): () => void {
  let cancel = () => {};
  const arm = () => {
    cancel = startTimer(ms, () => {
      arm();
      callback();
    });
  };
  arm();
  return () => cancel();
}
