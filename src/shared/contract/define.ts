import type { z } from 'zod';

/**
 * One request of the contract: a runtime validator for its argument and a
 * phantom result type. The result is never checked at run time (the back end
 * produces it), only at compile time on every side.
 */
export interface RequestSpec<A extends z.ZodType, R> {
  readonly arg: A;
  /** Phantom: carries the result type, always undefined at run time. */
  readonly result?: R;
  readonly summary: string;
  /**
   * 'binary': the result holds large typed arrays; front doors that can carry
   * bytes send it in the binary form (binary-codec.ts) instead of JSON.
   */
  readonly encoding?: 'binary';
}

/** `request(schema, 'what it does').returns<Result>()` */
export function request<A extends z.ZodType>(arg: A, summary: string) {
  return {
    returns<R>(): RequestSpec<A, R> {
      return { arg, summary };
    },
    /** A result made of large typed arrays (see RequestSpec.encoding). */
    returnsBinary<R>(): RequestSpec<A, R> {
      return { arg, summary, encoding: 'binary' };
    },
  };
}
