/**
 * Bearer tokens: standard JWTs verified with jose. Two kinds of keys, each pinned to its
 * algorithm so a token cannot pick a weaker one:
 *
 * - HS256 secrets shared with the marketplace (ARBITER_TOKEN_KEYS, `kid:secret,…`), chosen by
 *   the token's `kid`, so a secret rotates without downtime: add the new key, move issuers to it,
 *   then drop the old one. `mintToken` signs with the first (demo, tests, `npm run token`).
 * - RS256 / ES256 public keys of an identity provider, fetched from its JWKS URL
 *   (ARBITER_JWKS_URL) and chosen by `kid`; an RSA key verifies RS256 only, a P-256 key ES256.
 *
 * Claims: `sub` (the party's id), `role`, `exp`; optional `iat` and `nbf`. A token not yet
 * valid (`nbf`, or `iat` in the future) is refused, and so is one that lives longer than the
 * configured maximum (`exp` - `iat`, or `exp` - now without `iat`).
 */
import { createHmac } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

export const httpRoles = ['buyer', 'seller', 'agent', 'support', 'system', 'admin'] as const;
export type HttpRole = (typeof httpRoles)[number];

export interface Principal {
  role: HttpRole;
  sub: string;
}

/** Signing keys by id; the first one signs new tokens. */
export type KeyRing = ReadonlyArray<{ kid: string; secret: string }>;

const Claims = z.object({
  sub: z.string().min(1).max(200),
  role: z.enum(httpRoles),
  exp: z.number().int(),
  iat: z.number().int().optional(),
  nbf: z.number().int().optional(),
});

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export function mintToken(keys: KeyRing, principal: Principal, ttlSeconds: number, nowMs: number = Date.now()): string {
  const key = keys[0];
  if (!key) throw new Error('no signing key configured');
  const iat = Math.floor(nowMs / 1000);
  const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }));
  const payload = b64(JSON.stringify({ sub: principal.sub, role: principal.role, iat, exp: iat + ttlSeconds }));
  return `${header}.${payload}.${b64(createHmac('sha256', key.secret).update(`${header}.${payload}`).digest())}`;
}

/** `unavailable`: the keys could not be fetched, so the token could not be checked at all. */
export type TokenCheck = { ok: true; principal: Principal; expiresAt: number } | { ok: false; reason: string; unavailable?: boolean };

export interface VerifierOptions {
  keys: KeyRing;
  jwksUrl?: string | undefined;
  maxLifetimeSeconds: number;
  /** Clocks of issuers and this service differ a little; this much is forgiven on exp, nbf, iat. */
  clockToleranceSeconds?: number;
}

export type TokenVerifier = (token: string, nowMs?: number) => Promise<TokenCheck>;

const remoteAlgorithms = ['RS256', 'ES256'];

/** Verifies signature (by `kid`, algorithm pinned per key), validity times and lifetime; never throws. */
export function createTokenVerifier({ keys, jwksUrl, maxLifetimeSeconds, clockToleranceSeconds = 30 }: VerifierOptions): TokenVerifier {
  const secrets = new Map(keys.map((k) => [k.kid, new TextEncoder().encode(k.secret)]));
  const remote: JWTVerifyGetKey | undefined = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }) : undefined;

  // Tokens verified lately: a client sends the same token with every request, and checking a
  // signature costs more than the rest of a cheap request. A hit is re-checked against its
  // times; an entry lives 5 minutes at most (a key retired at the identity provider stops
  // working within that), and the map is bounded.
  const verified = new Map<string, { principal: Principal; expiresAt: number; notBefore: number; until: number }>();
  const remember = (token: string, principal: Principal, expiresAt: number, notBefore: number, nowMs: number) => {
    if (verified.size >= 10_000) verified.delete(verified.keys().next().value!);
    verified.set(token, { principal, expiresAt, notBefore, until: nowMs + 300_000 });
  };

  return async function verifyToken(token, nowMs = Date.now()) {
    const hit = verified.get(token);
    const toleranceMs = clockToleranceSeconds * 1000;
    if (hit && nowMs < hit.until && nowMs < hit.expiresAt + toleranceMs && nowMs >= hit.notBefore - toleranceMs) {
      return { ok: true, principal: hit.principal, expiresAt: hit.expiresAt };
    }
    let header: { alg?: unknown; kid?: unknown };
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: 'the token is not a JWT (header.payload.signature, its header a JSON object)' };
    }
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const secret = kid === undefined ? undefined : secrets.get(kid);
    let key: Uint8Array | JWTVerifyGetKey;
    let algorithms: string[];
    if (secret) {
      [key, algorithms] = [secret, ['HS256']];
    } else if (remote && typeof header.alg === 'string' && remoteAlgorithms.includes(header.alg)) {
      [key, algorithms] = [remote, remoteAlgorithms];
    } else if (header.alg === 'HS256') {
      return { ok: false, reason: `unknown or retired signing key ${JSON.stringify(header.kid ?? null)}` };
    } else {
      return { ok: false, reason: `tokens are HS256 with a known kid${remote ? ', or RS256 / ES256 signed by a key of ARBITER_JWKS_URL' : ''}` };
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, { algorithms, currentDate: new Date(nowMs), clockTolerance: clockToleranceSeconds }));
    } catch (error) {
      return refusal(error, key === remote);
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'the token claims need sub, role (one of buyer, seller, agent, support, system, admin) and exp' };
    const { sub, role, exp, iat } = claims.data;
    const now = Math.floor(nowMs / 1000);
    if (iat !== undefined && iat > now + clockToleranceSeconds) return { ok: false, reason: `the token was issued in the future (iat ${iat})` };
    const lifetime = exp - (iat ?? now);
    if (lifetime > maxLifetimeSeconds)
      return { ok: false, reason: `the token lives ${lifetime} s, longer than the ${maxLifetimeSeconds} s this service accepts` };
    const nbf = (payload as { nbf?: unknown }).nbf;
    remember(token, Object.freeze({ role, sub }), exp * 1000, typeof nbf === 'number' ? nbf * 1000 : -Infinity, nowMs);
    return { ok: true, principal: { role, sub }, expiresAt: exp * 1000 };
  };
}

/** A jose error, as the reason a caller can act on. */
function refusal(error: unknown, remoteKey: boolean): TokenCheck {
  if (error instanceof errors.JWTExpired) return { ok: false, reason: `the token expired (${error.claim} claim)` };
  if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `the token is not valid now (${error.claim} claim: ${error.reason})` };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'the token signature does not match' };
  if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'the token is signed with an algorithm its key does not allow' };
  if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, reason: 'no key of ARBITER_JWKS_URL matches the token (kid and algorithm)' };
  // Fetching the key set failed (timeout, refused, not a key set): nothing was checked.
  if (remoteKey && (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)))
    return { ok: false, reason: 'the token keys at ARBITER_JWKS_URL could not be fetched', unavailable: true };
  return { ok: false, reason: 'the token cannot be read' };
}

/** Parses `kid1:secret1,kid2:secret2` (the first signs). Secrets need at least 32 characters. */
export function parseKeyRing(text: string): KeyRing {
  const keys = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf(':');
      if (at <= 0) throw new Error('each key is kid:secret');
      const kid = entry.slice(0, at);
      const secret = entry.slice(at + 1);
      if (secret.length < 32) throw new Error(`the secret of key ${kid} is shorter than 32 characters`);
      return { kid, secret };
    });
  if (keys.length === 0) throw new Error('at least one kid:secret is needed');
  return keys;
}
