import { z } from 'zod';

/**
 * The buyer-protection policy: every number a rule of docs/POLICY.md needs, validated once.
 *
 * Defaults are the resolutions docs/POLICY.md chose; the seeds' alternatives are reachable by
 * overriding a field (a 15-day seller window, no appeals, seller appeals, a 10-day wait before
 * escalation, the shipping wait applied to every reason). A dispute freezes the policy it opened
 * under (R-GEN-2), so changing these later never changes a running dispute.
 *
 * @example
 * const strict = parsePolicy({ appeal: { maxAppeals: 0 } }); // decisions are final (003, 004)
 */
const days = (description: string) => z.number().int().min(0).max(365).meta({ description });

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals, e.g. USD')
  .meta({ description: 'ISO 4217 currency code', example: 'USD' });

export const PaymentMethodKind = z
  .enum(['card', 'paypal', 'alipay', 'bank_transfer'])
  .meta({ description: 'How the buyer paid; the refund goes back the same way (R-REF-1)' });
export type PaymentMethodKind = z.infer<typeof PaymentMethodKind>;

const SettlementWindow = z
  .strictObject({
    minBusinessDays: z.number().int().min(0).max(60),
    maxBusinessDays: z.number().int().min(1).max(60),
  })
  .refine((w) => w.minBusinessDays <= w.maxBusinessDays, {
    message: 'minBusinessDays must not exceed maxBusinessDays',
  });

export const PolicySchema = z
  .strictObject({
    opening: z
      .strictObject({
        notReceivedWaitDays: days('R-OPEN-1: days after shipping before a not_received dispute may open').default(11),
        applyShippingWaitToAllReasons: z
          .boolean()
          .meta({ description: 'R-OPEN-1 alternative: apply the wait after shipping to every reason (002:83)' })
          .default(false),
        protectionDays: days('R-OPEN-2: days after the order completed (or its delivery window ended) during which a dispute may open').default(15),
      })
      .prefault({}),
    negotiation: z
      .strictObject({
        sellerResponseDays: days('R-NEG-1: days the seller has to respond before the refund executes as requested').default(5),
        maxDays: days('R-NEG-4: days of negotiation, from opening, before the dispute escalates by itself').default(15),
        buyerEscalationWaitDays: days('R-NEG-5: days after opening before the buyer may escalate (004: 10)').default(0),
        automaticOffer: z
          .strictObject({
            thresholds: z
              .record(CurrencyCode, z.number().int().min(0))
              .meta({ description: 'R-NEG-7: items priced under this amount (minor units) get an automatic offer' })
              .default({ USD: 500 }),
            percent: z
              .number()
              .int()
              .min(1)
              .max(100)
              .meta({ description: 'R-NEG-7 (ours): the automatic offer as a percentage of the item price' })
              .default(50),
          })
          .prefault({}),
      })
      .prefault({}),
    escalation: z
      .strictObject({
        decisionDays: days('R-ESC-1: days an agent has to decide (overdue is flagged, not auto-decided)').default(7),
        partialRefundBand: z
          .strictObject({
            minPercent: z.number().int().min(0).max(100).default(50),
            maxPercent: z.number().int().min(0).max(100).default(80),
          })
          .refine((b) => b.minPercent <= b.maxPercent, { message: 'minPercent must not exceed maxPercent' })
          .meta({ description: 'R-ESC-3: expected partial refund for a usable not-as-described item' })
          .prefault({}),
        evidenceRequestDays: days('R-ESC-5: days a party has to answer an agent’s request for evidence').default(5),
      })
      .prefault({}),
    appeal: z
      .strictObject({
        windowDays: days('R-APL-1: days after a decision during which it may be appealed').default(7),
        maxAppeals: z.number().int().min(0).max(1).meta({ description: 'R-APL-1: 1 = one appeal; 0 = decisions are final (003, 004)' }).default(1),
        appellants: z
          .array(z.enum(['buyer', 'seller']))
          .meta({ description: 'R-APL-1: who may appeal a decision' })
          .default(['buyer']),
      })
      .prefault({}),
    returns: z
      .strictObject({
        shipBackDays: days('R-RET-1: days the buyer has to ship the item back').default(7),
        sellerConfirmationDays: days('R-RET-2: days the seller has to confirm a delivered return before the refund executes').default(10),
        deliveryDays: days('R-RET-5: days after the buyer shipped the item back within which its delivery must be reported; then an agent decides').default(11),
      })
      .prefault({}),
    evidence: z
      .strictObject({
        imageMaxBytes: z
          .number()
          .int()
          .min(1)
          .meta({ description: 'R-EVID-1: largest image (jpg, jpeg, bmp, gif, png), in bytes' })
          .default(2 * 1024 * 1024),
        videoMaxBytes: z
          .number()
          .int()
          .min(1)
          .meta({ description: 'R-EVID-2 (ours): largest video, in bytes' })
          .default(50 * 1024 * 1024),
      })
      .prefault({}),
    settlement: z
      .strictObject({
        card: SettlementWindow.default({ minBusinessDays: 3, maxBusinessDays: 20 }),
        paypal: SettlementWindow.default({ minBusinessDays: 3, maxBusinessDays: 20 }),
        alipay: SettlementWindow.default({ minBusinessDays: 3, maxBusinessDays: 5 }),
        bank_transfer: SettlementWindow.default({ minBusinessDays: 1, maxBusinessDays: 20 }),
      })
      .meta({ description: 'R-REF-2: expected refund settlement per payment method, in business days' })
      .prefault({}),
  })
  .superRefine((p, ctx) => {
    if (p.negotiation.sellerResponseDays > p.negotiation.maxDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['negotiation', 'sellerResponseDays'],
        message: 'the seller’s response window cannot outlast the negotiation (negotiation.maxDays)',
      });
    }
    if (p.negotiation.buyerEscalationWaitDays > p.negotiation.maxDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['negotiation', 'buyerEscalationWaitDays'],
        message: 'the wait before escalation cannot outlast the negotiation (negotiation.maxDays)',
      });
    }
  })
  .meta({ id: 'Policy', description: 'The buyer-protection policy frozen into each dispute (R-GEN-2)' });

export type Policy = z.infer<typeof PolicySchema>;
export type PolicyOverrides = z.input<typeof PolicySchema>;

/** The documented defaults of docs/POLICY.md. */
export const defaultPolicy: Policy = Object.freeze(PolicySchema.parse({}));

/** Validates overrides on top of the defaults; throws a ZodError naming the bad field. */
export function parsePolicy(overrides: PolicyOverrides = {}): Policy {
  return PolicySchema.parse(overrides);
}

/**
 * R-EVID-1, R-EVID-2: the evidence formats accepted (the service judges a file by its content; a
 * client checks the name and declared type before sending). Their size caps are `evidence` above.
 */
export const evidenceFormats = {
  image: {
    rule: 'R-EVID-1',
    formats: [
      { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
      { mediaType: 'image/png', extensions: ['png'] },
      { mediaType: 'image/gif', extensions: ['gif'] },
      { mediaType: 'image/bmp', extensions: ['bmp'] },
    ],
  },
  video: {
    rule: 'R-EVID-2',
    formats: [
      { mediaType: 'video/mp4', extensions: ['mp4'] },
      { mediaType: 'video/quicktime', extensions: ['mov'] },
      { mediaType: 'video/webm', extensions: ['webm'] },
      { mediaType: 'video/x-msvideo', extensions: ['avi'] },
    ],
  },
} as const;
