/**
 * A typed client for TypeScript callers (marketplace back ends, scripts, tests). What it sends is
 * typed from the zod schemas the server validates with: a body or a query string as the schema's
 * input (`z.input`), an event as its type's schema in the event catalogue. A body the server would
 * refuse for its shape does not compile (test/client.test.ts). Errors come back as the server's
 * problem+json, thrown as `ArbiterProblem`.
 *
 * @example
 * const arbiter = createArbiterClient('http://127.0.0.1:3000', process.env.ARBITER_TOKEN!);
 * const dispute = await arbiter.open({ orderId: 'o-1', itemId: 'i-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Cracked', amount: 4000 });
 * await arbiter.send(dispute.id, { type: 'seller.counterOffer', amount: 2000 }, { ifMatch: dispute.version });
 *
 * For the other routes, `hc<AppType>` from `hono/client` works over the exported app type, typed
 * from the same schemas: its `json` is each route's body schema input (`jsonBody` in inputs.ts
 * declares it), its `query` and `param` what the route's validators take, and its answers what the
 * handlers return; a problem is not typed there (check `res.ok`).
 */
import type { z } from 'zod';
import type { HistoryRow } from '../../db/store.ts';
import type { DisputeView } from '../queries/view.ts';
import type { QueueQuery } from './routes/agent.ts';
import type { EventInput, ListQuery, MessageBody, OpenDisputeBody, OrderBody } from './schemas.ts';

export type { AppType } from './app.ts';
export type { EventInput } from './schemas.ts';

/** A query string as its schema takes it: each field its input, numbers also as text. */
export type QueryInput<S extends z.ZodObject> = { [K in keyof z.input<S>]?: unknown extends z.input<S>[K] ? number | string : z.input<S>[K] };

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field?: string; message: string; rule?: string; earliest?: string; latest?: string }[];
  acceptedEvents?: string[];
  currentVersion?: number;
  [extension: string]: unknown;
}

export class ArbiterProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'ArbiterProblem';
  }
}

export interface WriteOptions {
  idempotencyKey?: string;
  ifMatch?: number;
}

export function createArbiterClient(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch) {
  const search = (query: Record<string, unknown>) =>
    new URLSearchParams(Object.entries(query).flatMap(([key, value]): [string, string][] => (value === undefined ? [] : [[key, String(value)]])));

  async function call<T>(method: string, path: string, body?: unknown, options: WriteOptions = {}): Promise<T> {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
        ...(options.ifMatch !== undefined ? { 'if-match': `"${options.ifMatch}"` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ArbiterProblem(parsed as ProblemDetails);
    return parsed as T;
  }

  return {
    registerOrder: (orderId: string, order: z.input<typeof OrderBody>) => call<{ orderId: string }>('PUT', `/orders/${encodeURIComponent(orderId)}`, order),
    open: (request: z.input<typeof OpenDisputeBody>, options?: WriteOptions) => call<DisputeView>('POST', '/disputes', request, options),
    get: (id: string) => call<DisputeView>('GET', `/disputes/${encodeURIComponent(id)}`),
    send: (id: string, event: EventInput, options?: WriteOptions) => call<DisputeView>('POST', `/disputes/${encodeURIComponent(id)}/events`, event, options),
    message: (id: string, body: z.input<typeof MessageBody>['body'], options?: WriteOptions) =>
      call<DisputeView>('POST', `/disputes/${encodeURIComponent(id)}/messages`, { body } satisfies z.input<typeof MessageBody>, options),
    history: (id: string) =>
      call<{ disputeId: string; version: number; items: Omit<HistoryRow, 'idempotencyKey'>[] }>('GET', `/disputes/${encodeURIComponent(id)}/history`),
    list: (query: QueryInput<typeof ListQuery> = {}) => call<{ items: DisputeView[]; nextCursor: string | null }>('GET', `/disputes?${search(query)}`),
    queue: (query: QueryInput<typeof QueueQuery> = {}) =>
      call<{ items: (DisputeView & { assignedAgent: string | null })[]; nextCursor: string | null }>('GET', `/agent/queue?${search(query)}`),
  };
}

export type ArbiterClient = ReturnType<typeof createArbiterClient>;
