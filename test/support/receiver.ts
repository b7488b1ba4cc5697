/**
 * A webhook receiver on 127.0.0.1 for the tests: verifies each delivery as an off-the-shelf
 * Standard Webhooks receiver does (`new Webhook(secret).verify(body, headers)`), records every one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A Standard Webhooks secret for the tests' subscribers. */
export const RECEIVER_SECRET = `whsec_${Buffer.from('receiver-secret-0123456789abcdef').toString('base64')}`;

const verifies = (webhook: Webhook, body: string, headers: IncomingMessage['headers']) => {
  try {
    webhook.verify(body, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

export interface Delivery {
  id: string;
  event: string;
  signatureValid: boolean;
  /** The body and headers as they arrived, to verify again. */
  raw: string;
  headers: Record<string, string>;
  body: { id: string; type: string; data: { disputeId: string; seq: number; [key: string]: unknown } };
}

export interface Receiver {
  url: string;
  /** Every request received, duplicates included. */
  received: Delivery[];
  /** Decides the answer to each request (default 200). */
  answer: (delivery: Delivery, count: number) => number | Promise<number>;
  unique(): Delivery[];
  waitFor(predicate: (received: Delivery[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(secret = RECEIVER_SECRET): Promise<Receiver> {
  const webhook = new Webhook(secret);
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: () => 200,
    unique() {
      const seen = new Set<string>();
      return receiver.received.filter((d) => d.signatureValid && !seen.has(d.id) && seen.add(d.id));
    },
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver.received)) {
        if (Date.now() > deadline) throw new Error(`receiver: timed out; got ${receiver.received.map((d) => d.event).join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      const delivery: Delivery = {
        id: String(req.headers['webhook-id']),
        event: String(req.headers['arbiter-event']),
        signatureValid: verifies(webhook, raw, req.headers),
        raw,
        headers: req.headers as Record<string, string>,
        body: JSON.parse(raw),
      };
      receiver.received.push(delivery);
      const status = await receiver.answer(delivery, receiver.received.filter((d) => d.id === delivery.id).length);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
