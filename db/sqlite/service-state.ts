/**
 * The service's own small state on SQLite: the controllable clock's offset (it only ever grows)
 * and the readiness probe's row. Also the queue depths metrics read.
 */
import type { Sqlite } from './connection.ts';

export function serviceStateReads(c: Sqlite) {
  const offset = c.prepare('select offset_ms from clock_state where id = 1').pluck();
  const count = (query: string) => c.prepare(query).pluck();
  const open = count('select count(*) from disputes where ended = 0');
  const queue = count('select count(*) from disputes where awaits_agent = 1');
  const due = count('select count(*) from deadlines where due_at <= ?');
  const pending = count("select count(*) from outbox where status = 'pending'");
  return {
    getClockOffset: () => (offset.get() as number | undefined) ?? 0,
    stats: (now: string) => ({
      disputesOpen: open.get() as number,
      agentQueue: queue.get() as number,
      deadlinesDue: due.get(now) as number,
      outboxPending: pending.get() as number,
    }),
  };
}

export function serviceStateWrites(c: Sqlite) {
  // The offset never moves backwards, whatever a caller asks.
  const setOffset = c.prepare(
    'insert into clock_state (id, offset_ms, updated_at) values (1, ?, ?) on conflict (id) do update set offset_ms = max(offset_ms, excluded.offset_ms), updated_at = excluded.updated_at',
  );
  const probe = c.prepare('insert into readiness (id, checked_at) values (1, ?) on conflict (id) do update set checked_at = excluded.checked_at');
  return {
    setClockOffset: (offsetMs: number) => setOffset.run(offsetMs, new Date().toISOString()),
    probeWrite: () => probe.run(new Date().toISOString()),
  };
}
