/**
 * Stage 2 (R-ESC-*): the dispute waits in the agent queue, an agent takes it, may ask a party
 * for more evidence, and decides (or confirms seller fraud). The decision is due within
 * escalation.decisionDays; overdue is flagged, never decided automatically.
 */
import { and } from 'xstate';
import { arm, disarm, due } from './base.ts';
import { disputeSetup } from './setup.ts';

export const escalated = disputeSetup.createStateConfig({
  description: 'An agent decides within escalation.decisionDays; overdue is flagged, never decided automatically (stage 2, R-ESC-*)',
  meta: { label: 'With a platform agent', deadlines: ['decisionDue'] },
  entry: arm('decisionDue'),
  exit: disarm('decisionDue'),
  tags: ['escalated'],
  initial: 'inQueue',
  on: {
    'deadline.decisionDue': { guard: due('decisionDue'), actions: ['flagDecisionOverdue', disarm('decisionDue')] },
    'buyer.cancel': { target: '#dispute.cancelled', actions: 'recordCancellation' },
    'chargeback.filed': { target: '#dispute.movedToPaymentProvider', actions: 'recordChargeback' },
    'message.send': { actions: 'countMessage' },
    'evidence.add': { actions: 'addEvidence' },
    'evidence.hide': { guard: 'evidenceIsShown', actions: 'hideEvidence' },
  },
  states: {
    inQueue: {
      description: 'Waiting in the agent queue for an agent to take the case',
      meta: { label: 'Waiting for an agent' },
      tags: ['awaits:agent'],
      on: { 'agent.assign': { target: 'underReview', actions: 'assignAgent' } },
    },
    underReview: {
      description: 'The assigned agent reviews the evidence, may ask a party for more, and decides',
      meta: { label: 'An agent is reviewing the case' },
      tags: ['awaits:agent'],
      on: {
        'agent.unassign': { guard: 'isAssignedAgent', target: 'inQueue', actions: 'unassignAgent' },
        'agent.requestEvidence': [
          { guard: and(['isAssignedAgent', 'requestIsToBuyer']), target: 'awaitingEvidence.fromBuyer', actions: 'recordEvidenceRequest' },
          { guard: 'isAssignedAgent', target: 'awaitingEvidence.fromSeller', actions: 'recordEvidenceRequest' },
        ],
        'agent.decide': {
          guard: and(['isAssignedAgent', 'decisionIsValid']),
          target: '#dispute.resolving',
          actions: { type: 'recordDecision', params: { onAppeal: false } },
        },
        'agent.confirmSellerFraud': { guard: 'isAssignedAgent', target: '#dispute.resolving', actions: 'recordSellerFraud' },
      },
    },
    awaitingEvidence: {
      description: 'A party was asked for more evidence (R-ESC-5); the case returns to review when it arrives or the deadline passes',
      meta: { label: 'Waiting for evidence', deadlines: ['evidenceRequest'] },
      entry: arm('evidenceRequest'),
      exit: disarm('evidenceRequest'),
      initial: 'fromBuyer',
      on: {
        'evidence.add': { guard: 'fromRequestedParty', target: 'underReview', actions: ['addEvidence', 'answerEvidenceRequest'] },
        'deadline.evidenceRequest': { guard: due('evidenceRequest'), target: 'underReview' },
      },
      states: {
        fromBuyer: { description: 'The buyer was asked for evidence', meta: { label: 'Waiting for the buyer’s evidence' }, tags: ['awaits:buyer'] },
        fromSeller: { description: 'The seller was asked for evidence', meta: { label: 'Waiting for the seller’s evidence' }, tags: ['awaits:seller'] },
      },
    },
  },
});
