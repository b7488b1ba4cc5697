import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { deadlineDefinitions, deadlineForEvent, type DeadlineName } from './deadlines.ts';
import { disputeMachine, disputeMachineVersion } from './dispute.ts';
import { z } from 'zod';
import { payloadJsonSchema } from './available.ts';
import { eventCatalog, eventTypes, isEventType, type EventType } from './events.ts';
import { OpenRequest } from './order.ts';
import { guardWords } from './guard-words.ts';
import { defaultPolicy, evidenceFormats, type PaymentMethodKind, type Policy } from './policy.ts';
import { inWords, settingsNamed } from './policy-words.ts';
import { stagesIn, type Stage } from './stages.ts';

/**
 * The statechart as plain data, read from the machine definition: its states, every transition
 * with its guard and actions, and the deadlines. Diagrams and the API's `GET /machines/dispute`
 * are generated from this, never drawn by hand.
 */
export interface StateDescription {
  /** Dotted path, e.g. `negotiating.offerPending`; `` for the root. */
  path: string;
  key: string;
  /** What a person calls it, e.g. "Waiting for the seller’s answer". */
  label: string;
  parent: string | null;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  initial: string | null;
  /** What it means, with the policy's numbers in words ("The seller has 5 days to answer…"). */
  description: string | null;
  /** The policy settings the description reads its numbers from, for developers. */
  settings: string[];
  tags: string[];
  /** The lifecycle stage of this state and its descendants, from its own or an ancestor's tags. */
  stage: Stage | null;
  deadlines: DeadlineName[];
  /** A state left at once by eventless transitions: never rests here. */
  transient: boolean;
}

export interface TransitionDescription {
  source: string;
  /** The event type, or `null` for an eventless (`always`) transition. */
  event: string | null;
  targets: string[];
  guard: string | null;
  /** The guard as a condition in words, e.g. "if the offer is valid". */
  guardWords: string | null;
  actions: string[];
  roles: string[];
  /** The deadline this transition fires on, for `deadline.*` events. */
  deadline: DeadlineName | null;
}

/** An event of the catalogue, as people and forms read it. */
export interface EventDescription {
  type: EventType;
  label: string;
  /** What the history says happened, after the sender's name. */
  done: string;
  rule: string | null;
  description: string;
  roles: string[];
  /** The payload's JSON Schema: field titles, money fields, labelled choices. */
  schema: Record<string, unknown>;
}

export interface MachineDescription {
  id: string;
  version: number;
  states: StateDescription[];
  transitions: TransitionDescription[];
  /** `length` in words under the policy described ("5 days"); `setting` names the policy setting it reads. */
  deadlines: {
    name: DeadlineName;
    event: string;
    label: string;
    rule: string;
    priority: number;
    anchor: string;
    length: string;
    setting: string;
    effect: string;
  }[];
  events: EventDescription[];
  /** The JSON Schema of what a buyer sends to open a dispute (with the order and item ids). */
  openRequest: Record<string, unknown>;
  /** R-EVID-1, R-EVID-2: the evidence formats accepted; each dispute's size caps are in its policy. */
  evidence: typeof evidenceFormats;
}

const pathOf = (node: AnyStateNode) => node.path.join('.');

/**
 * A guard as people read it: its name, a parametrized one with its `name` parameter
 * (`deadlineIsDue(sellerResponse)`), a composite one from its parts (`a && b`, `a || b`, `!a`).
 */
export function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const composite = guard as { name?: string; guards?: unknown[]; stateValue?: unknown };
    if (composite.guards) {
      // `and` and `or` inside another composite keep their parentheses; `not` binds tighter.
      const part = (g: unknown) => {
        const inner = g as { name?: string; guards?: unknown[] };
        return inner.guards && inner.name !== 'not' ? `(${guardName(g)})` : guardName(g);
      };
      if (composite.name === 'not') return `!${part(composite.guards[0])}`;
      return composite.guards.map(part).join(composite.name === 'or' ? ' || ' : ' && ');
    }
    if (typeof composite.stateValue === 'string') return `in(${composite.stateValue})`;
    return composite.name || 'inline';
  }
  if (typeof guard === 'object' && 'type' in guard) {
    const { type, params } = guard as { type: string; params?: { name?: string } };
    return params?.name ? `${type}(${params.name})` : type;
  }
  return 'inline';
}

