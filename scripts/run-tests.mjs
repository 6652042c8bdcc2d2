// Runs Node's test runner over TypeScript test files (through tsx), in one
// process tree so the closing "# pass / # fail" lines cover the whole run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const suites = {
  unit: ['test/unit'],
  browser: ['test/browser'],
  electron: ['test/electron'],
  // The fuzzers live with the unit tests (small counts in CI) and run their full counts here too.
  soak: ['test/soak', 'test/unit/fuzz-web-server.test.ts', 'test/unit/fuzz-ipc-validators.test.ts'],
  // test/soak runs in 'all' with its small CI counts (FARPOINT_SOAK unset); npm run test:soak runs the full counts.
  all: ['test/unit', 'test/soak', 'test/browser', 'test/electron'],
};
const mode = process.argv[2] ?? 'all';
const filter = process.argv[3];
if (!suites[mode]) {
  console.error(`run-tests: unknown suite '${mode}' (${Object.keys(suites).join(', ')})`);
  process.exit(2);
}

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  if (fs.statSync(dir).isFile()) return [dir];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = suites[mode].flatMap(findTests).filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error(`run-tests: no test files for '${mode}'${filter ? ` matching '${filter}'` : ''}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, FARPOINT_CONFIG_DIR: process.env.FARPOINT_CONFIG_DIR ?? path.resolve('test-results/config') },
});
process.exit(result.status ?? 1);
