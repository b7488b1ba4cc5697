/**
 * Deadlines, the outbox and evidence on PostgreSQL. Due deadlines and outbox heads are claimed
 * with `FOR UPDATE SKIP LOCKED` and held by a lease, so several instances share them: each is
 * fired or sent by one instance, and a claim held by a dead instance is taken over once its
 * lease runs out.
 */
import type pg from 'pg';
import type { DeadlineRow, DeliveryAttempt, DueDeadline, EvidenceRecord, OutboxStatus } from '../store.ts';
import { outboxRecord, type RawOutbox } from '../rows.ts';
import { inTransaction } from './connection.ts';

const deadlineColumns = 'dispute_id as "disputeId", name, event_type as "eventType", due_at as "dueAt", priority';
const evidenceColumns = `id, dispute_id as "disputeId", sha256, size, media_type as "mediaType", kind, uploader_role as "uploaderRole",
  uploader_id as "uploaderId", uploaded_at as "uploadedAt", display_name as "displayName", storage_key as "storageKey"`;

export function effectQueries(pool: pg.Pool) {
  return {
    async dueDeadlines(at: string, limit: number) {
      return (await pool.query<DueDeadline>(`select ${deadlineColumns} from deadlines where due_at <= $1 order by due_at, priority limit $2`, [at, limit]))
        .rows;
    },
    async claimDueDeadlines(at: string, limit: number, leaseUntil: string) {
      const { rows } = await pool.query<DueDeadline>(
        `update deadlines d set claimed_until = $3
         from (select dispute_id, name from deadlines where due_at <= $1 and (claimed_until is null or claimed_until <= $1)
               order by due_at, priority limit $2 for update skip locked) c
         where d.dispute_id = c.dispute_id and d.name = c.name
         returning d.dispute_id as "disputeId", d.name, d.event_type as "eventType", d.due_at as "dueAt", d.priority`,
        [at, limit, leaseUntil],
      );
      return rows.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.priority - b.priority);
    },
    async nextDeadlineAt(after?: string) {
      const { rows } = await pool.query<{ at: string | null }>(
        after === undefined ? 'select min(due_at) as at from deadlines' : 'select min(due_at) as at from deadlines where due_at > $1',
        after === undefined ? [] : [after],
      );
      return rows[0]?.at ?? undefined;
    },
    async getDeadlines(disputeId: string) {
      return (
        await pool.query<DeadlineRow>(
          'select name, event_type as "eventType", due_at as "dueAt", priority from deadlines where dispute_id = $1 order by due_at',
          [disputeId],
        )
      ).rows;
    },
    async discardDeadlines(disputeId: string, names: string[]) {
      await pool.query('delete from deadlines where dispute_id = $1 and name = any($2)', [disputeId, names]);
    },

    async getOutbox(disputeId: string) {
      return (await pool.query<RawOutbox>('select * from outbox where dispute_id = $1 order by id', [disputeId])).rows.map(outboxRecord);
    },
    async claimOutboxHeads(now: string, limit: number, channelPrefix: string, leaseUntil: string) {
      // Head of line per (dispute, channel): a later row waits while an earlier one is pending or dead.
      const { rows } = await pool.query<RawOutbox>(
        `update outbox o set next_attempt_at = $5
         from (select h.id from outbox h where h.status = 'pending' and h.next_attempt_at <= $1 and h.channel >= $2 and h.channel < $3
                 and not exists (select 1 from outbox e where e.dispute_id = h.dispute_id and e.channel = h.channel and e.status in ('pending', 'dead') and e.id < h.id)
               order by h.id limit $4 for update of h skip locked) c
         where o.id = c.id returning o.*`,
        [now, channelPrefix, `${channelPrefix}\uffff`, limit, leaseUntil],
      );
      return rows.map(outboxRecord).sort((a, b) => a.id - b.id);
    },
    async recordAttempt(id: number, attempt: DeliveryAttempt, next: { status: OutboxStatus; nextAttemptAt: string; error: string | null }) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `insert into delivery_attempts (outbox_id, attempt, at, ok, status_code, error, duration_ms)
           values ($1, (select coalesce(max(attempt), 0) + 1 from delivery_attempts where outbox_id = $1), $2, $3, $4, $5, $6)`,
          [id, attempt.at, attempt.ok, attempt.statusCode, attempt.error, attempt.durationMs],
        );
        await client.query('update outbox set status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, done_at = $6 where id = $1', [
          id,
          next.status,
          attempt.attempt,
          next.nextAttemptAt,
          next.error,
          next.status === 'done' ? attempt.at : null,
        ]);
      });
    },
    async listOutbox(filter: { status?: OutboxStatus | undefined; disputeId?: string | undefined; limit: number }) {
      const { rows } = await pool.query<RawOutbox>(
        'select * from outbox where ($1::text is null or status = $1) and ($2::text is null or dispute_id = $2) order by id limit $3',
        [filter.status ?? null, filter.disputeId ?? null, filter.limit],
      );
      return rows.map(outboxRecord);
    },
    async getOutboxRow(id: number) {
      const { rows } = await pool.query<RawOutbox>('select * from outbox where id = $1', [id]);
      return rows[0] && outboxRecord(rows[0]);
    },
    async deliveryAttempts(outboxId: number) {
      return (
        await pool.query<DeliveryAttempt>(
          'select attempt, at, ok, status_code as "statusCode", error, duration_ms as "durationMs" from delivery_attempts where outbox_id = $1 order by attempt',
          [outboxId],
        )
      ).rows;
    },
    async redrive(id: number, now: string) {
      return (
        (
          await pool.query("update outbox set status = 'pending', attempts = 0, next_attempt_at = $2, last_error = null where id = $1 and status = 'dead'", [
            id,
            now,
          ])
        ).rowCount === 1
      );
    },

    async listEvidence(disputeId: string) {
      return (await pool.query<EvidenceRecord>(`select ${evidenceColumns} from evidence where dispute_id = $1 order by uploaded_at, id`, [disputeId])).rows;
    },
    async getEvidence(disputeId: string, evidenceId: string) {
      return (await pool.query<EvidenceRecord>(`select ${evidenceColumns} from evidence where dispute_id = $1 and id = $2`, [disputeId, evidenceId])).rows[0];
    },
    async evidenceBySha(sha256: string) {
      return (await pool.query<EvidenceRecord>(`select ${evidenceColumns} from evidence where sha256 = $1 limit 1`, [sha256])).rows[0];
    },
  };
}
