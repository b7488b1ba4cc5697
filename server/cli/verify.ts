/**
 * `npm run verify [-- path/to/arbiter.db]`: rebuilds every dispute from its input and history
 * and compares the result with the stored snapshot and deadline rows, a page of disputes at a
 * time. Exit code 1 on any divergence, with the dispute and the first difference named; 2 when
 * the database does not exist (it is never created by looking at it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compactSnapshot, UnsupportedMachineVersion } from '../../machines/index.ts';
import { openSqliteStore } from '../../db/sqlite/index.ts';
import type { DisputeStore } from '../../db/store.ts';
import { deadlineChanges, load, replay } from '../runtime/step.ts';

export interface Divergence {
  disputeId: string;
  problem: string;
}

async function verifyOne(store: DisputeStore, disputeId: string): Promise<string | null> {
  const record = await store.getDispute(disputeId);
  if (!record) return 'vanished while being verified';
  const history = await store.getHistory(disputeId);
  if (history.length !== record.version || history.some((row, i) => row.seq !== i + 1)) {
    return `history has ${history.length} rows with gaps or a count other than version ${record.version}`;
  }
  const stored = load(record).snapshot;
  const rebuilt = replay(record.input, history);
  // Compared as the store keeps them: the snapshot, with its input held apart.
  if (JSON.stringify(compactSnapshot(rebuilt)) !== JSON.stringify(compactSnapshot(stored))) {
    return `replaying the history gives ${JSON.stringify(rebuilt.value)}, the stored snapshot is ${JSON.stringify(stored.value)} (or their contexts differ)`;
  }
  const expected = deadlineChanges(null, stored)
    .arm.map((d) => `${d.name}@${d.dueAt}`)
    .sort();
  const actual = (await store.getDeadlines(disputeId)).map((d) => `${d.name}@${d.dueAt}`).sort();
  if (JSON.stringify(expected) !== JSON.stringify(actual))
    return `deadline rows ${actual.join(', ') || '(none)'} differ from the armed deadlines ${expected.join(', ') || '(none)'}`;
  return null;
}

export async function verifyStore(store: DisputeStore, pageSize = 500): Promise<{ checked: number; divergences: Divergence[] }> {
  const divergences: Divergence[] = [];
  let checked = 0;
  let after: { openedAt: string; id: string } | undefined;
  for (;;) {
    const page = await store.disputeIds(after, pageSize);
    if (page.length === 0) break;
    for (const { id: disputeId } of page) {
      checked += 1;
      try {
        const problem = await verifyOne(store, disputeId);
        if (problem) divergences.push({ disputeId, problem });
      } catch (error) {
        divergences.push({ disputeId, problem: error instanceof UnsupportedMachineVersion ? error.message : `cannot be replayed: ${String(error)}` });
      }
    }
    after = page.at(-1);
  }
  return { checked, divergences };
}

const usage = `usage: npm run verify [-- path/to/arbiter.db]

Rebuilds every dispute of the database from its input and history and compares it with the
stored snapshot and deadline rows. The path defaults to $ARBITER_DB or data/arbiter.db.
Exit code: 0 all agree, 1 a dispute diverges (each is named), 2 the database does not exist.`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = process.argv[2];
  if (arg === '--help' || arg === '-h') {
    console.log(usage);
    process.exit(0);
  }
  const path = arg ?? process.env.ARBITER_DB ?? 'data/arbiter.db';
  if (!existsSync(path)) {
    console.error(`verify: no database at ${path} (nothing was created)\n\n${usage}`);
    process.exit(2);
  }
  const store = await openSqliteStore({ path });
  const { checked, divergences } = await verifyStore(store);
  await store.close();
  for (const d of divergences) console.error(`DIVERGES ${d.disputeId}: ${d.problem}`);
  console.log(`verify ${path}: ${checked} disputes checked, ${divergences.length} diverge`);
  process.exit(divergences.length > 0 ? 1 : 0);
}
