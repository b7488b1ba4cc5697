/**
 * The outbox on SQLite: effects written by the step, carried out after commit by the
 * dispatcher, each attempt logged. Order is kept per (dispute, channel): a row waits while an
 * earlier one of its channel is pending or dead.
 */
import { outboxRecord, type RawOutbox } from '../rows.ts';
import type { DeliveryAttempt, OutboxEntry, OutboxStatus } from '../store.ts';
import type { Sqlite } from './connection.ts';

export function outboxReads(c: Sqlite) {
  const ofDispute = c.prepare('select * from outbox where dispute_id = ? order by id');
  const one = c.prepare('select * from outbox where id = ?');
  const attempts = c.prepare(
    'select attempt, at, ok, status_code as statusCode, error, duration_ms as durationMs from delivery_attempts where outbox_id = ? order by attempt',
  );
  const lists = new Map<string, ReturnType<typeof c.prepare>>();
  return {
    getOutbox: (disputeId: string) => (ofDispute.all(disputeId) as RawOutbox[]).map(outboxRecord),
    listOutbox(filter: { status?: OutboxStatus | undefined; disputeId?: string | undefined; limit: number }) {
      const where = [filter.status ? 'status = @status' : null, filter.disputeId ? 'dispute_id = @disputeId' : null].filter(Boolean);
      const text = `select * from outbox ${where.length ? `where ${where.join(' and ')}` : ''} order by id limit @limit`;
      let statement = lists.get(text);
      if (!statement) {
        statement = c.prepare(text);
        lists.set(text, statement);
      }
      return (
        statement.all({
          limit: filter.limit,
          ...(filter.status ? { status: filter.status } : {}),
          ...(filter.disputeId ? { disputeId: filter.disputeId } : {}),
        }) as RawOutbox[]
      ).map(outboxRecord);
    },
    getOutboxRow(id: number) {
      const row = one.get(id) as RawOutbox | undefined;
      return row && outboxRecord(row);
    },
    deliveryAttempts: (outboxId: number) =>
      (attempts.all(outboxId) as (Omit<DeliveryAttempt, 'ok'> & { ok: number })[]).map((a) => ({ ...a, ok: a.ok === 1 })) as DeliveryAttempt[],
  };
}

/** Writer-thread statements. */
export function outboxWrites(c: Sqlite) {
  const insert = c.prepare(
    `insert into outbox (dispute_id, seq, channel, kind, delivery_id, payload, next_attempt_at, created_at)
     values (@disputeId, @seq, @channel, @kind, @deliveryId, @payload, @at, @at)`,
  );
  // Log numbers keep growing across re-drives; `outbox.attempts` counts since the last one.
  const insertAttempt = c.prepare(
    `insert into delivery_attempts (outbox_id, attempt, at, ok, status_code, error, duration_ms)
     values (@outboxId, (select coalesce(max(attempt), 0) + 1 from delivery_attempts where outbox_id = @outboxId), @at, @ok, @statusCode, @error, @durationMs)`,
  );
  const update = c.prepare(
    'update outbox set status = @status, attempts = @attempts, next_attempt_at = @nextAttemptAt, last_error = @error, done_at = @doneAt where id = @id',
  );
  const redrive = c.prepare("update outbox set status = 'pending', attempts = 0, next_attempt_at = ?, last_error = null where id = ? and status = 'dead'");
  // Head of line per (dispute, channel): a later row waits while an earlier one is pending or
  // dead (until it is re-driven), so a channel's order holds across a dead letter.
  const heads = c.prepare(
    `select * from outbox o where o.status = 'pending' and o.next_attempt_at <= ? and o.channel >= ? and o.channel < ?
       and not exists (select 1 from outbox e where e.dispute_id = o.dispute_id and e.channel = o.channel and e.status in ('pending', 'dead') and e.id < o.id)
     order by o.id limit ?`,
  );
  const lease = c.prepare('update outbox set next_attempt_at = ? where id = ?');
  return {
    /** The effects of one step; `payload` is already JSON. */
    append(disputeId: string, at: string, entries: (Omit<OutboxEntry, 'payload'> & { payload: string })[]) {
      for (const e of entries) {
        insert.run({
          disputeId,
          seq: e.seq,
          channel: e.channel ?? 'payments',
          kind: e.kind,
          deliveryId: e.deliveryId ?? `${disputeId}:${e.seq}:${e.kind}`,
          payload: e.payload,
          at,
        });
      }
    },
    recordAttempt(id: number, attempt: DeliveryAttempt, next: { status: OutboxStatus; nextAttemptAt: string; error: string | null }) {
      insertAttempt.run({
        outboxId: id,
        at: attempt.at,
        ok: attempt.ok ? 1 : 0,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
      });
      update.run({
        id,
        status: next.status,
        attempts: attempt.attempt,
        nextAttemptAt: next.nextAttemptAt,
        error: next.error,
        doneAt: next.status === 'done' ? attempt.at : null,
      });
    },
    redrive: (id: number, now: string) => redrive.run(now, id).changes === 1,
    /** Takes the heads of a lane, held until `leaseUntil` (raw rows: the caller parses them). */
    claim(now: string, limit: number, channelPrefix: string, leaseUntil: string) {
      const rows = heads.all(now, channelPrefix, `${channelPrefix}\uffff`, limit) as RawOutbox[];
      for (const row of rows) lease.run(leaseUntil, row.id);
      return rows;
    },
  };
}

// The store's index maps claimed rows with these names.
export { outboxRecord as toRow, type RawOutbox } from '../rows.ts';
