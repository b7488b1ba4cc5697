/**
 * The paths `arbiter/testing` generates, checked against the machine's definition and its
 * public API (parse, check, transition), not against the generator's own traced model: together
 * they take every transition, visit every state and reach every stage; every step is accepted
 * and lands where the path says; `to`, `kind`, `maxLength` and the deployment's policy shape them.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { generatePaths, machineTotals, realizePath, scenarios, type TestPath } from 'arbiter/testing';
import { catchUp, checkEvent, disputeMachine, parseEvent, stateLabel, transitionDispute, type DisputeSnapshot } from '../machines/index.ts';
import { modelInput } from '../server/testing/scenarios.ts';
import { parties } from '../server/testing/samples.ts';

const OPENED = '2030-01-07T10:00:00.000Z'; // a Monday
const covering = generatePaths({ openedAt: OPENED });

/** Replays a path with the machine's public functions, stamping each event as the shell would. */
function replayPublicly(path: TestPath): DisputeSnapshot[] {
  const input = modelInput(
    scenarios.find((s) => s.name === path.scenario.name)!,
    covering.policy,
    path.openedAt,
    path.factsAt,
  );
  let [snapshot] = initialTransition(disputeMachine, input);
  let now = input.openedAt;
  const seen = [snapshot];
  for (const step of path.steps.slice(1)) {
    if (step.kind === 'event') {
      const parsed = parseEvent(step.event, parties[step.party as keyof typeof parties], now);
      const checked = parsed.ok ? checkEvent(snapshot, parsed.value) : parsed;
      if (!checked.ok) throw new Error(`${path.title}: step ${step.n} refused: ${checked.rejection.message}`);
      [snapshot] = transitionDispute(snapshot, checked.value);
    } else {
      now = new Date(Date.parse(now) + step.advance!.ms).toISOString();
      snapshot = catchUp(snapshot, now).snapshot;
    }
    seen.push(snapshot);
  }
  return seen;
}

describe('the covering set', () => {
  const totals = machineTotals();

  it('takes every transition, visits every state and reaches every stage of the definition', () => {
    expect(totals.transitions.length).toBeGreaterThan(80);
    expect(covering.coverage.transitions).toEqual({ covered: totals.transitions.length, total: totals.transitions.length, missing: [] });
    expect(covering.coverage.states).toEqual({ covered: totals.states.length, total: totals.states.length, missing: [] });
    expect(covering.coverage.stages.missing).toEqual([]);
    const claimed = new Set(covering.paths.flatMap((p) => p.steps.flatMap((s) => s.covers.transitions)));
    expect(totals.transitions.filter((t) => !claimed.has(t))).toEqual([]);
  });

  it('is small: few short paths, each with a distinct title', () => {
    expect(covering.paths.length).toBeLessThan(80);
    expect(Math.max(...covering.paths.map((p) => p.steps.length))).toBeLessThanOrEqual(12);
    expect(new Set(covering.paths.map((p) => p.title)).size).toBe(covering.paths.length);
  });

  it.each(covering.paths.map((p) => [p.title, p] as const))('%s: every step is accepted and lands where the path says', (_title, path) => {
    const seen = replayPublicly(path);
    path.steps.forEach((step, i) => {
      const snapshot = seen[i]!;
      if (step.expect.refused) expect(snapshot.context.openingProblems.map((p) => p.rule)).toEqual(step.expect.refused.rules);
      else expect(stateLabel(snapshot), `step ${step.n}`).toBe(step.expect.state);
      const { paid, held, refunded, released } = snapshot.context.funds;
      expect(held + refunded + released, `step ${step.n}: the money adds up`).toBe(paid);
      expect(step.expect.amounts).toEqual(snapshot.context.funds);
    });
  });

  it('writes what a client needs: the party, a body the API takes, the advance a deadline needs', () => {
    const path = covering.paths.find((p) => p.steps.some((s) => s.fires?.includes('deadline.sellerResponse')))!;
    const step = path.steps.find((s) => s.fires?.includes('deadline.sellerResponse'))!;
    expect(step).toMatchObject({ kind: 'deadline', party: 'clock', advance: { by: '5d', ms: 5 * 86_400_000, until: { deadline: 'sellerResponse' } } });
    expect(path.steps[0]).toMatchObject({ kind: 'open', party: 'buyer', request: { type: 'refund_only' } });
    const counter = covering.paths.flatMap((p) => p.steps).find((s) => s.event?.type === 'seller.counterOffer')!;
    expect(counter).toMatchObject({ party: 'seller', event: { type: 'seller.counterOffer', amount: 2000 } });
    expect(path.steps[0]!.expect.deadlines).toEqual([
      { name: 'sellerResponse', dueAfterOpeningMs: 432_000_000, dueAfterOpening: '5d' },
      { name: 'negotiationEnd', dueAfterOpeningMs: 1_296_000_000, dueAfterOpening: '15d' },
    ]);
  });

  it('never moves the clock while a refund waits for the payment provider', () => {
    for (const path of covering.paths) {
      path.steps.forEach((step, i) => {
        if (!step.advance || i === 0) return;
        const before = path.steps[i - 1]!.expect;
        expect(before.next.system ?? [], `${path.title}, step ${step.n}`).not.toContain('refund.settled');
      });
    }
  });
});

