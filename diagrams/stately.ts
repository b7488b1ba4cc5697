/**
 * The chart as code Stately's editor imports: one `createMachine({…})` call on the machine's
 * portable config (`machines/portable-config.ts`), formatted by Prettier with the project's
 * settings. Stately's docs ask for exactly this shape ("formatted as a createMachine() factory
 * function"; https://stately.ai/docs/import-from-code): an object literal, guards and actions
 * referenced by name.
 */
import { format, resolveConfig } from 'prettier';
import { disputeMachineVersion } from '../machines/index.ts';
import type { PortableConfig } from '../machines/portable-config.ts';

const header = (config: PortableConfig) =>
  [
    `// The ${config.id} statechart (machine version ${disputeMachineVersion}) for Stately's editor: in its Code panel, Import, then paste this file.`,
    '// Generated from machines/dispute.ts by `npm run diagrams`: do not edit. Guards and actions are named (their code is in',
    '// machines/chart/; a guard `a && b` needs both); the context, computed from the opening request, is left out.',
  ].join('\n');

export async function toStatelyImport(config: PortableConfig, path: string): Promise<string> {
  const options = (await resolveConfig(path)) ?? {};
  return format(`${header(config)}\ncreateMachine(${JSON.stringify(config)});\n`, { ...options, parser: 'babel', filepath: path });
}
