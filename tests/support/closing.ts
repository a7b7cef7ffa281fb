/** Shutting down what a test started (fake servers, mostly), however the test ends. */

export interface Closable {
  close(): Promise<void>;
}

/** Runs `fn` with `resource`, then closes it, whether `fn` returned or threw. */
export async function closing<R extends Closable>(
  resource: R,
  fn: (resource: R) => Promise<void>,
): Promise<void> {
  try {
    await fn(resource);
  } finally {
    await resource.close();
  }
}
