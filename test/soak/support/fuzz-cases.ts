import { isRequestName, requestNames, validateArg, type RequestName } from '../../../src/shared/contract';
import { MAX_BODY_BYTES } from '../../../src/main/doors/server/web-server';
import { hostileValue, mentionsAPath, missingPaths, mutate, templateFor } from './fuzz-values';
import type { SeededRandom } from './seeded-random';

export interface FuzzCase {
  /** What was sent, for failure messages. */
  label: string;
  method: string;
  path: string;
  body?: string | Buffer;
  /** Set when the body is a JSON argument of a known request: the shared validator's verdict must match the answer. */
  validated?: { name: string; arg: unknown };
  /** True when the case must be refused (4xx); false when a 2xx result is also correct. */
  mustReject: boolean;
  /** What the answer must never contain (a file outside the app reached by traversal). */
  forbidden?: RegExp;
}

function call(name: string, arg: unknown, mustReject: boolean): FuzzCase {
  const body = JSON.stringify(arg) ?? '';
  return {
    label: `${name} ${body.slice(0, 160)}`,
    method: 'POST',
    path: `/api/call/${encodeURIComponent(name)}`,
    body,
    // The validator judges what crosses the wire (JSON drops undefined, turns -0 into 0), as the server sees it.
    validated: isRequestName(name) ? { name, arg: body === '' ? undefined : (JSON.parse(body) as unknown) } : undefined,
    mustReject,
  };
}

const unknownNames = ['dropAllTables', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'GETSTATUS', 'getStatus ', 'x'.repeat(5000), '../../etc/passwd', 'saveLabel\u0000'];

/** Request paths whose percent-encoding or shape is broken. */
const brokenPaths = ['/api/call/%E0%A4%A', '/api/call/%', '/api/call/%ZZ', '/api/call/', '/api/call//getStatus', '/api/call/getStatus/../saveLabel', '/api/call/..%2F..%2Fetc%2Fpasswd'];

const notJson = ['{', '[1,2', "{'sampleId':1}", '{"sampleId": NaN}', '{"angle": Infinity}', 'undefined', '\u0000\u0001\u0002', '{"a":1}{"b":2}', '\ufeff{}x', '{"sampleId":1,}'];

/** Requests that must fail with 404 though their argument is valid: ids that do not exist. */
function unknownIdCases(rng: SeededRandom, sampleCount: number): FuzzCase[] {
  const missing = rng.pick([sampleCount + 1, sampleCount + rng.int(2, 1000), 99_999_999, Number.MAX_SAFE_INTEGER]);
  const job = rng.pick(['nosuchjob', 'a'.repeat(64), '0', '_-_']);
  return [
    call('getSample', { id: missing }, true),
    call('saveLabel', { sampleId: missing, angle: rng.int(-3600, 3600) }, true),
    call('clearLabel', { sampleId: missing }, true),
    call('annotationHistory', { sampleId: missing }, true),
    // One unknown id among known ones: the whole batch is refused, none of it applied.
    call('setSampleStatus', { sampleIds: [1, 2, missing], status: rng.pick(['active', 'excluded']) }, true),
    call('getJob', { id: job }, true),
    call('cancelJob', { id: job }, true),
  ];
}

/** Paths outside the project or made of traversal: opening and importing them must fail with a reason. */
function pathCases(rng: SeededRandom, sandbox: string): FuzzCase[] {
  const missing = rng.pick(missingPaths(sandbox));
  const notAProject = rng.pick(['/etc/passwd', '/etc/hostname', '/etc', '/dev/null', '/proc/self/status', '../../../../../../../../etc/passwd', sandbox]);
  return [call('openProject', { path: missing }, true), call('openProject', { path: notAProject }, true)];
}

function rawCase(rng: SeededRandom): FuzzCase {
  const roll = rng.int(0, 5);
  if (roll === 0) return { label: 'unknown request name', method: 'POST', path: `/api/call/${encodeURIComponent(rng.pick(unknownNames))}`, body: '{}', mustReject: true };
  if (roll === 1) return { label: 'broken request path', method: 'POST', path: rng.pick(brokenPaths), body: '{}', mustReject: true };
  if (roll === 2) return { label: 'body that is not JSON', method: 'POST', path: `/api/call/${rng.pick(requestNames)}`, body: rng.pick(notJson), mustReject: true };
  if (roll === 3) return { label: 'body over the limit', method: 'POST', path: '/api/call/saveLabel', body: Buffer.alloc(MAX_BODY_BYTES + rng.int(1, 4096), 0x7b), mustReject: true };
  if (roll === 4) return { label: 'wrong method', method: rng.pick(['GET', 'PUT', 'DELETE', 'PATCH']), path: `/api/call/${rng.pick(requestNames)}`, mustReject: true };
  if (rng.chance(0.5)) {
    const media = rng.pick(['/media/thumb/0', '/media/image/99999999', '/media/thumb/99999999999999', '/media/video/1.png', '/%E0%A4%A', '/assets/%00.js', '/assets/..%2f..%2f..%2fetc%2fpasswd.js']);
    return { label: `route ${media}`, method: 'GET', path: media, mustReject: true };
  }
  // Traversal on the static routes: an extension-less path may fall back to the app's page (client-side routes), never to the file.
  const traversal = rng.pick(['/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd', '/../../../../etc/passwd', '/%2e%2e%2f%2e%2e%2fetc/passwd', '//etc/passwd']);
  return { label: `route ${traversal}`, method: 'GET', path: traversal, mustReject: false, forbidden: /root:.*:0:0:/ };
}

/** A case the back end must refuse, with nothing changed: invalid arguments, unknown ids and names, broken bodies and paths. */
export function rejectedCase(rng: SeededRandom, sandbox: string, sampleCount: number): FuzzCase {
  const roll = rng.next();
  if (roll < 0.6) {
    for (;;) {
      const name = rng.pick(requestNames);
      const c = call(name, mutate(rng, templateFor(name)), true);
      // Only arguments the shared validator refuses: a valid one could legitimately change the project.
      if (c.validated && !validateArg(c.validated.name as RequestName, c.validated.arg).ok) return c;
    }
  }
  if (roll < 0.72) return rng.pick(unknownIdCases(rng, sampleCount));
  if (roll < 0.82) return rng.pick(pathCases(rng, sandbox));
  return rawCase(rng);
}

/** Requests that would act on the machine outside the test (create or import anywhere) only get arguments the validator refuses. */
const sandboxedRequests = new Set<string>(['createProject', 'openProject', 'importFolder']);

/** Anything: valid and invalid arguments to every request, some of them applied. */
export function mixedCase(rng: SeededRandom, sandbox: string, sampleCount: number): FuzzCase {
  if (rng.chance(0.1)) return rejectedCase(rng, sandbox, sampleCount);
  // A missing folder is accepted as a job that then fails with 'folder not found' (the job, not the request, reports it).
  if (rng.chance(0.02)) return call('importFolder', { folder: rng.pick(missingPaths(sandbox)) }, false);
  for (;;) {
    const name = rng.pick(requestNames);
    const template = templateFor(name);
    const c = call(name, rng.chance(0.3) ? template : rng.chance(0.1) ? hostileValue(rng) : mutate(rng, template), false);
    const valid = validateArg(name, c.validated!.arg).ok;
    // A valid argument naming a real place could import '/', or create files anywhere: keep those out.
    if (valid && (sandboxedRequests.has(name) || mentionsAPath(c.validated!.arg))) continue;
    return c;
  }
}
