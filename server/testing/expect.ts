/**
 * What a deployment should show after a step, read from the model's snapshot: the state (value,
 * label, stage, who it awaits), the money, the armed deadlines (as lengths from the opening, since
 * the deployment's clock is not the model's) and what each party may send next.
 */
import { availableEvents, awaitedBy, stageOf, standingOf, stateLabel, type AwaitedParty, type EventType, type Stage } from '../../machines/index.ts';
import { toMillis } from '../../machines/time.ts';
import type { ModelState } from './model.ts';
import { parties, partyNames, type Party } from './samples.ts';

export interface ExpectedDeadline {
  name: string;
  /** When it falls due, counted from the dispute's opening (ms, and in words). */
  dueAfterOpeningMs: number;
  dueAfterOpening: string;
}

export interface Expected {
  /** The opening is refused (422) by these rules; nothing is stored. */
  refused?: { rules: string[] };
  state: string;
  value: unknown;
  stage: Stage;
  awaiting: AwaitedParty[];
  ended: boolean;
  amounts: { currency: string; paid: number; held: number; refunded: number; released: number };
  deadlines: ExpectedDeadline[];
  /** The event types each party may send now (agents only once the dispute involves them). */
  next: Partial<Record<Party, EventType[]>>;
}

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** A duration as the demo clock takes it: `5d`, `1d12h`, `90s` (whole seconds, rounded up). */
export function formatDuration(ms: number): string {
  let rest = Math.max(1000, Math.ceil(ms / 1000) * 1000);
  let text = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
}

export function expectedAfter({ snapshot, now }: ModelState): Expected {
  const c = snapshot.context;
  const opened = toMillis(c.openedAt);
  const visibleToAgents = standingOf(snapshot).agentVisible;
  const next: Expected['next'] = {};
  if (snapshot.status === 'active') {
    for (const party of partyNames) {
      if (parties[party].role === 'agent' && !visibleToAgents) continue;
      next[party] = availableEvents(snapshot, parties[party], now).map((e) => e.type);
    }
  }
  return {
    ...(c.openingProblems.length > 0 ? { refused: { rules: [...new Set(c.openingProblems.map((p) => p.rule))] } } : {}),
    state: stateLabel(snapshot),
    value: snapshot.value,
    stage: stageOf(snapshot),
    awaiting: awaitedBy(snapshot),
    ended: snapshot.hasTag('ended'),
    amounts: { ...c.funds },
    deadlines: Object.entries(c.deadlines)
      .flatMap(([name, d]) => (d ? [{ name, dueAfterOpeningMs: toMillis(d.dueAt) - opened, dueAfterOpening: formatDuration(toMillis(d.dueAt) - opened) }] : []))
      .sort((a, b) => a.dueAfterOpeningMs - b.dueAfterOpeningMs),
    next,
  };
}
