/**
 * The read side of orders: the items a buyer may still open a dispute on. Those no dispute was
 * ever opened on (R-OPEN-3) whose buyer protection has not ended (R-OPEN-2); the other opening
 * rules depend on what the buyer asks for and are checked when they open.
 */
import { isBefore, rules, type Policy } from '../../machines/index.ts';
import { addDays } from '../../machines/time.ts';
import type { DisputeStore } from '../../db/store.ts';

export interface DisputableItem {
  orderId: string;
  itemId: string;
  currency: string;
  price: number;
  shippingCost: number;
  /** R-OPEN-2: the last moment a dispute on it may open. */
  protectionEndsAt: string;
}

/**
 * At most `limit` of the buyer's items, by order and item id. The store leaves out items whose
 * protection ended (instants are canonical ISO text, so they compare as text), however many.
 */
export async function disputableItems(store: DisputeStore, policy: Policy, buyerId: string, now: string, limit = 100): Promise<DisputableItem[]> {
  return (await store.undisputedOrderItems(buyerId, addDays(now, -policy.opening.protectionDays), limit))
    .map((facts) => ({
      orderId: facts.orderId,
      itemId: facts.itemId,
      currency: facts.currency,
      price: facts.price,
      shippingCost: facts.shippingCost,
      protectionEndsAt: rules.protectionEndsAt(facts, policy),
    }))
    .filter((item) => isBefore(now, item.protectionEndsAt));
}
