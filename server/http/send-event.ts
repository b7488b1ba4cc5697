/**
 * Sending an event through the API: the event type and the caller's role are checked first
 * (403 before 422), then the runtime checks the payload and the state; the answer is the
 * dispute after the event, with its version as the ETag.
 */
import type { Context } from 'hono';
import { eventCatalog, isEventType } from '../../machines/index.ts';
import { actorOf } from '../queries/disputes.ts';
import type { AppDeps, AppEnv } from './deps.ts';
import { problemFor } from './errors.ts';
import { idempotencyKeyOf, ifMatchOf } from './inputs.ts';
import { HttpProblem } from './problems.ts';

/** Sends an event to a dispute the caller's route already found visible (404 comes first). */
export async function sendEvent(c: Context<AppEnv>, deps: AppDeps, id: string, body: unknown) {
  const started = performance.now();
  const principal = c.get('principal');
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (!isEventType(type)) {
    throw new HttpProblem('invalid-request', `unknown event type ${JSON.stringify(type)}`, {
      errors: [{ field: 'type', message: 'see GET /machines/dispute or the dispute’s next[] for the event types' }],
    });
  }
  if (type === 'evidence.add') {
    // Evidence is recorded with its file: an id without stored bytes would point at nothing.
    throw new HttpProblem('invalid-request', 'evidence is added by uploading it: POST /disputes/{id}/evidence (multipart, field "file")', {
      errors: [{ field: 'type', message: 'use the evidence upload' }],
    });
  }
  const actor = actorOf(principal);
  if (!actor || !eventCatalog[type].roles.includes(actor.role)) {
    deps.metrics.eventRejected(type, 'forbidden');
    throw new HttpProblem('forbidden', `${type} may be sent by ${eventCatalog[type].roles.join(' or ')}, not by ${principal.role}`);
  }
  const result = await deps.service.runtime.send(id, body, actor, { idempotencyKey: idempotencyKeyOf(c), ifMatch: ifMatchOf(c) });
  if (!result.ok) {
    deps.metrics.eventRejected(type, result.error.kind === 'rejected' ? result.error.rejection.kind : result.error.kind);
    throw problemFor(result.error, type);
  }
  if (!result.replayed) {
    deps.metrics.eventApplied(type);
    deps.metrics.observeStep((performance.now() - started) / 1000);
  }
  c.header('ETag', `"${result.dispute.version}"`);
  if (result.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(deps.service.queries.view(principal, result.dispute), result.statusCode as 200);
}
