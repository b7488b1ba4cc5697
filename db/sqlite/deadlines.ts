/**
 * Armed deadlines on SQLite, mirrored from each dispute's context by the step that armed or
 * disarmed them. The scheduler reads only the due ones, through the `deadlines_due` index.
 */
import type { DeadlineRow, DueDeadline } from '../store.ts';
import type { Sqlite } from './connection.ts';

/** The scheduler's query (exported for the test of its plan). */
export const dueDeadlinesSql =
  'select dispute_id as disputeId, name, event_type as eventType, due_at as dueAt, priority from deadlines where due_at <= ? order by due_at, priority limit ?';

export function deadlineReads(c: Sqlite) {
  const due = c.prepare(dueDeadlinesSql);
  const first = c.prepare('select min(due_at) from deadlines').pluck();
  const firstAfter = c.prepare('select min(due_at) from deadlines where due_at > ?').pluck();
  const ofDispute = c.prepare('select name, event_type as eventType, due_at as dueAt, priority from deadlines where dispute_id = ? order by due_at');
  return {
    dueDeadlines: (at: string, limit: number) => due.all(at, limit) as DueDeadline[],
    nextDeadlineAt: (after?: string) => ((after === undefined ? first.get() : firstAfter.get(after)) as string | null) ?? undefined,
    getDeadlines: (disputeId: string) => ofDispute.all(disputeId) as DeadlineRow[],
  };
}

/** Writer-thread statements. */
export function deadlineWrites(c: Sqlite) {
  const upsert = c.prepare(
    `insert into deadlines (dispute_id, name, event_type, due_at, priority) values (@disputeId, @name, @eventType, @dueAt, @priority)
     on conflict (dispute_id, name) do update set event_type = excluded.event_type, due_at = excluded.due_at, priority = excluded.priority`,
  );
  const remove = c.prepare('delete from deadlines where dispute_id = ? and name = ?');
  return {
    arm: (disputeId: string, rows: DeadlineRow[]) => {
      for (const row of rows) upsert.run({ ...row, disputeId });
    },
    disarm: (disputeId: string, names: string[]) => {
      for (const name of names) remove.run(disputeId, name);
    },
  };
}
