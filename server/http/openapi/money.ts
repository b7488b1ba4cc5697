/**
 * How far money goes in the OpenAPI document, derived from the machine rather than written down.
 * The order check refuses prices and shipping costs above ARBITER_MAX_AMOUNT, so the largest
 * dispute a deployment can hold is an item at that price with that much shipping, its whole price
 * and shipping asked back. Every amount the API takes or answers is bounded by what that dispute
 * allows: an amount asked at open by the price (R-OPEN-7), an amount held, refunded, released,
 * requested, agreed or offered by what was paid (R-FUND-1, R-REF-4), and an event's amount by the
 * event's own limits (`maxima` in the event catalogue) on that dispute.
 */
import { defaultPolicy, eventCatalog, eventTypes, initialContext, OpenRequest, OrderItemFacts, type DisputeContext } from '../../../machines/index.ts';

/** The dispute with the most money this deployment can hold. */
export function largestDispute(maxAmount: number): DisputeContext {
  const order = OrderItemFacts.parse({
    orderId: 'largest',
    itemId: 'largest',
    buyerId: 'buyer',
    sellerId: 'seller',
    currency: 'USD',
    price: maxAmount,
    shippingCost: maxAmount,
    paymentMethod: 'card',
    deliveryWindowEndsAt: '2026-01-01T00:00:00Z',
  });
  const request = OpenRequest.parse({ type: 'refund_only', reason: 'damaged_or_defective', description: 'largest', amount: maxAmount, includeShipping: true });
  return initialContext({ disputeId: 'largest', order, request, policy: defaultPolicy, openedAt: '2026-01-01T00:00:00.000Z' });
}

export interface MoneyBounds {
  /** A price, a shipping cost, an amount asked at open: at most the item's price. */
  item: number;
  /** What a dispute holds, refunds, releases or puts on the table: at most what was paid. */
  paid: number;
  /** Per event type, its amounts' limits on the largest dispute. */
  events: Record<string, Record<string, number>>;
}

export function moneyBounds(maxAmount: number): MoneyBounds {
  const largest = largestDispute(maxAmount);
  const events: Record<string, Record<string, number>> = {};
  for (const type of eventTypes) {
    const { maxima } = eventCatalog[type] as { maxima?: (context: DisputeContext) => Record<string, number> };
    if (maxima) events[type] = maxima(largest);
  }
  return { item: largest.order.price, paid: largest.funds.paid, events };
}

type Node = Record<string, unknown>;

/**
 * Sets `maximum` on every money field (`x-money`) of the component schemas: an event's amounts
 * by its limits, an amount marked `x-money-bound: paid` by what was paid, any other by the price.
 * The marker is the schema's own (see `server/queries/view.ts`) and is removed once read.
 */
export function boundMoney(schemas: Record<string, Node>, bounds: MoneyBounds): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      const n = node as Node;
      if (n['x-money'] === 'minor-units' && n.type === 'integer') {
        n.maximum = Math.min(n['x-money-bound'] === 'paid' ? bounds.paid : bounds.item, (n.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER);
        delete n['x-money-bound'];
      }
      for (const child of Object.values(n)) walk(child);
    }
  };
  walk(schemas);
  for (const variant of (schemas.DisputeEvent?.oneOf ?? []) as { properties: Record<string, Node> & { type: { const: string } } }[]) {
    for (const [field, maximum] of Object.entries(bounds.events[variant.properties.type.const] ?? {})) variant.properties[field]!.maximum = maximum;
  }
}
