/**
 * A deployment's dispute against the model's expectation after a step: state, stage, who it
 * awaits, the money, the armed deadlines (their lengths from the opening, within what the
 * deployment's own delays explain) and what the acting party may send next.
 */
import type { Expected } from './expect.ts';
import type { Party } from './samples.ts';

/** What `GET /disputes/{id}` (or an event's answer) shows; only the fields compared. */
export interface DisputeView {
  id: string;
  state: string;
  stage: string;
  awaiting: string[];
  openedAt: string;
  amounts: Expected['amounts'];
  deadlines: { name: string; dueAt: string }[];
  next: { type: string }[];
  context: Record<string, unknown> & { openedAt: string; protectionEndsAt: string };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The differences, in words; empty when the dispute is as expected. `viewer` is the party the
 * view was rendered for (its `next`); `toleranceMs` is how much later than the model's the
 * deployment's steps may have happened (its clock runs on while a test drives it).
 */
export function differences(view: DisputeView, expected: Expected, viewer: Party, toleranceMs: number): string[] {
  const found: string[] = [];
  if (view.state !== expected.state) found.push(`state is ${view.state}, expected ${expected.state}`);
  if (view.stage !== expected.stage) found.push(`stage is ${view.stage}, expected ${expected.stage}`);
  if (!same(view.awaiting, expected.awaiting)) found.push(`awaiting ${view.awaiting.join(', ')}, expected ${expected.awaiting.join(', ')}`);
  if (!same(view.amounts, expected.amounts)) found.push(`amounts are ${JSON.stringify(view.amounts)}, expected ${JSON.stringify(expected.amounts)}`);
  const opened = Date.parse(view.openedAt);
  const armed = new Map(view.deadlines.map((d) => [d.name, Date.parse(d.dueAt) - opened]));
  const names = (list: Iterable<string>) => [...list].sort().join(', ') || 'none';
  if (names(armed.keys()) !== names(expected.deadlines.map((d) => d.name))) {
    found.push(`armed deadlines are ${names(armed.keys())}, expected ${names(expected.deadlines.map((d) => d.name))}`);
  }
  for (const deadline of expected.deadlines) {
    const length = armed.get(deadline.name);
    if (length !== undefined && Math.abs(length - deadline.dueAfterOpeningMs) > toleranceMs) {
      const hours = (length - deadline.dueAfterOpeningMs) / 3_600_000;
      found.push(
        `deadline ${deadline.name} falls due ${hours > 0 ? `${hours.toFixed(1)} h later` : `${(-hours).toFixed(1)} h earlier`} than expected (${deadline.dueAfterOpening} after opening)`,
      );
    }
  }
  const expectedNext = expected.next[viewer];
  if (expectedNext) {
    const shown = view.next.map((e) => e.type);
    if (!same(shown, expectedNext)) found.push(`the ${viewer} may send ${shown.join(', ') || 'nothing'}, expected ${expectedNext.join(', ') || 'nothing'}`);
  }
  return found;
}
