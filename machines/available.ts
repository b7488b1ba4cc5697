import { z } from 'zod';
import type { Actor, Problem } from './context.ts';
import { deadlineDefinitions, deadlineNames } from './deadlines.ts';
import { fieldIssues } from './field-issues.ts';
import { activeStateNodes, stateLabel, type DisputeSnapshot } from './snapshot.ts';
import { refusalProblems } from './refusals.ts';
import { transitionDispute, type ExecutedAction } from './transition.ts';
import { eventCatalog, eventTypes, isEventType, type DisputeEvent, type EventType } from './events.ts';
import { toMillis } from './time.ts';

/**
 * Why an event was refused, as a value. `kind` maps to the API's status codes in the order they
 * are checked: `unknown_event` and `invalid_payload` 422, `forbidden` 403, `not_accepted` 409.
 */
export type Rejection =
  | { kind: 'unknown_event'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'invalid_payload'; message: string; problems: Problem[] }
  | { kind: 'not_accepted'; message: string; accepted: EventType[]; problems: Problem[] };

export type Checked<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

const rejected = <T>(rejection: Rejection): Checked<T> => ({ ok: false, rejection });

/** Field-level problems from a zod error: a malformed event breaks no rule of the policy (EVENT). */
const zodProblems = (error: z.ZodError): Problem[] => fieldIssues(error).map((issue) => ({ rule: 'EVENT', ...issue }));

/**
 * Turns what a client sent (`{ type, ...payload }`) into a stamped event, checking the event
 * type, then the sender's role (R-ROLE table), then the payload's shape. Says nothing yet about
 * whether the dispute accepts it: see `checkEvent`.
 */
export function parseEvent(raw: unknown, by: Actor, at: string): Checked<DisputeEvent> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return rejected({ kind: 'unknown_event', message: 'an event is a JSON object with a "type"' });
  }
  const { type, ...payload } = raw as Record<string, unknown>;
  if (!isEventType(type)) {
    return rejected({ kind: 'unknown_event', message: `unknown event type ${JSON.stringify(type)}; known: ${eventTypes.join(', ')}` });
  }
  const definition = eventCatalog[type];
  if (!definition.roles.includes(by.role)) {
    const article = by.role === 'agent' ? 'an' : 'a';
    return rejected({ kind: 'forbidden', message: `${type} may be sent by ${definition.roles.join(' or ')}, not by ${article} ${by.role}` });
  }
  const parsed = (definition.payload as z.ZodType).safeParse(payload);
  if (!parsed.success) {
    return rejected({ kind: 'invalid_payload', message: `invalid ${type} payload`, problems: zodProblems(parsed.error) });
  }
  return { ok: true, value: { ...(parsed.data as object), type, at, by } as DisputeEvent };
}

function probeEvent(snapshot: DisputeSnapshot, type: EventType, by: Actor, at: string): DisputeEvent {
  const payload = eventCatalog[type].probe(snapshot.context);
  return { ...payload, type, at, by } as DisputeEvent;
}

/** The armed deadlines in firing order: due time, then priority (R-GEN-4). */
export function armedDeadlines(snapshot: DisputeSnapshot) {
  return deadlineNames
    .flatMap((name) => {
      const armed = snapshot.context.deadlines[name];
      return armed ? [{ name, ...armed, priority: deadlineDefinitions[name].priority }] : [];
    })
    .sort(
      (a, b) =>
        toMillis(a.dueAt) - toMillis(b.dueAt) ||
        // Stryker disable next-line ArithmeticOperator: equivalent, deadlineNames lists the deadlines in priority order and the sort is stable, so ties keep it anyway
        a.priority - b.priority,
    );
}

/** The deadlines due at `at`, in firing order (R-GEN-4). */
export function dueDeadlines(snapshot: DisputeSnapshot, at: string) {
  const now = toMillis(at);
  return armedDeadlines(snapshot).filter((deadline) => toMillis(deadline.dueAt) <= now);
}

/** The system actor that stamps deadline events. */
export const scheduler: Actor = { role: 'system', id: 'scheduler' };

/**
 * Fires, in order, every deadline due at or before `at`, each stamped with its own due time
 * (R-GEN-4), so an event sent at `at` meets the dispute as it stands then. Pure: returns the
 * steps for the runtime to persist.
 */
export function catchUp(snapshot: DisputeSnapshot, at: string) {
  const steps: { event: DisputeEvent; snapshot: DisputeSnapshot; actions: ExecutedAction[] }[] = [];
  let current = snapshot;
  // Each firing disarms its deadline; the bound only guards against a chart that re-arms one at once.
  // None does: no chain of deadlines in this chart is longer than three (the negotiation's or the
  // decision's, then at most two of the payout's), so no input reaches the bound, nor a third of it.
  // Stryker disable next-line EqualityOperator,ArithmeticOperator,AssignmentOperator: equivalent, the bound is never reached (above)
  for (let i = 0; i < deadlineNames.length * 4; i += 1) {
    const next = dueDeadlines(current, at)[0];
    if (!next) break;
    const event = { type: next.event, at: next.dueAt, by: scheduler } as DisputeEvent;
    const [after, actions] = transitionDispute(current, event);
    if (after === current) break;
    steps.push({ event, snapshot: after, actions });
    current = after;
  }
  return { snapshot: current, steps };
}

