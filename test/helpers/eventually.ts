/**
 * Polls `check` until it returns a value other than undefined, for state the
 * UI changes in the background (the page moves on before its request lands):
 * asserting at once would race the request; failing after `timeoutMs` names
 * what never happened.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
