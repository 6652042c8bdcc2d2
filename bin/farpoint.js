#!/usr/bin/env node
// The `farpoint` command: runs the built CLI (dist/ is produced by `npm install`'s prepare step).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('farpoint: the CLI is not built yet; run `npm install` (or `npm run build`) in the Farpoint folder first\n');
  process.exit(1);
}
await import(built);
