/** Request bodies the HTTP tests send again and again: an order shipped 12 days before `now`, an opening on it. */
import { DAY_MS } from './service.ts';

export interface OrderBodyOptions {
  buyerId?: string;
  sellerId?: string;
  /** `paymentInstrument`; left out when undefined. */
  instrument?: string | null;
  itemId?: string;
  price?: number;
  shippingCost?: number;
  /** More fields of the item. */
  item?: Record<string, unknown>;
}

/** An order of one item, shipped 12 days before `now`, its delivery window ending 18 days after. */
export function orderBody(now: number | string, options: OrderBodyOptions = {}) {
  const t = typeof now === 'number' ? now : Date.parse(now);
  const iso = (days: number) => new Date(t + days * DAY_MS).toISOString();
  return {
    buyerId: options.buyerId ?? 'buyer-ana',
    sellerId: options.sellerId ?? 'seller-bolt',
    currency: 'USD',
    paymentMethod: 'card' as const,
    ...(options.instrument !== undefined ? { paymentInstrument: options.instrument } : {}),
    items: [
      {
        itemId: options.itemId ?? 'item-1',
        price: options.price ?? 4000,
        shippingCost: options.shippingCost ?? 500,
        shippedAt: iso(-12),
        deliveryWindowEndsAt: iso(18),
        ...options.item,
      },
    ],
  };
}

/** A buyer's opening of a refund-only dispute on a damaged item. */
export const openingBody = (orderId: string, extra: Record<string, unknown> = {}) => ({
  orderId,
  itemId: 'item-1',
  type: 'refund_only',
  reason: 'damaged_or_defective',
  description: 'Broken',
  amount: 4000,
  ...extra,
});
