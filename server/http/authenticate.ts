/**
 * Who is calling: a Bearer token, or the cookie session a browser got by exchanging one
 * (EventSource cannot send headers). Writes made with the cookie must echo the CSRF cookie in
 * `X-CSRF-Token` (double submit, bound to the session by an HMAC).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './deps.ts';
import { HttpProblem } from './problems.ts';
import { verifyToken, type HttpRole, type KeyRing, type Principal } from '../auth/tokens.ts';

export const SESSION_COOKIE = 'arbiter_session';
export const CSRF_COOKIE = 'arbiter_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** The CSRF token of a session: derived from it, so nothing is stored server-side. */
export function csrfTokenFor(keys: KeyRing, sessionToken: string): string {
  return createHmac('sha256', keys[0]!.secret).update(`csrf:${sessionToken}`).digest('base64url');
}

function sameToken(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Requires credentials (401 otherwise) and puts the principal on the context. */
export function authenticate(keys: KeyRing) {
  return createMiddleware<AppEnv>(async function authenticate(c, next) {
    const header = c.req.header('authorization');
    let token: string | undefined;
    let viaCookie = false;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new HttpProblem('unauthorized', 'the Authorization header must read: Bearer <token>');
      token = match[1];
    } else {
      token = getCookie(c, SESSION_COOKIE);
      viaCookie = token !== undefined;
    }
    if (!token) throw new HttpProblem('unauthorized', 'no credentials: send Authorization: Bearer <token>, or sign in at POST /session');
    const check = verifyToken(keys, token);
    if (!check.ok) throw new HttpProblem('unauthorized', check.reason);
    if (viaCookie && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !sameToken(sent, csrfTokenFor(keys, token))) {
        throw new HttpProblem('csrf-token-missing', `writes with the session cookie need the ${CSRF_COOKIE} cookie's value in ${CSRF_HEADER}`);
      }
    }
    c.set('principal', check.principal);
    c.set('viaCookie', viaCookie);
    await next();
  });
}

/** 403 unless the caller has one of the roles. */
export function requireRole(c: Pick<Context<AppEnv>, 'get'>, roles: readonly HttpRole[], what: string): Principal {
  const principal = c.get('principal');
  if (!roles.includes(principal.role)) throw new HttpProblem('forbidden', `${what} is for ${roles.join(', ')}; you are ${principal.role}`);
  return principal;
}
