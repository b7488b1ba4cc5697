/**
 * Webhook deliveries in the Standard Webhooks format (https://www.standardwebhooks.com), signed
 * with the `standardwebhooks` library, so a receiver verifies them with any Standard Webhooks
 * library: `new Webhook(secret).verify(body, headers)`. Each is POSTed as JSON with
 *
 *   webhook-id:        whd_…            (the delivery id: unique, the same on every retry)
 *   webhook-timestamp: <unix seconds>   (when this attempt was signed)
 *   webhook-signature: v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>
 *   arbiter-event:     dispute.updated
 *
 * A 2xx answer means delivered; anything else (or no answer within the timeout) is retried.
 */
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { OutboxRow } from '../../db/store.ts';
import type { Handler } from './dispatcher.ts';

/** `whsec_` then 24 to 64 bytes in base64, as Standard Webhooks secrets are written. */
export const WebhookSecret = z.string().refine((secret) => {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  try {
    return bytes >= 24 && bytes <= 64 && new Webhook(secret) instanceof Webhook;
  } catch {
    return false; // base64 the library cannot read (wrong padding)
  }
}, 'a Standard Webhooks secret: whsec_ then 24 to 64 random bytes in base64');

export const WebhookSubscriber = z.strictObject({
  id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and - only'),
  url: z.url({ protocol: /^https?$/ }),
  secret: WebhookSecret,
});
export type WebhookSubscriber = z.infer<typeof WebhookSubscriber>;

export const WebhookSubscribers = z
  .array(WebhookSubscriber)
  .refine((subs) => new Set(subs.map((s) => s.id)).size === subs.length, 'subscriber ids must be unique');

/** The Standard Webhooks headers of one delivery attempt, signed now (or at `at`). */
export function webhookHeaders(secret: string, deliveryId: string, body: string, at = new Date()): Record<string, string> {
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': new Webhook(secret).sign(deliveryId, new Date(seconds * 1000), body),
  };
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
        headers: { 'content-type': 'application/json', 'arbiter-event': row.kind, ...webhookHeaders(subscriber.secret, row.deliveryId, body) },
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
