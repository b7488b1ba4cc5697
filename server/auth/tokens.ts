/**
 * Bearer tokens: standard JWTs signed with HMAC-SHA256 (HS256), so a marketplace can mint them
 * with any JWT library and the shared secret. Several secrets are accepted at once, chosen by
 * the token's `kid` header, so a secret rotates without downtime: add the new key, move issuers
 * to it, then drop the old one.
 *
 * Claims: `sub` (the party's id), `role`, `exp` (seconds since epoch); optional `iat`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
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
});

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();

export function mintToken(keys: KeyRing, principal: Principal, ttlSeconds: number, nowMs: number = Date.now()): string {
  const key = keys[0];
  if (!key) throw new Error('no signing key configured');
  const iat = Math.floor(nowMs / 1000);
  const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }));
  const payload = b64(JSON.stringify({ sub: principal.sub, role: principal.role, iat, exp: iat + ttlSeconds }));
  return `${header}.${payload}.${b64(sign(`${header}.${payload}`, key.secret))}`;
}

export type TokenCheck = { ok: true; principal: Principal; expiresAt: number } | { ok: false; reason: string };

/** Verifies signature (by `kid`), algorithm and expiry; never throws. */
export function verifyToken(keys: KeyRing, token: string, nowMs: number = Date.now()): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'the token is not a JWT (header.payload.signature)' };
  const [header, payload, signature] = parts as [string, string, string];
  let head: { alg?: unknown; kid?: unknown };
  try {
    head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'the token header is not valid JSON' };
  }
  if (head.alg !== 'HS256') return { ok: false, reason: 'only HS256 tokens are accepted' };
  const key = keys.find((k) => k.kid === head.kid);
  if (!key) return { ok: false, reason: `unknown or retired signing key ${JSON.stringify(head.kid)}` };
  const expected = sign(`${header}.${payload}`, key.secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the token signature does not match' };
  let claims: z.infer<typeof Claims>;
  try {
    claims = Claims.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'the token claims need sub, role (one of buyer, seller, agent, support, system, admin) and exp' };
  }
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: `the token expired at ${new Date(claims.exp * 1000).toISOString()}` };
  return { ok: true, principal: { role: claims.role, sub: claims.sub }, expiresAt: claims.exp * 1000 };
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
