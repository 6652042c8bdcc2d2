/** Longest link handed to the system browser; anything longer is not a link a user clicked. */
const MAX_EXTERNAL_URL = 2048;

/**
 * The URL to give the system browser for a link the page tried to open, or
 * null when it must not leave the app. Only plain http(s) links to a named
 * host qualify: no `file:`, `javascript:`, custom schemes (which could start
 * other programs), embedded credentials or control characters.
 */
export function externalLinkTarget(url: string): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL) return null;
  // The URL parser silently strips tabs and newlines; a link that contains them was built to mislead.
  if ([...url].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.hostname === '') return null;
  return parsed.href;
}
