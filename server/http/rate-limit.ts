/**
 * Rate limits on what writes: token buckets in memory, per token (the bearer token or session
 * cookie, hashed) and per client address, and a stricter one per address on sign-in. A bucket
 * holds a minute's allowance and refills continuously; a refused request is a 429 problem with
 * Retry-After. The map is bounded: the least recently used bucket goes first, and a bucket idle
 * long enough to be full again is forgotten (it would behave as a new one).
 */
import { createHash } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { EdgeConfig } from '../config.ts';
import type { AppEnv } from './deps.ts';
import { HttpProblem } from './problems.ts';

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createTokenBuckets(maxEntries = 100_000) {
  const buckets = new Map<string, { tokens: number; at: number; perMinute: number }>();

  function forgetIdle(now: number) {
    // The oldest entries are the least recently used: look at a couple per call.
    let looked = 0;
    for (const [key, bucket] of buckets) {
      if (looked++ >= 2 || now - bucket.at < 60_000) break;
      buckets.delete(key);
    }
    while (buckets.size > maxEntries) buckets.delete(buckets.keys().next().value!);
  }

  return {
    get size() {
      return buckets.size;
    },
    /** Takes one token; when none is left, says in how many seconds one will be. */
    take(key: string, perMinute: number, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const perMs = perMinute / 60_000;
      const found = buckets.get(key);
      const bucket = found
        ? { ...found, tokens: Math.min(perMinute, found.tokens + (now - found.at) * perMs), at: now }
        : { tokens: perMinute, at: now, perMinute };
      buckets.delete(key);
      buckets.set(key, bucket);
      forgetIdle(now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}

export type TokenBuckets = ReturnType<typeof createTokenBuckets>;

function addressOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by Node (app.request in tests)
  }
}

/** The credential a request writes with, hashed: the bucket is the token's, whoever holds it. */
function credentialOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const secret = header ?? getCookie(c, 'arbiter_session');
  return secret ? createHash('sha256').update(secret).digest('base64url').slice(0, 22) : undefined;
}

export function rateLimit(
  edge: Pick<EdgeConfig, 'rateLimits' | 'writesPerMinute' | 'addressWritesPerMinute' | 'signInsPerMinute'>,
  buckets = createTokenBuckets(),
) {
  return createMiddleware<AppEnv>(async function rateLimit(c, next) {
    if (!edge.rateLimits || !writes.has(c.req.method)) return next();
    const address = addressOf(c);
    const checks: [string, number, string][] =
      c.req.method === 'POST' && c.req.path === '/session'
        ? [[`signin:${address}`, edge.signInsPerMinute, `sign-ins from ${address}`]]
        : [[`address:${address}`, edge.addressWritesPerMinute, `writes from ${address}`]];
    const credential = credentialOf(c);
    if (credential && !(c.req.method === 'POST' && c.req.path === '/session'))
      checks.push([`token:${credential}`, edge.writesPerMinute, 'writes with this token']);
    for (const [key, perMinute, what] of checks) {
      const taken = buckets.take(key, perMinute);
      if (!taken.ok)
        throw new HttpProblem('rate-limited', `too many ${what}: at most ${perMinute} a minute; retry in ${taken.retryAfterSeconds} s`, {
          retryAfter: taken.retryAfterSeconds,
        });
    }
    await next();
  });
}
