import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Project } from '../../src/main/store/project';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { rawRequest } from '../soak/support/fuzz-http';

const dir = tempDir();
let backend: TestBackend;

before(async () => {
  Project.create(path.join(dir, 'p.farpoint')).close();
  backend = await startBackend(path.join(dir, 'p.farpoint'));
});
after(() => backend.close());

test('a request path with broken percent-encoding is a 400 naming it, not a 500 (API and static routes)', async () => {
  const headers = { Authorization: `Bearer ${backend.server.token}`, 'Content-Type': 'application/json' };
  for (const [method, route] of [
    ['POST', '/api/call/%E0%A4%A'],
    ['POST', '/api/call/%ZZ'],
    ['GET', '/%E0%A4%A'],
    ['GET', '/assets/%'],
  ] as const) {
    const answer = await rawRequest(backend.server.port, { method, path: route, headers, body: method === 'POST' ? '{}' : undefined });
    assert.equal(answer.status, 400, `${method} ${route}: ${answer.body}`);
    assert.match(answer.body, /not valid percent-encoding/);
  }
  assert.equal((await backend.call('getStatus')).status, 200);
});
