import { messageOf } from '../../core/errors';

/** A file the import skips, with a reason a user understands. */
export class ImageRejected extends Error {}

/** First line of a sharp/libvips error, without the noun it starts with. */
export function shortSharpMessage(err: unknown): string {
  return messageOf(err).split('\n')[0]!.replace(/^Input (buffer|file) /, '').slice(0, 200);
}
