import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestNames, requests, validateArg } from '../../src/shared/contract';
import { createHandlers } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';

test('every request in the contract has a handler, and nothing else does', () => {
  const session = new Session(() => {
    throw new Error('no compute side needed here');
  });
  const handlers = createHandlers(session);
  assert.deepEqual(Object.keys(handlers).sort(), [...requestNames].sort());
  for (const name of requestNames) assert.equal(typeof handlers[name], 'function', name);
});

test('every request has a validator and a summary', () => {
  for (const name of requestNames) {
    assert.ok(requests[name].arg, name);
    assert.ok(requests[name].summary.length > 10, name);
  }
});

test('validators reject wrong types and unknown fields with the field named', () => {
  const bad = validateArg('saveLabel', { sampleId: 'one', angle: 10 });
  assert.equal(bad.ok, false);
  assert.match((bad as { error: string }).error, /saveLabel: sampleId/);
  assert.equal(validateArg('getStatus', { extra: 1 }).ok, false);
  assert.equal(validateArg('saveLabel', { sampleId: 1, angle: Number.NaN }).ok, false);
  assert.equal(validateArg('openProject', { path: 'a\0b' }).ok, false);
  const good = validateArg('listSamples', {});
  assert.ok(good.ok);
  assert.deepEqual((good as { value: unknown }).value, { limit: 200, status: 'all' });
});
