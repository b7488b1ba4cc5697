/**
 * Security: tokens and sessions. Forged, confused, early, overlong and malformed tokens are 401
 * (never 500); RS256 / ES256 tokens verify against a JWKS served by a real server on 127.0.0.1;
 * the inspector cookie holds a server-side session id that signing out revokes, that survives a
 * restart and a key rotation, and that sign-in links reach only through a one-time code.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type GenerateKeyPairResult, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessions } from '../server/auth/sessions.ts';
import { createTokenVerifier, mintToken } from '../server/auth/tokens.ts';
import { defaultAuth, defaultEdge } from '../server/config.ts';
import { startHttp } from '../server/http/serve.ts';
import { startApi, testKeys, type Api } from './support/api.ts';
import { startTestService, tempDir } from './support/service.ts';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'buyer-ana', role: 'buyer', iat: now(), exp: now() + 600, ...extra });

let api: Api;
let jwks: Server;
let rsa: GenerateKeyPairResult;
let ec: GenerateKeyPairResult;

async function serveJwks(keys: JWK[]): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json` };
}

const signWith = (key: CryptoKey, alg: string, kid: string, body: Record<string, unknown> = claims()) =>
  new SignJWT(body).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
const hs = (body: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', kid: testKeys[0]!.kid }) =>
  new SignJWT(body).setProtectedHeader(header as { alg: string }).sign(new TextEncoder().encode(testKeys[0]!.secret));
/** A token with any header, HMAC-signed with any secret: what an attacker can make. */
function handmade(header: Record<string, unknown>, body: Record<string, unknown>, secret: string) {
  const input = `${b64(header)}.${b64(body)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const status = async (token: string) => (await api.request('GET', '/session', { headers: { authorization: `Bearer ${token}` } })).status;

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  ec = await generateKeyPair('ES256', { extractable: true });
  // The RSA key carries no "alg": its type alone must pin it to RS256.
  const { alg: _drop, ...rsaJwk } = { ...(await exportJWK(rsa.publicKey)), kid: 'idp-rsa' } as JWK;
  const served = await serveJwks([rsaJwk, { ...(await exportJWK(ec.publicKey)), kid: 'idp-ec', alg: 'ES256' }]);
  jwks = served.server;
  api = await startApi({ config: { auth: { ...defaultAuth, jwksUrl: served.url, sessionSeconds: 3600 } } });
});
afterAll(async () => {
  await api.stop();
  await new Promise((resolve) => jwks.close(resolve));
});

describe('tokens', () => {
  it('RS256 and ES256 tokens from the identity provider’s JWKS are accepted; HS256 keys still are', async () => {
    expect(await status(await signWith(rsa.privateKey, 'RS256', 'idp-rsa'))).toBe(200);
    expect(await status(await signWith(ec.privateKey, 'ES256', 'idp-ec'))).toBe(200);
    expect(await status(api.token('buyer', 'buyer-ana'))).toBe(200);
  });

  it('forgeries and algorithm confusion are 401', async () => {
    const other = await generateKeyPair('RS256');
    const sameKeyAsPss = (await importJWK({ ...(await exportJWK(rsa.privateKey)), alg: 'PS256' }, 'PS256')) as CryptoKey;
    const forged = [
      await signWith(other.privateKey, 'RS256', 'idp-rsa'), // a key the provider never published
      await signWith(sameKeyAsPss, 'PS256', 'idp-rsa'), // the right key, an algorithm it is not pinned to
      handmade({ alg: 'HS256', kid: 'idp-rsa' }, claims(), JSON.stringify(await exportJWK(rsa.publicKey))), // the public key as an HMAC secret
      handmade({ alg: 'RS256', kid: testKeys[0]!.kid }, claims(), testKeys[0]!.secret), // an HS key's kid claiming RS256
      handmade({ alg: 'HS512', kid: testKeys[0]!.kid }, claims(), testKeys[0]!.secret),
      `${b64({ alg: 'none', kid: testKeys[0]!.kid })}.${b64(claims())}.`,
      `${b64({ alg: 'none' })}.${b64(claims())}.`,
      mintToken([{ kid: testKeys[0]!.kid, secret: 'not-the-secret-0123456789abcdefghijkl' }], { role: 'admin', sub: 'me' }, 600),
    ];
    for (const token of forged) expect(await status(token), token).toBe(401);
  });

  it('a token verified once and remembered is refused once it expires, or at an instant before its nbf', async () => {
    const verify = createTokenVerifier({ keys: testKeys, maxLifetimeSeconds: 3600 });
    const t0 = Date.now();
    const token = await hs(claims({ nbf: now(), exp: now() + 60 }));
    expect(await verify(token, t0)).toMatchObject({ ok: true, principal: { role: 'buyer', sub: 'buyer-ana' } });
    expect(await verify(token, t0 + 1000)).toMatchObject({ ok: true });
    expect(await verify(token, t0 + 100_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) });
    expect(await verify(token, t0 - 120_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/nbf/) });
  });

  it('a token not yet valid, issued in the future, or living too long is 401, with the reason', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [claims({ nbf: now() + 3600 }), /nbf/],
      [claims({ iat: now() + 3600, exp: now() + 7200 }), /iat|future/],
      [claims({ exp: now() + 31 * 86_400 }), /longer than/],
      [claims({ iat: undefined, exp: now() + 40 * 86_400 }), /longer than/],
      [claims({ exp: now() - 120 }), /expired/],
      [{ sub: 'buyer-ana', role: 'buyer', iat: now() }, /claims/],
      [claims({ role: 'root' }), /claims/],
    ];
    for (const [body, reason] of cases) {
      const res = await api.request('GET', '/session', { headers: { authorization: `Bearer ${await hs(body)}` } });
      expect(res.status, JSON.stringify(body)).toBe(401);
      expect(res.body.detail).toMatch(reason);
    }
  });

  it('malformed headers and tokens are 401, never 500', async () => {
    const payload = b64(claims());
    const malformed = [
      `${b64('null')}.${payload}.sig`,
      `${b64('[]')}.${payload}.sig`,
      `${b64('"x"')}.${payload}.sig`,
      `${b64('{"alg":')}.${payload}.sig`,
      `${b64({ alg: 'HS256', kid: null })}.${payload}.sig`,
      `${b64({ alg: 'HS256', kid: { $ne: 1 } })}.${payload}.sig`,
      `${b64({ alg: 'HS256', kid: testKeys[0]!.kid, crit: ['exp'] })}.${payload}.sig`,
      `${b64({ alg: 'HS256', kid: testKeys[0]!.kid })}.${b64('null')}.sig`,
      `${b64({ alg: 'HS256', kid: testKeys[0]!.kid })}.%%%.sig`,
      'a.b',
      'a.b.c.d.e',
      '....',
      'x'.repeat(9000),
    ];
    for (const token of malformed) expect(await status(token), token).toBe(401);
    for (const header of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer  a b', 'Bearer \u00e9']) {
      expect((await api.request('GET', '/session', { headers: { authorization: header } })).status, header).toBe(401);
    }
  });

  it('an unreachable key set is a 503 to retry, not a verdict on the token', async () => {
    const closed = await serveJwks([]);
    await new Promise((resolve) => closed.server.close(resolve));
    const verify = createTokenVerifier({ keys: [], jwksUrl: closed.url, maxLifetimeSeconds: 3600 });
    expect(await verify(await signWith(rsa.privateKey, 'RS256', 'idp-rsa'))).toMatchObject({ ok: false, unavailable: true });
    const empty = await serveJwks([]);
    const none = createTokenVerifier({ keys: [], jwksUrl: empty.url, maxLifetimeSeconds: 3600 });
    expect(await none(await signWith(rsa.privateKey, 'RS256', 'idp-rsa'))).toMatchObject({ ok: false, reason: expect.stringMatching(/no key/) });
    await new Promise((resolve) => empty.server.close(resolve));
  });
});

/** Signs in and returns the cookie jar and CSRF token. */
async function signIn(target: Api | string, body: Record<string, string>) {
  const url = typeof target === 'string' ? target : target.url;
  const res = await fetch(`${url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const payload = (await res.json()) as { csrfToken?: string; detail?: string };
  const jar = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: res.status, jar, csrf: payload.csrfToken ?? '', payload };
}
const asCookie = (target: Api | string, jar: string, method = 'GET', path = '/session', csrf?: string) =>
  fetch(`${typeof target === 'string' ? target : target.url}${path}`, { method, headers: { cookie: jar, ...(csrf ? { 'x-csrf-token': csrf } : {}) } });

