/**
 * The chart says what each state means: every state a dispute can rest in has exactly one
 * lifecycle stage and one party it awaits, read from its own tags or its ancestors'. A new state
 * without them fails here, so it cannot silently drop out of a list, a queue or a filter.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import {
  awaitedBy,
  awaitedParties,
  disputeMachine,
  persistSnapshot,
  restoreSnapshot,
  stageOf,
  stages,
  stagesIn,
  type DisputeSnapshot,
} from '../machines/index.ts';
import { agent, buyer, day, fire, open, otherAgent, psp, seller, step } from './support/disputes.ts';

function leaves(node: AnyStateNode = disputeMachine.root): AnyStateNode[] {
  const children = Object.values(node.states);
  return children.length === 0 ? [node] : children.flatMap(leaves);
}

/** A leaf's tags with its ancestors'. */
function effectiveTags(node: AnyStateNode): string[] {
  const tags: string[] = [];
  for (let at: AnyStateNode | undefined = node; at; at = at.parent) tags.push(...at.tags);
  return tags;
}

const awaitsTags = (tags: string[]) => tags.filter((t) => t.startsWith('awaits:'));

describe('every state carries its meaning', () => {
  const all = leaves();

  it.each(all.map((node) => [node.id, node] as const))('%s has one stage and one awaited party', (_id, node) => {
    const tags = effectiveTags(node);
    expect(stagesIn(tags)).toHaveLength(1);
    expect(awaitsTags(tags)).toHaveLength(1);
    expect(awaitedParties.map((p) => `awaits:${p}`)).toContain(awaitsTags(tags)[0]);
  });

  it('every stage of the lifecycle is some state’s, and ended states await nobody once settled', () => {
    const used = new Set(all.flatMap((node) => stagesIn(effectiveTags(node))));
    expect([...used].sort()).toEqual([...stages].sort());
    for (const node of all.filter((n) => effectiveTags(n).includes('ended') && n.type === 'final')) {
      expect(awaitsTags(effectiveTags(node)), node.id).toEqual(['awaits:nobody']);
    }
  });

  it('only the refund waiting for an agent needs attention', () => {
    expect(all.filter((node) => effectiveTags(node).includes('needs-attention')).map((n) => n.id)).toEqual([
      'dispute.resolving.payout.settlement.needsAttention',
    ]);
  });
});

describe('a dispute’s stage and who it awaits, as it moves', () => {
  const refundId = (s: DisputeSnapshot) => s.context.refunds.at(-1)!.id;

  it('negotiating, then seller-responded, then escalated, decided with the refund running, appealed, refunded', () => {
    let s = open();
    expect([stageOf(s), awaitedBy(s)]).toEqual(['negotiating', ['seller']]);
    s = step(s, seller, day(13), 'seller.counterOffer', { amount: 1000 });
    expect([stageOf(s), awaitedBy(s)]).toEqual(['seller-responded', ['buyer']]);
    s = step(s, buyer, day(13), 'buyer.rejectOffer');
    s = step(s, buyer, day(13), 'buyer.escalate');
    expect([stageOf(s), awaitedBy(s)]).toEqual(['escalated', ['agent']]);
    s = step(s, agent, day(14), 'agent.assign');
    s = step(s, agent, day(14), 'agent.requestEvidence', { from: 'seller', note: 'the listing photos' });
    expect([stageOf(s), awaitedBy(s)]).toEqual(['escalated', ['seller']]);
    s = fire(s, 'evidenceRequest')[0];
    s = step(s, agent, day(20), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'colour differs' });
    // The decision region is in its appeal window, the payout region refunds: refunding shows.
    expect([stageOf(s), awaitedBy(s)]).toEqual(['refunding', ['system']]);
    s = step(s, buyer, day(21), 'appeal.file', { reason: 'I want all of it' });
    expect([stageOf(s), awaitedBy(s)]).toEqual(['appealed', ['agent', 'system']]);
    s = step(s, psp, day(22), 'refund.settled', { refundId: refundId(s) });
    expect(stageOf(s)).toBe('appealed');
    s = step(s, otherAgent, day(23), 'agent.decideAppeal', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'upheld' });
    expect([s.value, stageOf(s), awaitedBy(s)]).toEqual([{ resolved: 'refunded' }, 'refunded', ['nobody']]);
  });

  it('a decision for the seller, once final, closes without a refund', () => {
    let s = step(open(), seller, day(13), 'seller.reject', { reason: 'as described' });
    s = step(s, buyer, day(13), 'buyer.escalate');
    s = step(s, agent, day(14), 'agent.assign');
    s = step(s, agent, day(14), 'agent.decide', { outcome: 'seller_wins', reason: 'matches the listing' });
    expect(stageOf(s)).toBe('decided');
    s = fire(s, 'appealWindow')[0];
    expect([s.value, stageOf(s), awaitedBy(s)]).toEqual([{ resolved: 'noRefund' }, 'closed', ['nobody']]);
  });
});

describe('snapshots of machine version 1 are migrated', () => {
  it('resolved becomes resolved.refunded or resolved.noRefund by what was refunded', () => {
    const v1 = (refunded: number) => {
      const stored = JSON.parse(JSON.stringify(persistSnapshot(open())));
      return { ...stored, value: 'resolved', context: { ...stored.context, funds: { ...stored.context.funds, refunded } } };
    };
    const refunded = restoreSnapshot('d', v1(4500), 1);
    expect([refunded.value, stageOf(refunded)]).toEqual([{ resolved: 'refunded' }, 'refunded']);
    expect(restoreSnapshot('d', v1(0), 1).value).toEqual({ resolved: 'noRefund' });
  });

  it('a pending evidence request names the party asked', () => {
    const base = open().context;
    const v1 = {
      value: { escalated: 'awaitingEvidence' },
      status: 'active',
      historyValue: {},
      children: {},
      context: { ...base, evidenceRequest: { from: 'seller', note: 'n', by: 'agent-1', requestedAt: day(14), answeredAt: null } },
    };
    const restored = restoreSnapshot('d', JSON.parse(JSON.stringify(v1)), 1);
    expect([restored.value, awaitedBy(restored)]).toEqual([{ escalated: { awaitingEvidence: 'fromSeller' } }, ['seller']]);
  });
});
