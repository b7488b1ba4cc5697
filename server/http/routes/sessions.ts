/**
 * Browser sessions (EventSource cannot send headers): a token, or the one-time code of a
 * sign-in link, is exchanged by POST for an HttpOnly cookie holding a server-side session id.
 * Signing out revokes that id, so the cookie is worthless from then on, wherever a copy went.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Session } from '../../auth/sessions.ts';
import { authenticate, CSRF_COOKIE, SESSION_COOKIE, tokenProblem } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { jsonBody, limitBody } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { SessionBody } from '../schemas.ts';

function signedIn(c: Context<AppEnv>, session: Session) {
  const maxAge = Math.max(1, Math.floor((session.expiresAt - Date.now()) / 1000));
  const secure = new URL(c.req.url).protocol === 'https:';
  setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge, secure });
  setCookie(c, CSRF_COOKIE, session.csrfToken, { httpOnly: false, sameSite: 'Strict', path: '/', maxAge, secure });
  const { role, sub } = session.principal;
  return c.json({ role, sub, expiresAt: new Date(session.expiresAt).toISOString(), csrfToken: session.csrfToken }, 201);
}

export function sessionRoutes(deps: FullDeps) {
  const { sessions, verifyToken } = deps;
  const auth = authenticate(deps);
  return new Hono<AppEnv>()
    .post('/session', limitBody(8 * 1024), jsonBody(SessionBody), async (c) => {
      const body = c.req.valid('json');
      if ('code' in body) {
        const session = await sessions.redeem(body.code);
        if (!session) throw new HttpProblem('unauthorized', 'this sign-in code is unknown, used already or expired: ask for a new link');
        return signedIn(c, session);
      }
      const check = await verifyToken(body.token);
      if (!check.ok) throw tokenProblem(check);
      return signedIn(c, await sessions.fromToken(check.principal, check.expiresAt));
    })
    .get('/session', auth, (c) => c.json({ ...c.get('principal'), via: c.get('viaCookie') ? 'cookie' : 'bearer' }))
    .delete('/session', auth, async (c) => {
      const credential = c.get('credential');
      if (credential.kind === 'session') await sessions.revoke(credential.id);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.body(null, 204);
    });
}
