/**
 * Inspector sessions and one-time sign-in codes on PostgreSQL (rows keyed by the hash of the
 * secret), and idempotency keys remembered outside a step (a clock move).
 */
import type pg from 'pg';
import type { IdempotencyRecord, SessionRecord } from '../store.ts';

const columns = 'id_hash as "idHash", kind, role, sub, created_at as "createdAt", expires_at as "expiresAt", revoked_at as "revokedAt"';

export function sessionQueries(pool: pg.Pool) {
  return {
    async createSession(record: Omit<SessionRecord, 'revokedAt'>) {
      await pool.query('insert into sessions (id_hash, kind, role, sub, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)', [
        record.idHash,
        record.kind,
        record.role,
        record.sub,
        record.createdAt,
        record.expiresAt,
      ]);
    },
    async getSession(idHash: string) {
      return (await pool.query<SessionRecord>(`select ${columns} from sessions where id_hash = $1`, [idHash])).rows[0];
    },
    async revokeSession(idHash: string, at: string) {
      return ((await pool.query('update sessions set revoked_at = $2 where id_hash = $1 and revoked_at is null', [idHash, at])).rowCount ?? 0) > 0;
    },
    /** One statement: the code is used up and its session written together, or neither. */
    async redeemSignInCode(codeHash: string, at: string, session: { idHash: string; expiresAt: string }) {
      const { rows } = await pool.query<SessionRecord>(
        `with used as (
           update sessions set revoked_at = $2 where id_hash = $1 and kind = 'code' and revoked_at is null and expires_at > $2 returning role, sub
         )
         insert into sessions (id_hash, kind, role, sub, created_at, expires_at) select $3, 'session', role, sub, $2, $4 from used
         returning ${columns}`,
        [codeHash, at, session.idHash, session.expiresAt],
      );
      return rows[0];
    },
    async purgeSessions(before: string) {
      return (await pool.query('delete from sessions where expires_at < $1', [before])).rowCount ?? 0;
    },
    async rememberIdempotency(record: IdempotencyRecord) {
      const inserted = await pool.query(
        `insert into idempotency_keys (caller, key, request_hash, status_code, dispute_id, version, created_at) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict do nothing`,
        [record.caller, record.key, record.requestHash, record.statusCode, record.disputeId, record.version, record.createdAt],
      );
      return (inserted.rowCount ?? 0) > 0;
    },
  };
}
