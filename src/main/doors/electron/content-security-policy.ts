/**
 * The page's Content-Security-Policy, sent with every response of the app
 * protocol. Scripts come only from the app bundle: no inline scripts, no
 * eval (the renderer runs no TensorFlow, so not even 'wasm-unsafe-eval'), no
 * remote origin anywhere. Inline styles stay allowed because Svelte's
 * `style:` directives and d3 set style attributes; a style cannot run code.
 */
export const contentSecurityPolicy: string = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "child-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every app-protocol response carries, whatever its content. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
