/**
 * Requests derived from the OpenAPI document: values drawn from each operation's schemas
 * (mostly valid, so they reach deep into the handlers), then mutated often enough to probe every
 * refusal: a field dropped, one of the wrong type, an unknown one, hostile shapes, numbers that
 * are not safe integers, ids that cannot be ids. A seeded generator: a run is repeatable.
 */
import fc from 'fast-check';

type Schema = Record<string, unknown>;

/** mulberry32: small, seeded, good enough to pick among cases. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
export type Random = ReturnType<typeof seeded>;

const hostileStrings = [
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '\u202e',
  'x'.repeat(5000),
  '🧨',
  '__proto__',
  'null',
];
const hostileNumbers = [0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e-300, 4_000, 3_999];

export function createValueGenerator(document: { components: { schemas: Record<string, Schema> } }, random: Random, seed: number) {
  const junk = fc.sample(fc.jsonValue({ maxDepth: 3 }), { seed, numRuns: 500 });
  const resolve = (schema: Schema): Schema =>
    typeof schema.$ref === 'string' ? resolve(document.components.schemas[schema.$ref.split('/').at(-1)!] ?? {}) : schema;

  function string(schema: Schema): string {
    if (random.chance(0.1)) return random.pick(hostileStrings);
    if (schema.format === 'date-time' || /At$|Instant/.test(String(schema.title ?? '')))
      return new Date(Date.now() + random.int(-40, 40) * 86_400_000).toISOString();
    if (Array.isArray(schema.examples) && random.chance(0.5)) return String(random.pick(schema.examples));
    if (typeof schema.example === 'string' && random.chance(0.5)) return schema.example;
    const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
    const max = Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 40, min + 40);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_ ';
    return Array.from({ length: random.int(min, Math.max(min, max)) }, () => random.pick([...alphabet])).join('');
  }

  function number(schema: Schema, integer: boolean): number {
    if (random.chance(0.15)) return random.pick(hostileNumbers);
    const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
    const max = Math.min(typeof schema.maximum === 'number' ? schema.maximum : 10_000, min + 10_000);
    const value = min + random.next() * (max - min);
    return integer ? Math.floor(value) : value;
  }

  /** A value of the schema, valid most of the time. */
  function value(input: Schema, depth = 0): unknown {
    const schema = resolve(input);
    if (depth > 6) return null;
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum)) return random.chance(0.9) ? random.pick(schema.enum) : string({});
    const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
    if (variants) return value(random.pick(variants), depth + 1);
    const type = Array.isArray(schema.type) ? random.pick(schema.type as string[]) : schema.type;
    switch (type) {
      case 'string':
        return string(schema);
      case 'integer':
        return number(schema, true);
      case 'number':
        return number(schema, false);
      case 'boolean':
        return random.chance(0.5);
      case 'null':
        return null;
      case 'array': {
        const items = (schema.items as Schema | undefined) ?? {};
        return Array.from({ length: random.int(typeof schema.minItems === 'number' ? schema.minItems : 0, 3) }, () => value(items, depth + 1));
      }
      case 'object':
      case undefined: {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const required = new Set((schema.required ?? []) as string[]);
        return Object.fromEntries(
          Object.entries(properties)
            .filter(([name]) => required.has(name) || random.chance(0.5))
            .map(([name, property]) => [name, value(property, depth + 1)]),
        );
      }
      default:
        return random.pick(junk);
    }
  }

  /** The value, then (sometimes) one mutation of the kind a careless or hostile client makes. */
  function mutated(schema: Schema): unknown {
    const base = value(schema);
    if (!random.chance(0.35) || typeof base !== 'object' || base === null || Array.isArray(base)) return random.chance(0.05) ? random.pick(junk) : base;
    const object = { ...(base as Record<string, unknown>) };
    const keys = Object.keys(object);
    switch (random.int(0, 7)) {
      case 0:
        if (keys.length) delete object[random.pick(keys)];
        return object;
      case 1:
        if (keys.length) object[random.pick(keys)] = random.pick(junk);
        return object;
      case 2:
        return { ...object, [string({})]: random.pick(junk) };
      case 3:
        return JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(object).slice(1)}`.replace(',}', '}')) as unknown;
      case 4: {
        let deep: unknown = 1;
        for (let i = 0; i < 20; i += 1) deep = { d: deep };
        return { ...object, deep };
      }
      case 5:
        if (keys.length) object[random.pick(keys)] = random.pick(hostileNumbers);
        return object;
      case 6:
        return random.pick(junk);
      default:
        return Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, i]));
    }
  }

  return { value, mutated, string: () => string({}), junk: () => random.pick(junk) };
}
