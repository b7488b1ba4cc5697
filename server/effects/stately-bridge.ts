/**
 * The `@statelyai/inspect` bridge: with ARBITER_STATELY_INSPECT set to a WebSocket URL (a relay
 * to Stately's inspector, such as `npm run stately-relay`), every committed step is sent to the
 * inspector as inspection events: the dispute as an actor of the `dispute` machine, with its
 * definition, then each applied event and the snapshot after it. Our core computes steps with
 * `transition()`, which emits nothing by itself, so the write path's commit listener calls the
 * inspector. (`@xstate/inspect`, named in early plans, supports XState v4 only.)
 *
 * The library builds the messages; this file owns the socket. The library's own WebSocket
 * adapter never reconnects once a relay closes the connection (it retries only a failed
 * connect), so a restarted relay would hear nothing more; ours reconnects, keeps a bounded
 * backlog while the relay is away, and announces each dispute again on each new connection,
 * before its next event (a new relay has not seen it).
 */
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import WebSocket from 'ws';
import { portableConfig } from '../../machines/index.ts';
import type { Runtime } from '../runtime/runtime.ts';

export interface StatelyBridgeOptions {
  /** Disputes remembered as announced on the current connection; the least recently stepped is forgotten first (and announced again at its next step). */
  remember?: number;
  /** Messages kept while the relay is away, oldest dropped first. */
  backlog?: number;
  /** The wait before connecting again after the relay closed or could not be reached. */
  reconnectMs?: number;
}

/**
 * The machine's definition, as `inspector.actor()` reads it from an actor: `logic.config`,
 * stringified by the library (deep enough: at its default depth of 10 it cut 29 branches of the
 * chart to "[Object]"). The portable config is the one Stately's editor imports.
 */
const machine = { config: portableConfig() };
const definitionDepth = 64;

export function attachStatelyInspector(runtime: Runtime, url: string, options: StatelyBridgeOptions = {}): { stop(): void } {
  const { remember = 10_000, backlog = 1_000, reconnectMs = 2_000 } = options;
  /** Disputes whose actor message went out on this connection or waits in the backlog; most recently stepped last. */
  const announced = new Set<string>();
  const touch = (disputeId: string) => {
    announced.delete(disputeId);
    announced.add(disputeId);
    if (announced.size > remember) announced.delete(announced.values().next().value!);
  };
  const socket = relaySocket(url, backlog, reconnectMs, {
    connected(waiting) {
      announced.clear();
      for (const event of waiting) if (event.type === '@xstate.actor') touch(event.sessionId);
    },
    dropped(event) {
      if (event.type === '@xstate.actor') announced.delete(event.sessionId);
    },
  });
  const inspector = createInspector(socket, { serializationDepthLimit: definitionDepth });
  const unsubscribe = runtime.subscribe(({ disputeId, history, dispute }) => {
    const { status, value, context } = dispute.snapshot;
    const snapshot = { status, value, context };
    if (!announced.has(disputeId)) {
      // What inspector.actor() reads of an actor: its session id and its logic's config (the name is the config's id).
      inspector.actor({ sessionId: disputeId, logic: machine } as unknown as Parameters<typeof inspector.actor>[0], snapshot);
    }
    touch(disputeId);
    let last: { type: string } | undefined;
    for (const row of history) {
      last = { ...row.payload, type: row.type };
      inspector.event(disputeId, last, { source: `${row.actorRole}:${row.actorId}` });
    }
    inspector.snapshot(disputeId, snapshot, last ? { event: last } : {});
  });
  return {
    stop() {
      unsubscribe();
      socket.stop();
    },
  };
}

/** A WebSocket to the relay that connects again whenever it closes, keeping what it could not send yet (at most `backlog` messages). */
function relaySocket(
  url: string,
  backlog: number,
  reconnectMs: number,
  on: { connected(waiting: StatelyInspectionEvent[]): void; dropped(event: StatelyInspectionEvent): void },
) {
  const waiting: StatelyInspectionEvent[] = [];
  let current: WebSocket | undefined;
  let open = false;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const connect = () => {
    const ws = new WebSocket(url);
    current = ws;
    ws.on('open', () => {
      open = true;
      on.connected(waiting);
      for (const event of waiting.splice(0)) ws.send(JSON.stringify(event));
    });
    ws.on('error', () => {}); // 'close' follows and schedules the next attempt
    ws.on('close', () => {
      open = false;
      if (!stopped) retry = setTimeout(connect, reconnectMs).unref();
    });
  };
  connect();
  return {
    send(event: StatelyInspectionEvent) {
      if (open) {
        current!.send(JSON.stringify(event));
        return;
      }
      waiting.push(event);
      if (waiting.length > backlog) on.dropped(waiting.shift()!);
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      current?.close(); // a socket still connecting is aborted
    },
  };
}
