/**
 * The HTTP API (Hono). Thin: it authenticates, checks visibility and roles, validates the body
 * with zod, and hands the rest to the runtime; every error becomes problem+json in `onError`.
 * Status codes are checked in this order: 401, 404, 403, 422, 409, 412.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { describeMachine, isEventType, eventCatalog, restoreSnapshot, type DisputeSnapshot } from '../../machines/index.ts';
import type { DisputeRecord } from '../../db/store.ts';
import { parseDuration } from '../clock.ts';
import type { RuntimeError } from '../runtime.ts';
import { toView } from '../runtime.ts';
import type { Service } from '../service.ts';
import { authenticate, CSRF_COOKIE, csrfTokenFor, machineActor, requireRole, SESSION_COOKIE, type AppEnv } from './auth.ts';
import type { Metrics } from './metrics.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { HttpProblem, problemResponse, problemTypes, type FieldError, type ProblemType } from './problems.ts';
import { acceptedEvidence, displayName, sha256Of, sniffMediaType, storageKeyOf } from '../evidence.ts';
import { streamSSE } from 'hono/streaming';
import { disputeSvg, machineSvg } from './diagram.ts';
import { ClockAdvanceBody, ListQuery, MessageBody, OpenDisputeBody, OrderBody, SessionBody } from './schemas.ts';
import { verifyToken, type KeyRing, type Principal } from './tokens.ts';

export interface AppDeps {
  service: Service;
  keys: KeyRing;
  mode: 'demo' | 'production';
  metrics: Metrics;
  /** Who may read /metrics: anyone, only loopback callers, or authenticated support/admin. */
  metricsAccess: 'public' | 'loopback' | 'authenticated';
  /** Runs what is due beyond deadlines (provider reports, deliveries), e.g. after a re-drive. */
  afterClockMoved?: () => Promise<void>;
  /** Demo mode: moves the clock, firing what falls due in time order. */
  advanceClock?: (ms: number) => Promise<{ now: string; deadlinesFired: number }>;
  /** Largest JSON body accepted, in bytes. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

const require = createRequire(import.meta.url);

function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || undefined, message: issue.message }));
}

/** Reads a strict JSON object body: 415 without JSON content type, 413 over the cap, 400 when malformed. */
async function readJson(c: Context, maxBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new HttpProblem('unsupported-media-type', `send a JSON body with Content-Type: application/json (got ${type || 'none'})`);
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > maxBytes) throw new HttpProblem('payload-too-large', `the body is ${declared} bytes; the limit is ${maxBytes}`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new HttpProblem('payload-too-large', `the body is larger than ${maxBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpProblem('malformed-request', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpProblem('invalid-request', 'the request has invalid fields', { errors: zodErrors(parsed.error) });
  return parsed.data;
}

/** A runtime refusal, as the problem the API answers. */
function problemFor(error: RuntimeError, eventType?: string): HttpProblem {
  switch (error.kind) {
    case 'not_found':
      return new HttpProblem('not-found', error.message);
    case 'order_not_found':
      return new HttpProblem('unknown-order', error.message);
    case 'ineligible':
      return new HttpProblem('not-eligible', error.message, { errors: error.problems });
    case 'duplicate':
      return new HttpProblem('duplicate-dispute', error.message, { existingDisputeId: error.existingId });
    case 'version_mismatch':
      return new HttpProblem('precondition-failed', error.message, { currentVersion: error.current });
    case 'idempotency_mismatch':
      return new HttpProblem('idempotency-key-reused', error.message);
    case 'busy':
      return new HttpProblem('busy', error.message);
    case 'unsupported_version':
      return new HttpProblem('unsupported-machine-version', error.message);
    case 'rejected': {
      const r = error.rejection;
      if (r.kind === 'forbidden') return new HttpProblem('forbidden', r.message);
      if (r.kind === 'not_accepted') return new HttpProblem('event-not-accepted', r.message, { acceptedEvents: r.accepted });
      if (r.kind === 'invalid_payload') return new HttpProblem('invalid-request', r.message, { errors: r.problems, ...(eventType ? { eventType } : {}) });
      return new HttpProblem('invalid-request', r.message, { errors: [{ field: 'type', message: r.message }] });
    }
  }
}

/** Who may see a dispute: its parties, agents once it was escalated, and support, system, admin. */
export function canSee(principal: Principal, record: DisputeRecord, snapshot: DisputeSnapshot): boolean {
  switch (principal.role) {
    case 'buyer':
      return record.buyerId === principal.sub;
    case 'seller':
      return record.sellerId === principal.sub;
    case 'agent':
      return snapshot.context.escalation !== null || snapshot.context.decision !== null;
    default:
      return true;
  }
}

function ifMatchOf(c: Context): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw new HttpProblem('malformed-request', 'If-Match takes the dispute version, e.g. If-Match: "3"');
  return Number(match[1]);
}

function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key !== undefined && (key.length === 0 || key.length > 200)) throw new HttpProblem('malformed-request', 'Idempotency-Key must be 1 to 200 characters');
  return key;
}

const encodeCursor = (record: DisputeRecord) => Buffer.from(JSON.stringify([record.openedAt, record.id])).toString('base64url');
function decodeCursor(cursor: string): { openedAt: string; id: string } {
  try {
    const [openedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (typeof openedAt === 'string' && typeof id === 'string') return { openedAt, id };
  } catch {
    // fall through
  }
  throw new HttpProblem('invalid-request', 'the cursor is not one this API returned', { errors: [{ field: 'cursor', message: 'unreadable cursor' }] });
}

const isLoopback = (address: string | undefined) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

export function createApp(deps: AppDeps) {
  const { service, keys, mode, metrics } = deps;
  const { runtime, store, clock } = service;
  const maxBodyBytes = deps.maxBodyBytes ?? 64 * 1024;
  const log = deps.log ?? ((line: string) => console.error(line));
  const auth = authenticate(keys);
  const openapi = buildOpenApiDocument();

  async function visible(c: Context<AppEnv>, id: string) {
    const record = await store.getDispute(id);
    if (!record) throw new HttpProblem('not-found', `no dispute ${id}`);
    let snapshot: DisputeSnapshot;
    try {
      snapshot = restoreSnapshot(record.id, record.snapshot, record.machineVersion);
    } catch (error) {
      throw new HttpProblem('unsupported-machine-version', (error as Error).message);
    }
    if (!canSee(c.get('principal'), record, snapshot)) throw new HttpProblem('not-found', `no dispute ${id}`);
    return { record, snapshot };
  }

  /** Sends an event to a dispute the caller's route already found visible (404 comes first). */
  async function sendEvent(c: Context<AppEnv>, id: string, body: unknown) {
    const started = performance.now();
    const principal = c.get('principal');
    const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
    if (!isEventType(type)) {
      throw new HttpProblem('invalid-request', `unknown event type ${JSON.stringify(type)}`, { errors: [{ field: 'type', message: 'see GET /machines/dispute or the dispute’s next[] for the event types' }] });
    }
    const actor = machineActor(principal);
    if (type === 'evidence.add') {
      // Evidence is recorded with its file: an id without stored bytes would point at nothing.
      throw new HttpProblem('invalid-request', 'evidence is added by uploading it: POST /disputes/{id}/evidence (multipart, field "file")', {
        errors: [{ field: 'type', message: 'use the evidence upload' }],
      });
    }
    if (!actor || !eventCatalog[type].roles.includes(actor.role)) {
      metrics.eventRejected(type, 'forbidden');
      throw new HttpProblem('forbidden', `${type} may be sent by ${eventCatalog[type].roles.join(' or ')}, not by ${principal.role}`);
    }
    const result = await runtime.send(id, body, actor, { idempotencyKey: idempotencyKeyOf(c), ifMatch: ifMatchOf(c) });
    if (!result.ok) {
      metrics.eventRejected(type, result.error.kind === 'rejected' ? result.error.rejection.kind : result.error.kind);
      throw problemFor(result.error, type);
    }
    if (!result.replayed) {
      metrics.eventApplied(type);
      metrics.observeStep((performance.now() - started) / 1000);
    }
    c.header('ETag', `"${result.dispute.version}"`);
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.dispute, result.statusCode as 200);
  }

  runtime.subscribe(({ history }) => {
    const fired = history.filter((h) => h.type.startsWith('deadline.')).length;
    if (fired > 0) metrics.deadlinesFired(fired);
  });

  const app = new Hono<AppEnv>()
    .onError((error, c) => {
      if (error instanceof HttpProblem) return problemResponse(c, error);
      const errorId = randomUUID();
      log(`error ${errorId} on ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return problemResponse(c, new HttpProblem('internal', `unexpected error; quote errorId ${errorId}`, { errorId }));
    })
    .notFound((c) => problemResponse(c, new HttpProblem('not-found', `no route ${c.req.method} ${c.req.path}`)))

    // ---- public ----
    .get('/healthz', async (c) => {
      await store.nextDeadlineAt(); // the database answers
      return c.json({ status: 'ok', mode, now: clock.now() });
    })
    .get('/openapi.json', (c) => c.json(openapi))
    .get('/docs', (c) => c.html(docsPage()))
    .get('/docs/scalar.js', (c) => {
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(scalarScript(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    })
    .get('/problems/:type', (c) => {
      const type = c.req.param('type') as ProblemType;
      const known = problemTypes[type];
      if (!known) throw new HttpProblem('not-found', `no problem type ${type}`);
      return c.json({ type: `/problems/${type}`, status: known.status, title: known.title, description: known.help });
    })
    .get('/metrics', async (c, next) => {
      if (deps.metricsAccess === 'public') return next();
      if (deps.metricsAccess === 'loopback') {
        let address: string | undefined;
        try {
          address = getConnInfo(c).remote.address;
        } catch {
          address = undefined; // not served by Node (app.request in tests): not loopback
        }
        if (isLoopback(address)) return next();
      }
      return auth(c, async () => {
        requireRole(c, ['support', 'admin'], 'metrics');
        await next();
      });
    }, async (c) => {
      const stats = await store.stats(clock.now());
      const text = metrics.render({
        arbiter_disputes_open: { help: 'Disputes not yet ended.', value: stats.disputesOpen },
        arbiter_agent_queue_depth: { help: 'Escalated or appealed disputes waiting for an agent.', value: stats.agentQueue },
        arbiter_deadlines_due: { help: 'Deadlines due and not yet fired.', value: stats.deadlinesDue },
        arbiter_outbox_pending: { help: 'Effects waiting to be carried out.', value: stats.outboxPending },
      });
      return c.body(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    })

    // ---- sessions (browsers) ----
    .post('/session', async (c) => {
      const { token } = parseWith(SessionBody, await readJson(c, maxBodyBytes));
      const check = verifyToken(keys, token);
      if (!check.ok) throw new HttpProblem('unauthorized', check.reason);
      const maxAge = Math.max(1, Math.floor((check.expiresAt - Date.now()) / 1000));
      const secure = new URL(c.req.url).protocol === 'https:';
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge, secure });
      const csrf = csrfTokenFor(keys, token);
      setCookie(c, CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'Strict', path: '/', maxAge, secure });
      return c.json({ role: check.principal.role, sub: check.principal.sub, expiresAt: new Date(check.expiresAt).toISOString(), csrfToken: csrf }, 201);
    })
    .get('/session', auth, (c) => c.json({ ...c.get('principal'), via: c.get('viaCookie') ? 'cookie' : 'bearer' }))
    .delete('/session', auth, (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.body(null, 204);
    })

    // ---- orders (the marketplace back end) ----
    .put('/orders/:orderId', auth, async (c) => {
      requireRole(c, ['system', 'admin'], 'registering orders');
      const body = parseWith(OrderBody, await readJson(c, maxBodyBytes));
      const orderId = c.req.param('orderId');
      await store.registerOrder({ orderId, ...body }, clock.now());
      return c.json({ orderId, ...body }, 200);
    })
    .get('/orders/:orderId/items/:itemId', auth, async (c) => {
      const principal = c.get('principal');
      const facts = await store.getOrderItemFacts(c.req.param('orderId'), c.req.param('itemId'));
      const mine = facts && ((principal.role === 'buyer' && facts.buyerId === principal.sub) || (principal.role === 'seller' && facts.sellerId === principal.sub));
      if (!facts || !(mine || ['system', 'admin', 'support'].includes(principal.role))) {
        throw new HttpProblem('not-found', `no order item ${c.req.param('orderId')}/${c.req.param('itemId')}`);
      }
      return c.json(facts);
    })

    // ---- disputes ----
    .post('/disputes', auth, async (c) => {
      const principal = requireRole(c, ['buyer'], 'opening a dispute');
      const body = parseWith(OpenDisputeBody, await readJson(c, maxBodyBytes));
      const { orderId, itemId, ...request } = body;
      const result = await runtime.open(orderId, itemId, request, { role: 'buyer', id: principal.sub }, { idempotencyKey: idempotencyKeyOf(c) });
      if (!result.ok) throw problemFor(result.error);
      c.header('Location', `/disputes/${result.dispute.id}`);
      c.header('ETag', `"${result.dispute.version}"`);
      if (result.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(result.dispute, 201);
    })
    .get('/disputes', auth, async (c) => {
      const principal = c.get('principal');
      const query = parseWith(ListQuery, c.req.query());
      const scope =
        principal.role === 'buyer' ? { buyerId: principal.sub } : principal.role === 'seller' ? { sellerId: principal.sub } : {};
      if (query.buyer && principal.role === 'buyer' && query.buyer !== principal.sub) return c.json({ items: [], nextCursor: null });
      if (query.seller && principal.role === 'seller' && query.seller !== principal.sub) return c.json({ items: [], nextCursor: null });
      const items = [];
      let after = query.cursor ? decodeCursor(query.cursor) : undefined;
      let last: DisputeRecord | undefined;
      let exhausted = false;
      // Visibility and `overdue` are read from the snapshot, so a page is filled batch by batch.
      while (items.length < query.limit && !exhausted) {
        const batch = await store.listDisputes({
          buyerId: query.buyer,
          sellerId: query.seller,
          ...scope,
          orderId: query.order,
          statePrefix: query.state,
          ended: query.ended === undefined ? undefined : query.ended === 'true',
          after,
          limit: query.limit,
        });
        exhausted = batch.length < query.limit;
        for (const record of batch) {
          last = record;
          after = { openedAt: record.openedAt, id: record.id };
          const snapshot = restoreSnapshot(record.id, record.snapshot, record.machineVersion);
          if (!canSee(principal, record, snapshot)) continue;
          if (query.overdue && !(snapshot.context.escalation?.decisionOverdue || snapshot.context.refundOverdue)) continue;
          items.push(toView(record, snapshot, record.version, record.updatedAt, machineActor(principal), clock.now()));
          if (items.length === query.limit) break;
        }
      }
      const nextCursor = !exhausted && last ? encodeCursor(last) : null;
      return c.json({ items, nextCursor });
    })
    .get('/disputes/:id', auth, async (c) => {
      const { record, snapshot } = await visible(c, c.req.param('id'));
      c.header('ETag', `"${record.version}"`);
      return c.json(toView(record, snapshot, record.version, record.updatedAt, machineActor(c.get('principal')), clock.now()));
    })
    .get('/disputes/:id/history', auth, async (c) => {
      const { record } = await visible(c, c.req.param('id'));
      const history = await store.getHistory(record.id);
      return c.json({ disputeId: record.id, version: record.version, items: history.map(({ idempotencyKey: _key, ...row }) => row) });
    })
    .post('/disputes/:id/events', auth, async (c) => {
      const id = c.req.param('id');
      await visible(c, id);
      return sendEvent(c, id, await readJson(c, maxBodyBytes));
    })
    .post('/disputes/:id/messages', auth, async (c) => {
      const id = c.req.param('id');
      await visible(c, id);
      const { body } = parseWith(MessageBody, await readJson(c, maxBodyBytes));
      return sendEvent(c, id, { type: 'message.send', body });
    })
    .get('/agent/queue', auth, async (c) => {
      requireRole(c, ['agent', 'support', 'admin'], 'the agent queue');
      const limit = parseWith(z.coerce.number().int().min(1).max(500).default(100), c.req.query('limit'));
      const queue = await store.agentQueue(limit);
      const principal = c.get('principal');
      return c.json({
        items: queue.map((record) => {
          const snapshot = restoreSnapshot(record.id, record.snapshot, record.machineVersion);
          return {
            ...toView(record, snapshot, record.version, record.updatedAt, machineActor(principal), clock.now()),
            decisionDueAt: record.decisionDueAt,
            overdue: snapshot.context.escalation?.decisionOverdue ?? false,
            assignedAgent: snapshot.context.escalation?.agentId ?? null,
          };
        }),
      });
    })

    // ---- evidence (R-EVID-*) ----
    .post('/disputes/:id/evidence', auth, async (c) => {
      const id = c.req.param('id');
      const { snapshot } = await visible(c, id);
      const principal = c.get('principal');
      const actor = machineActor(principal);
      if (!actor || !eventCatalog['evidence.add'].roles.includes(actor.role)) throw new HttpProblem('forbidden', `evidence is added by buyers, sellers and agents, not by ${principal.role}`);
      const caps = snapshot.context.policy.evidence;
      const limit = Math.max(caps.imageMaxBytes, caps.videoMaxBytes);
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > limit + 64 * 1024) throw new HttpProblem('payload-too-large', `the upload is ${declared} bytes; videos may be ${caps.videoMaxBytes}, images ${caps.imageMaxBytes}`);
      if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) throw new HttpProblem('unsupported-media-type', 'upload evidence as multipart/form-data with the file in the field "file"');
      const form = await c.req.parseBody();
      const file = form.file;
      if (!(file instanceof File)) throw new HttpProblem('invalid-request', 'the form needs a file in the field "file"', { errors: [{ field: 'file', message: 'missing file' }] });
      const bytes = new Uint8Array(await file.arrayBuffer());
      const sniffed = sniffMediaType(bytes);
      if (!sniffed) throw new HttpProblem('unsupported-media-type', `the file is not an accepted type, whatever its name or declared type; accepted: ${acceptedEvidence}`);
      const cap = sniffed.kind === 'image' ? caps.imageMaxBytes : caps.videoMaxBytes;
      if (bytes.length > cap) throw new HttpProblem('payload-too-large', `${sniffed.kind}s may be at most ${cap} bytes (R-EVID-${sniffed.kind === 'image' ? 1 : 2}); this one is ${bytes.length}`);
      const sha256 = sha256Of(bytes);
      const evidenceId = `ev_${randomUUID()}`;
      await service.evidence.put(storageKeyOf(sha256), bytes); // durable before the step that records it commits
      const record = {
        id: evidenceId,
        disputeId: id,
        sha256,
        size: bytes.length,
        mediaType: sniffed.mediaType,
        kind: sniffed.kind,
        uploaderRole: actor.role,
        uploaderId: actor.id,
        uploadedAt: clock.now(),
        displayName: displayName(file.name),
        storageKey: storageKeyOf(sha256),
      };
      const result = await runtime.send(id, { type: 'evidence.add', evidenceId }, actor, { idempotencyKey: idempotencyKeyOf(c), evidence: record });
      if (!result.ok) {
        if (result.error.kind === 'rejected' && result.error.rejection.kind === 'not_accepted') {
          throw new HttpProblem('event-not-accepted', `the dispute no longer takes evidence: ${result.error.rejection.message}`, { acceptedEvents: result.error.rejection.accepted });
        }
        throw problemFor(result.error, 'evidence.add');
      }
      const { storageKey: _key, ...shown } = record;
      return c.json({ evidence: { ...shown, hidden: false }, dispute: result.dispute }, 201);
    })
    .get('/disputes/:id/evidence', auth, async (c) => {
      const { record, snapshot } = await visible(c, c.req.param('id'));
      const principal = c.get('principal');
      const mayIncludeHidden = ['agent', 'support', 'admin'].includes(principal.role) && c.req.query('includeHidden') === 'true';
      const hidden = new Set(snapshot.context.hiddenEvidenceIds);
      const items = (await store.listEvidence(record.id))
        .map(({ storageKey: _key, ...e }) => ({ ...e, hidden: hidden.has(e.id) }))
        .filter((e) => mayIncludeHidden || !e.hidden);
      return c.json({ items });
    })
    .get('/disputes/:id/evidence/:evidenceId', auth, async (c) => {
      const { record, snapshot } = await visible(c, c.req.param('id'));
      const principal = c.get('principal');
      const found = await store.getEvidence(record.id, c.req.param('evidenceId'));
      const hidden = found !== undefined && snapshot.context.hiddenEvidenceIds.includes(found.id);
      if (!found || (hidden && !['agent', 'support', 'admin'].includes(principal.role))) throw new HttpProblem('not-found', `no evidence ${c.req.param('evidenceId')} on dispute ${record.id}`);
      const bytes = await service.evidence.get(found.storageKey);
      if (!bytes) throw new Error(`evidence ${found.id} is recorded but its bytes are missing from storage`);
      const extension = sniffMediaType(bytes)?.extension ?? 'bin';
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': found.mediaType,
        'Content-Disposition': `attachment; filename="${found.id}.${extension}"`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
        ETag: `"${found.sha256}"`,
      });
    })
    .post('/disputes/:id/evidence/:evidenceId/hide', auth, async (c) => {
      const id = c.req.param('id');
      await visible(c, id);
      const principal = c.get('principal');
      const found = await store.getEvidence(id, c.req.param('evidenceId'));
      if (!found) throw new HttpProblem('not-found', `no evidence ${c.req.param('evidenceId')} on dispute ${id}`);
      if (principal.role !== 'agent' && found.uploaderId !== principal.sub) throw new HttpProblem('forbidden', 'parties hide only the evidence they uploaded; agents hide any');
      return sendEvent(c, id, { type: 'evidence.hide', evidenceId: found.id });
    })

    // ---- effects: the delivery log, dead letters, carrier callbacks ----
    .get('/disputes/:id/deliveries', auth, async (c) => {
      requireRole(c, ['support', 'admin', 'system'], 'the delivery log');
      const { record } = await visible(c, c.req.param('id'));
      const rows = await store.listOutbox({ disputeId: record.id, limit: 1000 });
      const items = await Promise.all(rows.map(async (row) => ({ ...row, log: await store.deliveryAttempts(row.id) })));
      return c.json({ items });
    })
    .get('/admin/outbox', auth, async (c) => {
      requireRole(c, ['admin', 'support'], 'the outbox');
      const query = parseWith(z.strictObject({ status: z.enum(['pending', 'done', 'dead']).optional(), dispute: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }), c.req.query());
      const rows = await store.listOutbox({ status: query.status, disputeId: query.dispute, limit: query.limit });
      return c.json({ items: await Promise.all(rows.map(async (row) => ({ ...row, log: await store.deliveryAttempts(row.id) }))) });
    })
    .post('/admin/outbox/:outboxId/redrive', auth, async (c) => {
      requireRole(c, ['admin'], 're-driving dead effects');
      const id = Number(c.req.param('outboxId'));
      const row = Number.isInteger(id) ? await store.getOutboxRow(id) : undefined;
      if (!row) throw new HttpProblem('not-found', `no outbox row ${c.req.param('outboxId')}`);
      if (!(await store.redrive(id, clock.now()))) throw new HttpProblem('event-not-accepted', `outbox row ${id} is ${row.status}; only dead rows are re-driven`);
      await deps.afterClockMoved?.();
      return c.json(await store.getOutboxRow(id));
    })
    .post('/carrier/returns', auth, async (c) => {
      const principal = requireRole(c, ['system'], 'carrier callbacks');
      const body = parseWith(
        z.strictObject({ trackingNumber: z.string().trim().min(1).max(100), status: z.enum(['delivered']), carrier: z.string().trim().min(1).max(100).optional() }),
        await readJson(c, maxBodyBytes),
      );
      const record = await store.findDisputeByReturnTracking(body.trackingNumber);
      if (!record) throw new HttpProblem('not-found', `no return travels under tracking number ${body.trackingNumber}`);
      const result = await runtime.send(record.id, { type: 'return.delivered' }, { role: 'system', id: principal.sub }, { idempotencyKey: idempotencyKeyOf(c) });
      if (!result.ok) throw problemFor(result.error, 'return.delivered');
      return c.json(result.dispute);
    })

    // ---- live views ----
    .get('/disputes/:id/diagram.svg', auth, async (c) => {
      const { record, snapshot } = await visible(c, c.req.param('id'));
      const svg = await disputeSvg(snapshot, await store.getHistory(record.id));
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' });
    })
    .get('/disputes/:id/stream', auth, async (c) => {
      const { record } = await visible(c, c.req.param('id'));
      const principal = c.get('principal');
      return streamSSE(c, async (stream) => {
        let closed = false;
        let chain: Promise<void> = Promise.resolve();
        // Each commit is sent in order, as the viewer sees it (their own `next`).
        const unsubscribe = runtime.subscribe(({ disputeId, history }) => {
          if (disputeId !== record.id || closed) return;
          chain = chain.then(async () => {
            const dispute = await runtime.get(disputeId, machineActor(principal));
            if (!closed && dispute) await stream.writeSSE({ event: 'dispute', id: String(dispute.version), data: JSON.stringify({ dispute, history }) });
          });
        });
        stream.onAbort(() => {
          closed = true;
          unsubscribe();
        });
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ version: record.version }) });
        while (!closed) {
          await stream.sleep(15_000);
          if (!closed) await stream.writeSSE({ event: 'ping', data: clock.now() });
        }
        await chain;
      });
    })

    // ---- the inspector (a page of this service: no CDN, no build step) ----
    .get('/inspect', (c) => inspectorPage(c))
    .get('/inspect/disputes/:id', (c) => inspectorPage(c))
    .get('/inspect/assets/:file', (c) => {
      const asset = inspectorAssets[c.req.param('file')];
      if (!asset) throw new HttpProblem('not-found', `no inspector asset ${c.req.param('file')}`);
      return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
    })

    // ---- the machine ----
    .get('/machines/dispute', (c) => c.json(describeMachine()))
    .get('/machines/dispute.svg', async (c) => c.body(await machineSvg(), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' }))

    // ---- admin (demo mode) ----
    .get('/admin/clock', auth, (c) => {
      requireRole(c, ['admin'], 'the clock');
      return c.json({ now: clock.now(), offsetMs: service.controllableClock?.offsetMs ?? 0, controllable: service.controllableClock !== undefined });
    })
    .post('/admin/clock/advance', auth, async (c) => {
      requireRole(c, ['admin'], 'moving the clock');
      const controllable = service.controllableClock;
      if (mode !== 'demo' || !controllable) throw new HttpProblem('not-available', 'the clock moves only in demo mode (ARBITER_MODE=demo)');
      const { by } = parseWith(ClockAdvanceBody, await readJson(c, maxBodyBytes));
      let ms: number;
      try {
        ms = parseDuration(by);
      } catch (error) {
        throw new HttpProblem('invalid-request', (error as Error).message, { errors: [{ field: 'by', message: (error as Error).message }] });
      }
      const moved = deps.advanceClock
        ? await deps.advanceClock(ms)
        : { now: await controllable.advance(ms), deadlinesFired: await service.scheduler.tick() };
      return c.json({ now: moved.now, offsetMs: controllable.offsetMs, deadlinesFired: moved.deadlinesFired });
    });

  return app;
}

export type AppType = ReturnType<typeof createApp>;

const inspectorFile = (name: string) => readFileSync(new URL(`../inspector/${name}`, import.meta.url), 'utf8');
const inspectorAssets: Record<string, { body: string; type: string }> = {
  'inspector.js': { body: inspectorFile('inspector.js'), type: 'text/javascript; charset=utf-8' },
  'inspector.css': { body: inspectorFile('inspector.css'), type: 'text/css; charset=utf-8' },
};
const inspectorHtml = inspectorFile('index.html');

function inspectorPage(c: Context) {
  c.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
  c.header('Cache-Control', 'no-cache');
  return c.html(inspectorHtml);
}

let scalar: string | undefined;
/** The standalone Scalar bundle from node_modules: the docs page works offline. */
function scalarScript(): string {
  scalar ??= readFileSync(require.resolve('@scalar/api-reference/browser/standalone.js'), 'utf8');
  return scalar;
}

function docsPage(): string {
  // No fonts, telemetry or AI agent: each would call out of the service, and the page must work offline.
  const config = JSON.stringify({ url: '/openapi.json', withDefaultFonts: false, hideClientButton: false, telemetry: false, agent: { disabled: true } });
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Arbiter API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/scalar.js"></script>
    <script>Scalar.createApiReference('#app', ${config});</script>
  </body>
</html>`;
}
