/**
 * `npm run verify [-- path/to/arbiter.db]`: rebuilds every dispute from its input and history
 * and compares the result with the stored snapshot and deadline rows. Exit code 1 on any
 * divergence, with the dispute and the first difference named.
 */
import { fileURLToPath } from 'node:url';
import { persistSnapshot, UnsupportedMachineVersion } from '../machines/index.ts';
import { openSqliteStore, type DisputeStore } from '../db/store.ts';
import { deadlineChanges, replay, restore } from './step.ts';

export interface Divergence {
  disputeId: string;
  problem: string;
}

export async function verifyStore(store: DisputeStore): Promise<{ checked: number; divergences: Divergence[] }> {
  const divergences: Divergence[] = [];
  const ids = await store.listDisputeIds();
  for (const disputeId of ids) {
    const record = (await store.getDispute(disputeId))!;
    const history = await store.getHistory(disputeId);
    try {
      if (history.length !== record.version || history.some((row, i) => row.seq !== i + 1)) {
        divergences.push({ disputeId, problem: `history has ${history.length} rows with gaps or a count other than version ${record.version}` });
        continue;
      }
      const rebuilt = replay(record.input, history);
      const stored = restore(record);
      if (JSON.stringify(persistSnapshot(rebuilt)) !== JSON.stringify(persistSnapshot(stored))) {
        divergences.push({ disputeId, problem: `replaying the history gives ${JSON.stringify(rebuilt.value)}, the stored snapshot is ${JSON.stringify(stored.value)} (or their contexts differ)` });
        continue;
      }
      const rows = await store.getDeadlines(disputeId);
      const asRows = deadlineChanges(null, stored).arm.map((d) => `${d.name}@${d.dueAt}`).sort();
      const actual = rows.map((d) => `${d.name}@${d.dueAt}`).sort();
      if (JSON.stringify(asRows) !== JSON.stringify(actual)) {
        divergences.push({ disputeId, problem: `deadline rows ${actual.join(', ') || '(none)'} differ from the armed deadlines ${asRows.join(', ') || '(none)'}` });
      }
    } catch (error) {
      const problem = error instanceof UnsupportedMachineVersion ? error.message : `cannot be replayed: ${String(error)}`;
      divergences.push({ disputeId, problem });
    }
  }
  return { checked: ids.length, divergences };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? process.env.ARBITER_DB ?? 'data/arbiter.db';
  const store = openSqliteStore({ path });
  const { checked, divergences } = await verifyStore(store);
  await store.close();
  for (const d of divergences) console.error(`DIVERGES ${d.disputeId}: ${d.problem}`);
  console.log(`verify ${path}: ${checked} disputes checked, ${divergences.length} diverge`);
  process.exit(divergences.length > 0 ? 1 : 0);
}
