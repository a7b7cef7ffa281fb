/** File checks the tests share. */

/** Whether anything exists at `path` (following a symbolic link). */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
