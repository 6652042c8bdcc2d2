import { isRequestName, validateArg, type RequestName, type ResultOf } from '../../../shared/contract';
import { FarpointError } from '../../core/errors';
import { explainSqliteFailure } from '../../store/database';
import { annotationHandlers } from './annotation-handlers';
import { duplicatesHandlers } from './duplicates-handlers';
import { evaluationHandlers } from './evaluation-handlers';
import { exchangeHandlers } from './exchange-handlers';
import { dicomHandlers } from './dicom-handlers';
import type { Handler, Handlers } from './handler-types';
import { mlHandlers } from './ml-handlers';
import { projectHandlers } from './project-handlers';
import { reviewHandlers } from './review-handlers';
import { selectionHandlers } from './selection-handlers';
import type { Session } from '../session';

/** Every request's implementation. Each area contributes its handlers here; a missing one is a compile error. */
export function createHandlers(session: Session): Handlers {
  return {
    ...projectHandlers(session),
    ...annotationHandlers(session),
    ...duplicatesHandlers(session),
    ...mlHandlers(session),
    ...selectionHandlers(session),
    ...evaluationHandlers(session),
    ...exchangeHandlers(session),
    ...dicomHandlers(session),
    ...reviewHandlers(session),
  } satisfies Handlers;
}

/**
 * The single entry for a request that crossed a process boundary: checks the
 * name and validates the argument before any handler sees it. Used by the
 * web server, the Electron IPC binding and the CLI.
 */
export async function dispatch(handlers: Handlers, name: string, rawArg: unknown): Promise<unknown> {
  if (!isRequestName(name)) throw new FarpointError(`unknown request: ${name.slice(0, 100)}`, 404);
  const checked = validateArg(name, rawArg);
  if (!checked.ok) throw new FarpointError(checked.error, 400);
  const handler = handlers[name] as Handler<RequestName>;
  try {
    return (await handler(checked.value as never)) as ResultOf<RequestName>;
  } catch (err) {
    // Whatever write a handler did, a full or read-only disk answers 423 with the reason, never a bare 500.
    throw explainSqliteFailure(err);
  }
}
