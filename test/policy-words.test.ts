/**
 * Explanations people read carry the policy's numbers, never the names of its settings: the
 * machine's description (under a policy), and a dispute's regions and label (under its own
 * frozen policy). The settings looked for are read from the policy schema itself.
 */
import { describe, expect, it } from 'vitest';
import {
  activeRegions,
  defaultPolicy,
  describeMachine,
  disputeMachine,
  leafPaths,
  parsePolicy,
  stateDescription,
  type DisputeSnapshot,
  type Policy,
} from '../machines/index.ts';
import { inWords, policySettings } from '../machines/policy-words.ts';
import { guardsInWords } from '../machines/guard-words.ts';
import { schemaSettings, settingsShown } from './support/policy-settings.ts';

const strict: Policy = parsePolicy({ negotiation: { sellerResponseDays: 9, maxDays: 20 }, appeal: { windowDays: 3 } });

/** A snapshot standing in one leaf state under a policy (enough for its words). */
const standingIn = (path: string, policy: Policy) =>
  ({
    value: path.split('.').reduceRight<unknown>((inner, key) => (inner === null ? key : { [key]: inner }), null),
    context: { policy, order: { paymentMethod: 'alipay' } },
  }) as unknown as Pick<DisputeSnapshot, 'value' | 'context'>;

describe('policy settings in words', () => {
  it('the settings replaced are the schema’s own', () => {
    const { paths } = schemaSettings();
    for (const setting of policySettings()) expect(paths).toContain(setting);
    expect(policySettings()).toContain('negotiation.sellerResponseDays');
  });

  it('a dispute’s explanation carries its own frozen numbers', () => {
    const text = 'The seller has negotiation.sellerResponseDays to answer; silence refunds as requested (R-NEG-1)';
    expect(inWords(text, defaultPolicy)).toBe('The seller has 5 days to answer; silence refunds as requested (R-NEG-1)');
    expect(inWords(text, strict)).toBe('The seller has 9 days to answer; silence refunds as requested (R-NEG-1)');
    expect(inWords('after appeal.windowDays days', strict)).toBe('after 3 days');
    expect(inWords('settlement[payment method].maxBusinessDays business days', defaultPolicy, 'alipay')).toBe('5 business days');
    expect(inWords('settlement[payment method].maxBusinessDays business days', defaultPolicy)).toBe('5 to 20 business days (by payment method)');
  });

  it('the machine’s description names no setting in what people read, under any policy', () => {
    for (const policy of [defaultPolicy, strict]) {
      const machine = describeMachine(policy);
      const texts = [
        ...machine.states.map((s) => s.description ?? ''),
        ...machine.events.map((e) => `${e.label} ${e.done} ${e.description} ${JSON.stringify(e.schema)}`),
        ...machine.deadlines.map((d) => `${d.label} ${d.length} ${d.effect}`),
        ...machine.transitions.map((t) => t.guardWords ?? ''),
      ];
      for (const text of texts) expect(settingsShown(text), text).toEqual([]);
      // …while developers still find which setting each number comes from.
      expect(machine.deadlines.find((d) => d.name === 'sellerResponse')).toMatchObject({
        length: `${policy.negotiation.sellerResponseDays} days`,
        setting: 'negotiation.sellerResponseDays',
      });
      expect(machine.states.find((s) => s.path === 'resolving.decision.appealWindowOpen')?.settings).toEqual(['appeal.windowDays']);
    }
  });

  it('every state a dispute can stand in reads in the dispute’s numbers', () => {
    const leaves = describeMachine().states.filter((s) => s.type === 'atomic' || s.type === 'final');
    expect(leaves.length).toBeGreaterThan(20);
    for (const leaf of leaves) {
      const snapshot = standingIn(leaf.path, strict);
      expect(leafPaths(snapshot.value)).toEqual([leaf.path]);
      const words = `${stateDescription(snapshot)} ${activeRegions(snapshot)
        .map((r) => r.description)
        .join(' ')}`;
      expect(settingsShown(words), words).toEqual([]);
    }
    expect(activeRegions(standingIn('negotiating.awaitingSellerResponse', strict))[0]?.description).toBe(
      'The seller has 9 days to answer; silence refunds as requested (R-NEG-1)',
    );
    expect(stateDescription(standingIn('resolving.decision.appealWindowOpen', strict))).toBe('The decision stands; it may be appealed until 3 days after it');
  });

  it('every guard of the chart reads as a condition in words', () => {
    const guards = Object.keys(disputeMachine.implementations.guards);
    expect(guards.filter((g) => !guardsInWords.includes(g))).toEqual([]);
    const counter = describeMachine().transitions.find((t) => t.event === 'seller.counterOffer');
    expect(counter?.guardWords).toBe('if the offer is valid');
  });
});
