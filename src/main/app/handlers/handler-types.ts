import type { ParsedArgOf, RequestName, ResultOf } from '../../../shared/contract';

/** A back-end implementation of one request: gets the validated argument. */
export type Handler<K extends RequestName> = (arg: ParsedArgOf<K>) => Promise<ResultOf<K>> | ResultOf<K>;

/** Implementations of every request; a missing one fails to compile. */
export type Handlers = { [K in RequestName]: Handler<K> };

/** Implementations of one area's requests (`typeof projectRequests`, say). */
export type HandlersFor<Area> = { [K in keyof Area & RequestName]: Handler<K> };
