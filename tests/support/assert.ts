/** Assertions for tests: node's strict assert, re-exported under the names tests use. */
import assert from "node:assert/strict";

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

export function assert_(condition: unknown, message?: string): asserts condition {
  assert.ok(condition, message);
}
export { assert_ as assert };

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  assert.match(actual, pattern, message);
}

export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  assert.ok(
    actual.includes(expected),
    message ?? `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
  );
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  check?: RegExp | ((err: unknown) => void),
): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    if (check instanceof RegExp) {
      assert.match(err instanceof Error ? err.message : String(err), check);
    } else check?.(err);
    return err;
  }
  throw new assert.AssertionError({ message: "expected the promise to reject" });
}

/** What `err` says: an Error's message, anything else as a string. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The message `fn` throws, or "(no error)" when it returns, so that comparing it with the
 * expected message fails and says why.
 */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return messageOf(err);
  }
  return "(no error)";
}
