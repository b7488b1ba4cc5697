/**
 * Model-based tests: `xstate/graph` generates the paths, one `it` per path, and the suite
 * asserts that the paths together take every transition of the machine (enumerated from the
 * definition, so a new state or transition without a path fails here).
 */
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { createTestModel } from 'xstate/graph';
import {
  checkEvent,
  deadlineNames,
  disputeMachine,
  eventCatalog,
  parseEvent,
  stateLabel,
  type Actor,
  type DisputeEvent,
  type DisputeInput,
  type DisputeSnapshot,
} from '../machines/index.ts';
import { parsePolicy } from '../machines/policy.ts';
import { committedRefunds, refundOutstanding } from '../machines/rules.ts';
import { addDays, toMillis } from '../machines/time.ts';
import { agent, buyer, carrier, day, openRequest, orderFacts, otherAgent, psp, seller } from './support/disputes.ts';

/** Every transition of the machine, read from its definition. */
function allTransitions(): Map<AnyTransitionDefinition, string> {
  const found = new Map<AnyTransitionDefinition, string>();
  const visit = (node: AnyStateNode) => {
    for (const [eventType, candidates] of node.transitions) {
      candidates.forEach((t, i) => found.set(t, describeTransition(t, eventType, i)));
    }
    (node.always ?? []).forEach((t, i) => found.set(t, describeTransition(t, 'always', i)));
    Object.values(node.states).forEach(visit);
  };
  visit(disputeMachine.root);
  return found;
}

function describeTransition(t: AnyTransitionDefinition, eventType: string, index: number) {
  const targets = t.target?.map((n) => n.id).join(',') ?? '(self)';
  return `${t.source.id} --${eventType}#${index}--> ${targets}`;
}

function allStateIds(): string[] {
  const ids: string[] = [];
  const visit = (node: AnyStateNode) => {
    ids.push(node.id);
    Object.values(node.states).forEach(visit);
  };
  visit(disputeMachine.root);
  return ids;
}

/** The instant at which the model acts: just before the earliest armed deadline. */
function now(snapshot: DisputeSnapshot): string {
  const dues = Object.values(snapshot.context.deadlines).map((d) => toMillis(d.dueAt));
  if (dues.length === 0) return addDays(snapshot.context.outcome?.at ?? snapshot.context.openedAt, 1 / 24);
  return new Date(Math.min(...dues) - 60_000).toISOString();
}

const actorsFor: Record<string, Actor[]> = { buyer: [buyer], seller: [seller], agent: [agent, otherAgent], system: [psp, carrier] };

/** A finite set of sample payloads per event type; the rest use the catalogue's probe. */
function samplePayloads(snapshot: DisputeSnapshot, type: keyof typeof eventCatalog): object[] {
  const c = snapshot.context;
  switch (type) {
    case 'seller.counterOffer':
      return [{ amount: Math.floor(c.request.total / 2) }];
    case 'buyer.proposeAmount':
      return [{ amount: Math.floor((c.request.total * 3) / 4) }];
    case 'agent.decide':
    case 'agent.decideAppeal':
      return [
        { outcome: 'buyer_full_refund', reason: 'full' },
        { outcome: 'buyer_partial_refund', amount: Math.floor(c.order.price * 0.6), reason: 'partial' },
        { outcome: 'seller_wins', reason: 'as listed' },
      ];
    case 'agent.requestEvidence':
      return [
        { from: 'buyer', note: 'photos' },
        { from: 'seller', note: 'tracking' },
      ];
    case 'evidence.add':
      return [{ evidenceId: 'ev' }];
    default:
      return [eventCatalog[type].probe(c)];
  }
}

