/** Inspector sessions and one-time sign-in codes on SQLite (rows keyed by the hash of the secret). */
import type { SessionRecord } from '../store.ts';
import type { Sqlite } from './connection.ts';

export type SessionOp =
  | { kind: 'create'; record: Omit<SessionRecord, 'revokedAt'> }
  | { kind: 'revoke'; idHash: string; at: string }
  | { kind: 'redeem'; codeHash: string; at: string; session: { idHash: string; expiresAt: string } }
  | { kind: 'purge'; before: string };

const columns = 'id_hash as idHash, kind, role, sub, created_at as createdAt, expires_at as expiresAt, revoked_at as revokedAt';

export function sessionReads(c: Sqlite) {
  const one = c.prepare(`select ${columns} from sessions where id_hash = ?`);
  return { getSession: (idHash: string) => one.get(idHash) as SessionRecord | undefined };
}

export function sessionWrites(c: Sqlite) {
  const insert = c.prepare(
    'insert into sessions (id_hash, kind, role, sub, created_at, expires_at) values (@idHash, @kind, @role, @sub, @createdAt, @expiresAt)',
  );
  const revoke = c.prepare('update sessions set revoked_at = ? where id_hash = ? and revoked_at is null');
  // Using a code up is the guard: only the redeemer whose update changed the row gets a session.
  const useCode = c.prepare("update sessions set revoked_at = ? where id_hash = ? and kind = 'code' and revoked_at is null and expires_at > ?");
  const one = c.prepare(`select ${columns} from sessions where id_hash = ?`);
  const purge = c.prepare('delete from sessions where expires_at < ?');

  function redeem(codeHash: string, at: string, session: { idHash: string; expiresAt: string }): SessionRecord | undefined {
    if (useCode.run(at, codeHash, at).changes === 0) return undefined;
    const code = one.get(codeHash) as SessionRecord;
    const record = { idHash: session.idHash, kind: 'session' as const, role: code.role, sub: code.sub, createdAt: at, expiresAt: session.expiresAt };
    insert.run(record);
    return { ...record, revokedAt: null };
  }

  return {
    apply(op: SessionOp): unknown {
      switch (op.kind) {
        case 'create':
          return insert.run(op.record).changes;
        case 'revoke':
          return revoke.run(op.at, op.idHash).changes > 0;
        case 'redeem':
          return redeem(op.codeHash, op.at, op.session);
        case 'purge':
          return purge.run(op.before).changes;
      }
    },
  };
}
