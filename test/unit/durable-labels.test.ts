import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { createSyntheticProject } from '../soak/support/synthetic-project';

const dir = tempDir();
const LABELS = 12;

/**
 * Power loss cannot be staged in a test, but its cure can be observed: each
 * acknowledged label's commit must reach the disk (an fsync or fdatasync of
 * the WAL) before saveHandLabel returns. Under synchronous=NORMAL the WAL is
 * synced only at checkpoints, so a dozen commits made none.
 */
test(`every acknowledged label is synced to disk before it is acknowledged (${LABELS} labels, at least ${LABELS} syncs, seen by strace)`, (t) => {
  if (spawnSync('strace', ['-V']).status !== 0) return t.skip('strace is not available');
  const file = path.join(dir, 'durable.farpoint');
  return createSyntheticProject(file, 5).then(() => {
    const trace = path.join(dir, 'trace.txt');
    const child = path.join(repoRoot, 'test', 'helpers', 'save-labels-child.ts');
    const run = spawnSync('strace', ['-f', '-e', 'trace=fsync,fdatasync,write', '-o', trace, process.execPath, '--import', 'tsx', child, file, String(LABELS)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (/ptrace|Operation not permitted/.test(run.stderr) && run.status !== 0) return t.skip(`strace cannot trace here: ${run.stderr.trim().slice(0, 200)}`);
    assert.equal(run.status, 0, run.stderr);
    const lines = fs.readFileSync(trace, 'utf8').split('\n');
    const begin = lines.findIndex((l) => l.includes('LABELS-BEGIN'));
    const end = lines.findIndex((l) => l.includes('LABELS-END'));
    assert.ok(begin >= 0 && end > begin, 'the markers are in the trace');
    const syncs = lines.slice(begin, end).filter((l) => /\b(fsync|fdatasync)\(/.test(l)).length;
    console.log(`${LABELS} label commits: ${syncs} fsync/fdatasync calls`);
    assert.ok(syncs >= LABELS, `${syncs} syncs for ${LABELS} acknowledged labels`);
  });
});
