/**
 * The policy's settings, read from its schema (never listed by hand), and the ones a text names:
 * what people read must carry the numbers, not the names (`negotiation.sellerResponseDays`).
 */
import { z } from 'zod';
import { PolicySchema } from '../../machines/index.ts';

type JsonSchema = { properties?: Record<string, JsonSchema>; $defs?: Record<string, JsonSchema> };

/** Every setting of the policy schema as a dotted path, and the bare camel-case names of its parts. */
export function schemaSettings(): { paths: string[]; names: string[] } {
  const paths: string[] = [];
  const walk = (schema: JsonSchema, prefix: string) => {
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      paths.push(path);
      walk(child, path);
    }
  };
  const schema = z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  walk(schema.$defs?.Policy ?? schema, '');
  return { paths, names: [...new Set(paths.map((p) => p.split('.').at(-1)!))].filter((n) => /[A-Z]/.test(n)) };
}

/** The setting names a text shows (none may be there). */
export function settingsShown(text: string): string[] {
  const { paths, names } = schemaSettings();
  const dotted = (text.match(/\b[a-z]+\.[a-z][A-Za-z_.]+\b/g) ?? []).filter((token) => paths.includes(token.replace(/\.+$/, '')));
  const bare = names.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  return [...dotted, ...bare];
}
