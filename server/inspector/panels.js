// The cards that say where a dispute stands, what it holds in money, and what happens next if
// nobody acts: every word about states and deadlines from the machine (via the view and the
// catalogue), amounts formatted in the dispute's currency.
import { card, h, secondary } from './dom.js';
import { awaitingWords, money, stageWords, timeElement } from './format.js';
import { waitingWords } from './waiting.js';

/** Badges: the stage in words, and what needs someone (named in text, not only by colour). */
export function badges(dispute) {
  return h(
    'span',
    { class: 'badges' },
    h('span', { class: `pill stage-${dispute.stage}`, text: `Stage: ${stageWords(dispute.stage)}` }),
    dispute.overdue ? h('span', { class: 'pill overdue', text: 'Overdue' }) : null,
    dispute.needsAttention ? h('span', { class: 'pill attention', text: 'Needs attention' }) : null,
    dispute.ended ? h('span', { class: 'pill ended', text: 'Closed' }) : null,
  );
}

/** Where it stands: each active state in words, a parallel state region by region. */
export function standingCard(dispute, cat) {
  return card(
    'standing',
    'Where it stands',
    h(
      'ul',
      { class: 'regions', id: 'regions' },
      dispute.regions.map((r) =>
        h(
          'li',
          { 'data-path': r.path },
          r.region ? h('span', { class: 'region', text: `${r.region.label}: ` }) : null,
          h('strong', { text: r.label }),
          r.description ? h('span', { class: 'help', text: r.description }) : null,
        ),
      ),
    ),
    h('p', {}, dispute.ended ? 'The dispute is closed.' : `Waiting for ${waitingWords(dispute, cat)}.`),
    dispute.decisionDueAt
      ? h('p', { class: dispute.overdue ? 'overdue' : '' }, 'Decision due ', timeElement(dispute.decisionDueAt), dispute.overdue ? ' (overdue)' : '')
      : null,
    stateIds(dispute),
  );
}

/** The state's id for developers; a parallel state's as a list, one per region. */
function stateIds(dispute) {
  const paths = dispute.state.split(' + ');
  const attributes = { class: 'help state-ids', id: 'state', 'data-state': dispute.state };
  if (paths.length === 1) return h('p', attributes, 'State ', h('code', { text: dispute.state }));
  return h(
    'div',
    attributes,
    'States, one per region:',
    h(
      'ul',
      {},
      paths.map((path) => h('li', {}, h('code', { text: path }))),
    ),
  );
}

const MONEY_ROWS = [
  ['paid', 'Paid by the buyer', (d) => d.amounts.paid],
  ['requested', 'Refund asked for', (d) => d.refund.requested],
  ['agreed', 'Refund agreed or decided', (d) => d.refund.agreed],
  ['in-progress', 'Refund on its way', (d) => (d.refund.inProgress > 0 ? d.refund.inProgress : null)],
  ['refunded', 'Refunded', (d) => d.amounts.refunded],
  ['released', 'Released to the seller', (d) => d.amounts.released],
  ['held', 'Held by the platform', (d) => d.amounts.held],
];

export function moneyCard(dispute) {
  const c = dispute.amounts.currency;
  return card(
    'money',
    'Money',
    h(
      'dl',
      { class: 'amounts' },
      MONEY_ROWS.filter(([, , value]) => value(dispute) !== null).map(([key, words, value]) =>
        h('div', {}, h('dt', { text: words }), h('dd', { id: `amount-${key}`, text: money(value(dispute), c) })),
      ),
    ),
    h('p', { class: 'help', text: `In ${c}. Paid = held + refunded + released.` }),
  );
}

/** What happens if nobody acts: the forecast the service computed by firing the deadlines in order. */
export function forecastCard(dispute) {
  const { steps, thenAwaiting, ended } = dispute.ifNobodyActs;
  const last = ended ? 'Then nothing more happens: the dispute is closed.' : `Then it waits for ${awaitingWords(thenAwaiting)}.`;
  return card(
    'forecast',
    'If nobody acts',
    steps.length === 0
      ? h('p', { text: ended ? 'Nothing: the dispute is closed.' : `No deadline is running. It waits for ${awaitingWords(thenAwaiting)}.` })
      : h(
          'ol',
          { class: 'forecast', id: 'forecast-steps' },
          steps.map((s) =>
            h(
              'li',
              { 'data-deadline': s.deadline },
              h('div', {}, timeElement(s.dueAt), ' — ', h('strong', { text: s.label }), ` (${s.length}, ${s.rule}) runs out:`),
              h('div', { text: `${s.effect.charAt(0).toUpperCase()}${s.effect.slice(1)}.` }),
              h('div', { class: 'help' }, 'Then: ', s.then.map((r) => (r.region ? `${r.region.label}: ${r.label}` : r.label)).join('; ')),
              s.armedNow ? null : h('div', { class: 'help', text: 'This one starts when the step before happens.' }),
            ),
          ),
        ),
    steps.length > 0 ? h('p', { text: last }) : null,
  );
}

/** The deadlines running now, each with its date and what it does. */
export function deadlinesList(dispute) {
  if (dispute.deadlines.length === 0) return h('p', { class: 'help', text: 'No deadline is running.' });
  return h(
    'ul',
    { id: 'deadlines', class: 'deadlines' },
    dispute.deadlines.map((d) =>
      h('li', {}, h('strong', { text: d.label }), ' — ', timeElement(d.dueAt), `: ${d.effect} `, secondary(`${d.rule} · ${d.name}`)),
    ),
  );
}
