/**
 * The chart as people read it (`describeMachine`, what `GET /machines/dispute`, the diagrams and
 * the inspector show), checked on the built machine. Found by `npm run mutation:chart` (Stryker on
 * machines/chart/*, whose state configs are read once, when the machine is built).
 *
 * The machine is imported inside the tests, never at the top of this file: a chart that cannot
 * be built (a compound state with no initial state) then fails these tests instead of failing the
 * file's import, which the mutation runner would not count as a failed test. For the same reason
 * it is in `npm run mutation:chart`'s test set only (vitest.mutation-chart.config.ts): in the
 * normal run, where the chart's static mutants are skipped, Stryker would judge the chart by
 * these few tests alone, the ones that built the machine while it watched.
 */
import { describe, expect, it } from 'vitest';

const built = async () => {
  const { describeMachine } = await import('../machines/index.ts');
  return describeMachine();
};

describe('the chart as people read it', () => {
  it('builds, and every compound state starts in the state a dispute enters first', async () => {
    const initials = Object.fromEntries((await built()).states.filter((s) => s.type === 'compound').map((s) => [s.path, s.initial]));
    expect(initials).toEqual({
      '': 'opened',
      negotiating: 'awaitingSellerResponse',
      escalated: 'inQueue',
      'escalated.awaitingEvidence': 'fromBuyer',
      'resolving.decision': 'checking',
      'resolving.payout': 'upToDate',
      'resolving.payout.returnLeg': 'awaitingShipment',
      'resolving.payout.settlement': 'requested',
      resolved: 'checking',
      reshipped: 'checking',
      cancelled: 'checking',
      closedForSeller: 'checking',
    });
  });

  it('names every state in words of its own, not by its key', async () => {
    for (const state of (await built()).states) {
      expect(state.label, state.path).not.toBe(state.key);
      expect(state.label, state.path).toMatch(/^[A-Z]\S*( \S+)*$/);
    }
  });

  it('explains every state in a sentence, with the policy’s numbers in words', async () => {
    for (const state of (await built()).states) {
      expect(state.description, state.path).toMatch(/^[A-Z].{20,}/);
      expect(state.description, state.path).not.toMatch(/[a-z]+\.[a-z]+Days/);
    }
  });

  it('R-GEN-4: lists, for each state, the deadlines a dispute waits on there', async () => {
    const waits = Object.fromEntries((await built()).states.filter((s) => s.deadlines.length > 0).map((s) => [s.path, s.deadlines]));
    expect(waits).toEqual({
      negotiating: ['negotiationEnd'],
      'negotiating.awaitingSellerResponse': ['sellerResponse'],
      escalated: ['decisionDue'],
      'escalated.awaitingEvidence': ['evidenceRequest'],
      'resolving.decision.appealWindowOpen': ['appealWindow'],
      'resolving.decision.appealed': ['decisionDue'],
      'resolving.payout.returnLeg.awaitingShipment': ['returnShipment'],
      'resolving.payout.returnLeg.inTransit': ['returnDelivery'],
      'resolving.payout.returnLeg.awaitingSellerConfirmation': ['returnConfirmation'],
      'resolving.payout.settlement': ['refundOverdue'],
      'reshipped.awaitingProtectionEnd': ['protectionEnd'],
      'cancelled.awaitingProtectionEnd': ['protectionEnd'],
      'closedForSeller.awaitingProtectionEnd': ['protectionEnd'],
    });
  });

  it('R-REF-5: shows a late receipt of the item wherever a dispute over a missing item can be', async () => {
    // Closed for the seller means a return was due, so the item had arrived: no late receipt there.
    const sources = (await built()).transitions.filter((t) => t.event === 'buyer.itemReceived').map((t) => [t.source, t.guard]);
    expect(sources).toEqual([
      ['resolving', 'itemWasMissing'],
      ['resolved', 'itemWasMissing'],
      ['reshipped', 'itemWasMissing'],
      ['cancelled', 'itemWasMissing'],
    ]);
  });

  it('marks as final a dispute refused at opening and a decision that can no longer change; runs the decision beside the payout', async () => {
    const states = (await built()).states;
    expect(states.filter((s) => s.type === 'final').map((s) => s.path)).toEqual(['refused', 'resolving.decision.final']);
    expect(states.filter((s) => s.type === 'parallel').map((s) => s.path)).toEqual(['resolving']);
  });
});