/** Actions by name: a named function by its name (an anonymous one "inline"), a parametrized one with its `name` parameter (`disarmDeadline(decisionDue)`); parameters computed by a function are not shown. */
function actionNames(t: AnyTransitionDefinition): string[] {
  return t.actions.map((a: unknown) => {
    if (typeof a === 'string') return a;
    if (typeof a === 'function') return a.name || 'inline';
    const { type, params } = a as { type: string; params?: { name?: string } | (() => unknown) };
    const name = typeof params === 'object' ? params.name : undefined;
    return name ? `${type}(${name})` : type;
  });
}

function describeTransition(t: AnyTransitionDefinition, event: string | null): TransitionDescription {
  return {
    source: pathOf(t.source),
    event,
    targets: (t.target ?? []).map(pathOf),
    guard: guardName(t.guard),
    guardWords: guardWords(guardName(t.guard)),
    actions: actionNames(t),
    roles: isEventType(event) ? [...eventCatalog[event].roles] : [],
    deadline: event ? (deadlineForEvent(event) ?? null) : null,
  };
}

/**
 * The machine under a policy (the documented defaults unless given): every explanation carries
 * that policy's numbers, never the names of its settings; `paymentMethod` picks a dispute's
 * refund settlement window.
 */
export function describeMachine(
  policy: Policy = defaultPolicy,
  paymentMethod?: PaymentMethodKind,
  chart: { root: AnyStateNode; id: string } = disputeMachine,
): MachineDescription {
  const words = (text: string) => inWords(text, policy, paymentMethod);
  const states: StateDescription[] = [];
  const transitions: TransitionDescription[] = [];
  const visit = (node: AnyStateNode) => {
    const meta = (node.meta ?? {}) as { deadlines?: DeadlineName[]; label?: string };
    states.push({
      path: pathOf(node),
      key: node.key,
      label: meta.label ?? node.key,
      parent: node.parent ? pathOf(node.parent) : null,
      type: node.type,
      initial: node.initial.target[0]?.key ?? null,
      description: node.description ? words(node.description) : null,
      // Stryker disable next-line StringLiteral: a text in place of a missing description names no setting, whatever it says
      settings: settingsNamed(node.description ?? ''),
      tags: [...node.tags],
      stage: stageOfNode(node),
      deadlines: meta.deadlines ?? [],
      transient: node.always?.some((t) => !t.guard) ?? false,
    });
    for (const [event, candidates] of node.transitions) {
      for (const t of candidates) transitions.push(describeTransition(t, event));
    }
    for (const t of node.always ?? []) transitions.push(describeTransition(t, null));
    Object.values(node.states).forEach(visit);
  };
  visit(chart.root);
  return {
    id: chart.id,
    version: disputeMachineVersion,
    states,
    transitions,
    deadlines: (Object.keys(deadlineDefinitions) as DeadlineName[]).map((name) => {
      const { event, label, rule, priority, anchor, length, effect } = deadlineDefinitions[name];
      // Stryker disable next-line StringLiteral: each deadline's length names one setting, so nothing is joined
      return { name, event, label, rule, priority, anchor, length: words(length), setting: settingsNamed(length).join(', '), effect };
    }),
    events: eventTypes.map((type) => {
      const { label, done, rule, description, roles } = eventCatalog[type];
      return { type, label, done, rule, description, roles: [...roles], schema: payloadJsonSchema(type) };
    }),
    openRequest: openRequestSchema(),
    evidence: evidenceFormats,
  };
}

/** The stage a node's tags (or its nearest ancestor's) give; compound nodes whose children differ have none. */
function stageOfNode(node: AnyStateNode): Stage | null {
  for (let at: AnyStateNode | undefined = node; at; at = at.parent) {
    const [stage] = stagesIn(at.tags);
    if (stage) return stage;
  }
  return null;
}

/** The opening request's JSON Schema itself (zod puts a schema with an id behind a `$ref`). */
function openRequestSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(OpenRequest, { io: 'input', unrepresentable: 'any' }) as { $defs?: Record<string, Record<string, unknown>> };
  return schema.$defs!.OpenRequest!; // OpenRequest has an id: always there
}
