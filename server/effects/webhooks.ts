/**
 * Webhook deliveries: each is POSTed as JSON to the subscriber's URL with
 *
 *   Arbiter-Delivery:  whd_…            (unique per delivery, the same on every retry)
 *   Arbiter-Event:     dispute.updated
 *   Arbiter-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}` with the subscriber's secret>
 *
 * A 2xx answer means delivered; anything else (or no answer within the timeout) is retried.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { OutboxRow } from '../../db/store.ts';
import type { Handler } from './dispatcher.ts';

export const WebhookSubscriber = z.strictObject({
  id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and - only'),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(16, 'a secret of at least 16 characters'),
});
export type WebhookSubscriber = z.infer<typeof WebhookSubscriber>;

export const WebhookSubscribers = z
  .array(WebhookSubscriber)
  .refine((subs) => new Set(subs.map((s) => s.id)).size === subs.length, 'subscriber ids must be unique');

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Verifies an `Arbiter-Signature` header (what a receiver does). Refuses signatures older than
 * `toleranceSeconds`, which stops replays of captured deliveries.
 */
export function verifySignature(secret: string, header: string, body: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookHandler(subscribers: readonly WebhookSubscriber[], timeoutMs = 10_000): Handler {
  const byId = new Map(subscribers.map((s) => [s.id, s]));
  return async function deliverWebhook(row: OutboxRow) {
    const subscriber = byId.get(row.channel.slice('webhook:'.length));
    if (!subscriber) return { ok: false, error: `no subscriber ${row.channel} is configured any more` };
    const body = JSON.stringify({ id: row.deliveryId, ...row.payload });
    try {
      const response = await fetch(subscriber.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'arbiter-delivery': row.deliveryId,
          'arbiter-event': row.kind,
          'arbiter-signature': signature(subscriber.secret, Math.floor(Date.now() / 1000), body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      return response.ok
        ? { ok: true, statusCode: response.status }
        : { ok: false, statusCode: response.status, error: `the receiver answered ${response.status}` };
    } catch (error) {
      return { ok: false, error: `could not deliver: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
}
