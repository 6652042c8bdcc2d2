import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/cli';

/** The lint rules that keep process boundaries and layers honest really refuse crossings (ARCHITECTURE.md). */
const eslint = new ESLint({ cwd: repoRoot });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'layers/allowed-imports').map((m) => m.message);
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

/** One import each layer must refuse and one it must accept. */
const layerCases: { layer: string; file: string; refused: string; accepted: string }[] = [
  { layer: 'core', file: 'src/main/core/x.ts', refused: "import { Db } from '../store/database';", accepted: "import { FarpointError } from './errors';" },
  { layer: 'core (packages)', file: 'src/main/core/x.ts', refused: "import sharp from 'sharp';", accepted: "import { Worker } from 'node:worker_threads';" },
  { layer: 'store', file: 'src/main/store/x.ts', refused: "import { embedSamples } from '../stages/embed/embed';", accepted: "import { seededRandom } from '../core/random';" },
  { layer: 'store (packages)', file: 'src/main/store/x.ts', refused: "import * as tf from '@tensorflow/tfjs';", accepted: "import Database from 'better-sqlite3';" },
  { layer: 'stages', file: 'src/main/stages/train/x.ts', refused: "import { Session } from '../../app/session';", accepted: "import { Project } from '../../store/project';" },
  { layer: 'stages (packages)', file: 'src/main/stages/train/x.ts', refused: "import Database from 'better-sqlite3';", accepted: "import * as tf from '@tensorflow/tfjs';" },
  { layer: 'app', file: 'src/main/app/x.ts', refused: "import { runCli } from '../doors/cli/run-cli';", accepted: "import { importFolder } from '../stages/import/import-folder';" },
  { layer: 'doors', file: 'src/main/doors/server/x.ts', refused: "import { Project } from '../../store/project';", accepted: "import { Session } from '../../app/session';" },
  { layer: 'doors (a stage)', file: 'src/main/doors/cli/x.ts', refused: "import { trainAutoencoder } from '../../stages/train/train';", accepted: "import { requests } from '../../../shared/contract';" },
  { layer: 'doors (packages)', file: 'src/main/doors/server/x.ts', refused: "import Database from 'better-sqlite3';", accepted: "import http from 'node:http';" },
];

for (const { layer, file, refused, accepted } of layerCases) {
  test(`${layer}: imports only what its allow-list names`, async () => {
    assert.equal((await problems(file, `${refused}\nexport const a = 1;\n`)).length, 1, refused);
    assert.equal((await problems(file, `${accepted}\nexport const a = 1;\n`)).length, 0, accepted);
  });
}

test('src/shared imports zod only', async () => {
  assert.equal((await problems('src/shared/x.ts', "import { format } from 'd3';\nexport const a = format;\n")).length, 1);
});

test('a file under src/main outside the layers is refused', async () => {
  assert.equal((await problems('src/main/misc/x.ts', 'export const a = 1;\n')).length, 1);
});

test('.svelte files are linted with the renderer\'s rule', async () => {
  const component = (script: string) => `<script lang="ts">\n${script}\nconsole.log(a);\n</script>\n<p>x</p>\n`;
  assert.equal((await problems('src/renderer/views/X.svelte', component("import { Session as a } from '../../main/app/session';"))).length, 1);
  assert.equal((await problems('src/renderer/views/X.svelte', component("import { requests as a } from '../../shared/contract';"))).length, 0);
});
