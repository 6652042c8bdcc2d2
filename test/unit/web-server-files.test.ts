import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { samplePath } from '../../src/main/store/samples';
import { startBackend, type TestBackend } from '../helpers/backend';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

// Files that misbehave under the web server: an image replaced by a FIFO, a page file that cannot be read, symlinks out of the UI folder.
const dir = tempDir();
const ui = path.join(dir, 'ui');
const outside = path.join(dir, 'outside');
let backend: TestBackend;
let fifo: string;

before(async () => {
  fs.mkdirSync(path.join(ui, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html><html><body>the app</body></html>');
  fs.writeFileSync(path.join(ui, 'assets', 'app.js'), 'console.log("app")');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'patient list');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ui, 'assets', 'leak.js'));
  fs.symlinkSync(outside, path.join(ui, 'linked'));

  const projectPath = path.join(dir, 'p.farpoint');
  const project = Project.create(projectPath);
  await writeImageFolder(path.join(dir, 'images'), 3);
  await importFolder(project.db, path.join(dir, 'images'));
  // What a dead network share looks like to a reader: the imported image is now a FIFO nobody writes to.
  fifo = samplePath(project.db, 1);
  project.close();
  fs.rmSync(fifo);
  execFileSync('mkfifo', [fifo]);
  backend = await startBackend(projectPath, { server: { staticDir: ui } });
});

after(async () => {
  // Should a read of the FIFO be waiting (the old server), a writer that closes at once lets it end.
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // No reader: nothing waits on it.
  }
  await backend.close();
});

/** A GET with the token; a request with no answer in 10 s fails the test rather than hanging it. */
function get(route: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: backend.server.port, path: route, headers: { Authorization: `Bearer ${backend.server.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to GET ${route} in 10 s`)));
    req.on('error', reject);
  });
}

test('an image replaced by a FIFO is refused for itself, without waiting on it; other images and the page keep answering', async () => {
  const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => get(`/media/image/1?max=${64 + i}`)));
  for (const answer of answers) {
    assert.equal(answer.status, 415, answer.body);
    assert.ok(answer.body.includes(path.basename(fifo)) && answer.body.includes('FIFO'), answer.body);
  }
  assert.equal((await get('/media/image/2?max=64')).status, 200);
  assert.equal((await get('/media/thumb/1')).status, 200, 'its thumbnail is in the project');
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.match(page.body, /the app/);
});

test('static serving refuses symlinks that lead outside its folder', async () => {
  for (const route of ['/assets/leak.js', '/linked/secret.txt']) {
    const answer = await get(route);
    assert.equal(answer.status, 404, `${route}: ${answer.body}`);
    assert.doesNotMatch(answer.body, /patient list/);
  }
  assert.equal((await get('/assets/app.js')).status, 200);
});

test('a page file that cannot be read is an error for that request; the server stays up', async () => {
  // index.html as a folder: reading it fails (EISDIR) where the old server streamed it without an error handler.
  const broken = path.join(dir, 'broken-ui');
  fs.mkdirSync(path.join(broken, 'index.html'), { recursive: true });
  fs.writeFileSync(path.join(broken, 'ok.js'), 'ok');
  const other = await startBackend(null, { server: { staticDir: broken } });
  try {
    const port = other.server.port;
    const headers = { Authorization: `Bearer ${other.server.token}` };
    const answer = await fetch(`http://127.0.0.1:${port}/some/client/route`, { headers });
    assert.ok(answer.status >= 400 && answer.status < 600, String(answer.status));
    assert.match(((await answer.json()) as { error: string }).error, /index\.html/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/ok.js`, { headers })).status, 200);
  } finally {
    await other.close();
  }
});
