/**
 * Errors leave in one place: a runtime refusal becomes its problem here, and `onError` turns
 * every thrown problem, framework error and unexpected fault into problem+json (an unexpected
 * one with an errorId that the log line carries too, and no stack trace in the answer).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { StoreUnavailable } from '../../db/store.ts';
import { BadCursor } from '../queries/disputes.ts';
import type { RuntimeError } from '../runtime/runtime.ts';
import type { AppEnv } from './deps.ts';
import { HttpProblem, problemResponse } from './problems.ts';

/** A runtime refusal, as the problem the API answers. */
export function problemFor(error: RuntimeError, eventType?: string): HttpProblem {
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
    case 'unavailable':
      return new HttpProblem('unavailable', error.message, { retryAfter: 5 });
    case 'unsupported_version':
      return new HttpProblem('unsupported-machine-version', error.message);
    case 'rejected': {
      const r = error.rejection;
      if (r.kind === 'forbidden') return new HttpProblem('forbidden', r.message);
      if (r.kind === 'not_accepted') return new HttpProblem('event-not-accepted', r.message, { acceptedEvents: r.accepted, errors: r.problems });
      if (r.kind === 'invalid_payload') return new HttpProblem('invalid-request', r.message, { errors: r.problems, ...(eventType ? { eventType } : {}) });
      return new HttpProblem('invalid-request', r.message, { errors: [{ field: 'type', message: r.message }] });
    }
  }
}

export function onError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof HttpProblem) return problemResponse(c, error);
  if (error instanceof BadCursor)
    return problemResponse(c, new HttpProblem('invalid-request', error.message, { errors: [{ field: 'cursor', message: error.message }] }));
  if (error instanceof StoreUnavailable) return problemResponse(c, new HttpProblem('unavailable', error.message, { retryAfter: 5 }));
  if (error instanceof HTTPException && error.status === 413)
    return problemResponse(c, new HttpProblem('payload-too-large', error.message || 'the body is larger than this route accepts'));
  if (error instanceof HTTPException && error.status === 400)
    return problemResponse(c, new HttpProblem('malformed-request', error.message || 'the request cannot be read'));
  const errorId = randomUUID();
  c.get('log').error('unexpected error', { errorId, method: c.req.method, path: c.req.path, error: error.stack ?? error.message });
  return problemResponse(c, new HttpProblem('internal', `unexpected error; quote errorId ${errorId}`, { errorId }));
}
