/**
 * What the API accepts, as zod schemas: validated on the way in and turned into the OpenAPI
 * document. Objects are strict: an unknown field is an error, never silently dropped.
 */
import { z } from 'zod';
import { eventCatalog, eventTypes, OpenRequest, OrderItemFacts, refusalRuleIds, stages, type EventPayloadInput, type EventType } from '../../machines/index.ts';
import '../queries/view.ts'; // registers the Dispute schema for the OpenAPI document

const Id = z.string().trim().min(1).max(200);

const facts = OrderItemFacts.shape;

/** The order-level facts once, then each item's: the same field schemas disputes copy (R-GEN-3). */
export const OrderBody = z
  .strictObject({
    buyerId: facts.buyerId,
    sellerId: facts.sellerId,
    currency: facts.currency,
    paymentMethod: facts.paymentMethod,
    paymentInstrument: facts.paymentInstrument,
    completedAt: facts.completedAt,
    receiptConfirmedAt: facts.receiptConfirmedAt,
    items: z
      .array(
        OrderItemFacts.pick({
          itemId: true,
          price: true,
          shippingCost: true,
          digital: true,
          freeReturn: true,
          shippedAt: true,
          deliveryWindowEndsAt: true,
          deliveredAt: true,
        }),
      )
      .min(1)
      .max(500),
  })
  .meta({ id: 'OrderRegistration', description: 'The order facts a dispute depends on (R-GEN-3); registering again updates them for future disputes only' });

export const OpenDisputeBody = z
  .strictObject({ orderId: Id, itemId: Id, ...OpenRequest.shape })
  .meta({ id: 'OpenDispute', description: 'Open a dispute on one order item (R-OPEN-*)' });

/** One typed event: `{ type, ...payload }`, one variant per event type. */
export const EventBody = z
  .discriminatedUnion(
    'type',
    eventTypes.map((type) =>
      (eventCatalog[type].payload as z.ZodObject)
        .extend({ type: z.literal(type) })
        .meta({ description: `${eventCatalog[type].description} (roles: ${eventCatalog[type].roles.join(', ')})` }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ id: 'DisputeEvent' });

/**
 * An event as a client writes it: `{ type, ...payload }`, per type the input of the catalogue's
 * schema that the runtime validates it with (`EventBody` is the same union, for the document).
 */
export type EventInput = { [T in EventType]: { type: T } & EventPayloadInput<T> }[EventType];

export const MessageBody = z.strictObject({ body: z.string().trim().min(1).max(4000) }).meta({ id: 'Message' });
export const SessionBody = z
  .union([
    z.strictObject({ code: z.string().min(1).max(200).meta({ description: 'The one-time code of a sign-in link (/inspect#code=…)' }) }),
    z.strictObject({ token: z.string().min(1).max(8192).meta({ description: 'A bearer token (API clients)' }) }),
  ])
  .meta({ id: 'SessionRequest' });
export const ClockAdvanceBody = z
  .strictObject({ by: z.string().min(2).max(20).meta({ description: 'A duration such as 90s, 15m, 6h, 15d or 1d12h', example: '6d' }) })
  .meta({ id: 'ClockAdvance' });

export const CarrierReturnBody = z
  .strictObject({ trackingNumber: z.string().trim().min(1).max(100), status: z.enum(['delivered']), carrier: z.string().trim().min(1).max(100).optional() })
  .meta({ id: 'CarrierReturn', description: 'A carrier reports a return shipment delivered (R-RET-2)' });

export const ListQuery = z.strictObject({
  stage: z.enum(stages).optional().meta({ description: 'Lifecycle stage, e.g. escalated or refunding' }),
  state: z.string().max(200).optional().meta({ description: 'State label prefix, e.g. escalated or negotiating.offerPending' }),
  buyer: Id.optional(),
  seller: Id.optional(),
  order: Id.optional(),
  ended: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true']).optional().meta({ description: 'Only disputes with an overdue decision or refund' }),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const Problem = z
  .object({
    type: z.string().meta({ description: 'Stable URI of the problem type; GET it for an explanation' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string(),
    errors: z
      .array(
        z.object({
          field: z.string().optional(),
          message: z.string(),
          rule: z.enum(refusalRuleIds).optional().meta({ description: 'The docs/POLICY.md rule that refuses it, or EVENT for a malformed event' }),
          earliest: z.string().optional().meta({ description: 'When the refused action becomes possible' }),
          latest: z.string().optional().meta({ description: 'When the refused action stopped being possible' }),
        }),
      )
      .optional(),
    acceptedEvents: z.array(z.enum(eventTypes)).optional(),
    currentVersion: z.number().int().min(1).optional(),
    existingDisputeId: z.string().nullable().optional(),
    errorId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const HistoryEntry = z
  .object({
    seq: z.number().int().min(1),
    type: z.string(),
    actorRole: z.string(),
    actorId: z.string(),
    payload: z.record(z.string(), z.unknown()),
    fromState: z.string().nullable(),
    toState: z.string(),
    at: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'HistoryEntry' });
