// The ESLint rule behind the layer allow-lists in eslint.config.js (see ARCHITECTURE.md).
//
// Each layer says what it MAY import; everything else is refused:
//   'layers/allowed-imports': ['error', { layer: 'core', may: ['src/shared/', 'src/main/core/'], packages: ['usearch'] }]
// - `may`: repository paths a relative import may resolve into; an entry ending in
//   '/' is a folder, any other entry one module (written without its extension);
// - `packages`: package names a bare import may name ('node:fs' for Node's own
//   modules; a bare 'fs' counts as 'node:fs'; 'svelte' also admits 'svelte/store').
// With `unlisted: true` the file sits in no layer and is refused as a whole.
import { builtinModules } from 'node:module';
import path from 'node:path';

const builtins = new Set(builtinModules);

function packageOf(specifier) {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) ? `node:${specifier}` : name;
}

function stripExtension(file) {
  return file.replace(/\.(ts|js|mjs|svelte)$/, '');
}

function allowedPath(target, may) {
  return may.some((entry) => (entry.endsWith('/') ? target.startsWith(entry) : stripExtension(target) === entry));
}

function allowedPackage(specifier, packages) {
  const name = packageOf(specifier);
  return packages.some((entry) => entry === name || entry === specifier);
}

export const layerRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what its allow-list names (ARCHITECTURE.md).' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          may: { type: 'array', items: { type: 'string' } },
          packages: { type: 'array', items: { type: 'string' } },
          unlisted: { type: 'boolean' },
        },
        required: ['layer'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { layer, may = [], packages = [], unlisted = false } = context.options[0] ?? {};
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    if (unlisted) {
      return {
        Program(node) {
          context.report({ node, message: `${file} is in no layer: src/main holds only core/, store/, stages/, app/ and doors/ (ARCHITECTURE.md).` });
        },
      };
    }
    function check(node, source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const specifier = source.value;
      if (specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        if (!allowedPath(target, may)) {
          context.report({ node: source, message: `${layer} may not import ${target}: it may import only ${may.join(', ')} (ARCHITECTURE.md).` });
        }
      } else if (!allowedPackage(specifier, packages)) {
        context.report({ node: source, message: `${layer} may not import the package '${specifier}': its packages are ${packages.join(', ') || 'none'} (ARCHITECTURE.md).` });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { 'allowed-imports': layerRule } };
