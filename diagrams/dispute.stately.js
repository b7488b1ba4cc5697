// The dispute statechart (machine version 3) for Stately's editor: in its Code panel, Import, then paste this file.
// Generated from machines/dispute.ts by `npm run diagrams`: do not edit. Guards and actions are named (their code is in
// machines/chart/; a guard `a && b` needs both); the context, computed from the opening request, is left out.
createMachine({
  id: 'dispute',
  description: 'A buyer-protection dispute on one order item',
  meta: { label: 'Dispute' },
  initial: 'opened',
  states: {
    opened: {
      description: 'The buyer asked to open a dispute; the opening rules (R-OPEN-*) decide whether it runs',
      meta: { label: 'Opening' },
      tags: ['opened', 'awaits:system'],
      always: [{ guard: 'openingIsEligible', target: 'negotiating' }, { target: 'refused' }],
    },
    refused: {
      description: 'The opening rules refused the dispute (openingProblems says why); nothing was held for it',
      meta: { label: 'Refused at opening' },
      type: 'final',
      tags: ['ended', 'closed', 'awaits:nobody'],
      entry: { type: 'closeWith', params: { end: 'refused' } },
    },
    negotiating: {
      description: 'Buyer and seller try to agree, for at most negotiation.maxDays (stage 1, R-NEG-*)',
      meta: { label: 'Negotiation between buyer and seller', deadlines: ['negotiationEnd'] },
      entry: { type: 'armDeadline', params: { name: 'negotiationEnd' } },
      exit: { type: 'disarmDeadline', params: { name: 'negotiationEnd' } },
      initial: 'awaitingSellerResponse',
      on: {
        'deadline.negotiationEnd': {
          guard: { type: 'deadlineIsDue', params: { name: 'negotiationEnd' } },
          target: '#dispute.escalated',
          actions: { type: 'recordEscalation', params: { cause: 'negotiation_ended' } },
        },
        'buyer.acceptAutomaticOffer': { guard: 'automaticOfferStands', target: '#dispute.resolving', actions: 'agreeOnAutomaticOffer' },
        'buyer.cancel': { target: '#dispute.cancelled', actions: 'recordCancellation' },
        'chargeback.filed': { target: '#dispute.movedToPaymentProvider', actions: 'recordChargeback' },
        'message.send': { actions: 'countMessage' },
        'evidence.add': { actions: 'addEvidence' },
        'evidence.hide': { guard: 'evidenceIsShown', actions: 'hideEvidence' },
      },
      states: {
        awaitingSellerResponse: {
          description: 'The seller has negotiation.sellerResponseDays to answer; silence refunds as requested (R-NEG-1)',
          meta: { label: 'Waiting for the seller’s answer', deadlines: ['sellerResponse'] },
          tags: ['negotiating', 'awaits:seller'],
          entry: { type: 'armDeadline', params: { name: 'sellerResponse' } },
          exit: { type: 'disarmDeadline', params: { name: 'sellerResponse' } },
          on: {
            'seller.accept': {
              target: '#dispute.resolving',
              actions: [
                { type: 'recordSellerResponse', params: { kind: 'accepted' } },
                { type: 'agreeOnRequest', params: { source: 'seller_accepted' } },
              ],
            },
            'seller.reject': { target: 'rejected', actions: { type: 'recordSellerResponse', params: { kind: 'rejected' } } },
            'seller.counterOffer': {
              guard: 'counterOfferIsValid',
              target: 'offerPending',
              actions: [{ type: 'recordSellerResponse', params: { kind: 'counter_offer' } }, 'recordCounterOffer'],
            },
            'seller.offerReshipment': {
              target: 'offerPending',
              actions: [{ type: 'recordSellerResponse', params: { kind: 'reshipment_offer' } }, 'recordReshipmentOffer'],
            },
            'deadline.sellerResponse': {
              guard: { type: 'deadlineIsDue', params: { name: 'sellerResponse' } },
              target: '#dispute.resolving',
              actions: { type: 'agreeOnRequest', params: { source: 'seller_silent' } },
            },
          },
        },
        offerPending: {
          description: 'The seller’s counter-offer or reshipment offer awaits the buyer (R-NEG-3)',
          meta: { label: 'The seller’s offer awaits the buyer' },
          tags: ['seller-responded', 'awaits:buyer'],
          on: {
            'buyer.acceptOffer': [
              { guard: 'offerIsReshipment', target: '#dispute.reshipped' },
              { target: '#dispute.resolving', actions: 'agreeOnOffer' },
            ],
            'buyer.rejectOffer': { target: 'rejected', actions: 'declineOffer' },
            'buyer.proposeAmount': { guard: 'proposalIsValid', target: 'proposalPending', actions: 'recordProposal' },
            'buyer.escalate': {
              guard: 'escalationWaitOver',
              target: '#dispute.escalated',
              actions: { type: 'recordEscalation', params: { cause: 'buyer_escalated' } },
            },
          },
        },
        proposalPending: {
          description: 'The buyer’s proposed amount awaits the seller (R-NEG-3)',
          meta: { label: 'The buyer’s proposal awaits the seller' },
          tags: ['seller-responded', 'awaits:seller'],
          on: {
            'seller.accept': { target: '#dispute.resolving', actions: 'agreeOnProposal' },
            'seller.reject': { target: 'rejected', actions: 'declineProposal' },
            'seller.counterOffer': { guard: 'counterOfferIsValid', target: 'offerPending', actions: 'recordCounterOffer' },
            'seller.offerReshipment': { target: 'offerPending', actions: 'recordReshipmentOffer' },
            'buyer.escalate': {
              guard: 'escalationWaitOver',
              target: '#dispute.escalated',
              actions: { type: 'recordEscalation', params: { cause: 'buyer_escalated' } },
            },
          },
        },
        rejected: {
          description: 'No offer on the table: the seller rejected, or the buyer declined the seller’s offer',
          meta: { label: 'No offer on the table' },
          tags: ['seller-responded', 'awaits:buyer'],
          on: {
            'seller.accept': { target: '#dispute.resolving', actions: { type: 'agreeOnRequest', params: { source: 'seller_accepted' } } },
            'seller.counterOffer': { guard: 'counterOfferIsValid', target: 'offerPending', actions: 'recordCounterOffer' },
            'seller.offerReshipment': { target: 'offerPending', actions: 'recordReshipmentOffer' },
            'buyer.proposeAmount': { guard: 'proposalIsValid', target: 'proposalPending', actions: 'recordProposal' },
            'buyer.escalate': {
              guard: 'escalationWaitOver',
              target: '#dispute.escalated',
              actions: { type: 'recordEscalation', params: { cause: 'buyer_escalated' } },
            },
          },
        },
      },
    },
    escalated: {
      description: 'An agent decides within escalation.decisionDays; overdue is flagged, never decided automatically (stage 2, R-ESC-*)',
      meta: { label: 'With a platform agent', deadlines: ['decisionDue'] },
      entry: { type: 'armDeadline', params: { name: 'decisionDue' } },
      exit: { type: 'disarmDeadline', params: { name: 'decisionDue' } },
      tags: ['escalated'],
      initial: 'inQueue',
      on: {
        'deadline.decisionDue': {
          guard: { type: 'deadlineIsDue', params: { name: 'decisionDue' } },
          actions: ['flagDecisionOverdue', { type: 'disarmDeadline', params: { name: 'decisionDue' } }],
        },
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
              { guard: 'isAssignedAgent && requestIsToBuyer', target: 'awaitingEvidence.fromBuyer', actions: 'recordEvidenceRequest' },
              { guard: 'isAssignedAgent', target: 'awaitingEvidence.fromSeller', actions: 'recordEvidenceRequest' },
            ],
            'agent.decide': {
              guard: 'isAssignedAgent && decisionIsValid',
              target: '#dispute.resolving',
              actions: { type: 'recordDecision', params: { onAppeal: false } },
            },
            'agent.confirmSellerFraud': { guard: 'isAssignedAgent', target: '#dispute.resolving', actions: 'recordSellerFraud' },
          },
        },
        awaitingEvidence: {
          description: 'A party was asked for more evidence (R-ESC-5); the case returns to review when it arrives or the deadline passes',
          meta: { label: 'Waiting for evidence', deadlines: ['evidenceRequest'] },
          entry: { type: 'armDeadline', params: { name: 'evidenceRequest' } },
          exit: { type: 'disarmDeadline', params: { name: 'evidenceRequest' } },
          initial: 'fromBuyer',
          on: {
            'evidence.add': { guard: 'fromRequestedParty', target: 'underReview', actions: ['addEvidence', 'answerEvidenceRequest'] },
            'deadline.evidenceRequest': { guard: { type: 'deadlineIsDue', params: { name: 'evidenceRequest' } }, target: 'underReview' },
          },
          states: {
            fromBuyer: { description: 'The buyer was asked for evidence', meta: { label: 'Waiting for the buyer’s evidence' }, tags: ['awaits:buyer'] },
            fromSeller: { description: 'The seller was asked for evidence', meta: { label: 'Waiting for the seller’s evidence' }, tags: ['awaits:seller'] },
          },
        },
      },
    },
    resolving: {
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
      states: {
        decision: {
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
              entry: { type: 'armDeadline', params: { name: 'appealWindow' } },
              exit: { type: 'disarmDeadline', params: { name: 'appealWindow' } },
              on: {
                'appeal.file': { guard: 'mayAppeal', target: 'appealed', actions: 'recordAppeal' },
                'deadline.appealWindow': { guard: { type: 'deadlineIsDue', params: { name: 'appealWindow' } }, target: 'final' },
              },
            },
            appealed: {
              description: 'Another agent decides the appeal (R-APL-2); that decision is final',
              meta: { label: 'Appeal under review', deadlines: ['decisionDue'] },
              tags: ['appealed', 'awaits:agent'],
              entry: { type: 'armDeadline', params: { name: 'decisionDue' } },
              exit: { type: 'disarmDeadline', params: { name: 'decisionDue' } },
              on: {
                'agent.decideAppeal': {
                  guard: 'isDifferentAgent && decisionIsValid',
                  target: 'final',
                  actions: { type: 'recordDecision', params: { onAppeal: true } },
                },
                'deadline.decisionDue': {
                  guard: { type: 'deadlineIsDue', params: { name: 'decisionDue' } },
                  actions: ['flagDecisionOverdue', { type: 'disarmDeadline', params: { name: 'decisionDue' } }],
                },
              },
            },
            final: {
              type: 'final',
              description: 'The agreement or decision can no longer change',
              meta: { label: 'Final' },
              tags: ['decided', 'awaits:system'],
            },
          },
        },
        payout: {
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
            returnLeg: {
              description: 'The buyer returns the goods before the refund (R-RET-*)',
              meta: { label: 'Return of the item' },
              tags: ['refunding'],
              initial: 'awaitingShipment',
              states: {
                awaitingShipment: {
                  description: 'The buyer ships the item back within returns.shipBackDays, else the dispute closes for the seller',
                  meta: { label: 'Waiting for the buyer to ship the item back', deadlines: ['returnShipment'] },
                  tags: ['awaits:buyer'],
                  entry: { type: 'armDeadline', params: { name: 'returnShipment' } },
                  exit: { type: 'disarmDeadline', params: { name: 'returnShipment' } },
                  on: {
                    'buyer.shipReturn': { target: 'inTransit', actions: 'recordReturnShipment' },
                    'deadline.returnShipment': { guard: { type: 'deadlineIsDue', params: { name: 'returnShipment' } }, target: '#dispute.closedForSeller' },
                  },
                },
                inTransit: {
                  description:
                    'The return is on its way; the carrier or the seller reports its delivery within returns.deliveryDays, else an agent decides (R-RET-5)',
                  meta: { label: 'The return is on its way', deadlines: ['returnDelivery'] },
                  tags: ['awaits:system'],
                  entry: { type: 'armDeadline', params: { name: 'returnDelivery' } },
                  exit: { type: 'disarmDeadline', params: { name: 'returnDelivery' } },
                  on: {
                    'return.delivered': { target: 'awaitingSellerConfirmation', actions: 'recordReturnDelivered' },
                    'deadline.returnDelivery': {
                      guard: { type: 'deadlineIsDue', params: { name: 'returnDelivery' } },
                      target: '#dispute.escalated',
                      actions: ['recordReturnNotDelivered', { type: 'recordEscalation', params: { cause: 'return_problem' } }],
                    },
                  },
                },
                awaitingSellerConfirmation: {
                  description: 'The seller confirms the return within returns.sellerConfirmationDays, else the refund executes (R-RET-2)',
                  meta: { label: 'Waiting for the seller to confirm the return', deadlines: ['returnConfirmation'] },
                  tags: ['awaits:seller'],
                  entry: { type: 'armDeadline', params: { name: 'returnConfirmation' } },
                  exit: { type: 'disarmDeadline', params: { name: 'returnConfirmation' } },
                  on: {
                    'seller.confirmReturn': { target: '#dispute.resolving.payout.upToDate', actions: 'confirmReturn' },
                    'deadline.returnConfirmation': {
                      guard: { type: 'deadlineIsDue', params: { name: 'returnConfirmation' } },
                      target: '#dispute.resolving.payout.upToDate',
                      actions: 'confirmReturn',
                    },
                    'seller.reportReturnProblem': {
                      target: '#dispute.escalated',
                      actions: ['recordReturnProblem', { type: 'recordEscalation', params: { cause: 'return_problem' } }],
                    },
                  },
                },
              },
            },
            settlement: {
              description: 'The refund is with the payment provider; overdue past the method’s window is flagged (R-REF-*)',
              meta: { label: 'Refund with the payment provider', deadlines: ['refundOverdue'] },
              tags: ['refunding'],
              entry: { type: 'armDeadline', params: { name: 'refundOverdue' } },
              exit: { type: 'disarmDeadline', params: { name: 'refundOverdue' } },
              initial: 'requested',
              on: {
                'deadline.refundOverdue': {
                  guard: { type: 'deadlineIsDue', params: { name: 'refundOverdue' } },
                  actions: ['flagRefundOverdue', { type: 'disarmDeadline', params: { name: 'refundOverdue' } }],
                },
              },
              states: {
                requested: {
                  description: 'Refund requested to the original payment method (R-REF-1)',
                  meta: { label: 'Refund requested' },
                  tags: ['awaits:system'],
                  entry: ['startRefund', { type: 'requestRefund' }],
                  on: {
                    'refund.settled': { guard: 'isCurrentRefund', target: '#dispute.resolving.payout.upToDate', actions: 'settleRefund' },
                    'refund.failed': { guard: 'isCurrentRefund', target: 'retryingToFallback', actions: 'recordRefundFailure' },
                  },
                },
                retryingToFallback: {
                  description: 'The original method failed; the refund goes to the account behind it (R-REF-1, R-REF-3)',
                  meta: { label: 'Refund retried to the account behind the payment method' },
                  tags: ['awaits:system'],
                  entry: ['redirectRefundToFallback', { type: 'requestRefund' }],
                  on: {
                    'refund.settled': { guard: 'isCurrentRefund', target: '#dispute.resolving.payout.upToDate', actions: 'settleRefund' },
                    'refund.failed': { guard: 'isCurrentRefund', target: 'needsAttention', actions: 'recordRefundFailure' },
                  },
                },
                needsAttention: {
                  description: 'Both destinations failed; an agent retries once the buyer’s account is fixed',
                  meta: { label: 'Refund failed twice: an agent must retry' },
                  tags: ['awaits:agent', 'needs-attention'],
                  on: { 'agent.retryRefund': { target: 'retryingToFallback' } },
                },
              },
            },
          },
        },
      },
    },
    resolved: {
      description: 'Refunds settled and the decision final: the rest of the paid amount is released to the seller (R-FUND-2)',
      meta: { label: 'Resolved' },
      tags: ['ended'],
      entry: [{ type: 'closeWith', params: { end: 'resolved' } }, 'releaseHeldFunds'],
      on: { 'buyer.itemReceived': { guard: 'itemWasMissing', actions: 'recordLateReceipt' } },
      initial: 'checking',
      states: {
        checking: {
          description: 'Left at once, by whether anything was refunded',
          meta: { label: 'Closing' },
          tags: ['closed', 'awaits:system'],
          always: [{ guard: 'anythingRefunded', target: 'refunded' }, { target: 'noRefund' }],
        },
        refunded: {
          description: 'The buyer was refunded; whatever was not refunded went to the seller',
          meta: { label: 'Refunded' },
          tags: ['refunded', 'awaits:nobody'],
        },
        noRefund: {
          description: 'Nothing was refunded: the paid amount went to the seller',
          meta: { label: 'Closed without a refund' },
          tags: ['closed', 'awaits:nobody'],
        },
      },
    },
    reshipped: {
      description: 'The buyer accepted a reshipment (R-NEG-3)',
      meta: { label: 'Closed: the item is shipped again' },
      tags: ['ended', 'closed'],
      entry: { type: 'closeWith', params: { end: 'reshipped' } },
      initial: 'checking',
      on: { 'buyer.itemReceived': { guard: 'itemWasMissing', actions: 'recordLateReceipt' } },
      states: {
        checking: {
          description: 'Left at once, by whether buyer protection has ended',
          meta: { label: 'Closing' },
          tags: ['awaits:system'],
          always: [{ guard: 'protectionHasEnded', target: 'released' }, { target: 'awaitingProtectionEnd' }],
        },
        awaitingProtectionEnd: {
          description: 'The held amount goes to the seller when buyer protection ends (R-FUND-3)',
          meta: { label: 'Holding the payment until buyer protection ends', deadlines: ['protectionEnd'] },
          tags: ['awaits:system'],
          entry: { type: 'armDeadline', params: { name: 'protectionEnd' } },
          exit: { type: 'disarmDeadline', params: { name: 'protectionEnd' } },
          on: { 'deadline.protectionEnd': { guard: { type: 'deadlineIsDue', params: { name: 'protectionEnd' } }, target: 'released' } },
        },
        released: {
          description: 'The held amount was released to the seller',
          meta: { label: 'Payment released to the seller' },
          tags: ['awaits:nobody'],
          entry: 'releaseHeldFunds',
        },
      },
    },
    cancelled: {
      description: 'The buyer cancelled (R-NEG-6); the item cannot be disputed again (R-OPEN-3)',
      meta: { label: 'Withdrawn by the buyer' },
      tags: ['ended', 'closed'],
      entry: { type: 'closeWith', params: { end: 'cancelled' } },
      initial: 'checking',
      on: { 'buyer.itemReceived': { guard: 'itemWasMissing', actions: 'recordLateReceipt' } },
      states: {
        checking: {
          description: 'Left at once, by whether buyer protection has ended',
          meta: { label: 'Closing' },
          tags: ['awaits:system'],
          always: [{ guard: 'protectionHasEnded', target: 'released' }, { target: 'awaitingProtectionEnd' }],
        },
        awaitingProtectionEnd: {
          description: 'The held amount goes to the seller when buyer protection ends (R-FUND-3)',
          meta: { label: 'Holding the payment until buyer protection ends', deadlines: ['protectionEnd'] },
          tags: ['awaits:system'],
          entry: { type: 'armDeadline', params: { name: 'protectionEnd' } },
          exit: { type: 'disarmDeadline', params: { name: 'protectionEnd' } },
          on: { 'deadline.protectionEnd': { guard: { type: 'deadlineIsDue', params: { name: 'protectionEnd' } }, target: 'released' } },
        },
        released: {
          description: 'The held amount was released to the seller',
          meta: { label: 'Payment released to the seller' },
          tags: ['awaits:nobody'],
          entry: 'releaseHeldFunds',
        },
      },
    },
    closedForSeller: {
      description: 'Closed in the seller’s favour: the buyer did not return the item in time (R-RET-1)',
      meta: { label: 'Closed in the seller’s favour' },
      tags: ['ended', 'closed'],
      entry: { type: 'closeWith', params: { end: 'closedForSeller' } },
      initial: 'checking',
      on: {},
      states: {
        checking: {
          description: 'Left at once, by whether buyer protection has ended',
          meta: { label: 'Closing' },
          tags: ['awaits:system'],
          always: [{ guard: 'protectionHasEnded', target: 'released' }, { target: 'awaitingProtectionEnd' }],
        },
        awaitingProtectionEnd: {
          description: 'The held amount goes to the seller when buyer protection ends (R-FUND-3)',
          meta: { label: 'Holding the payment until buyer protection ends', deadlines: ['protectionEnd'] },
          tags: ['awaits:system'],
          entry: { type: 'armDeadline', params: { name: 'protectionEnd' } },
          exit: { type: 'disarmDeadline', params: { name: 'protectionEnd' } },
          on: { 'deadline.protectionEnd': { guard: { type: 'deadlineIsDue', params: { name: 'protectionEnd' } }, target: 'released' } },
        },
        released: {
          description: 'The held amount was released to the seller',
          meta: { label: 'Payment released to the seller' },
          tags: ['awaits:nobody'],
          entry: 'releaseHeldFunds',
        },
      },
    },
    movedToPaymentProvider: {
      description: 'A chargeback moved the case to the payment provider; what is still held waits for its outcome',
      meta: { label: 'Moved to the payment provider (chargeback)' },
      tags: ['ended', 'closed', 'awaits:nobody'],
      entry: { type: 'closeWith', params: { end: 'movedToPaymentProvider' } },
    },
  },
});
