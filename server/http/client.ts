/**
 * A typed client for TypeScript callers (marketplace back ends, scripts, tests). Requests are
 * typed from the same zod schemas the server validates with; errors come back as the server's
 * problem+json, thrown as `ArbiterProblem`.
 *
 * @example
 * const arbiter = createArbiterClient('http://127.0.0.1:3000', process.env.ARBITER_TOKEN!);
 * const dispute = await arbiter.open({ orderId: 'o-1', itemId: 'i-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Cracked', amount: 4000 });
 * await arbiter.send(dispute.id, { type: 'seller.counterOffer', amount: 2000 }, { ifMatch: dispute.version });
 *
 * For untyped or other routes, `hc<AppType>` from `hono/client` works over the exported app type.
 */
import type { z } from 'zod';
import type { EventPayloadInput, EventType } from '../../machines/index.ts';
import type { HistoryRow } from '../../db/store.ts';
import type { DisputeView } from '../queries/view.ts';
import type { OpenDisputeBody, OrderBody } from './schemas.ts';

export type { AppType } from './app.ts';

/** An event as a client sends it: `{ type, ...payload }`, typed per event type. */
export type EventInput = { [T in EventType]: { type: T } & EventPayloadInput<T> }[EventType];

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
    message: (id: string, body: string, options?: WriteOptions) => call<DisputeView>('POST', `/disputes/${encodeURIComponent(id)}/messages`, { body }, options),
    history: (id: string) =>
      call<{ disputeId: string; version: number; items: Omit<HistoryRow, 'idempotencyKey'>[] }>('GET', `/disputes/${encodeURIComponent(id)}/history`),
    list: (query: Record<string, string> = {}) => call<{ items: DisputeView[]; nextCursor: string | null }>('GET', `/disputes?${new URLSearchParams(query)}`),
    queue: () => call<{ items: (DisputeView & { assignedAgent: string | null })[]; nextCursor: string | null }>('GET', '/agent/queue'),
  };
}

export type ArbiterClient = ReturnType<typeof createArbiterClient>;
