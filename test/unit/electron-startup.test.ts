import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseStartupProject } from '../../src/main/doors/electron/startup-project';

const recent = [
  { path: '/gone/old.farpoint', name: 'old', openedAt: '2026-01-02T00:00:00Z' },
  { path: '/data/demo.farpoint', name: 'demo', openedAt: '2026-01-01T00:00:00Z' },
];
const exists = (file: string) => !file.startsWith('/gone');

test('the window opens the project named on the command line, then FARPOINT_PROJECT, then the last one that still exists', () => {
  assert.equal(chooseStartupProject(['.', '--project=/x/a.farpoint'], {}, recent, exists), '/x/a.farpoint');
  assert.equal(chooseStartupProject(['.', '--project', '/x/b.farpoint'], {}, recent, exists), '/x/b.farpoint');
  assert.equal(chooseStartupProject(['/x/Double Clicked.FARPOINT'], {}, recent, exists), '/x/Double Clicked.FARPOINT');
  assert.equal(chooseStartupProject(['.'], { FARPOINT_PROJECT: '/env/p.farpoint' }, recent, exists), '/env/p.farpoint');
  assert.equal(chooseStartupProject(['.', '--no-sandbox'], {}, recent, exists), '/data/demo.farpoint', 'skips a recent project that was deleted');
  assert.equal(chooseStartupProject([], {}, [], exists), null, 'nothing to open: the window offers to open or create');
  assert.equal(chooseStartupProject(['--project='], {}, recent, exists), null);
});