describe('sessions', () => {
  it('the cookie holds a session id, not the token; signing out revokes it for good', async () => {
    const token = api.token('buyer', 'buyer-ana');
    const { status: made, jar, csrf } = await signIn(api, { token });
    expect(made).toBe(201);
    expect(jar).not.toContain(token);
    expect(jar).not.toContain(token.split('.')[2]);
    expect((await asCookie(api, jar)).status).toBe(200);
    // The old design's cookie (the token itself) is no session.
    expect((await asCookie(api, `arbiter_session=${token}`)).status).toBe(401);
    expect((await asCookie(api, jar, 'DELETE')).status).toBe(403); // sign-out is a write: CSRF first
    expect((await asCookie(api, jar, 'DELETE', '/session', csrf)).status).toBe(204);
    expect((await asCookie(api, jar)).status).toBe(401);
    expect((await asCookie(api, jar, 'DELETE', '/session', csrf)).status).toBe(401);
    expect(await status(token)).toBe(200); // the token itself is the API client's to keep
  });

  it('a sign-in code works once, only as a code, and not after it expires', async () => {
    const sessions = createSessions(api.service.store, { sessionSeconds: 3600 });
    const code = await sessions.issueCode({ role: 'seller', sub: 'seller-bolt' }, 600);
    expect((await asCookie(api, `arbiter_session=${code}`)).status).toBe(401); // a code is no session
    const first = await signIn(api, { code });
    expect(first.status).toBe(201);
    expect(first.payload).toMatchObject({ role: 'seller', sub: 'seller-bolt' });
    expect((await signIn(api, { code })).status).toBe(401);
    const sessionId = /arbiter_session=([^;]+)/.exec(first.jar)![1]!;
    expect((await signIn(api, { code: sessionId })).status).toBe(401); // a session is no code
    const stale = await sessions.issueCode({ role: 'seller', sub: 'seller-bolt' }, 60, Date.now() - 120_000);
    expect((await signIn(api, { code: stale })).status).toBe(401);
    // Two tabs racing one link: one session, one refusal.
    const raced = await sessions.issueCode({ role: 'seller', sub: 'seller-bolt' }, 600);
    const both = await Promise.all([signIn(api, { code: raced }), signIn(api, { code: raced })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 401]);
    for (const body of [{}, { code: '' }, { code: 'x'.repeat(201) }, { code: 'a', token: 'b' }, { code: 1 }]) {
      expect((await api.request('POST', '/session', { body })).status, JSON.stringify(body)).toBe(422);
    }
  });

  it('an event stream over a session ends once its holder signs out', async () => {
    const local = await startApi({ config: { edge: { ...defaultEdge, streamHeartbeatMs: 100 } } });
    try {
      await local.request('PUT', '/orders/o-1', { token: local.token('system', 'shop'), body: orderFor('buyer-ana') });
      const opened = await local.request('POST', '/disputes', { token: local.token('buyer', 'buyer-ana'), body: openBody('o-1') });
      const { jar, csrf } = await signIn(local, { token: local.token('buyer', 'buyer-ana') });
      const stream = await asCookie(local, jar, 'GET', `/disputes/${opened.body.id}/stream`);
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ready');
      expect((await asCookie(local, jar, 'DELETE', '/session', csrf)).status).toBe(204);
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
      expect(text).not.toContain('event: dispute');
    } finally {
      await local.stop();
    }
  });

  it('sessions survive a restart and a rotation of the token keys', async () => {
    const tmp = tempDir('arbiter-sessions-');
    try {
      const first = await startTestService(tmp.dbPath);
      const firstHttp = await startHttp(first, testKeys);
      const { jar } = await signIn(firstHttp.url, { token: mintToken(testKeys, { role: 'agent', sub: 'agent-kim' }, 3600) });
      const code = await createSessions(first.store, { sessionSeconds: 3600 }).issueCode({ role: 'admin', sub: 'admin' }, 600);
      await firstHttp.close(100);

      // The old key is gone after the restart: tokens signed with it no longer work, sessions do.
      const rotated = [{ kid: 'k9', secret: 'rotated-secret-0123456789abcdefghijklmn' }];
      const second = await startTestService(tmp.dbPath);
      const secondHttp = await startHttp(second, rotated);
      try {
        const me = await asCookie(secondHttp.url, jar);
        expect(me.status).toBe(200);
        expect(await me.json()).toEqual({ role: 'agent', sub: 'agent-kim', via: 'cookie' });
        expect((await signIn(secondHttp.url, { code })).status).toBe(201);
        const oldToken = mintToken(testKeys, { role: 'agent', sub: 'agent-kim' }, 3600);
        expect((await fetch(`${secondHttp.url}/session`, { headers: { authorization: `Bearer ${oldToken}` } })).status).toBe(401);
      } finally {
        await secondHttp.close(100);
      }
    } finally {
      tmp.cleanup();
    }
  });
});

function orderFor(buyerId: string) {
  const day = 86_400_000;
  return {
    buyerId,
    sellerId: 'seller-bolt',
    currency: 'USD',
    paymentMethod: 'card',
    items: [
      {
        itemId: 'item-1',
        price: 4000,
        shippingCost: 500,
        shippedAt: new Date(Date.now() - 12 * day).toISOString(),
        deliveryWindowEndsAt: new Date(Date.now() + 18 * day).toISOString(),
      },
    ],
  };
}
const openBody = (orderId: string) => ({ orderId, itemId: 'item-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Broken', amount: 4000 });
