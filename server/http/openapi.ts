/**
 * The OpenAPI 3.1 document, generated from the zod schemas (`z.toJSONSchema`, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses it) and the route table below. A test checks that the table and
 * the app's routes are the same set, so the document cannot drift from what is served.
 */
import { z } from 'zod';
import { createRequire } from 'node:module';
import { problemTypes } from './problems.ts';
import { ListQuery } from './schemas.ts';
import './schemas.ts';

const { version: packageVersion } = createRequire(import.meta.url)('../../package.json') as { version: string };

type Method = 'get' | 'post' | 'put' | 'delete';

interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: boolean;
  body?: string;
  /** A multipart/form-data upload with a `file` field. */
  upload?: boolean;
  /** An inline JSON schema for the body. */
  jsonBody?: Record<string, unknown>;
  query?: z.ZodObject;
  headers?: ('If-Match' | 'Idempotency-Key' | 'X-CSRF-Token')[];
  ok: { status: number; description: string; schema?: string; json?: Record<string, unknown>; content?: string };
  errors: number[];
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Every route the app serves, documented. */
export const routeDocs: RouteDoc[] = [
  { method: 'get', path: '/healthz', tag: 'Service', auth: false, summary: 'Liveness: the process answers', ok: { status: 200, description: 'Up', json: { type: 'object' } }, errors: [] },
  {
    method: 'get', path: '/readyz', tag: 'Service', auth: false, summary: 'Readiness: the database accepts a write now',
    description: 'Writes and commits a probe row like any step; 503 (problem unavailable) when the disk is full or read-only or the database is gone.',
    ok: { status: 200, description: 'Ready', json: { type: 'object' } }, errors: [503],
  },
  { method: 'get', path: '/openapi.json', tag: 'Service', auth: false, summary: 'This document', ok: { status: 200, description: 'OpenAPI 3.1', json: { type: 'object' } }, errors: [] },
  { method: 'get', path: '/docs', tag: 'Service', auth: false, summary: 'API reference (works offline)', ok: { status: 200, description: 'HTML page', content: 'text/html' }, errors: [] },
  { method: 'get', path: '/docs/scalar.js', tag: 'Service', auth: false, summary: 'The reference page’s script, served from node_modules', ok: { status: 200, description: 'JavaScript', content: 'text/javascript' }, errors: [] },
  { method: 'get', path: '/problems/{type}', tag: 'Service', auth: false, summary: 'What a problem type means', ok: { status: 200, description: 'The type, its status and an explanation', json: { type: 'object' } }, errors: [404] },
  {
    method: 'get', path: '/metrics', tag: 'Service', auth: false, summary: 'Prometheus metrics',
    description: 'Public to loopback callers by default (ARBITER_METRICS_ACCESS); otherwise support or admin tokens.',
    ok: { status: 200, description: 'Prometheus text format', content: 'text/plain' }, errors: [401, 403],
  },
  {
    method: 'post', path: '/session', tag: 'Sessions', auth: false, body: 'SessionRequest', summary: 'Exchange a token for a cookie session (browsers)',
    description: 'Sets an HttpOnly, SameSite=Strict session cookie and a readable arbiter_csrf cookie; writes made with the cookie must send its value in X-CSRF-Token.',
    ok: { status: 201, description: 'Signed in', json: { type: 'object' } }, errors: [400, 401, 415, 422],
  },
  { method: 'get', path: '/session', tag: 'Sessions', auth: true, summary: 'Who the credentials belong to', ok: { status: 200, description: 'The principal', json: { type: 'object' } }, errors: [401] },
  { method: 'delete', path: '/session', tag: 'Sessions', auth: true, headers: ['X-CSRF-Token'], summary: 'Sign out', ok: { status: 204, description: 'Cookies cleared' }, errors: [401, 403] },
  {
    method: 'put', path: '/orders/{orderId}', tag: 'Orders', auth: true, body: 'OrderRegistration', summary: 'Register or update an order and its items (system, admin)',
    description: 'The facts disputes depend on (R-GEN-3). A dispute copies them at open: later updates never change a running dispute.',
    ok: { status: 200, description: 'Registered', json: { type: 'object' } }, errors: [400, 401, 403, 413, 415, 422],
  },
  { method: 'get', path: '/orders/{orderId}/items/{itemId}', tag: 'Orders', auth: true, summary: 'The facts of one order item', ok: { status: 200, description: 'Facts', schema: 'OrderItemFacts' }, errors: [401, 404] },
  {
    method: 'post', path: '/disputes', tag: 'Disputes', auth: true, body: 'OpenDispute', headers: ['Idempotency-Key'], summary: 'Open a dispute on an order item (buyer)',
    description: 'Eligibility (R-OPEN-*) is checked against the registered order facts; a refusal names the rule and, for time rules, the earliest instant.',
    ok: { status: 201, description: 'Opened', schema: 'Dispute' }, errors: [400, 401, 403, 409, 413, 415, 422],
  },
  {
    method: 'get', path: '/disputes', tag: 'Disputes', auth: true, query: ListQuery, summary: 'List the disputes the caller may see',
    description:
      'Buyers and sellers see their own, agents the ones that involve agents (escalated, decided, or waiting for one), support and system all. Oldest first; cursor pagination: pass nextCursor back as cursor. A page reads a bounded number of rows, so a sparse filter may answer a short (even empty) page with a nextCursor: follow it until it is null.',
    ok: { status: 200, description: 'A page', json: { type: 'object', properties: { items: { type: 'array', items: ref('Dispute') }, nextCursor: { type: ['string', 'null'] } } } }, errors: [401, 422],
  },
  { method: 'get', path: '/disputes/{id}', tag: 'Disputes', auth: true, summary: 'A dispute: state, version, amounts, deadlines and what the caller may send next', ok: { status: 200, description: 'The dispute', schema: 'Dispute' }, errors: [401, 404] },
  {
    method: 'get', path: '/disputes/{id}/history', tag: 'Disputes', auth: true, summary: 'The audit trail: who did what, when, from which state to which',
    ok: { status: 200, description: 'History, oldest first', json: { type: 'object', properties: { disputeId: { type: 'string' }, version: { type: 'integer' }, items: { type: 'array', items: ref('HistoryEntry') } } } }, errors: [401, 404],
  },
  {
    method: 'post', path: '/disputes/{id}/events', tag: 'Disputes', auth: true, body: 'DisputeEvent', headers: ['If-Match', 'Idempotency-Key', 'X-CSRF-Token'], summary: 'Send one typed event',
    description: 'Checked in order: 401, 404 (unknown or not yours), 403 (your role may not send this type), 422 (payload, field by field), 409 (the state does not accept it: acceptedEvents lists what does), 412 (stale If-Match).',
    ok: { status: 200, description: 'Applied; the dispute after it', schema: 'Dispute' }, errors: [400, 401, 403, 404, 409, 412, 413, 415, 422],
  },
  {
    method: 'post', path: '/disputes/{id}/messages', tag: 'Disputes', auth: true, body: 'Message', headers: ['Idempotency-Key', 'X-CSRF-Token'], summary: 'Send a message to the other party (R-NEG-8)',
    ok: { status: 200, description: 'Recorded; the state does not change', schema: 'Dispute' }, errors: [400, 401, 403, 404, 409, 413, 415, 422],
  },
  {
    method: 'get', path: '/agent/queue', tag: 'Agents', auth: true, summary: 'Disputes waiting for an agent, the earliest decision due first (overdue first of all), then the rest',
    query: z.strictObject({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    ok: {
      status: 200,
      description: 'The queue',
      json: { type: 'object', properties: { items: { type: 'array', items: { allOf: [ref('Dispute'), { type: 'object', properties: { assignedAgent: { type: ['string', 'null'] } } }] } }, nextCursor: { type: ['string', 'null'] } } },
    },
    errors: [401, 403, 422],
  },
  {
    method: 'post', path: '/disputes/{id}/evidence', tag: 'Evidence', auth: true, upload: true, headers: ['Idempotency-Key', 'X-CSRF-Token'], summary: 'Upload evidence (buyer, seller, agent)',
    description: 'R-EVID-1/2: images (jpg, png, gif, bmp; 2 MB by default) and videos (mp4, mov, webm, avi; 50 MB), recognised by their bytes, not their name or declared type. Stored with its sha256; the file name is kept for display only.',
    ok: { status: 201, description: 'Stored and recorded on the dispute', json: { type: 'object' } }, errors: [401, 403, 404, 409, 413, 415, 422],
  },
  { method: 'get', path: '/disputes/{id}/evidence', tag: 'Evidence', auth: true, summary: 'The evidence on the case (agents and support may add ?includeHidden=true)', ok: { status: 200, description: 'Evidence metadata', json: { type: 'object' } }, errors: [401, 404] },
  { method: 'get', path: '/disputes/{id}/evidence/{evidenceId}', tag: 'Evidence', auth: true, summary: 'Download one evidence file', ok: { status: 200, description: 'The bytes, with their sniffed media type', content: 'application/octet-stream' }, errors: [401, 404] },
  {
    method: 'post', path: '/disputes/{id}/evidence/{evidenceId}/hide', tag: 'Evidence', auth: true, headers: ['X-CSRF-Token'], summary: 'Hide evidence from the case (R-EVID-3: kept in the history, never destroyed)',
    ok: { status: 200, description: 'Hidden; the dispute after it', schema: 'Dispute' }, errors: [401, 403, 404, 409],
  },
  {
    method: 'get', path: '/disputes/{id}/deliveries', tag: 'Effects', auth: true, summary: 'The delivery log: every effect of the dispute (refunds, releases, webhooks) with each attempt',
    ok: { status: 200, description: 'Outbox rows with their attempts', json: { type: 'object' } }, errors: [401, 403, 404],
  },
  { method: 'get', path: '/admin/outbox', tag: 'Effects', auth: true, summary: 'Effects by status, e.g. ?status=dead (admin, support)', ok: { status: 200, description: 'Outbox rows with their attempts', json: { type: 'object' } }, errors: [401, 403, 422] },
  { method: 'post', path: '/admin/outbox/{outboxId}/redrive', tag: 'Effects', auth: true, summary: 'Send a dead effect again (admin)', ok: { status: 200, description: 'Pending again, attempts reset', json: { type: 'object' } }, errors: [401, 403, 404, 409] },
  {
    method: 'post', path: '/carrier/returns', tag: 'Effects', auth: true, summary: 'Carrier callback: a return shipment was delivered (system)',
    jsonBody: { type: 'object', required: ['trackingNumber', 'status'], additionalProperties: false, properties: { trackingNumber: { type: 'string' }, status: { const: 'delivered' }, carrier: { type: 'string' } } },
    headers: ['Idempotency-Key'],
    ok: { status: 200, description: 'The dispute after return.delivered (R-RET-2)', schema: 'Dispute' }, errors: [401, 403, 404, 409, 422],
  },
  { method: 'get', path: '/disputes/{id}/diagram.svg', tag: 'Disputes', auth: true, summary: 'The dispute on its statechart: current state and the path taken so far highlighted', ok: { status: 200, description: 'SVG', content: 'image/svg+xml' }, errors: [401, 404] },
  {
    method: 'get', path: '/disputes/{id}/stream', tag: 'Disputes', auth: true, summary: 'Server-Sent Events: the dispute after every change (works over the cookie session)',
    ok: { status: 200, description: 'text/event-stream of `dispute` events ({ dispute, history }) and `ping`s', content: 'text/event-stream' }, errors: [401, 404],
  },
  { method: 'get', path: '/machines/dispute.svg', tag: 'Machine', auth: false, summary: 'The statechart, laid out by Graphviz', ok: { status: 200, description: 'SVG', content: 'image/svg+xml' }, errors: [] },
  { method: 'get', path: '/inspect', tag: 'Inspector', auth: false, summary: 'The inspector page: sign in, list, follow a dispute live', ok: { status: 200, description: 'HTML', content: 'text/html' }, errors: [] },
  { method: 'get', path: '/inspect/disputes/{id}', tag: 'Inspector', auth: false, summary: 'The inspector on one dispute', ok: { status: 200, description: 'HTML', content: 'text/html' }, errors: [] },
  { method: 'get', path: '/inspect/assets/{file}', tag: 'Inspector', auth: false, summary: 'The inspector’s script and stylesheet', ok: { status: 200, description: 'Asset', content: 'text/plain' }, errors: [404] },
  { method: 'get', path: '/machines/dispute', tag: 'Machine', auth: false, summary: 'The statechart as data: states, transitions with guards and actions, deadlines', ok: { status: 200, description: 'The machine', json: { type: 'object' } }, errors: [] },
  { method: 'get', path: '/admin/clock', tag: 'Admin', auth: true, summary: 'The service clock (admin)', ok: { status: 200, description: 'Now', json: { type: 'object' } }, errors: [401, 403] },
  {
    method: 'post', path: '/admin/clock/advance', tag: 'Admin', auth: true, body: 'ClockAdvance', summary: 'Move the demo clock forward and fire what falls due (admin, demo mode)',
    ok: { status: 200, description: 'The new time and the deadlines fired', json: { type: 'object' } }, errors: [401, 403, 404, 422],
  },
];

const headerParams = {
  'If-Match': { name: 'If-Match', in: 'header', required: false, description: 'The dispute version you last saw (ETag); a stale one answers 412', schema: { type: 'string', example: '"3"' } },
  'Idempotency-Key': { name: 'Idempotency-Key', in: 'header', required: false, description: 'A repeat with the same key returns the first answer and changes nothing (kept 24 h, per caller)', schema: { type: 'string', maxLength: 200 } },
  'X-CSRF-Token': { name: 'X-CSRF-Token', in: 'header', required: false, description: 'Required with the cookie session: the arbiter_csrf cookie’s value', schema: { type: 'string' } },
};

function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}`, io: 'input', unrepresentable: 'any' }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return schemas;
}

function queryParams(query: z.ZodObject) {
  const json = z.toJSONSchema(query, { io: 'input' }) as { properties: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties).map(([name, schema]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema }));
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeDocs) {
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = {};
    const okContent = route.ok.schema
      ? { 'application/json': { schema: ref(route.ok.schema) } }
      : route.ok.json
        ? { 'application/json': { schema: route.ok.json } }
        : route.ok.content
          ? { [route.ok.content]: { schema: { type: 'string' } } }
          : undefined;
    responses[String(route.ok.status)] = { description: route.ok.description, ...(okContent ? { content: okContent } : {}) };
    for (const status of route.errors) {
      const types = Object.entries(problemTypes).filter(([, t]) => t.status === status).map(([name]) => `/problems/${name}`);
      responses[String(status)] = { description: `Problem: ${types.join(', ')}`, content: { 'application/problem+json': { schema: ref('Problem') } } };
    }
    responses['500'] = { description: 'Problem: /problems/internal (with errorId)', content: { 'application/problem+json': { schema: ref('Problem') } } };
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      operationId: `${route.method}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^a-zA-Z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.auth ? {} : { security: [] }),
      parameters: [...pathParams, ...(route.query ? queryParams(route.query) : []), ...(route.headers ?? []).map((h) => headerParams[h])],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(route.body) } } } } : {}),
      ...(route.jsonBody ? { requestBody: { required: true, content: { 'application/json': { schema: route.jsonBody } } } } : {}),
      ...(route.upload
        ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } } } } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Arbiter',
      version: packageVersion,
      description:
        'Buyer-protection disputes as durable, inspectable statecharts. Authenticate with `Authorization: Bearer <token>` (HS256 JWT with `sub`, `role`, `exp`, signed with a configured key, chosen by `kid`). Every error is `application/problem+json`; its `type` resolves to an explanation.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: ['Disputes', 'Evidence', 'Orders', 'Agents', 'Effects', 'Machine', 'Inspector', 'Sessions', 'Admin', 'Service'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, session: { type: 'apiKey', in: 'cookie', name: 'arbiter_session' } },
      schemas: componentSchemas(),
    },
  };
}
