/**
 * The @statelyai/inspect bridge, against WebSocket servers started by the test (one dropping the
 * bridge's connection, one not listening yet), and `npm run stately-relay` as a real process
 * between the bridge and a stand-in for its browser page.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createMachine, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { disputeMachine, portableConfig } from '../machines/index.ts';
import { attachStatelyInspector } from '../server/effects/stately-bridge.ts';
import type { Service } from '../server/service.ts';
import { spawnTs } from './support/processes.ts';
import { notReceived, registerSampleOrder, startTestService, tempDir } from './support/service.ts';

type Message = {
  type: string;
  sessionId?: string;
  name?: string;
  definition?: string;
  event?: { type: string };
  snapshot?: { value: unknown; status?: string };
};

/** A WebSocket server on 127.0.0.1 that keeps every message it hears. */
async function listen(port = 0) {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const received: Message[] = [];
  server.on('connection', (socket) => socket.on('message', (data) => received.push(JSON.parse(String(data)))));
  return { server, received, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const until = async (done: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};
const stateIds = (machine: AnyStateMachine) => {
  const ids: string[] = [];
  const visit = (node: AnyStateNode) => (ids.push(node.id), Object.values(node.states).forEach(visit));
  visit(machine.root);
  return ids;
};
/** The types of the messages about one dispute, and the actor announcements among all messages. */
const typesFor = (received: Message[], id: string) => received.filter((m) => m.sessionId === id).map((m) => m.type);
const actorsIn = (received: Message[]) => received.filter((m) => m.type === '@xstate.actor').map((m) => m.sessionId);

let relay: Awaited<ReturnType<typeof listen>>;
let service: Service;
let tmp: ReturnType<typeof tempDir>;
let orders = 0;

/** Opens a dispute on a new order; its id. */
async function openDispute(): Promise<string> {
  const orderId = `order-${++orders}`;
  await registerSampleOrder(service.store, service.clock.now(), orderId);
  const opened = await service.runtime.open(orderId, 'item-1', notReceived, { role: 'buyer', id: 'buyer-1' });
  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  return opened.dispute.id;
}
const message = (id: string) => service.runtime.send(id, { type: 'message.send', body: 'Any news?' }, { role: 'buyer', id: 'buyer-1' });

beforeAll(async () => {
  relay = await listen();
  tmp = tempDir('arbiter-stately-');
  service = await startTestService(tmp.dbPath, { statelyInspectUrl: relay.url });
});
afterAll(async () => {
  await service.stop();
  await new Promise((resolve) => relay.server.close(resolve));
  tmp.cleanup();
});

describe('the bridge', () => {
  it('streams each committed step to Stately’s inspector: the actor with the machine’s definition, its events, its snapshots', async () => {
    const id = await openDispute();
    await service.runtime.send(id, { type: 'seller.counterOffer', amount: 2000 }, { role: 'seller', id: 'seller-1' });
    const second = await openDispute();
    await until(() => typesFor(relay.received, second).length >= 3);
    const mine = relay.received.filter((m) => m.sessionId === id);
    expect(mine.map((m) => m.type)).toEqual(['@xstate.actor', '@xstate.event', '@xstate.snapshot', '@xstate.event', '@xstate.snapshot']);
    expect(mine.filter((m) => m.type === '@xstate.event').map((m) => m.event?.type)).toEqual(['dispute.opened', 'seller.counterOffer']);
    expect(mine.at(-1)?.snapshot?.value).toEqual({ negotiating: 'offerPending' });
    expect(typesFor(relay.received, second)).toEqual(['@xstate.actor', '@xstate.event', '@xstate.snapshot']);

    // The actor is the machine, with its definition whole: the name Stately shows, every state to draw.
    const [actor] = mine;
    expect(actor?.name).toBe(disputeMachine.id);
    const definition = JSON.parse(actor!.definition!);
    expect(Object.keys(definition.states).sort()).toEqual(Object.keys(disputeMachine.root.states).sort()); // the library sorts keys
    expect(stateIds(createMachine(definition)).sort()).toEqual(stateIds(disputeMachine).sort());
    expect(definition).toEqual(portableConfig()); // nothing cut at a depth limit: the config Stately's editor imports
  });

  it('announces a dispute again when it forgot it (bounded memory) and on each new connection to the relay', async () => {
    const other = await listen();
    const bridge = attachStatelyInspector(service.runtime, other.url, { remember: 1, reconnectMs: 50 });
    try {
      await until(() => other.server.clients.size === 1);
      const [a, b] = [await openDispute(), await openDispute()]; // a is forgotten when b is announced
      await message(a); // announced again
      await message(a); // remembered
      await until(() => typesFor(other.received, a).length >= 8);
      expect(actorsIn(other.received)).toEqual([a, b, a]);
      const step = ['@xstate.event', '@xstate.snapshot'];
      expect(typesFor(other.received, a)).toEqual(['@xstate.actor', ...step, '@xstate.actor', ...step, ...step]);

      for (const client of other.server.clients) client.terminate(); // the relay drops the bridge, as a restart would
      await until(() => other.server.clients.size === 1 && [...other.server.clients][0]!.readyState === WebSocket.OPEN);
      await message(a);
      await until(() => actorsIn(other.received).length === 4);
      expect(actorsIn(other.received)).toEqual([a, b, a, a]);
      expect(typesFor(other.received, a).slice(-3)).toEqual(['@xstate.actor', '@xstate.event', '@xstate.snapshot']);
    } finally {
      bridge.stop();
      await new Promise((resolve) => other.server.close(resolve));
    }
  });

  it('keeps what it could not send while no relay listens, and sends it, actor first, once one does', async () => {
    const probe = await listen(); // a free port, closed again: nothing listens there yet
    const port = (probe.server.address() as AddressInfo).port;
    await new Promise((resolve) => probe.server.close(resolve));
    const bridge = attachStatelyInspector(service.runtime, `ws://127.0.0.1:${port}`, { reconnectMs: 50 });
    const id = await openDispute();
    await new Promise((r) => setTimeout(r, 150)); // at least one failed attempt
    const late = await listen(port);
    try {
      await until(() => typesFor(late.received, id).length >= 3);
      expect(typesFor(late.received, id)).toEqual(['@xstate.actor', '@xstate.event', '@xstate.snapshot']);
    } finally {
      bridge.stop();
      await new Promise((resolve) => late.server.close(resolve));
    }
  });
});

/** A GET of the relay's page with the Host header given. */
const getPage = (port: number, host: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });
/** A WebSocket client, as a page of `origin` opens one; what it hears. */
const connect = (url: string, origin: string) =>
  new Promise<{ ws: WebSocket; heard: Message[] }>((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    const heard: Message[] = [];
    ws.on('message', (data) => heard.push(JSON.parse(String(data))));
    ws.once('open', () => resolve({ ws, heard }));
    ws.once('error', reject);
  });

describe('npm run stately-relay', () => {
  it('serves its page on 127.0.0.1 and relays the bridge’s messages to it, the last ones replayed to a page opened late; other sites are refused', async () => {
    const relayProcess = spawnTs('server/cli/stately-relay.ts', ['--port', '0', '--buffer', '3']);
    const pages: WebSocket[] = [];
    try {
      const port = Number(/^stately relay on ws:\/\/127\.0\.0\.1:(\d+):/.exec(await relayProcess.waitFor(/^stately relay on /))![1]);
      const url = `ws://127.0.0.1:${port}`;
      const page = await getPage(port, `127.0.0.1:${port}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<iframe id="inspector" title="Stately inspector" src="https://stately.ai/inspect"></iframe>');
      expect(page.body).toContain("new WebSocket('ws://' + location.host)");
      expect((await getPage(port, `rebound.example:${port}`)).status).toBe(403); // a name rebound to 127.0.0.1
      await expect(connect(url, 'https://elsewhere.example')).rejects.toThrow(/Unexpected server response: 401/);

      const opened = await connect(url, `http://127.0.0.1:${port}`);
      pages.push(opened.ws);
      const bridge = attachStatelyInspector(service.runtime, url);
      const id = await openDispute();
      await until(() => opened.heard.length >= 3);
      bridge.stop();
      expect(opened.heard.map((m) => [m.type, m.sessionId])).toEqual([
        ['@xstate.actor', id],
        ['@xstate.event', id],
        ['@xstate.snapshot', id],
      ]);
      expect(opened.heard[0]?.name).toBe(disputeMachine.id);

      const late = await connect(url, `http://127.0.0.1:${port}`);
      pages.push(late.ws);
      await until(() => late.heard.length >= 3);
      expect(late.heard).toEqual(opened.heard);
    } finally {
      for (const ws of pages) ws.close();
      relayProcess.child.kill('SIGTERM');
    }
    expect((await relayProcess.exited).code).toBe(0);
  });
});