/** The events the model may send: every sample the dispute accepts, stamped as the shell would. */
function acceptedEvents(snapshot: DisputeSnapshot): DisputeEvent[] {
  const events: DisputeEvent[] = [];
  for (const [name, armed] of Object.entries(snapshot.context.deadlines)) {
    if (armed) events.push({ type: armed.event, at: armed.dueAt, by: { role: 'system', id: 'scheduler' } } as DisputeEvent);
    void name;
  }
  const at = now(snapshot);
  for (const type of Object.keys(eventCatalog) as (keyof typeof eventCatalog)[]) {
    if (type.startsWith('deadline.')) continue;
    for (const role of eventCatalog[type].roles) {
      for (const by of actorsFor[role] ?? []) {
        for (const payload of samplePayloads(snapshot, type)) {
          const parsed = parseEvent({ type, ...payload }, by, at);
          if (parsed.ok && checkEvent(snapshot, parsed.value).ok) events.push(parsed.value);
        }
      }
    }
  }
  return events;
}

/**
 * What decides the next transitions from here, per phase of the chart; timestamps, ids,
 * counters and flags that no guard reads are left out, so the traversal stays finite and small.
 */
function essence(snapshot: DisputeSnapshot) {
  const c = snapshot.context;
  const base = { value: snapshot.value, deadlines: Object.keys(c.deadlines).sort() };
  if (snapshot.hasTag('ended')) return base;
  if (snapshot.matches('negotiating')) return { ...base, offer: c.offer?.kind ?? null, automaticOffer: c.automaticOffer !== null };
  const history = { appeals: c.appeal.count, returned: c.returnShipment !== null };
  if (snapshot.matches('escalated')) {
    return { ...base, ...history, assigned: c.escalation?.agentId != null, evidenceFrom: c.evidenceRequest?.from ?? null };
  }
  const refund = c.decision?.refund ?? 0;
  const last = c.refunds.at(-1);
  return {
    ...base,
    ...history,
    decision: c.decision && [refund === 0 ? 'none' : refund < c.funds.paid ? 'partial' : 'full', c.decision.onAppeal],
    resolution: c.resolution && [c.resolution.source === 'decision', c.resolution.returnRequired],
    shipment: c.returnShipment && [c.returnShipment.deliveredAt !== null, c.returnShipment.confirmedAt !== null],
    lastRefund: last ? [last.status, last.destination] : null,
    outstanding: refundOutstanding(c) > 0,
  };
}

const inputs: Record<string, DisputeInput> = {
  'refund only, not as described': {
    disputeId: 'm-1',
    order: orderFacts(),
    request: openRequest(),
    policy: parsePolicy(),
    openedAt: day(12),
  },
  'return and refund, free return': {
    disputeId: 'm-2',
    order: orderFacts({ freeReturn: true }),
    request: openRequest({ type: 'return_and_refund', reason: 'damaged_or_defective' }),
    policy: parsePolicy(),
    openedAt: day(12),
  },
  'low-priced item with an automatic offer, protection ending soon': {
    disputeId: 'm-3',
    order: orderFacts({ price: 400, shippingCost: 100, completedAt: day(10) }),
    request: openRequest({ amount: 400 }),
    policy: parsePolicy(),
    openedAt: day(24),
  },
  'not received': {
    disputeId: 'm-5',
    order: orderFacts(),
    request: openRequest({ reason: 'not_received' }),
    policy: parsePolicy(),
    openedAt: day(12),
  },
  'opened too early': {
    disputeId: 'm-4',
    order: orderFacts(),
    request: openRequest({ reason: 'not_received' }),
    policy: parsePolicy(),
    openedAt: day(3),
  },
};

/** Invariants that hold in every reachable snapshot. */
function assertInvariants(snapshot: DisputeSnapshot) {
  const c = snapshot.context;
  // R-FUND-1, R-FUND-2, R-REF-4.
  expect(c.funds.held + c.funds.refunded + c.funds.released).toBe(c.funds.paid);
  expect(committedRefunds(c)).toBeLessThanOrEqual(c.funds.paid);
  expect(Math.min(c.funds.held, c.funds.refunded, c.funds.released)).toBeGreaterThanOrEqual(0);
  // Armed deadlines belong to active waiting states.
  const declared = new Set(Object.values(snapshot.getMeta()).flatMap((meta) => (meta as { deadlines?: string[] }).deadlines ?? []));
  for (const name of Object.keys(c.deadlines)) expect(declared, `deadline ${name} armed in ${stateLabel(snapshot)}`).toContain(name);
  for (const name of Object.keys(c.deadlines)) expect(deadlineNames).toContain(name);
  // Every end records its split of the paid amount (R-FUND-2).
  if (snapshot.hasTag('ended') && c.outcome?.end !== 'refused') {
    const split = c.outcome?.split;
    expect(split).toBeTruthy();
    expect(split!.refunded + split!.released + split!.withPaymentProvider).toBe(c.funds.paid);
  }
}

