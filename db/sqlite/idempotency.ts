/** Idempotency keys on SQLite: what a repeated request needs to be answered again. */
import type { IdempotencyRecord } from '../store.ts';
import type { Sqlite } from './connection.ts';

export function idempotencyReads(c: Sqlite) {
  const one = c.prepare(
    'select caller, key, request_hash as requestHash, status_code as statusCode, dispute_id as disputeId, version, created_at as createdAt from idempotency_keys where caller = ? and key = ?',
  );
  return { findIdempotent: (caller: string, key: string) => one.get(caller, key) as IdempotencyRecord | undefined };
}

export function idempotencyWrites(c: Sqlite) {
  const insert = c.prepare(
    'insert into idempotency_keys (caller, key, request_hash, status_code, dispute_id, version, created_at) values (@caller, @key, @requestHash, @statusCode, @disputeId, @version, @createdAt)',
  );
  const purge = c.prepare('delete from idempotency_keys where created_at <= ?');
  const insertOnce = c.prepare(
    'insert into idempotency_keys (caller, key, request_hash, status_code, dispute_id, version, created_at) values (@caller, @key, @requestHash, @statusCode, @disputeId, @version, @createdAt) on conflict do nothing',
  );
  return {
    remember: (record: IdempotencyRecord) => insert.run(record),
    rememberOnce: (record: IdempotencyRecord) => insertOnce.run(record).changes > 0,
    purge: (before: string) => purge.run(before).changes,
  };
}
