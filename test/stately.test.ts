/** The @statelyai/inspect bridge, against a WebSocket server started by the test. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Service } from '../server/service.ts';
import { notReceived, registerSampleOrder, startTestService, tempDir } from './support/service.ts';

let server: WebSocketServer;
const received: { type: string; sessionId?: string; event?: { type: string }; snapshot?: { value: unknown } }[] = [];
let service: Service;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => socket.on('message', (data) => received.push(JSON.parse(String(data)))));
  tmp = tempDir('arbiter-stately-');
  service = await startTestService(tmp.dbPath, { statelyInspectUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await service.stop();
  await new Promise((resolve) => server.close(resolve));
  tmp.cleanup();
});

it('streams each committed step to Stately’s inspector: the actor, its events, its snapshots', async () => {
  await registerSampleOrder(service.store, service.clock.now());
  const opened = await service.runtime.open('order-1', 'item-1', notReceived, { role: 'buyer', id: 'buyer-1' });
  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  const id = opened.dispute.id;
  await service.runtime.send(id, { type: 'seller.counterOffer', amount: 2000 }, { role: 'seller', id: 'seller-1' });
  const deadline = Date.now() + 10_000;
  while (received.filter((m) => m.type === '@xstate.snapshot').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const mine = received.filter((m) => m.sessionId === id);
  expect(mine.map((m) => m.type)).toEqual(['@xstate.actor', '@xstate.event', '@xstate.snapshot', '@xstate.event', '@xstate.snapshot']);
  expect(mine.filter((m) => m.type === '@xstate.event').map((m) => m.event?.type)).toEqual(['dispute.opened', 'seller.counterOffer']);
  expect(mine.at(-1)?.snapshot?.value).toEqual({ negotiating: 'offerPending' });
});
