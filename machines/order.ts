import { z } from 'zod';
import { CurrencyCode, PaymentMethodKind, type Policy } from './policy.ts';
import { canonicalInstant } from './time.ts';

/** An ISO 8601 instant with a zone (`Z` or an offset), normalised to UTC milliseconds. */
export const Instant = z.iso
  .datetime({ offset: true })
  .transform(canonicalInstant)
  .meta({ description: 'ISO 8601 instant with a zone, e.g. 2026-12-04T10:00:00Z', example: '2026-12-04T10:00:00Z' });

/** Money is integer minor units of the order's currency (R-GEN-5): never floats. */
const wholeMinorUnits = z.number().int('an integer number of minor units (cents), not a decimal').max(Number.MAX_SAFE_INTEGER);

export const MinorUnits = wholeMinorUnits
  .min(0)
  .meta({ description: 'Amount in minor units of the order currency (e.g. cents)', example: 1999, 'x-money': 'minor-units' });

export const PositiveMinorUnits = wholeMinorUnits
  .min(1, 'must be more than zero')
  .meta({ description: 'Amount in minor units of the order currency (e.g. cents), more than zero', example: 1999, 'x-money': 'minor-units' });

const Id = z.string().trim().min(1).max(200);

/**
 * The facts of one order item that the rules need, copied into the dispute at open (R-GEN-3):
 * later changes to the order never change a running dispute.
 */
export const OrderItemFacts = z
  .strictObject({
    orderId: Id,
    itemId: Id,
    buyerId: Id,
    sellerId: Id,
    currency: CurrencyCode,
    price: PositiveMinorUnits.meta({ description: 'What the buyer paid for this item, shipping excluded (minor units)' }),
    shippingCost: MinorUnits.meta({ description: 'What the buyer paid to ship this item (minor units)' }).default(0),
    paymentMethod: PaymentMethodKind,
    paymentInstrument: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .meta({ description: 'The instrument at the payment provider (R-REF-1); the simulated provider fails tok_card_expired and tok_account_closed' })
      .default(null),
    digital: z.boolean().default(false),
    freeReturn: z.boolean().meta({ description: "The item carries the 'Free Return' badge (R-RET-4)" }).default(false),
    shippedAt: Instant.nullable().default(null),
    deliveryWindowEndsAt: Instant.meta({ description: 'End of the guaranteed delivery window' }),
    deliveredAt: Instant.nullable().default(null),
    completedAt: Instant.nullable().meta({ description: 'When the order completed (protection counts from here)' }).default(null),
    receiptConfirmedAt: Instant.nullable().default(null),
  })
  .meta({ id: 'OrderItemFacts' });
export type OrderItemFacts = z.infer<typeof OrderItemFacts>;

export const DisputeType = z.enum(['refund_only', 'return_and_refund']).meta({
  title: 'What you ask for',
  description: 'Refund only, or return the goods for a refund (R-OPEN-5)',
  'x-enum-labels': { refund_only: 'A refund; I keep the item', return_and_refund: 'I return the item for a refund' },
});
export type DisputeType = z.infer<typeof DisputeType>;

export const DisputeReason = z
  .enum(['not_received', 'not_as_described', 'damaged_or_defective', 'quantity_short', 'digital_not_delivered', 'fake_tracking'])
  .meta({
    title: 'What went wrong',
    description: 'Why the buyer opens the dispute (R-OPEN-6)',
    'x-enum-labels': {
      not_received: 'The item never arrived',
      not_as_described: 'Not as described (wrong item, fake, colour, size, material)',
      damaged_or_defective: 'Damaged or does not work',
      quantity_short: 'Fewer items than ordered',
      digital_not_delivered: 'A digital item was never delivered',
      fake_tracking: 'The tracking number is fake',
    },
  });
export type DisputeReason = z.infer<typeof DisputeReason>;

export const NotAsDescribedDetail = z.enum(['wrong_item', 'fake', 'colour_or_size', 'material']).meta({
  title: 'How it differs from the listing',
  description: 'How a not-as-described item differs from its listing (R-OPEN-6)',
  'x-enum-labels': { wrong_item: 'A different item', fake: 'A fake', colour_or_size: 'Wrong colour or size', material: 'Wrong material' },
});

/** What the buyer asks for when opening (R-OPEN-5..10). */
export const OpenRequest = z
  .strictObject({
    type: DisputeType,
    reason: DisputeReason,
    reasonDetail: NotAsDescribedDetail.optional(),
    description: z
      .string()
      .trim()
      .min(1, 'R-OPEN-10: describe the problem')
      .max(4000)
      .meta({ title: 'What is wrong', description: 'What is wrong, in the buyer’s words (R-OPEN-10)' }),
    amount: PositiveMinorUnits.meta({
      title: 'Refund you ask for',
      description: 'The refund requested for the item itself (minor units), at most its price (R-OPEN-7)',
      'x-money': 'minor-units',
    }),
    includeShipping: z
      .boolean()
      .meta({ title: 'Also refund the shipping cost', description: 'Add the shipping cost; only with a full refund or an unusable item (R-OPEN-7)' })
      .default(false),
    itemUnusable: z.boolean().meta({ title: 'The item cannot be used at all', description: 'The buyer states the item cannot be used at all' }).default(false),
  })
  .meta({ id: 'OpenRequest' });
export type OpenRequest = z.infer<typeof OpenRequest>;

/** Everything a dispute starts from. The runtime stamps `openedAt` from its clock. */
export interface DisputeInput {
  disputeId: string;
  order: OrderItemFacts;
  request: OpenRequest;
  policy: Policy;
  openedAt: string;
}
