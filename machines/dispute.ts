/**
 * The dispute statechart, assembled from its regions (`chart/`). Every guard and action is
 * named and carries its docs/POLICY.md rule id where one applies, so the chart reads as the
 * specification and the diagrams show the names. No `after`, no `invoke`: deadlines are armed
 * into context and fire as `deadline.*` events; effects (`requestRefund`, `releaseFunds`) are
 * returned by `transition()` for the runtime's outbox and do nothing here.
 *
 *   opened ─▶ negotiating ─▶ escalated ─▶ resolving (decision ∥ payout) ─▶ resolved
 *      │          │  └──────────────────────▶ │
 *      ▼          ├─▶ reshipped / cancelled    ├─▶ closedForSeller (return not shipped)
 *   refused       └─▶ movedToPaymentProvider ◀─┘
 *
 * Each state carries tags (`stages.ts`): its lifecycle stage, who must act, and
 * `needs-attention`.
 */
import { cancelled, closedForSeller, movedToPaymentProvider, refused, reshipped, resolved } from './chart/closing.ts';
import { escalated } from './chart/escalation.ts';
import { negotiating } from './chart/negotiation.ts';
import { resolving } from './chart/resolving.ts';
import { disputeSetup } from './chart/setup.ts';
import { initialContext } from './initial-context.ts';

/**
 * Bumped whenever a change to the chart or its context would make an old snapshot mean
 * something else; the runtime migrates (`persistence.ts`) or refuses snapshots of another version.
 */
export const disputeMachineVersion = 3;

export const disputeMachine = disputeSetup.createMachine({
  id: 'dispute',
  description: 'A buyer-protection dispute on one order item',
  meta: { label: 'Dispute' },
  context: ({ input }) => initialContext(input),
  initial: 'opened',
  states: {
    opened: {
      description: 'The buyer asked to open a dispute; the opening rules (R-OPEN-*) decide whether it runs',
      meta: { label: 'Opening' },
      tags: ['opened', 'awaits:system'],
      always: [{ guard: 'openingIsEligible', target: 'negotiating' }, { target: 'refused' }],
    },
    refused,
    negotiating,
    escalated,
    resolving,
    resolved,
    reshipped,
    cancelled,
    closedForSeller,
    movedToPaymentProvider,
  },
});

export { initialContext };
export type DisputeMachine = typeof disputeMachine;
