/**
 * The pure machine, traced: the next snapshot of an event together with the transitions of the
 * definition it took and the state nodes it passed through (transient `checking` states
 * included), so a generated path knows what it covers. Nothing is executed: effects are
 * dropped, exactly as `transitionDispute` drops them.
 */
import { createActor, type ActorScope, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { disputeMachine, type DisputeEvent, type DisputeInput, type DisputeSnapshot } from '../../machines/index.ts';

export interface Traced {
  snapshot: DisputeSnapshot;
  transitions: AnyTransitionDefinition[];
  /** Every state node active in some microstep of the step, or left by one of its transitions. */
  nodes: AnyStateNode[];
}

let sink: { transitions: AnyTransitionDefinition[]; nodes: Set<AnyStateNode> } | null = null;

function record(inspection: { type: string; snapshot?: unknown; _transitions?: AnyTransitionDefinition[] }) {
  if (!sink || inspection.type !== '@xstate.microstep') return;
  for (const t of inspection._transitions ?? []) {
    sink.transitions.push(t);
    sink.nodes.add(t.source); // a transient state is only ever seen as a source
  }
  for (const node of (inspection.snapshot as { _nodes?: AnyStateNode[] } | undefined)?._nodes ?? []) sink.nodes.add(node);
}

/** An inert actor scope whose system hears the microsteps; built once (the machine is pure). */
function inertScope(input: DisputeInput): ActorScope<DisputeSnapshot, DisputeEvent> {
  const self = createActor(disputeMachine, { input });
  const system = Object.create(self.system, { _sendInspectionEvent: { value: record } }) as typeof self.system;
  return {
    self,
    id: '',
    sessionId: '',
    system,
    defer: () => {},
    logger: () => {},
    stopChild: () => {},
    emit: () => {},
    actionExecutor: () => {},
  };
}

let scope: ActorScope<DisputeSnapshot, DisputeEvent> | undefined;

function traced(input: DisputeInput, run: (scope: ActorScope<DisputeSnapshot, DisputeEvent>) => DisputeSnapshot): Traced {
  scope ??= inertScope(input);
  sink = { transitions: [], nodes: new Set() };
  try {
    const snapshot = run(scope);
    for (const node of snapshot._nodes) sink.nodes.add(node);
    return { snapshot, transitions: sink.transitions, nodes: [...sink.nodes] };
  } finally {
    sink = null;
  }
}

/** The first snapshot of a dispute, with the eventless transitions it took (opened → …). */
export function traceInitial(input: DisputeInput): Traced {
  return traced(input, (s) => disputeMachine.getInitialSnapshot(s, input));
}

/** The next snapshot for an event already checked (`checkEvent`). */
export function traceEvent(input: DisputeInput, snapshot: DisputeSnapshot, event: DisputeEvent): Traced {
  return traced(input, (s) => disputeMachine.transition(snapshot, event, s));
}
