/** Browser sessions: a token exchanged for an HttpOnly cookie session (EventSource cannot send headers). */
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { verifyToken } from '../../auth/tokens.ts';
import { authenticate, CSRF_COOKIE, csrfTokenFor, SESSION_COOKIE } from '../authenticate.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { jsonBody, limitBody } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { SessionBody } from '../schemas.ts';

export function sessionRoutes(deps: AppDeps) {
  const { keys } = deps;
  const auth = authenticate(keys);
  return new Hono<AppEnv>()
    .post('/session', limitBody(8 * 1024), jsonBody(SessionBody), async (c) => {
      const { token } = c.req.valid('json');
      const check = verifyToken(keys, token);
      if (!check.ok) throw new HttpProblem('unauthorized', check.reason);
      const maxAge = Math.max(1, Math.floor((check.expiresAt - Date.now()) / 1000));
      const secure = new URL(c.req.url).protocol === 'https:';
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge, secure });
      const csrf = csrfTokenFor(keys, token);
      setCookie(c, CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'Strict', path: '/', maxAge, secure });
      return c.json({ role: check.principal.role, sub: check.principal.sub, expiresAt: new Date(check.expiresAt).toISOString(), csrfToken: csrf }, 201);
    })
    .get('/session', auth, (c) => c.json({ ...c.get('principal'), via: c.get('viaCookie') ? 'cookie' : 'bearer' }))
    .delete('/session', auth, (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.body(null, 204);
    });
}
