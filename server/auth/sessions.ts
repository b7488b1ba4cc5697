/**
 * Inspector sessions, kept server-side: the browser's cookie holds a random session id, never
 * a bearer token, so signing out ends the session for good (the row is revoked) and rotating a
 * token key leaves sessions alone. Sign-in links carry a one-time code instead of a token: the
 * inspector exchanges it by POST, once, for a session.
 *
 * The store keeps only the sha256 of each secret. Sessions live on real time, not the demo's
 * controllable clock: moving a dispute 30 days on must not sign anyone out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DisputeStore, SessionRecord } from '../../db/store.ts';
import { httpRoles, type HttpRole, type Principal } from './tokens.ts';

export interface Session {
  /** The secret the cookie carries. */
  id: string;
  principal: Principal;
  expiresAt: number;
  /** What writes made with the cookie must echo in X-CSRF-Token. */
  csrfToken: string;
}

export type Sessions = ReturnType<typeof createSessions>;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
const iso = (ms: number) => new Date(ms).toISOString();
/** Secrets this module makes are 43 characters; anything much longer is not one of them. */
const plausible = (secret: string) => secret.length >= 16 && secret.length <= 128;

/** The CSRF token of a session: derived from its id (one way), so nothing more is stored. */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`csrf:${sessionId}`).digest('base64url');
}

function principalOf(record: SessionRecord): Principal | undefined {
  return httpRoles.includes(record.role as HttpRole) ? { role: record.role as HttpRole, sub: record.sub } : undefined;
}

export function createSessions(store: DisputeStore, options: { sessionSeconds: number }) {
  const lifetimeMs = options.sessionSeconds * 1000;
  const sessionOf = (id: string, principal: Principal, expiresAt: number): Session => ({ id, principal, expiresAt, csrfToken: csrfTokenFor(id) });

  return {
    /** A session for the holder of a verified token; it ends no later than the token. */
    async fromToken(principal: Principal, tokenExpiresAt: number, nowMs = Date.now()): Promise<Session> {
      const id = newSecret();
      const expiresAt = Math.min(tokenExpiresAt, nowMs + lifetimeMs);
      await store.createSession({
        idHash: hashOf(id),
        kind: 'session',
        role: principal.role,
        sub: principal.sub,
        createdAt: iso(nowMs),
        expiresAt: iso(expiresAt),
      });
      return sessionOf(id, principal, expiresAt);
    },

    /** A one-time sign-in code for a link (`/inspect#code=…`), valid for `ttlSeconds`. */
    async issueCode(principal: Principal, ttlSeconds: number, nowMs = Date.now()): Promise<string> {
      const code = newSecret();
      await store.createSession({
        idHash: hashOf(code),
        kind: 'code',
        role: principal.role,
        sub: principal.sub,
        createdAt: iso(nowMs),
        expiresAt: iso(nowMs + ttlSeconds * 1000),
      });
      return code;
    },

    /** Uses a code up and returns the session it became; undefined if unknown, used or expired. */
    async redeem(code: string, nowMs = Date.now()): Promise<Session | undefined> {
      if (!plausible(code)) return undefined;
      const id = newSecret();
      const expiresAt = nowMs + lifetimeMs;
      const record = await store.redeemSignInCode(hashOf(code), iso(nowMs), { idHash: hashOf(id), expiresAt: iso(expiresAt) });
      const principal = record && principalOf(record);
      return principal ? sessionOf(id, principal, expiresAt) : undefined;
    },

    /** The session a cookie names, if it still holds. */
    async resolve(id: string, nowMs = Date.now()): Promise<Session | undefined> {
      if (!plausible(id)) return undefined;
      const record = await store.getSession(hashOf(id));
      if (!record || record.kind !== 'session' || record.revokedAt !== null || Date.parse(record.expiresAt) <= nowMs) return undefined;
      const principal = principalOf(record);
      return principal ? sessionOf(id, principal, Date.parse(record.expiresAt)) : undefined;
    },

    /** Signs out: the id never works again. */
    async revoke(id: string, nowMs = Date.now()): Promise<boolean> {
      return plausible(id) ? store.revokeSession(hashOf(id), iso(nowMs)) : false;
    },
  };
}
