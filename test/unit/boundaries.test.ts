import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/cli';

/** The lint rule that keeps process boundaries honest really refuses crossings (DESIGN.md). */
const eslint = new ESLint({ cwd: repoRoot });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('src/shared may not import Node, Electron, main or renderer', async () => {
  assert.equal((await problems('src/shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).length, 1);
  assert.equal((await problems('src/shared/x.ts', "import path from 'path';\nexport const a = path;\n")).length, 1);
  assert.equal((await problems('src/shared/x.ts', "import { Project } from '../main/store/project';\nexport const a = Project;\n")).length, 1);
  assert.equal((await problems('src/shared/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).length, 0);
});

test('only src/main/doors/electron may import electron', async () => {
  assert.equal((await problems('src/main/doors/server/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).length, 1);
  assert.equal((await problems('src/main/doors/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).length, 0);
});

test('the renderer reaches the back end only through the contract', async () => {
  assert.equal((await problems('src/renderer/lib/x.ts', "import { Session } from '../../main/app/session';\nexport const a = Session;\n")).length, 1);
  assert.equal((await problems('src/renderer/lib/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).length, 1);
  assert.equal((await problems('src/renderer/lib/x.ts', "import { requests } from '../../shared/contract';\nexport const a = requests;\n")).length, 0);
});
