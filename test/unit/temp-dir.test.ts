import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, test } from 'node:test';
import { tempDir } from '../helpers/temp';

let early = '';
before(() => {
  early = tempDir();
});

/** A folder made in a before() hook is still there when the tests run (it was removed as the hook ended). */
test('a temporary folder made in before() lasts through the tests', () => {
  assert.ok(early && fs.existsSync(early), `${early} is gone`);
  assert.ok(fs.existsSync(tempDir()));
});
