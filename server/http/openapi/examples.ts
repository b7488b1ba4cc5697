/**
 * The examples of the OpenAPI document: a request body for every operation that takes one and a
 * success response for every operation that answers with a body; problems get theirs from the
 * problem types. The disputes are not written by hand: they are what the machine and the view make
 * of the walk-through's order (opened, then counter-offered), so they cannot drift from the schema.
 * A test validates every example against the schema beside it.
 */
import { defaultPolicy, disputeMachine, disputeMachineVersion, type DisputeInput, type OrderItemFacts } from '../../../machines/index.ts';
import { renderView } from '../../queries/view.ts';
import { eventStep, openStep } from '../../runtime/step.ts';
import { problemTypes, type ProblemType } from '../problems.ts';

const openedAt = '2026-01-20T10:00:00.000Z';
const later = '2026-01-21T09:30:00.000Z';
const buyer = { role: 'buyer' as const, id: 'buyer-ana' };
const seller = { role: 'seller' as const, id: 'seller-bolt' };

const order = {
  buyerId: 'buyer-ana',
  sellerId: 'seller-bolt',
  currency: 'USD',
  paymentMethod: 'card' as const,
  items: [{ itemId: 'kettle', price: 3500, shippingCost: 400, shippedAt: '2026-01-05T10:00:00Z', deliveryWindowEndsAt: '2026-02-01T00:00:00Z' }],
};
const openRequest = {
  orderId: 'order-1001',
  itemId: 'kettle',
  type: 'refund_only',
  reason: 'damaged_or_defective',
  description: 'The lid hinge snapped on first use',
  amount: 3500,
};
const facts: OrderItemFacts = {
  orderId: 'order-1001',
  itemId: 'kettle',
  buyerId: 'buyer-ana',
  sellerId: 'seller-bolt',
  currency: 'USD',
  price: 3500,
  shippingCost: 400,
  paymentMethod: 'card',
  paymentInstrument: null,
  digital: false,
  freeReturn: false,
  shippedAt: '2026-01-05T10:00:00.000Z',
  deliveryWindowEndsAt: '2026-02-01T00:00:00.000Z',
  deliveredAt: null,
  completedAt: null,
  receiptConfirmedAt: null,
};
const counterOffer = { type: 'seller.counterOffer', amount: 1500, note: 'Glue fixes it' };

/** The walk-through's dispute: opened (as the buyer who opened it sees it), then after the seller's counter-offer (as the seller sees it). */
function disputes() {
  const input: DisputeInput = {
    disputeId: 'dsp_01JH8Y3K2M4N5P6Q7R8S9T0V1W',
    order: facts,
    request: {
      type: 'refund_only',
      reason: 'damaged_or_defective',
      description: openRequest.description,
      amount: 3500,
      includeShipping: false,
      itemUnusable: false,
    },
    policy: defaultPolicy,
    openedAt,
  };
  const opened = openStep(input, buyer, openedAt);
  if (!opened.ok) throw new Error(`the example dispute does not open: ${JSON.stringify(opened)}`);
  const offered = eventStep(opened.after, counterOffer, seller, later);
  if (!offered.ok) throw new Error(`the example counter-offer is refused: ${JSON.stringify(offered)}`);
  const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
  return {
    DisputeOpened: { summary: 'Opened, as the buyer sees it', value: json(renderView(opened.after, buyer, openedAt)) },
    DisputeCounterOffered: { summary: 'After the seller’s counter-offer, as the seller sees it', value: json(renderView(offered.after, seller, later)) },
  };
}

const opened = { $ref: '#/components/examples/DisputeOpened' };
const offered = { $ref: '#/components/examples/DisputeCounterOffered' };
const value = (v: unknown) => ({ value: v });
const evidence = {
  id: 'ev_3f1c2a9e-5b7d-4e2a-9c1f-0a8b7c6d5e4f',
  disputeId: 'dsp_01JH8Y3K2M4N5P6Q7R8S9T0V1W',
  sha256: '9f2b5c1e7a3d4f6b8c0e2a4d6f8b0c2e4a6d8f0b2c4e6a8d0f2b4c6e8a0d2f4b',
  size: 27,
  mediaType: 'image/png',
  kind: 'image',
  uploaderRole: 'buyer',
  uploaderId: 'buyer-ana',
  uploadedAt: later,
  displayName: 'hinge.png',
  hidden: false,
};
const outboxRow = {
  id: 42,
  disputeId: 'dsp_01JH8Y3K2M4N5P6Q7R8S9T0V1W',
  seq: 6,
  channel: 'payments',
  kind: 'refund.request',
  deliveryId: 'dsp_01JH8Y3K2M4N5P6Q7R8S9T0V1W:6:refund',
  payload: { amount: 2500, currency: 'USD' },
  status: 'dead',
  attempts: 8,
  nextAttemptAt: later,
  lastError: 'HTTP 503 from the payment provider',
  createdAt: openedAt,
  doneAt: null,
  log: [{ attempt: 1, at: openedAt, ok: false, statusCode: 503, error: 'HTTP 503 from the payment provider', durationMs: 41 }],
};
const history = (
  seq: number,
  type: string,
  actor: { role: string; id: string },
  payload: Record<string, unknown>,
  fromState: string | null,
  toState: string,
) => ({
  seq,
  type,
  actorRole: actor.role,
  actorId: actor.id,
  payload,
  fromState,
  toState,
  at: seq === 1 ? openedAt : later,
  recordedAt: seq === 1 ? openedAt : later,
});

