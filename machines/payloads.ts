import { z } from 'zod';
import { PositiveMinorUnits } from './order.ts';

/**
 * Building blocks of the event payloads (`events.ts`). Every field carries a `title` (what a form
 * calls it) and a `description` (the rule behind it); money fields say they are minor units
 * (`x-money`) and enums give a label per value (`x-enum-labels`), so a client builds a form a
 * person understands from the schema alone.
 */
export const Text = (max: number, title: string, description: string) => z.string().trim().min(1).max(max).meta({ title, description });

/** Minor units of the dispute's currency, entered by people in major units (R-GEN-5). */
export const Money = (title: string, description: string) => PositiveMinorUnits.meta({ title, description, 'x-money': 'minor-units' });

/** A choice with a label per value, for forms. */
export const Choice = <const T extends readonly [string, ...string[]]>(values: T, labels: Record<T[number], string>, title: string, description: string) =>
  z.enum(values).meta({ title, description, 'x-enum-labels': labels });

export const Flag = (title: string, description: string) => z.boolean().meta({ title, description });

export const none = z.strictObject({});

export const DecisionPayload = z
  .strictObject({
    outcome: Choice(
      ['buyer_full_refund', 'buyer_partial_refund', 'seller_wins'],
      { buyer_full_refund: 'Full refund to the buyer', buyer_partial_refund: 'Partial refund to the buyer', seller_wins: 'The seller wins: no refund' },
      'Outcome',
      'The outcome of the dispute (R-ESC-2)',
    ),
    amount: Money('Partial refund for the item', 'Partial refunds only: the refund for the item itself, without shipping (R-ESC-3, R-ESC-4)').optional(),
    refundShipping: Flag('Refund the shipping cost too', 'Partial refunds of an unusable item may add the shipping cost (R-ESC-4)').default(false),
    itemUnusable: Flag('The item is unusable', 'The agent finds the item unusable').default(false),
    returnRequired: Flag(
      'The buyer returns the item first',
      'Only when the buyer asked to return the item: the buyer returns it first (by default, with a full refund)',
    ).optional(),
    sellerPaysReturnShipping: Flag('The seller pays the return shipping', 'The seller pays the return shipping (R-RET-4)').default(false),
    reason: Text(4000, 'Reason for the decision', 'The written reason for the decision, shown to both parties (R-ESC-2)'),
    overrideReason: Text(4000, 'Why outside the usual range', 'Why a partial refund falls outside the expected band (R-ESC-3)').optional(),
  })
  .superRefine((d, ctx) => {
    if (d.outcome === 'buyer_partial_refund' && d.amount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a partial refund needs an amount' });
    }
    if (d.outcome !== 'buyer_partial_refund' && d.amount !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `amount applies to buyer_partial_refund only` });
    }
  });

export const partialAmount = (title: string) =>
  z.strictObject({
    amount: Money(title, 'The refund for the item, without shipping'),
    note: Text(2000, 'Note', 'A note to the other party').optional(),
  });
