/**
 * Security: rate limits on writes and sign-ins, per token and per address, answered 429 with
 * Retry-After; reads are not limited; the operator may turn them off; the buckets' map stays
 * bounded whatever number of tokens and addresses come by.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEdge } from '../server/config.ts';
import { createTokenBuckets } from '../server/http/rate-limit.ts';
import { startApi, type Api } from './support/api.ts';

describe('rate limits', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ config: { edge: { ...defaultEdge, writesPerMinute: 5, addressWritesPerMinute: 12, signInsPerMinute: 3 } } });
  });
  afterAll(() => api.stop());

  const message = (token: string) => api.request('POST', '/disputes/dsp_none/messages', { token, body: { body: 'hi' } });

  it('a token that writes too fast is answered 429 with Retry-After; another token is not', async () => {
    const fast = api.token('buyer', 'buyer-fast');
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await message(fast));
    expect(answers.slice(0, 5).map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(answers[5]).toMatchObject({ status: 429, body: { type: '/problems/rate-limited' } });
    expect(Number(answers[5]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await message(api.token('buyer', 'buyer-slow'))).status).toBe(404);
    // Reads are not limited.
    for (let i = 0; i < 10; i += 1) expect((await api.request('GET', '/session', { token: fast })).status).toBe(200);
  });

  it('an address that writes too fast is limited whatever token it uses, forged ones included', async () => {
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push((await message(`forged.${i}.token`)).status);
    expect(answers).toContain(429);
    expect(answers.filter((s) => s !== 429).every((s) => s === 401)).toBe(true);
  });

  it('sign-ins are limited per address, whatever the body', async () => {
    const local = await startApi({ config: { edge: { ...defaultEdge, signInsPerMinute: 3 } } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await local.request('POST', '/session', { body: { code: `guess-${i}-0123456789abcdef` } })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await local.stop();
    }
  });

  it('off when the operator says so', async () => {
    const local = await startApi({ config: { edge: { ...defaultEdge, rateLimits: false, writesPerMinute: 1, signInsPerMinute: 1 } } });
    try {
      const token = local.token('buyer', 'buyer-ana');
      for (let i = 0; i < 5; i += 1) expect((await local.request('POST', '/disputes/dsp_none/messages', { token, body: { body: 'x' } })).status).toBe(404);
      for (let i = 0; i < 3; i += 1) expect((await local.request('POST', '/session', { body: { token } })).status).toBe(201);
    } finally {
      await local.stop();
    }
  });
});

describe('the buckets', () => {
  it('stay bounded, forget idle entries, and refill with time', () => {
    const buckets = createTokenBuckets(100);
    for (let i = 0; i < 1000; i += 1) buckets.take(`key-${i}`, 10, 0);
    expect(buckets.size).toBeLessThanOrEqual(100);
    for (let i = 0; i < 50; i += 1) buckets.take(`fresh-${i}`, 10, 120_000); // an idle minute later: old entries go
    expect(buckets.size).toBeLessThan(100);
    for (let i = 0; i < 10; i += 1) expect(buckets.take('k', 10, 200_000).ok).toBe(true);
    expect(buckets.take('k', 10, 200_000)).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(buckets.take('k', 10, 206_000).ok).toBe(true);
  });
});
