import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeMachine } from '../machines/index.ts';
import { generatedFiles } from '../diagrams/generate.ts';
import { toMermaid } from '../diagrams/mermaid.ts';

describe('diagrams', () => {
  it('the committed diagrams and the README copy match the machine (run npm run diagrams)', () => {
    for (const [path, expected] of Object.entries(generatedFiles())) {
      expect(readFileSync(path, 'utf8'), `${path} is stale: run npm run diagrams`).toBe(expected);
    }
  });

  it('the Mermaid chart names every state and every transition that moves the dispute', () => {
    const machine = describeMachine();
    const mermaid = toMermaid(machine);
    for (const state of machine.states.filter((s) => s.parent !== null)) expect(mermaid).toMatch(new RegExp(`\\b${state.key}\\b`));
    for (const t of machine.transitions.filter((t) => t.targets.length > 0)) expect(mermaid).toContain(t.event ?? 'always');
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
  });
});
