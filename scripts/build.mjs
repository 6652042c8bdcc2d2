// Builds everything that runs outside the TypeScript loader: the Node CLI and
// compute worker, the Electron shell and preload, and the renderer.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const external = { packages: 'external' };
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', ...external };

fs.rmSync('dist/main', { recursive: true, force: true });
await build({
  ...common,
  format: 'esm',
  entryPoints: { cli: 'src/main/doors/cli/main.ts', 'compute-worker': 'src/main/app/jobs/compute-worker.ts', 'train-worker': 'src/main/stages/train/train-worker.ts', 'read-worker': 'src/main/stages/import/read-worker.ts' },
  outdir: 'dist/main',
  // Lazily imported job modules become chunks next to the entry points.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

if (fs.existsSync('src/main/doors/electron/main.ts')) {
  await build({ ...common, format: 'esm', entryPoints: { main: 'src/main/doors/electron/main.ts', 'utility-process': 'src/main/doors/electron/utility-process.ts' }, outdir: 'dist/electron', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
  // Sandboxed preloads must be a single CommonJS file.
  await build({ ...common, format: 'cjs', entryPoints: { preload: 'src/main/doors/electron/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'], packages: undefined });
}

execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
