import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { saveHandLabel } from '../../src/main/store/annotations';
import { rendererDir } from '../../src/main/core/runtime/paths';
import { Project } from '../../src/main/store/project';
import { isRequestName, validateArg } from '../../src/shared/contract';
import { startBackend, type TestBackend } from '../helpers/backend';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { mixedCase, rejectedCase, type FuzzCase } from '../soak/support/fuzz-cases';
import { rawRequest, type RawAnswer } from '../soak/support/fuzz-http';
import { assertIntegrity } from '../soak/support/project-checks';
import { SeededRandom } from '../soak/support/seeded-random';
import { SOAK_SEED, soakCount } from '../soak/support/soak-counts';
import { hashTables } from '../soak/support/table-hash';

const SAMPLES = 12;
const uiBuilt = fs.existsSync(path.join(rendererDir, 'index.html'));
const dir = tempDir();
// Relative paths in fuzzed arguments resolve in here, never in the checkout.
const sandbox = path.join(dir, 'sandbox', 'a', 'b');
let backend: TestBackend;
let projectPath: string;

before(async () => {
  fs.mkdirSync(sandbox, { recursive: true });
  process.chdir(sandbox);
  projectPath = path.join(dir, 'fuzz.farpoint');
  const project = Project.create(projectPath);
  await importFolder(project.db, await writeImageFolder(path.join(dir, 'images'), SAMPLES).then(() => path.join(dir, 'images')));
  for (let id = 1; id <= 5; id++) saveHandLabel(project.db, 'expert', { sampleId: id, angle: id * 30, queueRank: id, strategy: 'fps' });
  project.close();
  backend = await startBackend(projectPath);
});
after(() => backend.close());

async function send(c: FuzzCase): Promise<RawAnswer> {
  return rawRequest(backend.server.port, {
    method: c.method,
    path: c.path,
    headers: { Authorization: `Bearer ${backend.server.token}`, 'Content-Type': 'application/json' },
    body: c.body,
  });
}

/** The answer's reason, when the answer is JSON with a non-empty `error`. */
function reasonOf(answer: RawAnswer): string | null {
  try {
    const body = JSON.parse(answer.body) as { error?: unknown };
    return typeof body.error === 'string' && body.error.length > 0 ? body.error : null;
  } catch {
    return null;
  }
}

/** The web server refuses exactly what the shared validator (also used on the Electron IPC path) refuses, with its words. */
function assertSameVerdict(c: FuzzCase, answer: RawAnswer): void {
  if (!c.validated || !isRequestName(c.validated.name)) return;
  const verdict = validateArg(c.validated.name, c.validated.arg);
  if (!verdict.ok) {
    assert.equal(answer.status, 400, `${c.label}: the validator refuses it but the server answered ${answer.status}`);
    assert.equal(reasonOf(answer), verdict.error, `${c.label}: the server's reason differs from the shared validator's`);
  } else {
    assert.doesNotMatch(reasonOf(answer) ?? '', /^invalid argument for/, `${c.label}: the validator accepts it but the server refused it as invalid`);
  }
}

/** Every answer: never a 5xx; a 4xx carries a reason; an API 2xx carries a result; nothing forbidden leaks; same verdict as the IPC validator. */
function assertSafeAnswer(c: FuzzCase, answer: RawAnswer, i: number): void {
  // Where the UI was never built (a fresh clone before `npm run build`), the app's page is a 503 saying so.
  if (answer.status === 503 && !uiBuilt && /the UI is not built/.test(answer.body)) return;
  assert.ok(answer.status < 500, `case ${i} (${c.label}): ${answer.status} ${answer.body.slice(0, 300)}`);
  if (answer.status >= 400) assert.ok(reasonOf(answer), `case ${i} (${c.label}): ${answer.status} without a reason: ${answer.body.slice(0, 200)}`);
  else if (c.path.startsWith('/api/call/')) assert.ok('result' in (JSON.parse(answer.body) as object), `case ${i} (${c.label}): 2xx without a result`);
  if (c.forbidden) assert.doesNotMatch(answer.body, c.forbidden, `case ${i} (${c.label}): the answer leaks a file outside the app`);
  assertSameVerdict(c, answer);
}

test('thousands of hostile requests that must be refused: each a 4xx with a reason, and the project file is unchanged', async () => {
  const count = soakCount(2500, 25_000);
  const rng = new SeededRandom(SOAK_SEED + 3);
  const db = backend.session.project.db;
  const before = hashTables(db);
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const c = rejectedCase(rng, sandbox, SAMPLES);
    const answer = await send(c);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    assertSafeAnswer(c, answer, i);
    if (c.mustReject) {
      assert.ok(answer.status >= 400 && answer.status < 500, `case ${i} (${c.label}): expected a 4xx, got ${answer.status} ${answer.body.slice(0, 300)}`);
    }
  }
  assert.equal(backend.session.project.path, projectPath, 'a refused openProject switched the open project');
  assert.deepEqual(hashTables(db), before, 'refused requests changed the project file');
  assertIntegrity(db, 'after the refused requests');
  assert.equal((await backend.call('getStatus')).status, 200, 'the server is still up');
  console.log(`fuzz (refused): ${count} cases, answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
});

test('thousands of random requests, valid and not: never a 5xx, every 2xx carries a result, the server stays up', async () => {
  const count = soakCount(1500, 15_000);
  const rng = new SeededRandom(SOAK_SEED + 4);
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const c = mixedCase(rng, sandbox, SAMPLES);
    const answer = await send(c);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    assertSafeAnswer(c, answer, i);
  }
  assertIntegrity(backend.session.project.db, 'after the mixed requests');
  assert.equal((await backend.call('getStatus')).status, 200, 'the server is still up');
  console.log(`fuzz (mixed): ${count} cases, answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
});
