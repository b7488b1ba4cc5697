import { stages, type MachineDescription } from '../machines/index.ts';

/**
 * The README's table of lifecycle stages: for each stage, the states that carry it, read from
 * the chart's tags. Transient states, which a dispute never rests in, are named only for a stage
 * that has no other.
 */
export function stageTable(machine: MachineDescription): string {
  const leaves = machine.states.filter((s) => s.stage !== null && !machine.states.some((c) => c.parent === s.path));
  const rows = stages.map((stage) => {
    const mine = leaves.filter((s) => s.stage === stage);
    const resting = mine.filter((s) => !s.transient).map((s) => `\`${s.path}\``);
    // A stage only passed through (the opening check) still names its state.
    const cells = resting.length > 0 ? resting : mine.map((s) => `\`${s.path}\` (left at once)`);
    return `| \`${stage}\` | ${cells.join(', ')} |`;
  });
  return ['| Stage | States |', '|---|---|', ...rows].join('\n') + '\n';
}
