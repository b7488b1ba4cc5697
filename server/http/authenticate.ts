/**
 * Who is calling: a Bearer token (verified by jose, see auth/tokens.ts), or the cookie session a
 * browser got at POST /session (EventSource cannot send headers). The cookie holds a session id
 * kept server-side, never a token. Writes made with the cookie must echo the CSRF token in
 * `X-CSRF-Token` (double submit, derived from the session id).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { createSessions } from '../auth/sessions.ts';
import { createTokenVerifier, type HttpRole, type Principal, type TokenCheck } from '../auth/tokens.ts';
import type { AppDeps, AppEnv, AuthDeps, Credential } from './deps.ts';
import { HttpProblem } from './problems.ts';
import { createStreamGate } from './streams.ts';

export const SESSION_COOKIE = 'arbiter_session';
export const CSRF_COOKIE = 'arbiter_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** Tokens, sessions and stream limits from the service's configuration. */
export function createAuth(deps: Pick<AppDeps, 'service' | 'keys'>): AuthDeps {
  const { config, store } = deps.service;
  return {
    verifyToken: createTokenVerifier({ keys: deps.keys, jwksUrl: config.auth.jwksUrl, maxLifetimeSeconds: config.auth.tokenMaxLifetimeSeconds }),
    sessions: createSessions(store, { sessionSeconds: config.auth.sessionSeconds }),
    streams: createStreamGate({ max: config.edge.streamsMax, perPrincipal: config.edge.streamsPerPrincipal, retryAfterSeconds: 10 }),
  };
}

function sameToken(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A refused token as its problem: 401, or 503 when its keys could not even be fetched. */
export function tokenProblem(check: Extract<TokenCheck, { ok: false }>): HttpProblem {
  return check.unavailable ? new HttpProblem('keys-unavailable', check.reason, { retryAfter: 5 }) : new HttpProblem('unauthorized', check.reason);
}

/** Requires credentials (401 otherwise) and puts the principal on the context. */
export function authenticate(deps: Pick<AuthDeps, 'verifyToken' | 'sessions'>) {
  return createMiddleware<AppEnv>(async function authenticate(c, next) {
    const header = c.req.header('authorization');
    let principal: Principal;
    let credential: Credential;
    if (header !== undefined) {
      const match = /^Bearer +([\w.~+/=-]{1,8192})$/i.exec(header);
      if (!match) throw new HttpProblem('unauthorized', 'the Authorization header must read: Bearer <token>');
      const check = await deps.verifyToken(match[1]!);
      if (!check.ok) throw tokenProblem(check);
      principal = check.principal;
      credential = { kind: 'bearer', expiresAt: check.expiresAt };
    } else {
      const id = getCookie(c, SESSION_COOKIE);
      if (!id) throw new HttpProblem('unauthorized', 'no credentials: send Authorization: Bearer <token>, or sign in at POST /session');
      const session = await deps.sessions.resolve(id);
      if (!session) throw new HttpProblem('unauthorized', 'the session has ended (signed out or expired): sign in again');
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        const sent = c.req.header(CSRF_HEADER);
        if (!sent || !sameToken(sent, session.csrfToken)) {
          throw new HttpProblem('csrf-token-missing', `writes with the session cookie need the ${CSRF_COOKIE} cookie's value in ${CSRF_HEADER}`);
        }
      }
      principal = session.principal;
      credential = { kind: 'session', id, expiresAt: session.expiresAt };
    }
    c.set('principal', principal);
    c.set('viaCookie', credential.kind === 'session');
    c.set('credential', credential);
    await next();
  });
}

/** Whether the caller's credential still holds now (a stream asks at every heartbeat). */
export async function stillValid(deps: Pick<AuthDeps, 'sessions'>, credential: Credential, nowMs = Date.now()): Promise<boolean> {
  if (credential.expiresAt <= nowMs) return false;
  return credential.kind === 'bearer' || (await deps.sessions.resolve(credential.id, nowMs)) !== undefined;
}

/** 403 unless the caller has one of the roles. */
export function requireRole(c: Pick<Context<AppEnv>, 'get'>, roles: readonly HttpRole[], what: string): Principal {
  const principal = c.get('principal');
  if (!roles.includes(principal.role)) throw new HttpProblem('forbidden', `${what} is for ${roles.join(', ')}; you are ${principal.role}`);
  return principal;
}