type Examples = Record<string, { request?: Record<string, unknown>; response: Record<string, unknown> }>;

/**
 * The shared examples (`components.examples`: the disputes, referenced from the operations) and,
 * per operation (`method path`), named examples of its request body and its success response.
 */
export function documentExamples(): { components: Record<string, unknown>; operations: Examples } {
  const shared = disputes();
  return { components: { ...shared, ...problems() }, operations: operationExamples(shared) };
}

function operationExamples(d: ReturnType<typeof disputes>): Examples {
  return {
    'get /healthz': { response: { up: value({ status: 'ok', mode: 'production', now: later }) } },
    'get /readyz': { response: { ready: value({ status: 'ready', store: 'sqlite', now: later }) } },
    'get /openapi.json': {
      response: { abridged: { summary: 'Abridged', value: { openapi: '3.1.0', info: { title: 'Arbiter', version: '0.1.0' }, paths: {} } } },
    },
    'get /docs': { response: { page: value('<!doctype html><html lang="en"><head><title>Arbiter API</title>…') } },
    'get /docs/scalar.js': { response: { script: value('/* @scalar/api-reference standalone */ …') } },
    'get /problems/{type}': {
      response: {
        page: value({
          type: '/problems/precondition-failed',
          status: 412,
          title: problemTypes['precondition-failed'].title,
          description: problemTypes['precondition-failed'].help,
        }),
      },
    },
    'get /metrics': {
      response: { text: value('# HELP arbiter_disputes_open Disputes not yet ended.\n# TYPE arbiter_disputes_open gauge\narbiter_disputes_open 12\n') },
    },
    'post /session': {
      request: {
        code: value({ code: 'k7Qm2vX9pL4sT8wZ1nB6yR3cF5hJ0dGa' }),
        token: value({ token: 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJidXllci1hbmEiLCJyb2xlIjoiYnV5ZXIifQ.c2ln' }),
      },
      response: { signedIn: value({ role: 'buyer', sub: 'buyer-ana', expiresAt: '2026-01-21T21:30:00.000Z', csrfToken: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6' }) },
    },
    'get /session': { response: { bearer: value({ role: 'buyer', sub: 'buyer-ana', via: 'bearer' }) } },
    'put /orders/{orderId}': { request: { order: value(order) }, response: { registered: value({ orderId: 'order-1001', ...order }) } },
    'get /orders/{orderId}/items/{itemId}': { response: { facts: value(facts) } },
    'get /orders/disputable': {
      response: {
        one: value({
          items: [{ orderId: 'order-1001', itemId: 'kettle', currency: 'USD', price: 3500, shippingCost: 400, protectionEndsAt: '2026-02-16T00:00:00.000Z' }],
        }),
      },
    },
    'post /disputes': { request: { damaged: value(openRequest) }, response: { opened } },
    'get /disputes': {
      response: { page: { summary: 'One dispute, no further page', value: { items: [d.DisputeOpened.value], nextCursor: null } } },
    },
    'get /disputes/{id}': { response: { opened } },
    'get /disputes/{id}/history': {
      response: {
        history: value({
          disputeId: 'dsp_01JH8Y3K2M4N5P6Q7R8S9T0V1W',
          version: 2,
          items: [
            history(1, 'dispute.opened', buyer, openRequest, null, 'negotiating.awaitingSellerResponse'),
            history(
              2,
              'seller.counterOffer',
              seller,
              { amount: 1500, note: 'Glue fixes it' },
              'negotiating.awaitingSellerResponse',
              'negotiating.offerPending',
            ),
          ],
        }),
      },
    },
    'post /disputes/{id}/events': { request: { counterOffer: value(counterOffer), escalate: value({ type: 'buyer.escalate' }) }, response: { offered } },
    'post /disputes/{id}/messages': { request: { thanks: value({ body: 'Thanks, I will try the glue' }) }, response: { offered } },
    'get /agent/queue': { response: { empty: value({ items: [], nextCursor: null }) } },
    'post /disputes/{id}/evidence': {
      request: { photo: value({ file: '(the bytes of hinge.png)' }) },
      response: { stored: value({ evidence, dispute: d.DisputeCounterOffered.value }) },
    },
    'get /disputes/{id}/evidence': { response: { one: value({ items: [evidence] }) } },
    'get /disputes/{id}/evidence/{evidenceId}': { response: { bytes: value('(the bytes, as uploaded)') } },
    'post /disputes/{id}/evidence/{evidenceId}/hide': { response: { offered } },
    'get /disputes/{id}/deliveries': { response: { refund: value({ items: [outboxRow] }) } },
    'get /admin/outbox': { response: { dead: value({ items: [outboxRow] }) } },
    'post /admin/outbox/{outboxId}/redrive': { response: { pending: value({ ...outboxRow, status: 'pending', attempts: 0, lastError: null }) } },
    'post /carrier/returns': {
      request: { delivered: value({ trackingNumber: '1Z999AA10123456784', status: 'delivered', carrier: 'UPS' }) },
      response: { offered },
    },
    'get /disputes/{id}/diagram.svg': { response: { svg: value('<svg xmlns="http://www.w3.org/2000/svg" …') } },
    'get /disputes/{id}/stream': { response: { events: value('event: dispute\ndata: {"dispute":{…},"history":[…]}\n\nevent: ping\ndata: \n\n') } },
    'get /machines/dispute.svg': { response: { svg: value('<svg xmlns="http://www.w3.org/2000/svg" …') } },
    'get /inspect': { response: { page: value('<!doctype html><html lang="en">…') } },
    'get /inspect/disputes/{id}': { response: { page: value('<!doctype html><html lang="en">…') } },
    'get /inspect/assets/{file}': { response: { script: value('// the inspector …') } },
    'get /machines/dispute': {
      response: {
        abridged: {
          summary: 'Abridged',
          value: { id: disputeMachine.id, version: disputeMachineVersion, states: [], transitions: [], deadlines: [], events: [] },
        },
      },
    },
    'get /machines/dispute/paths': {
      response: {
        abridged: {
          summary: 'Abridged',
          value: {
            machine: { id: disputeMachine.id, version: disputeMachineVersion },
            policy: defaultPolicy,
            kind: 'shortest',
            to: 'resolved.refunded',
            maxLength: 20,
            openedAt,
            truncated: false,
            coverage: {},
            paths: [],
          },
        },
      },
    },
    'get /admin/clock': { response: { now: value({ now: later, offsetMs: 0, controllable: true }) } },
    'post /admin/clock/advance': {
      request: { sixDays: value({ by: '6d' }) },
      response: { moved: value({ now: '2026-01-27T09:30:00.000Z', offsetMs: 518_400_000, deadlinesFired: 1 }) },
    },
  };
}

/** What the service answers for each problem type, with the extras the type carries. */
function problems(): Record<string, { summary: string; value: unknown }> {
  const instance = '/disputes/dsp_01JH8Y3K2M4N5P6Q7R8S9T0V1W/events';
  const extras: Partial<Record<ProblemType, Record<string, unknown>>> = {
    'invalid-request': { errors: [{ field: 'amount', message: 'a counter-offer stays below the USD 35.00 (3500) requested', rule: 'R-NEG-2' }] },
    'not-eligible': {
      errors: [{ field: 'reason', message: 'not_received disputes open 7 days after shipping', rule: 'R-OPEN-1', earliest: '2026-01-12T10:00:00.000Z' }],
    },
    'event-not-accepted': { errors: [{ message: 'the seller already responded', rule: 'R-NEG-2' }], acceptedEvents: ['message.send', 'evidence.add'] },
    'precondition-failed': { currentVersion: 2 },
    'duplicate-dispute': { existingDisputeId: 'dsp_01JH8Y3K2M4N5P6Q7R8S9T0V1W' },
    internal: { errorId: 'err_5c7e1a' },
  };
  return Object.fromEntries(
    (Object.keys(problemTypes) as ProblemType[]).map((type) => {
      const { status, title } = problemTypes[type];
      return [`problem-${type}`, { summary: title, value: { type: `/problems/${type}`, title, status, detail: title, instance, ...extras[type] } }];
    }),
  );
}

/** References to the examples of every problem type of a status. */
export function problemExamples(status: number) {
  const types = (Object.keys(problemTypes) as ProblemType[]).filter((t) => problemTypes[t].status === status);
  return Object.fromEntries(types.map((type) => [type, { $ref: `#/components/examples/problem-${type}` }]));
}
