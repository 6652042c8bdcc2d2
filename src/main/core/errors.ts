/**
 * An error whose message is meant for the user: it names the file or value
 * at fault. `status` follows HTTP so every front door can map it.
 */
export class FarpointError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 413 | 415 | 423 | 500 | 503 | 504 = 400,
  ) {
    super(message);
    this.name = 'FarpointError';
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
