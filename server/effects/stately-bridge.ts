/**
 * The `@statelyai/inspect` bridge: with ARBITER_STATELY_INSPECT set to a WebSocket URL, every
 * committed step is sent to Stately's inspector as inspection events (the dispute as an actor,
 * each applied event, the snapshot after it). Our core computes steps with `transition()`,
 * which emits nothing by itself, so the write path's commit listener calls the inspector.
 * (`@xstate/inspect`, named in early plans, supports XState v4 only.)
 */
import { createWebSocketInspector } from '@statelyai/inspect';
import { disputeMachine } from '../../machines/index.ts';
import type { Runtime } from '../runtime/runtime.ts';

export function attachStatelyInspector(runtime: Runtime, url: string): { stop(): void } {
  const inspector = createWebSocketInspector({ url, autoStart: true });
  const announced = new Set<string>();
  const definition = JSON.stringify(disputeMachine.config);
  const unsubscribe = runtime.subscribe(({ disputeId, history, dispute }) => {
    const snapshot = { status: 'active' as const, value: dispute.snapshot.value, context: dispute.snapshot.context };
    if (!announced.has(disputeId)) {
      announced.add(disputeId);
      inspector.actor(disputeId, snapshot, { definition });
    }
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
      inspector.stop();
    },
  };
}
