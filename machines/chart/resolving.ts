/**
 * Paying out what was agreed or decided, while a decision may still be appealed: two regions side
 * by side. `decision` (R-APL-*) holds the appeal window; `payout` runs the return leg where one is
 * needed, then the refund's settlement. The dispute is resolved when both are done.
 */
import { and } from 'xstate';
import { arm, disarm, due } from './base.ts';
import { returnLeg } from './return-leg.ts';
import { settlement } from './settlement.ts';
import { disputeSetup } from './setup.ts';

const decision = disputeSetup.createStateConfig({
  description: 'A platform decision may be appealed once within the window; agreements are final at once (R-APL-*)',
  meta: { label: 'Decision' },
  initial: 'checking',
  states: {
    checking: {
      description: 'Left at once: a platform decision opens the appeal window, an agreement is final',
      meta: { label: 'Checking whether it can be appealed' },
      tags: ['decided', 'awaits:system'],
      always: [{ guard: 'appealPossible', target: 'appealWindowOpen' }, { target: 'final' }],
    },
    appealWindowOpen: {
      description: 'The decision stands; it may be appealed until appeal.windowDays after it',
      meta: { label: 'Decided; open to appeal', deadlines: ['appealWindow'] },
      tags: ['decided', 'awaits:system'],
      entry: arm('appealWindow'),
      exit: disarm('appealWindow'),
      on: {
        'appeal.file': { guard: 'mayAppeal', target: 'appealed', actions: 'recordAppeal' },
        'deadline.appealWindow': { guard: due('appealWindow'), target: 'final' },
      },
    },
    appealed: {
      description: 'Another agent decides the appeal (R-APL-2); that decision is final',
      meta: { label: 'Appeal under review', deadlines: ['decisionDue'] },
      tags: ['appealed', 'awaits:agent'],
      entry: arm('decisionDue'),
      exit: disarm('decisionDue'),
      on: {
        'agent.decideAppeal': {
          guard: and(['isDifferentAgent', 'decisionIsValid']),
          target: 'final',
          actions: { type: 'recordDecision', params: { onAppeal: true } },
        },
        'deadline.decisionDue': { guard: due('decisionDue'), actions: ['flagDecisionOverdue', disarm('decisionDue')] },
      },
    },
    final: {
      type: 'final',
      description: 'The agreement or decision can no longer change',
      meta: { label: 'Final' },
      tags: ['decided', 'awaits:system'],
    },
  },
});

const payout = disputeSetup.createStateConfig({
  description: 'The return leg where needed (R-RET-*), then refund settlement (R-REF-*)',
  meta: { label: 'Payout' },
  initial: 'upToDate',
  states: {
    upToDate: {
      description: 'Nothing owed right now; done once the decision is final (R-APL-3)',
      meta: { label: 'Nothing owed right now' },
      tags: ['decided', 'awaits:system'],
      always: [
        { guard: 'returnRequired', target: 'returnLeg' },
        { guard: 'refundOutstanding', target: 'settlement' },
        { guard: 'decisionIsFinal', target: '#dispute.resolved' },
      ],
    },
    returnLeg,
    settlement,
  },
});

export const resolving = disputeSetup.createStateConfig({
  description: 'Paying out what was agreed or decided, while a decision may still be appealed; resolved when both are done',
  meta: { label: 'Agreed or decided: paying out' },
  type: 'parallel',
  on: {
    'chargeback.filed': { target: '#dispute.movedToPaymentProvider', actions: 'recordChargeback' },
    'message.send': { actions: 'countMessage' },
    'evidence.add': { actions: 'addEvidence' },
    'evidence.hide': { guard: 'evidenceIsShown', actions: 'hideEvidence' },
    'buyer.itemReceived': { guard: 'itemWasMissing', actions: 'recordLateReceipt' },
  },
  states: { decision, payout },
});
