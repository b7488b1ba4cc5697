// The history as a timeline a person reads: who did what (the event's phrase from the catalogue),
// when, with the amounts, messages and evidence it carried, and where it took the dispute.
import { card, h, secondary } from './dom.js';
import { evidenceNames } from './evidence.js';
import { money, Party, timeElement } from './format.js';

function details(row, dispute, cat) {
  const currency = dispute.amounts.currency;
  const p = row.payload ?? {};
  const schema = cat.event(row.type).schema;
  const bits = [];
  if (p.outcome) bits.push(schema?.properties?.outcome?.['x-enum-labels']?.[p.outcome] ?? p.outcome);
  if (typeof p.amount === 'number') bits.push(money(p.amount, currency));
  if (p.request) {
    // The opening asks for the item's refund, plus its shipping when asked: the same total as the case.
    const total = row.type === 'dispute.opened' && dispute.refund?.requested ? dispute.refund.requested : p.request.amount;
    bits.push(`${money(total, currency)}${p.request.includeShipping ? ' (shipping included)' : ''} asked for: “${p.request.description}”`);
  }
  for (const field of ['body', 'reason', 'note', 'description']) if (typeof p[field] === 'string') bits.push(`“${p[field]}”`);
  if (p.from) bits.push(`from the ${p.from}`);
  if (p.carrier) bits.push(`${p.carrier} ${p.trackingNumber}`);
  if (p.evidenceId) bits.push(evidenceNames.has(p.evidenceId) ? `the file ${evidenceNames.get(p.evidenceId)}` : 'a file no longer on the case');
  return bits.join(' · ');
}

export function historyCard(history, dispute, cat) {
  return card(
    'history',
    'History',
    h(
      'ol',
      { class: 'timeline', id: 'timeline' },
      history.map((row) => {
        const words = row.type === 'dispute.opened' ? { done: 'opened the dispute' } : cat.event(row.type);
        const who = row.type.startsWith('deadline.') ? `${words.label} ended` : `${Party(row.actorRole, row.actorId)} ${words.done}`;
        const what = details(row, dispute, cat);
        return h(
          'li',
          { 'data-type': row.type },
          h('div', {}, h('strong', { text: who }), ' ', secondary(`#${row.seq} ${row.type}`)),
          h('div', { class: 'meta' }, timeElement(row.at), ` · ${row.fromState ? `${cat.stateWords(row.fromState)} → ` : ''}${cat.stateWords(row.toState)}`),
          what ? h('div', { text: what }) : null,
        );
      }),
    ),
  );
}
