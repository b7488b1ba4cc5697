/** A webhook receiver on 127.0.0.1 for the tests: verifies signatures, records every delivery. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../server/effects/webhooks.ts';

export interface Delivery {
  id: string;
  event: string;
  signatureValid: boolean;
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

export async function startReceiver(secret: string): Promise<Receiver> {
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
        id: String(req.headers['arbiter-delivery']),
        event: String(req.headers['arbiter-event']),
        signatureValid: verifySignature(secret, String(req.headers['arbiter-signature'] ?? ''), raw),
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
