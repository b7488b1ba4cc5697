/**
 * The disputes generated paths start from. Order facts are written relative to the opening
 * instant (in days, negative before it), so the same scenario opens on any deployment at any
 * time: the test registers the order just before opening, with instants computed from the
 * deployment's clock. Together they reach every state: a refund-only dispute, a return with the
 * seller paying it back, a small item with an automatic offer whose protection ends a day after
 * opening, and a dispute opened too early.
 */
import { OpenRequest, OrderItemFacts, type DisputeInput, type Policy } from '../../machines/index.ts';

export interface Scenario {
  name: string;
  description: string;
  order: {
    price: number;
    shippingCost: number;
    currency: string;
    paymentMethod: 'card' | 'paypal' | 'alipay' | 'bank_transfer';
    digital: boolean;
    freeReturn: boolean;
    /** Days relative to the opening (negative: before it); `null`: not happened. */
    shippedAt: number | null;
    deliveryWindowEndsAt: number;
    deliveredAt: number | null;
    completedAt: number | null;
    receiptConfirmedAt: number | null;
  };
  request: OpenRequest;
}

const order = (overrides: Partial<Scenario['order']> = {}): Scenario['order'] => ({
  price: 4000,
  shippingCost: 500,
  currency: 'USD',
  paymentMethod: 'card',
  digital: false,
  freeReturn: false,
  shippedAt: -12,
  deliveryWindowEndsAt: 18,
  deliveredAt: null,
  completedAt: null,
  receiptConfirmedAt: null,
  ...overrides,
});

const request = (overrides: Partial<OpenRequest> = {}) =>
  OpenRequest.parse({ type: 'refund_only', reason: 'not_as_described', description: 'Not the colour in the listing', amount: 4000, ...overrides });

export const scenarios: readonly Scenario[] = [
  {
    name: 'refund-only',
    description: 'refund only, not as described, the whole price asked back',
    order: order(),
    request: request(),
  },
  {
    name: 'return-and-refund',
    description: 'return and refund of a damaged item with a free return',
    order: order({ freeReturn: true }),
    request: request({ type: 'return_and_refund', reason: 'damaged_or_defective', description: 'The hinge snapped on first use' }),
  },
  {
    name: 'small-item',
    description: 'a low-priced item with an automatic offer, its protection ending a day after opening',
    order: order({ price: 400, shippingCost: 100, shippedAt: -24, deliveryWindowEndsAt: 6, completedAt: -14 }),
    request: request({ amount: 400 }),
  },
  {
    name: 'not-received',
    description: 'not received, opened twelve days after shipping',
    order: order(),
    request: request({ reason: 'not_received', description: 'Nothing arrived' }),
  },
  {
    name: 'opened-too-early',
    description: 'not received, opened three days after shipping',
    order: order({ shippedAt: -3, deliveryWindowEndsAt: 27 }),
    request: request({ reason: 'not_received', description: 'Nothing arrived yet' }),
  },
];

const DAY_MS = 86_400_000;
const at = (openedAt: string, days: number | null) => (days === null ? null : new Date(Date.parse(openedAt) + days * DAY_MS).toISOString());

/** The order facts of a scenario opened at `openedAt`, as the marketplace registers them (R-GEN-3). */
export function orderFacts(scenario: Scenario, openedAt: string, ids: { orderId: string; itemId: string; buyerId: string; sellerId: string }): OrderItemFacts {
  const o = scenario.order;
  return OrderItemFacts.parse({
    ...ids,
    price: o.price,
    shippingCost: o.shippingCost,
    currency: o.currency,
    paymentMethod: o.paymentMethod,
    paymentInstrument: null,
    digital: o.digital,
    freeReturn: o.freeReturn,
    shippedAt: at(openedAt, o.shippedAt),
    deliveryWindowEndsAt: at(openedAt, o.deliveryWindowEndsAt),
    deliveredAt: at(openedAt, o.deliveredAt),
    completedAt: at(openedAt, o.completedAt),
    receiptConfirmedAt: at(openedAt, o.receiptConfirmedAt),
  });
}

/** The body of `PUT /orders/{orderId}` that registers a scenario's order (one item). */
export function orderRegistration(scenario: Scenario, openedAt: string, ids: { orderId: string; itemId: string; buyerId: string; sellerId: string }) {
  const {
    orderId: _orderId,
    itemId,
    buyerId,
    sellerId,
    currency,
    paymentMethod,
    paymentInstrument,
    completedAt,
    receiptConfirmedAt,
    ...item
  } = orderFacts(scenario, openedAt, ids);
  return { buyerId, sellerId, currency, paymentMethod, paymentInstrument, completedAt, receiptConfirmedAt, items: [{ itemId, ...item }] };
}

/**
 * The model's dispute: its ids are placeholders (`{dispute}`, `{order}`) that a test replaces
 * with the deployment's, so ids derived from them (a refund's) read the same on both sides. The
 * order's instants count from `factsAt` (when the test registered the order; default the opening).
 */
export function modelInput(scenario: Scenario, policy: Policy, openedAt: string, factsAt = openedAt): DisputeInput {
  const ids = { orderId: '{order}', itemId: 'item-1', buyerId: 'buyer', sellerId: 'seller' };
  return { disputeId: '{dispute}', order: orderFacts(scenario, factsAt, ids), request: scenario.request, policy, openedAt };
}

export function scenarioNamed(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  return found;
}
