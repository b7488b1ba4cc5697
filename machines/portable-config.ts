/**
 * The dispute chart's own config as plain data, for Stately's tools: `npm run diagrams` writes it
 * into `diagrams/dispute.stately.js` for Stately's editor to import, and the Stately bridge sends it
 * to Stately's inspector as the machine's definition. Read from `disputeMachine.config`, never
 * written by hand: states, their descriptions, tags and meta, transitions with their targets,
 * guards and actions by name (a parametrized one keeps its parameters). What is code is named or
 * left out: a composite guard becomes the name of its parts (`isAssignedAgent && decisionIsValid`,
 * as the diagrams show it), parameters computed by a function are dropped (the action keeps its
 * name), and the context, computed from the opening request, is left out.
 */
import { guardName } from './describe.ts';
import { disputeMachine } from './dispute.ts';

export type Portable = string | number | boolean | null | Portable[] | { [key: string]: Portable };
export type PortableConfig = { id: string; initial: string; states: Record<string, Portable> } & { [key: string]: Portable };

/** The keys whose functions are dropped rather than named: the machine's computed context, an action's computed parameters. */
const computed = new Set(['context', 'params']);

function portable(value: unknown, key: string, path: string): Portable | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') {
    if (key === 'guard') return guardName(value);
    if (computed.has(key)) return undefined;
    if (value.name) return value.name;
    throw new Error(`${path} is an unnamed function: name it in the chart's setup() so the chart stays portable`);
  }
  if (Array.isArray(value)) return value.map((item, i) => portable(item, key, `${path}[${i}]`) ?? null);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).flatMap(([k, v]) => {
      const converted = portable(v, k, `${path}.${k}`);
      return converted === undefined ? [] : [[k, converted] as const];
    });
    return Object.fromEntries(entries);
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  throw new Error(`${path} holds a ${typeof value}, which has no place in a portable chart`);
}

/** A chart's config as plain data (the dispute chart's unless another is given, as tests do). */
export function portableConfig(chart: { config: unknown; id: string } = disputeMachine): PortableConfig {
  return portable(chart.config, '', chart.id) as PortableConfig;
}