/** The event types the snapshot accepts from this actor now (payloads aside). */
export function acceptedEventTypes(snapshot: DisputeSnapshot, by: Actor, at: string): EventType[] {
  // Only event types some active state handles can be accepted: probe those alone. A finished
  // dispute has none: the one final state (refused) handles no event.
  const handled = new Set(activeStateNodes(snapshot).flatMap((node) => [...node.transitions.keys()]));
  return eventTypes.filter((type) => handled.has(type) && eventCatalog[type].roles.includes(by.role) && snapshot.can(probeEvent(snapshot, type, by, at)));
}

/**
 * Whether the dispute accepts this stamped event now, with the reason when it does not: the
 * state and the sender's standing first (409), then limits that depend on the dispute, such as
 * amounts above what was paid or requested (422, field by field).
 */
export function checkEvent(snapshot: DisputeSnapshot, event: DisputeEvent): Checked<DisputeEvent> {
  const probe = probeEvent(snapshot, event.type, event.by, event.at);
  // A finished dispute takes nothing: the one final state (refused) handles no event, so can() refuses them all.
  if (!snapshot.can(probe)) return notAccepted(snapshot, event);
  const check = eventCatalog[event.type] as { check?: (c: typeof snapshot.context, p: DisputeEvent) => Problem[] };
  const problems = check.check?.(snapshot.context, event) ?? [];
  if (problems.length > 0) {
    return rejected({ kind: 'invalid_payload', message: problems.map((p) => p.message).join('; '), problems });
  }
  if (!snapshot.can(event)) return notAccepted(snapshot, event);
  return { ok: true, value: event };
}

/** A 409: why not (the rule and, for time rules, the instant), and what the sender may send instead. */
function notAccepted(snapshot: DisputeSnapshot, event: DisputeEvent): Checked<DisputeEvent> {
  const problems = refusalProblems(snapshot, event);
  const reasons = problems.map((p) => `${p.message} (${p.rule})`);
  // Stryker disable next-line StringLiteral: equivalent, refusalProblems gives one problem per refusal, so the separator never shows
  const why = reasons.join('; ');
  return rejected({
    kind: 'not_accepted',
    message: `${event.type} is not accepted from this ${event.by.role} in state ${stateLabel(snapshot)}: ${why}`,
    accepted: acceptedEventTypes(snapshot, event.by, event.at),
    problems,
  });
}

export interface AvailableEvent {
  type: EventType;
  /** What a button calls it, from the catalogue. */
  label: string;
  description: string;
  /** JSON Schema of the payload, with limits that depend on the dispute (e.g. `maximum`). */
  schema: Record<string, unknown>;
}

const payloadJsonSchemas = new Map<EventType, Record<string, unknown>>();

/** The JSON Schema of an event's payload as clients send it (shared: read it, do not change it). */
export function payloadJsonSchema(type: EventType): Record<string, unknown> {
  let schema = payloadJsonSchemas.get(type);
  // Stryker disable next-line ConditionalExpression: equivalent, the cache only saves time (the schema is built the same each time)
  if (!schema) {
    schema = z.toJSONSchema(eventCatalog[type].payload as z.ZodType, {
      io: 'input',
      // Stryker disable next-line StringLiteral: equivalent, no payload has a type JSON Schema cannot represent (the default would throw)
      unrepresentable: 'any',
    });
    payloadJsonSchemas.set(type, schema);
  }
  return schema;
}

/**
 * What this actor may send now, at `at`: deadlines due by then are fired first, then state,
 * context and time guards are evaluated. Each entry carries its payload schema with the limits
 * of this dispute (e.g. the largest amount a counter-offer may name).
 *
 * @example
 * availableEvents(snapshot, { role: 'seller', id: 's-1' }, '2026-12-01T10:00:00Z')
 * // [{ type: 'seller.accept', ... }, { type: 'seller.counterOffer', schema: { properties: { amount: { maximum: 3999 } } } }, ...]
 */
export function availableEvents(snapshot: DisputeSnapshot, by: Actor, at: string): AvailableEvent[] {
  const current = catchUp(snapshot, at).snapshot;
  return acceptedEventTypes(current, by, at).map((type) => {
    const definition = eventCatalog[type] as { label: string; description: string; maxima?: (c: typeof current.context) => Record<string, number> };
    const shared = payloadJsonSchema(type) as { properties?: Record<string, Record<string, unknown>> };
    const words = { type, label: definition.label, description: definition.description };
    if (!definition.maxima) return { ...words, schema: shared };
    // Only the properties given this dispute's limits are copied; the rest of the schema is shared.
    const properties = { ...shared.properties };
    for (const [field, maximum] of Object.entries(definition.maxima(current.context))) {
      // Stryker disable next-line ConditionalExpression: equivalent, every field the catalogue limits (amount) is a property of its payload
      if (properties[field]) properties[field] = { ...properties[field], maximum };
    }
    return { ...words, schema: { ...shared, properties } };
  });
}
