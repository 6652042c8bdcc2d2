import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestNames, validateArg } from '../../src/shared/contract';
import { templateFor } from '../soak/support/fuzz-values';

/**
 * The Electron IPC path carries arguments by structured clone, which, unlike
 * JSON, can deliver NaN, Infinity, BigInt, Date, Map, typed arrays, sparse
 * arrays and cycles. The preload and the IPC binding use the same shared
 * validator (validateArg) as the web server; here it gets all of those.
 */
function exoticValues(): [string, unknown][] {
  const cycle: Record<string, unknown> = { id: 1 };
  cycle.self = cycle;
  return [
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['BigInt', 10n],
    ['Date', new Date(0)],
    ['Map', new Map([['id', 1]])],
    ['Set', new Set([1])],
    ['Uint8Array', new Uint8Array([1, 2, 3])],
    ['sparse array', [, 1]], // eslint-disable-line no-sparse-arrays
    ['null-prototype object', Object.assign(Object.create(null) as object, { id: 1 })],
    ['cycle', cycle],
    ['RegExp', /x/],
    ['Error', new Error('x')],
  ];
}

test('every field of every request refuses the values only structured clone carries, with a reason, never throwing', () => {
  let cases = 0;
  const underived: string[] = [];
  for (const name of requestNames) {
    const template = templateFor(name);
    // Cross-field rules (refine) cannot be read from the schema: such a request gets only the whole-argument cases.
    const derived = validateArg(name, structuredClone(template)).ok;
    if (!derived) underived.push(name);
    for (const [field, example] of derived ? Object.entries(template) : []) {
      if (example === null) continue;
      for (const [label, value] of exoticValues()) {
        const verdict = validateArg(name, structuredClone({ ...template, [field]: value }));
        cases++;
        assert.equal(verdict.ok, false, `${name}.${field} = ${label} was accepted`);
        if (!verdict.ok) assert.match(verdict.error, new RegExp(`^invalid argument for ${name}: `), `${name}.${field} = ${label}`);
      }
    }
    for (const [label, value] of exoticValues()) {
      if (label === 'null-prototype object') continue; // an object with the right keys is a fine argument, whatever its prototype
      const verdict = validateArg(name, structuredClone(value));
      cases++;
      // A request whose fields are all optional may take a key-less object as no argument; nothing of the value may reach the handler.
      const noArgument = validateArg(name, {});
      if (verdict.ok) assert.deepEqual(verdict.value, noArgument.ok ? noArgument.value : null, `${name}(${label}) was accepted as ${JSON.stringify(verdict.value)}`);
      else assert.match(verdict.error, new RegExp(`^invalid argument for ${name}`));
    }
  }
  console.log(`fuzz (IPC validators): ${cases} structured-clone cases over ${requestNames.length} requests; no valid template derived for: ${underived.join(', ') || 'none'}`);
  assert.ok(underived.length < requestNames.length / 2, `valid templates could be derived for too few requests (${underived.join(', ')})`);
});

test('NaN and infinities are refused where JSON could never carry them: angles, ids, ranks, page sizes', () => {
  for (const [name, arg] of [
    ['saveLabel', { sampleId: 1, angle: NaN }],
    ['saveLabel', { sampleId: 1, angle: Infinity }],
    ['saveLabel', { sampleId: NaN, angle: 1 }],
    ['saveLabel', { sampleId: 1, angle: 1, queueRank: -Infinity }],
    ['getSample', { id: Infinity }],
    ['listSamples', { limit: NaN }],
    ['setSampleStatus', { sampleIds: [1, NaN], status: 'excluded' }],
  ] as const) {
    const verdict = validateArg(name, structuredClone(arg));
    assert.equal(verdict.ok, false, `${name} ${String(Object.values(arg))}`);
  }
});
