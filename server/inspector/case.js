// The case itself: what the buyer asked for and why, in their words; what is on the table and
// what taking it means; the seller's answer, the escalation, the decision, the appeal, the return
// and the refunds. Choice labels come from the schemas the machine publishes.
import { card, h } from './dom.js';
import { money, party, timeElement } from './format.js';

const choiceLabel = (schema, field, value) => schema?.properties?.[field]?.['x-enum-labels']?.[value] ?? value;

function row(term, ...details) {
  return h('div', {}, h('dt', { text: term }), h('dd', {}, ...details));
}

function termsWords(terms, currency, whose) {
  if (terms.kind === 'reshipment') return [`${whose} offers to ship the item again (no refund).`, terms.note ? ` Note: “${terms.note}”` : ''];
  const back = terms.returnRequired ? ` The item goes back first; the ${terms.returnShippingPaidBy} pays the return shipping.` : ' No need to return the item.';
  const what =
    terms.kind === 'automatic_offer'
      ? 'An automatic partial refund of'
      : terms.kind === 'proposal'
        ? `${whose} proposes a refund of`
        : `${whose} offers a partial refund of`;
  return [`${what} ${money(terms.refund, currency)}.${back}`, terms.note ? ` Note: “${terms.note}”` : ''];
}

export function caseCard(dispute, cat) {
  const c = dispute.context;
  const currency = dispute.amounts.currency;
  const opening = cat.machine.openRequest;
  const decideSchema = cat.event('agent.decide').schema;
  const rows = [
    row(
      'The buyer asks for',
      `${choiceLabel(opening, 'type', c.request.type)}: ${money(c.request.total, currency)}`,
      c.request.includeShipping ? ' (shipping included)' : '',
    ),
    row(
      'What went wrong',
      choiceLabel(opening, 'reason', c.request.reason),
      c.request.reasonDetail ? ` (${choiceLabel(opening, 'reasonDetail', c.request.reasonDetail)})` : '',
    ),
    row('In the buyer’s words', h('q', { text: c.request.description })),
    row(
      'The item',
      `${dispute.orderId} · ${dispute.itemId}: ${money(c.order.price, currency)} + ${money(c.order.shippingCost, currency)} shipping, paid by ${c.order.paymentMethod.replace('_', ' ')}`,
    ),
    row('Opened', timeElement(dispute.openedAt), ` by ${party('buyer', dispute.buyerId)}; seller ${dispute.sellerId}`),
  ];
  const table = dispute.onTheTable;
  if (table.offer) rows.push(row('On the table', ...termsWords(table.offer, currency, 'The seller')));
  if (table.proposal) rows.push(row('On the table', ...termsWords(table.proposal, currency, 'The buyer')));
  if (table.automaticOffer) rows.push(row('Also on offer', ...termsWords(table.automaticOffer, currency, 'The platform')));
  if (c.sellerResponse) {
    const kind = {
      accepted: 'accepted the request',
      rejected: 'rejected the request',
      counter_offer: 'made a counter-offer',
      reshipment_offer: 'offered to reship',
    }[c.sellerResponse.kind];
    rows.push(
      row(
        'The seller’s answer',
        `${kind ?? c.sellerResponse.kind} on `,
        timeElement(c.sellerResponse.at),
        c.sellerResponse.reason ? `: “${c.sellerResponse.reason}”` : '',
      ),
    );
  }
  if (c.escalation) {
    const cause = {
      buyer_escalated: 'the buyer asked the platform to decide',
      negotiation_ended: 'negotiation ran its full length',
      return_problem: 'a problem with the return',
    }[c.escalation.cause];
    rows.push(
      row(
        'With the platform',
        'since ',
        timeElement(c.escalation.at),
        ` (${cause ?? c.escalation.cause}); `,
        c.escalation.agentId ? `agent ${c.escalation.agentId}` : 'waiting for an agent',
      ),
    );
  }
  if (c.evidenceRequest && !c.evidenceRequest.answeredAt)
    rows.push(row('Evidence asked for', `from the ${c.evidenceRequest.from}: “${c.evidenceRequest.note}”`));
  if (c.decision) {
    const d = c.decision;
    rows.push(
      row(
        d.onAppeal ? 'Appeal decision (final)' : 'Decision',
        `${choiceLabel(decideSchema, 'outcome', d.outcome)}: ${money(d.refund, currency)} to the buyer`,
        d.returnRequired ? ', after the item is returned' : '',
        `. “${d.reason}” — agent ${d.agentId}, `,
        timeElement(d.at),
      ),
    );
  }
  if (c.appeal.count > 0 && c.appeal.filedBy)
    rows.push(row('Appeal', `filed by the ${c.appeal.filedBy.role} on `, timeElement(c.appeal.filedAt), c.appeal.reason ? `: “${c.appeal.reason}”` : ''));
  if (c.returnShipment) {
    const r = c.returnShipment;
    rows.push(
      row(
        'Return',
        `${r.carrier} ${r.trackingNumber}, shipped `,
        timeElement(r.shippedAt),
        r.deliveredAt ? [', delivered ', timeElement(r.deliveredAt)] : ', not delivered yet',
        r.confirmedAt ? [', confirmed ', timeElement(r.confirmedAt)] : '',
        r.problem ? `; problem: ${r.problem.kind}, “${r.problem.description}”` : '',
      ),
    );
  }
  for (const refund of c.refunds) {
    const where = refund.destination === 'original_method' ? 'to the payment method' : 'to the account behind the payment method';
    rows.push(
      row(
        'Refund',
        `${money(refund.amount, currency)} ${where}: `,
        refund.status === 'settled'
          ? ['settled ', timeElement(refund.settledAt)]
          : refund.status === 'failed'
            ? 'failed'
            : ['requested, expected by ', timeElement(refund.expectedBy)],
        refund.failures.length ? ` (${refund.failures.map((f) => f.reason).join('; ')})` : '',
      ),
    );
  }
  if (c.cancellation) rows.push(row('Withdrawn', timeElement(c.cancellation.at), c.cancellation.reason ? `: “${c.cancellation.reason}”` : ''));
  if (c.lateReceipt) rows.push(row('Item arrived after all', timeElement(c.lateReceipt.at)));
  if (c.outcome?.split) {
    const s = c.outcome.split;
    rows.push(
      row(
        'Outcome',
        `${money(s.refunded, currency)} refunded, ${money(s.released, currency)} to the seller`,
        s.withPaymentProvider ? `, ${money(s.withPaymentProvider, currency)} with the payment provider` : '',
      ),
    );
  }
  if (c.openingProblems.length > 0) rows.push(row('Refused because', c.openingProblems.map((p) => `${p.message} (${p.rule})`).join('; ')));
  return card('case', 'The case', h('dl', { class: 'facts' }, rows));
}
