/**
 * `npm start` until the HTTP service lands: one scripted dispute, run through the pure machine
 * step by step, printing what each party did and where the dispute stands.
 */
import { initialTransition, transition } from 'xstate';
import {
  OpenRequest,
  OrderItemFacts,
  availableEvents,
  catchUp,
  checkEvent,
  defaultPolicy,
  disputeMachine,
  parseEvent,
  stateLabel,
  type Actor,
  type DisputeSnapshot,
} from '../machines/index.ts';

const buyer: Actor = { role: 'buyer', id: 'buyer-ana' };
const seller: Actor = { role: 'seller', id: 'seller-bolt-store' };
const agent: Actor = { role: 'agent', id: 'agent-kim' };
const payments: Actor = { role: 'system', id: 'payments' };

const order = OrderItemFacts.parse({
  orderId: 'order-1001',
  itemId: 'item-1',
  buyerId: buyer.id,
  sellerId: seller.id,
  currency: 'USD',
  price: 4000,
  shippingCost: 500,
  paymentMethod: 'card',
  shippedAt: '2026-11-02T10:00:00Z',
  deliveryWindowEndsAt: '2026-12-02T10:00:00Z',
  deliveredAt: '2026-11-12T10:00:00Z',
});
const request = OpenRequest.parse({
  type: 'refund_only',
  reason: 'not_as_described',
  reasonDetail: 'colour_or_size',
  description: 'Ordered a blue jacket, received a green one.',
  amount: 4000,
});

const money = (minor: number) => `${(minor / 100).toFixed(2)} ${order.currency}`;

function show(snapshot: DisputeSnapshot, what: string, actions: readonly { type: string; params?: unknown }[] = []) {
  const { funds, deadlines } = snapshot.context;
  const next = Object.entries(deadlines).map(([name, d]) => `${name} ${d?.dueAt}`);
  console.log(`\n${what}`);
  console.log(`  state    ${stateLabel(snapshot)}`);
  console.log(`  funds    held ${money(funds.held)} · refunded ${money(funds.refunded)} · released ${money(funds.released)}`);
  if (next.length > 0) console.log(`  due      ${next.join(', ')}`);
  for (const action of actions) console.log(`  effect   ${action.type} ${JSON.stringify(action.params)}`);
}

let [snapshot] = initialTransition(disputeMachine, {
  disputeId: 'dispute-demo',
  order,
  request,
  policy: defaultPolicy,
  openedAt: '2026-11-14T10:00:00.000Z',
});
show(snapshot, `${buyer.id} opens a not_as_described dispute for ${money(request.amount)}`);

function send(by: Actor, at: string, event: Record<string, unknown>, what: string) {
  const caughtUp = catchUp(snapshot, at);
  for (const fired of caughtUp.steps) show(fired.snapshot, `${fired.event.at}  ${fired.event.type} fires`, fired.actions);
  snapshot = caughtUp.snapshot;
  const parsed = parseEvent(event, by, at);
  const checked = parsed.ok ? checkEvent(snapshot, parsed.value) : parsed;
  if (!checked.ok) throw new Error(`${what}: refused: ${checked.rejection.message}`);
  const [next, actions] = transition(disputeMachine, snapshot, checked.value);
  snapshot = next;
  show(snapshot, `${at}  ${by.role} ${by.id}: ${what}`, actions);
}

send(seller, '2026-11-15T09:00:00.000Z', { type: 'seller.counterOffer', amount: 1500, note: 'Colour is close enough' }, 'counter-offers 15.00');
send(buyer, '2026-11-15T18:00:00.000Z', { type: 'buyer.rejectOffer', reason: 'It is clearly green' }, 'rejects the offer');
send(buyer, '2026-11-16T08:00:00.000Z', { type: 'buyer.escalate' }, 'escalates to the platform');
send(agent, '2026-11-17T08:00:00.000Z', { type: 'agent.assign' }, 'takes the case');
console.log(`\n  ${agent.id} may now send: ${availableEvents(snapshot, agent, '2026-11-17T08:30:00.000Z').map((e) => e.type).join(', ')}`);
send(agent, '2026-11-17T09:00:00.000Z', { type: 'agent.decide', outcome: 'buyer_partial_refund', amount: 2800, reason: 'Listed as blue; usable, wrong colour' }, 'decides a 70 % refund');
send(payments, '2026-11-20T09:00:00.000Z', { type: 'refund.settled', refundId: snapshot.context.refunds[0]?.id }, 'reports the refund settled');
send(buyer, '2026-11-21T09:00:00.000Z', { type: 'message.send', body: 'Thanks, fair enough.' }, 'sends a message');
const end = catchUp(snapshot, '2026-11-30T00:00:00.000Z');
for (const fired of end.steps) show(fired.snapshot, `${fired.event.at}  ${fired.event.type} fires`, fired.actions);
snapshot = end.snapshot;
console.log(`\nOutcome: ${JSON.stringify(snapshot.context.outcome)}`);
