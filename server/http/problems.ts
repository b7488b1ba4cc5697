/**
 * Every error leaves the API as `application/problem+json` (RFC 9457) with a stable `type`: a
 * path under `/problems/` that this service also serves as a page, a title, a detail a person
 * can act on, and field errors where they apply. Domain code returns values; only this module
 * builds error responses, in one place (`app.onError`).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { RefusalRuleId } from '../../machines/index.ts';

export const problemTypes = {
  unauthorized: {
    status: 401,
    title: 'Missing or invalid credentials',
    help: 'Send Authorization: Bearer <token> (or sign in for a cookie session). The detail says what is wrong with the token.',
  },
  'not-found': { status: 404, title: 'Not found', help: 'No such resource, or one you may not see. Disputes of other parties are reported as not found.' },
  forbidden: { status: 403, title: 'Not allowed for this role', help: 'Your role may not do this; the detail names who may.' },
  'csrf-token-missing': {
    status: 403,
    title: 'CSRF token missing or wrong',
    help: 'Writes made with the cookie session must echo the arbiter_csrf cookie in the X-CSRF-Token header.',
  },
  'malformed-request': { status: 400, title: 'Malformed request', help: 'The body is not valid JSON, or a header or parameter cannot be read.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', help: 'Send JSON bodies with Content-Type: application/json.' },
  'payload-too-large': { status: 413, title: 'Payload too large', help: 'The body is larger than the limit given in the detail.' },
  'invalid-request': {
    status: 422,
    title: 'Invalid request',
    help: 'One or more fields are invalid; see errors[] (field, message, and the policy rule where one applies).',
  },
  'not-eligible': {
    status: 422,
    title: 'The dispute cannot be opened',
    help: 'An opening rule (R-OPEN-*) refuses it; errors[] names the rule and, for time rules, the earliest instant.',
  },
  'unknown-order': {
    status: 422,
    title: 'Unknown order item',
    help: 'Register the order and its items (PUT /orders/{orderId}) before opening a dispute on one.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key reused with another request',
    help: 'A key identifies one request: repeat it with the same body, or use a new key.',
  },
  'event-not-accepted': {
    status: 409,
    title: 'The dispute does not accept this event now',
    help: 'The dispute as it stands does not allow it: errors[] says why, with the policy rule and, for time rules, when it becomes possible (earliest) or stopped being possible (latest); acceptedEvents lists what you may send instead.',
  },
  'duplicate-dispute': {
    status: 409,
    title: 'This order item already has a dispute',
    help: 'R-OPEN-3: one dispute per order item, ever; existingDisputeId names it.',
  },
  'precondition-failed': {
    status: 412,
    title: 'Stale If-Match',
    help: 'The dispute changed since the version you sent; fetch it again (currentVersion) and decide anew.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    help: 'This token or address sent more writes (or sign-ins) than the service allows per minute; wait for Retry-After seconds.',
  },
  'too-many-streams': {
    status: 429,
    title: 'Too many event streams',
    help: 'You hold as many open event streams as one party may; close one (or reuse it) before opening another.',
  },
  overloaded: {
    status: 503,
    title: 'The service is at capacity',
    help: 'The service holds as many event streams (or connections) as it allows; retry after Retry-After seconds.',
  },
  'keys-unavailable': {
    status: 503,
    title: 'Token keys unavailable',
    help: 'The identity provider’s key set (ARBITER_JWKS_URL) could not be fetched, so the token could not be checked; retry shortly.',
  },
  busy: { status: 503, title: 'Too much contention, retry', help: 'The dispute kept changing while the request was retried; retry shortly.' },
  unavailable: {
    status: 503,
    title: 'The database cannot take writes now',
    help: 'The write was not made (the disk is full or read-only, or the database is unreachable); nothing changed. Retry later; /readyz tells when the service can write again.',
  },
  'unsupported-machine-version': {
    status: 500,
    title: 'Stored dispute of an unsupported machine version',
    help: 'The dispute was written by a machine version this build cannot read; an operator must deploy a migration.',
  },
  'not-available': { status: 404, title: 'Not available in this mode', help: 'The endpoint exists in demo mode only.' },
  internal: { status: 500, title: 'Internal error', help: 'Something failed on our side. Quote the errorId; it is in the service log.' },
} as const satisfies Record<string, { status: number; title: string; help: string }>;

export type ProblemType = keyof typeof problemTypes;

export interface FieldError {
  field?: string | undefined;
  message: string;
  rule?: RefusalRuleId | undefined;
  earliest?: string | undefined;
  latest?: string | undefined;
}

export class HttpProblem extends Error {
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extras: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  get status(): number {
    return problemTypes[this.type].status;
  }
}

export function problemResponse(c: Context, problem: HttpProblem): Response {
  const body = {
    type: `/problems/${problem.type}`,
    title: problemTypes[problem.type].title,
    status: problem.status,
    detail: problem.detail,
    instance: c.req.path,
    ...problem.extras,
  };
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
  if (typeof problem.extras.retryAfter === 'number') headers['Retry-After'] = String(problem.extras.retryAfter);
  return c.body(JSON.stringify(body), problem.status as ContentfulStatusCode, headers);
}
