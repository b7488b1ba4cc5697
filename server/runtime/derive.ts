/**
 * After an upgrade, disputes written before the derived columns existed (stage, who is awaited,
 * overdue-at, ...) get them from their snapshots, a page at a time, before the service answers.
 * One that cannot be restored (an unknown machine version) keeps them empty and is reported.
 */
import type { DisputeStore } from '../../db/store.ts';
import { standingOf } from '../../machines/index.ts';
import { load } from './step.ts';

export async function deriveMissingColumns(
  store: DisputeStore,
  onError: (disputeId: string, error: unknown) => void = () => {},
  pageSize = 500,
): Promise<number> {
  const failed = new Set<string>();
  let derived = 0;
  for (;;) {
    const records = (await store.underived(pageSize + failed.size)).filter((r) => !failed.has(r.id));
    if (records.length === 0) return derived;
    const rows = records.flatMap((record) => {
      try {
        return [{ id: record.id, version: record.version, columns: standingOf(load(record).snapshot) }];
      } catch (error) {
        failed.add(record.id);
        onError(record.id, error);
        return [];
      }
    });
    await store.writeDerived(rows);
    derived += rows.length;
  }
}
