import type { z } from 'zod';
import type { RequestSpec } from './define';
import { projectRequests } from './project-requests';
import { annotationRequests } from './annotation-requests';
import { mlRequests } from './ml-requests';
import { selectionRequests } from './selection-requests';
import { duplicatesRequests } from './duplicates-requests';
import { evaluationRequests } from './evaluation-requests';
import { exchangeRequests } from './exchange-requests';
import { dicomRequests } from './dicom-requests';
import { reviewRequests } from './review-requests';

export type { FarpointEvent, ProjectChange } from './events';
export type { RequestSpec } from './define';
export { BINARY_MIME, BinaryFormatError, decodeBinary, encodeBinary, withTypedArraysAsLists } from './binary-codec';

/**
 * The one contract. Every front door (web server, Electron IPC, CLI) and
 * every client (web client, preload) is derived from this object, so a
 * request added here and not implemented somewhere fails to compile.
 * Each area of the product owns one file of requests.
 */
export const requests = {
  ...projectRequests,
  ...annotationRequests,
  ...mlRequests,
  ...selectionRequests,
  ...duplicatesRequests,
  ...evaluationRequests,
  ...exchangeRequests,
  ...dicomRequests,
  ...reviewRequests,
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export const requestNames = Object.keys(requests) as RequestName[];

/** What the caller passes (defaults may be omitted). */
export type ArgOf<K extends RequestName> = z.input<Requests[K]['arg']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedArgOf<K extends RequestName> = z.output<Requests[K]['arg']>;
export type ResultOf<K extends RequestName> = Requests[K] extends RequestSpec<z.ZodType, infer R> ? R : never;

/** The API as a front end sees it: one async function per request. */
export type FarpointApi = { [K in RequestName]: (arg: ArgOf<K>) => Promise<ResultOf<K>> };

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

/** True when the request's result travels in the binary form where the front door can carry bytes. */
export function hasBinaryResult(name: RequestName): boolean {
  return (requests[name] as { encoding?: string }).encoding === 'binary';
}

export type ValidationResult<K extends RequestName> =
  | { ok: true; value: ParsedArgOf<K> }
  | { ok: false; error: string };

/** Validates an argument that crossed a process boundary. Never throws. */
export function validateArg<K extends RequestName>(name: K, arg: unknown): ValidationResult<K> {
  const parsed = requests[name].arg.safeParse(arg === undefined ? {} : arg);
  if (parsed.success) return { ok: true, value: parsed.data as ParsedArgOf<K> };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `invalid argument for ${name}: ${where}${issue?.message ?? 'rejected'}` };
}
