import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net',
  'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

/**
 * Process boundaries, checked on every import (see DESIGN.md):
 * - src/shared: no Node, no DOM, nothing from main or renderer;
 * - only src/main/doors/electron may import 'electron';
 * - the renderer reaches the back end only through the contract.
 */
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', '**/*.svelte', 'src/main/core/selection/wasm/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/doors/electron may import electron.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins].map((name) => ({ name, message: 'src/shared must stay free of Node and Electron.' })),
          patterns: [
            { group: ['node:*'], message: 'src/shared must stay free of Node.' },
            { group: ['**/main/**', '**/renderer/**', '../main*', '../renderer*'], message: 'src/shared imports nothing from main or renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.ts'],
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
  {
    files: ['src/main/doors/electron/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