/**
 * Replays a path on a real actor, checking each step against the model and the invariants;
 * returns the transitions it took and the states it visited.
 */
function replay(input: DisputeInput, steps: { event: unknown; state: unknown }[]) {
  const taken = new Set<AnyTransitionDefinition>();
  const visited = new Set<string>();
  const actor = createActor(disputeMachine, {
    input,
    inspect: (inspection) => {
      if (inspection.type === '@xstate.microstep') {
        for (const t of (inspection as unknown as { _transitions: AnyTransitionDefinition[] })._transitions) {
          taken.add(t);
          visited.add(t.source.id); // transient states are only ever seen as a source
        }
      }
    },
  });
  actor.start();
  const record = (snapshot: DisputeSnapshot) => {
    assertInvariants(snapshot);
    for (const node of snapshot._nodes) visited.add(node.id);
  };
  record(actor.getSnapshot());
  for (const [i, step] of steps.entries()) {
    if ((step.event as { type: string }).type === 'xstate.init') continue; // the path's start
    const expected = step.state as DisputeSnapshot;
    const event = step.event as DisputeEvent;
    expect(checkEvent(actor.getSnapshot(), event).ok, `step ${i + 1}: ${event.type} accepted`).toBe(true);
    actor.send(event);
    const after = actor.getSnapshot();
    expect(after.value, `step ${i + 1}: ${event.type}`).toEqual(expected.value);
    // The model keeps one representative snapshot per abstract state: compare what it abstracts.
    expect(essence(after)).toEqual(essence(expected));
    record(after);
  }
  actor.stop();
  return { taken, visited };
}

const generated: { input: DisputeInput; steps: { event: unknown; state: unknown }[] }[] = [];

for (const [name, input] of Object.entries(inputs)) {
  const model = createTestModel(disputeMachine, {
    input,
    events: acceptedEvents,
    // createTestModel adds a bare `{ type }` for every event the state handles that we did not
    // sample; the shell never sends unstamped events, so neither does the model.
    filterEvents: (_snapshot, event) => 'by' in event && 'at' in event,
    // Fails fast (instead of exhausting memory) if a change makes the abstraction unbounded.
    limit: 20_000,
    serializeState: (snapshot, event, prev) => JSON.stringify([prev ? prev.value : null, event?.type ?? null, essence(snapshot)]),
  });
  const paths = model.getShortestPaths();

  describe(`model paths: ${name} (${paths.length})`, () => {
    for (const path of paths) {
      const events = path.steps.map((s) => s.event).filter((e) => (e.type as string) !== 'xstate.init');
      const title = `${stateLabel(path.state)} <- ${events.map((e) => e.type).join(' > ') || '(start)'}`;
      generated.push({ input, steps: path.steps });
      it(title, () => {
        replay(input, path.steps);
      });
    }
  });
}

describe('model coverage', () => {
  const taken = new Set<AnyTransitionDefinition>();
  const visited = new Set<string>();
  it('the generated paths take every transition of the machine', () => {
    for (const path of generated) {
      const result = replay(path.input, path.steps);
      result.taken.forEach((t) => taken.add(t));
      result.visited.forEach((id) => visited.add(id));
    }
    const missing = [...allTransitions()].filter(([t]) => !taken.has(t)).map(([, d]) => d);
    expect(missing).toEqual([]);
  });

  it('the generated paths visit every state of the machine', () => {
    const missing = allStateIds().filter((id) => !visited.has(id) && id !== 'dispute');
    expect(missing).toEqual([]);
  });
});