describe('paths to a target', () => {
  it('to a state prefix: the shortest path to each state under it', () => {
    const set = generatePaths({ openedAt: OPENED, to: 'escalated' });
    expect(set.paths.map((p) => p.target.state).sort()).toEqual([
      'escalated.awaitingEvidence.fromBuyer',
      'escalated.awaitingEvidence.fromSeller',
      'escalated.inQueue',
      'escalated.underReview',
    ]);
    expect(set.paths.find((p) => p.target.state === 'escalated.inQueue')!.steps).toHaveLength(3);
  });

  it('to a stage, and to a refused opening', () => {
    const refunding = generatePaths({ openedAt: OPENED, to: 'refunding' });
    expect(refunding.paths.length).toBeGreaterThan(3);
    expect(refunding.paths.every((p) => p.target.stage === 'refunding')).toBe(true);
    const refused = generatePaths({ openedAt: OPENED, to: 'refused' });
    expect(refused.paths).toHaveLength(1);
    expect(refused.paths[0]!.steps).toEqual([expect.objectContaining({ kind: 'open', expect: expect.objectContaining({ refused: { rules: ['R-OPEN-1'] } }) })]);
  });

  it('simple paths: distinct, within maxLength, each ending at the target; capped by maxPaths', () => {
    const set = generatePaths({ openedAt: OPENED, to: 'negotiating.proposalPending', kind: 'simple', maxLength: 5 });
    expect(set.paths.length).toBeGreaterThan(3);
    for (const path of set.paths) {
      expect(path.steps.length).toBeLessThanOrEqual(5);
      expect(path.target.state).toBe('negotiating.proposalPending');
    }
    expect(new Set(set.paths.map((p) => JSON.stringify([p.scenario.name, p.recipes]))).size).toBe(set.paths.length);
    const capped = generatePaths({ openedAt: OPENED, to: 'resolving', kind: 'simple', maxLength: 6, maxPaths: 10 });
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.paths).toHaveLength(10);
  });
});

describe('the deployment’s policy', () => {
  it('shapes the paths: a longer seller window, no appeals', () => {
    const set = generatePaths({ openedAt: OPENED, policy: { negotiation: { sellerResponseDays: 10 }, appeal: { maxAppeals: 0 } } });
    expect(set.policy.negotiation.sellerResponseDays).toBe(10);
    const fired = set.paths.flatMap((p) => p.steps).find((s) => s.fires?.[0] === 'deadline.sellerResponse')!;
    expect(fired.advance!.by).toBe('10d');
    expect(set.coverage.states.missing).toEqual(['resolving.decision.appealWindowOpen', 'resolving.decision.appealed']);
  });

  it('a path rebuilt for another opening instant keeps its steps; lengths in business days follow the weekday', () => {
    const path = covering.paths.find((p) => p.steps.some((s) => s.fires?.includes('deadline.refundOverdue')))!;
    const friday = realizePath({ scenario: path.scenario.name, recipes: path.recipes }, { openedAt: '2030-01-11T10:00:00.000Z' })!;
    expect(friday.steps.map((s) => s.expect.state)).toEqual(path.steps.map((s) => s.expect.state));
    expect(friday.steps.map((s) => s.kind)).toEqual(path.steps.map((s) => s.kind));
  });
});
