/**
 * Plain-value helpers for driving the dispute machine through `initialTransition()` and
 * `transition()`: no actor, no clock, no I/O.
 */
import { initialTransition, transition } from 'xstate';
import {
  OpenRequest,
  OrderItemFacts,
  checkEvent,
  disputeMachine,
  parseEvent,
  parsePolicy,
  stateLabel,
  type Actor,
  type DisputeEvent,
  type DisputeSnapshot,
  type PolicyOverrides,
} from '../../machines/index.ts';
import { addDays } from '../../machines/time.ts';

export const T0 = '2026-11-02T10:00:00.000Z';
/** An instant `days` (may be fractional) after T0. */
export const day = (days: number) => addDays(T0, days);

export const buyer: Actor = { role: 'buyer', id: 'buyer-1' };
export const seller: Actor = { role: 'seller', id: 'seller-1' };
export const agent: Actor = { role: 'agent', id: 'agent-1' };
export const otherAgent: Actor = { role: 'agent', id: 'agent-2' };
export const psp: Actor = { role: 'system', id: 'payments' };
export const carrier: Actor = { role: 'system', id: 'carrier' };

/** Shipped at T0, delivery window ends 30 days later; opened (by default) 12 days after shipping. */
export function orderFacts(overrides: Partial<OrderItemFacts> = {}) {
  return OrderItemFacts.parse({
    orderId: 'order-1',
    itemId: 'item-1',
    buyerId: buyer.id,
    sellerId: seller.id,
    currency: 'USD',
    price: 4000,
    shippingCost: 500,
    paymentMethod: 'card',
    shippedAt: T0,
    deliveryWindowEndsAt: day(30),
    ...overrides,
  });
}

export function openRequest(overrides: Partial<OpenRequest> = {}) {
  return OpenRequest.parse({
    type: 'refund_only',
    reason: 'not_as_described',
    description: 'The jacket is a different colour than listed',
    amount: 4000,
    ...overrides,
  });
}

export interface OpenOptions {
  order?: Partial<OrderItemFacts>;
  request?: Partial<OpenRequest>;
  policy?: PolicyOverrides;
  openedAt?: string;
}

export function open(options: OpenOptions = {}): DisputeSnapshot {
  const [snapshot] = initialTransition(disputeMachine, {
    disputeId: 'dispute-1',
    order: orderFacts(options.order),
    request: openRequest(options.request),
    policy: parsePolicy(options.policy ?? {}),
    openedAt: options.openedAt ?? day(12),
  });
  return snapshot;
}

/**
 * Sends an event as the API would: parsed and checked, then transitioned. Throws with the
 * rejection when the machine refuses it, so a test reads as a script.
 */
export function send(snapshot: DisputeSnapshot, by: Actor, at: string, type: string, payload: object = {}) {
  const parsed = parseEvent({ type, ...payload }, by, at);
  if (!parsed.ok) throw new Error(`${type} refused: ${JSON.stringify(parsed.rejection)}`);
  const checked = checkEvent(snapshot, parsed.value);
  if (!checked.ok) throw new Error(`${type} refused: ${JSON.stringify(checked.rejection)}`);
  return transition(disputeMachine, snapshot, checked.value);
}

/** `send` returning only the next snapshot. */
export function step(snapshot: DisputeSnapshot, by: Actor, at: string, type: string, payload: object = {}): DisputeSnapshot {
  return send(snapshot, by, at, type, payload)[0];
}

/** Fires an armed deadline at its due time, as the scheduler does. */
export function fire(snapshot: DisputeSnapshot, name: keyof DisputeSnapshot['context']['deadlines']) {
  const armed = snapshot.context.deadlines[name];
  if (!armed) throw new Error(`deadline ${name} is not armed in ${stateLabel(snapshot)}`);
  return transition(disputeMachine, snapshot, { type: armed.event, at: armed.dueAt, by: { role: 'system', id: 'scheduler' } } as DisputeEvent);
}

export function refuse(snapshot: DisputeSnapshot, by: Actor, at: string, type: string, payload: object = {}) {
  const parsed = parseEvent({ type, ...payload }, by, at);
  if (!parsed.ok) return parsed.rejection;
  const checked = checkEvent(snapshot, parsed.value);
  if (!checked.ok) return checked.rejection;
  throw new Error(`${type} was accepted in ${stateLabel(snapshot)}`);
}

export const label = stateLabel;

/** The instant the rule tests open their disputes, and an instant some days after it. */
export const OPENED = day(12);
export const after = (days: number) => addDays(OPENED, days);

/** A dispute the seller rejected, the buyer escalated and an agent took (`agent-1`). */
export function escalated(options: OpenOptions = {}) {
  let s = open(options);
  s = step(s, seller, after(1), 'seller.reject', { reason: 'looks fine to me' });
  s = step(s, buyer, after(2), 'buyer.escalate');
  return step(s, agent, after(3), 'agent.assign');
}
