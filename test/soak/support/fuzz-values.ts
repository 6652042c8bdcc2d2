import { z } from 'zod';
import { requests, type RequestName } from '../../../src/shared/contract';
import type { SeededRandom } from './seeded-random';

/** Strings a hostile or buggy client sends: traversal, NUL, huge, numbers in disguise, prototype names. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x10',
  'null',
  'undefined',
  'true',
  '__proto__',
  'constructor',
  '../../../../../../etc/passwd',
  '..\\..\\..\\windows\\system32',
  '/etc/passwd',
  '/etc',
  '/proc/self/mem',
  '/dev/zero',
  'file:///etc/passwd',
  'a\u0000b',
  '%2e%2e%2f%2e%2e%2f',
  '\u202e\u0000\uffff\ud800',
  '𝕱𝖆𝖗𝖕𝖔𝖎𝖓𝖙',
  '<script>alert(1)</script>',
  "'; DROP TABLE annotations; --",
];

/** Numbers JSON can carry that break naive code (JSON has no NaN or Infinity: those travel as strings or null). */
export const hostileNumbers: readonly number[] = [
  -1, 0, -0, 0.5, -3600.5, 3601, 1e308, -1e308, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 99_999_999, 1e-300,
];

/** Paths used where a path is expected: none of them exists, so no request can act on a real file outside the test. */
export function missingPaths(sandbox: string): string[] {
  return [
    '/no-such-farpoint-folder/x.farpoint',
    '../../../../../../no-such-farpoint-folder/../no-such/x',
    `${sandbox}/../../no-such-farpoint-folder`,
    `${sandbox}/missing.farpoint`,
    '~/no-such.farpoint',
  ];
}

export function hostileValue(rng: SeededRandom, depth = 0): unknown {
  const kind = rng.int(0, depth > 2 ? 5 : 8);
  switch (kind) {
    case 0:
      return rng.pick(hostileStrings);
    case 1:
      return rng.pick(hostileNumbers);
    case 2:
      return rng.pick([null, true, false]);
    case 3:
      return 'x'.repeat(rng.pick([4097, 10_000, 200_000]));
    case 4:
      return rng.int(-1000, 1_000_000);
    case 5:
      return rng.next() * 1e6 - 5e5;
    case 6:
      return Array.from({ length: rng.int(0, 5) }, () => hostileValue(rng, depth + 1));
    case 7:
      // fromEntries defines own properties, so '__proto__' is a real key here.
      return Object.fromEntries(Array.from({ length: rng.int(0, 3) }, () => [rng.pick(['__proto__', 'constructor', 'id', 'path', 'x']), hostileValue(rng, depth + 1)]));
    default:
      return rng.pick([[], {}, [[[[[]]]]], { a: { b: { c: {} } } }]);
  }
}

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  const?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  minLength?: number;
};

/** 1 where allowed, else a value inside the schema's bounds (the middle of an open interval for reals). */
function numberInRange(schema: JsonSchema): number {
  const integer = schema.type === 'integer';
  const step = integer ? 1 : 1e-6;
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + step : -Infinity);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - step : Infinity);
  if (1 >= low && 1 <= high) return 1;
  if (integer) return Number.isFinite(low) ? Math.ceil(low) : Math.floor(high);
  return Number.isFinite(low) && Number.isFinite(high) ? (low + high) / 2 : Number.isFinite(low) ? low : high;
}

/** A plausible value for a JSON schema: the starting point that mutations make hostile. */
function exampleOf(schema: JsonSchema, safeString: string): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return exampleOf(schema.anyOf[0]!, safeString);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return numberInRange(schema);
    case 'string':
      return safeString;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => exampleOf(schema.items ?? {}, safeString));
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, exampleOf(value, safeString)]));
    default:
      return null;
  }
}

/** A template argument for every request, derived from its validator, so requests added later are fuzzed too. */
export function templateFor(name: RequestName): Record<string, unknown> {
  try {
    const schema = z.toJSONSchema(requests[name].arg as z.ZodType, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
    const value = exampleOf(schema, 'fuzz-name');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One hostile variant of a template: a field made hostile, removed or added, or the whole argument replaced. */
export function mutate(rng: SeededRandom, template: Record<string, unknown>): unknown {
  const keys = Object.keys(template);
  const arg: Record<string, unknown> = { ...template };
  const roll = rng.int(0, 9);
  if (roll <= 4 && keys.length > 0) arg[rng.pick(keys)] = hostileValue(rng);
  else if (roll === 5 && keys.length > 0) delete arg[rng.pick(keys)];
  // defineProperty, so that '__proto__' becomes a key that is really sent rather than this object's prototype.
  else if (roll === 6) Object.defineProperty(arg, rng.pick(['zzFuzz', '__proto__', 'constructor', 'toString', 'admin']), { value: hostileValue(rng), enumerable: true });
  else if (roll === 7) return hostileValue(rng);
  else if (roll === 8 && keys.length > 1) {
    for (const key of keys) if (rng.chance(0.5)) arg[key] = hostileValue(rng);
  } else return rng.pick([null, [], 'string', 42, true, [template]]);
  return arg;
}

/** True when some string inside `value` could name a real place outside the test's folder. */
export function mentionsAPath(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('/') || value.includes('\\') || value.includes('..') || value.startsWith('~');
  if (Array.isArray(value)) return value.some(mentionsAPath);
  if (value && typeof value === 'object') return Object.values(value).some(mentionsAPath);
  return false;
}
