import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';
import layers from './scripts/eslint-layers.mjs';
import svelteConfig from './svelte.config.js';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net',
  'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

/**
 * Layers and what each MAY import (ARCHITECTURE.md explains them). Anything a
 * layer does not list is refused, and a file under src/main outside these
 * folders is refused as a whole. Arrows run down only:
 *   doors -> app -> stages -> store -> core -> shared.
 */
// Node's local modules: files, paths, threads, hashing. No network outside the server door.
const nodeLocal = ['node:fs', 'node:fs/promises', 'node:path', 'node:os', 'node:url', 'node:module', 'node:util', 'node:crypto', 'node:worker_threads'];
const shared = { layer: 'src/shared', may: ['src/shared/'], packages: ['zod'] };
const core = { layer: 'src/main/core', may: ['src/shared/', 'src/main/core/'], packages: [...nodeLocal, 'usearch'] };
const store = { layer: 'src/main/store', may: [...core.may, 'src/main/store/'], packages: [...nodeLocal, 'better-sqlite3'] };
const stages = {
  layer: 'src/main/stages',
  may: [...store.may, 'src/main/stages/'],
  // DICOM import: the parser, the JPEG Lossless decoder and zlib for deflated files (the wasm codecs load through node:module).
  packages: [...nodeLocal, 'zod', 'sharp', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'node:zlib', 'dicom-parser', 'jpeg-lossless-decoder-js'],
};
const app = { layer: 'src/main/app', may: [...stages.may, 'src/main/app/'], packages: [...nodeLocal, 'zod', 'sharp'] };
// Doors also name the user-facing error type they map to an exit code or HTTP
// status, and where the app's own files are (the renderer bundle, entry points).
const doorMay = ['src/shared/', 'src/main/app/', 'src/main/core/errors', 'src/main/core/runtime/paths'];
// `farpoint serve` opens the server door.
const cli = { layer: 'src/main/doors/cli', may: [...doorMay, 'src/main/doors/cli/', 'src/main/doors/server/web-server'], packages: [...nodeLocal, 'zod'] };
const server = { layer: 'src/main/doors/server', may: [...doorMay, 'src/main/doors/server/'], packages: [...nodeLocal, 'node:http', 'node:net'] };
const electron = { layer: 'src/main/doors/electron', may: [...doorMay, 'src/main/doors/electron/'], packages: [...nodeLocal, 'electron'] };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', '.venv-bench/**', 'src/main/core/selection/wasm/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    plugins: { layers },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/doors/electron may import electron.' }] }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
    rules: {
      // The UI keeps plain Maps and Sets for bookkeeping nobody renders (in-flight
      // ids, page caches) and replaces rendered collections wholesale under
      // $state.raw; SvelteMap/SvelteSet would make every lookup a dependency.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: { 'no-restricted-imports': 'off', 'layers/allowed-imports': ['error', shared] },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins].map((name) => ({ name, message: 'The renderer talks to the back end only through the contract.' })),
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node.' },
            { group: ['**/main/**', '../main*', '../../main*'], message: 'The renderer reaches the back end only through the contract (src/shared).' },
          ],
        },
      ],
    },
  },
  // src/main: the layer rule checks packages too, electron included.
  { files: ['src/main/**/*.ts'], rules: { 'no-restricted-imports': 'off', 'layers/allowed-imports': ['error', { layer: 'src/main', unlisted: true }] } },
  { files: ['src/main/core/**/*.ts'], rules: { 'layers/allowed-imports': ['error', core] } },
  { files: ['src/main/store/**/*.ts'], rules: { 'layers/allowed-imports': ['error', store] } },
  { files: ['src/main/stages/**/*.ts'], rules: { 'layers/allowed-imports': ['error', stages] } },
  { files: ['src/main/app/**/*.ts'], rules: { 'layers/allowed-imports': ['error', app] } },
  { files: ['src/main/doors/cli/**/*.ts'], rules: { 'layers/allowed-imports': ['error', cli] } },
  { files: ['src/main/doors/server/**/*.ts'], rules: { 'layers/allowed-imports': ['error', server] } },
  { files: ['src/main/doors/electron/**/*.ts'], rules: { 'layers/allowed-imports': ['error', electron] } },

  // No exceptions left: every file under src/main obeys its layer. A new one would be named here,
  // under a TODO with its reason, so the debt stays visible.
);
