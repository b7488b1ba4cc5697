// The disputes the viewer may see, filtered by stage or overdue; for buyers, the form to open a
// dispute on an item they bought (its fields from the opening request's schema, the amount in
// the item's currency, the item's price looked up as they type its ids). A marketplace links to
// it prefilled: /inspect?order=<order id>&item=<item id>.
import { api, problemBox } from './api.js';
import { loadCatalogue } from './catalogue.js';
import { h, secondary } from './dom.js';
import { fieldFor, readFields } from './forms.js';
import { awaitingWords, money, stageWords, timeElement, toMajor } from './format.js';
import { badges } from './panels.js';

function openForm(cat, params) {
  const schema = cat.machine.openRequest;
  const properties = schema.properties;
  const required = new Set(schema.required ?? []);
  let facts = null;
  const itemInfo = h('p', { class: 'help', id: 'open-item-info', 'aria-live': 'polite' });
  const fieldsSlot = h('div', {});
  const drawFields = (currency, price) => {
    // Redrawn in the item's currency once it is known; what was typed meanwhile stays.
    const typed = Object.fromEntries(
      Object.keys(properties).flatMap((name) =>
        form?.elements[name]?.value && form.elements[name].type !== 'checkbox' ? [[name, form.elements[name].value]] : [],
      ),
    );
    const amount = price ? toMajor(price, currency) : undefined;
    fieldsSlot.replaceChildren(
      ...Object.entries(properties).map(([name, s]) =>
        fieldFor(name, s, {
          id: `open-${name}`,
          required: required.has(name) && s.default === undefined,
          currency,
          value: name === 'amount' ? amount : typed[name],
        }),
      ),
    );
  };
  let form = null;
  form = h(
    'form',
    { class: 'card event', 'aria-label': 'Open a dispute' },
    h('h2', { text: 'Open a dispute' }),
    h('p', { class: 'help', text: 'On one item of an order you bought. The seller answers first; if you do not agree, the platform decides.' }),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'open-order', text: 'Order number (required)' }),
      h('input', { id: 'open-order', name: 'orderId', required: true, value: params.get('order') ?? '', autocomplete: 'off' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'open-item', text: 'Item (required)' }),
      h('input', { id: 'open-item', name: 'itemId', required: true, value: params.get('item') ?? '', autocomplete: 'off' }),
    ),
    itemInfo,
    fieldsSlot,
    h('p', { class: 'buttons' }, h('button', { type: 'submit', text: 'Open the dispute' })),
  );
  const lookUp = async () => {
    const orderId = form.elements.orderId.value.trim();
    const itemId = form.elements.itemId.value.trim();
    if (!orderId || !itemId) return null;
    if (facts?.orderId === orderId && facts?.itemId === itemId) return facts;
    try {
      facts = await api('GET', `/orders/${encodeURIComponent(orderId)}/items/${encodeURIComponent(itemId)}`);
      itemInfo.textContent = `This item cost ${money(facts.price, facts.currency)} plus ${money(facts.shippingCost, facts.currency)} shipping.`;
      drawFields(facts.currency, facts.price);
      return facts;
    } catch {
      facts = null;
      itemInfo.textContent = `No item ${itemId} on an order ${orderId} of yours.`;
      return null;
    }
  };
  form.elements.orderId.addEventListener('change', lookUp);
  form.elements.itemId.addEventListener('change', lookUp);
  drawFields('USD', null);
  if (params.get('order') && params.get('item')) lookUp();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelector('.problem')?.remove();
    const found = await lookUp();
    const fail = (e) => form.querySelector('.buttons').before(problemBox(e, (field) => properties[field]?.title ?? field));
    if (!found) return fail({ problem: { title: 'Unknown item', detail: itemInfo.textContent || 'Enter the order number and the item.' } });
    const read = readFields(form, properties, found.currency);
    if (read.error) return fail({ problem: { title: 'Check this field', errors: [{ message: read.error.message }] } });
    try {
      const dispute = await api('POST', '/disputes', { orderId: found.orderId, itemId: found.itemId, ...read.body });
      location.href = `/inspect/disputes/${dispute.id}`;
    } catch (e) {
      fail(e);
    }
  });
  return form;
}

function row(d, cat) {
  const c = d.amounts.currency;
  const next = d.deadlines[0];
  return h(
    'tr',
    {},
    h('td', { 'data-label': 'Dispute' }, h('a', { href: `/inspect/disputes/${d.id}`, text: `${d.orderId} · ${d.itemId}` }), h('br'), secondary(d.id)),
    h('td', { 'data-label': 'Where it stands' }, d.regions.map((r) => r.label).join('; '), h('br'), badges(d)),
    h('td', { 'data-label': 'Waiting for' }, d.ended ? '—' : awaitingWords(d.awaiting)),
    h('td', { 'data-label': 'Money' }, `Paid ${money(d.amounts.paid, c)}`, d.amounts.refunded ? `, refunded ${money(d.amounts.refunded, c)}` : ''),
    h(
      'td',
      { 'data-label': 'Next deadline', class: d.overdue ? 'overdue' : '' },
      next ? [cat.deadline(next.name).label, ': ', timeElement(next.dueAt)] : d.overdue ? 'Overdue' : '—',
    ),
  );
}

export async function listPage(main, me) {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams({ limit: '100' });
  if (params.get('stage')) query.set('stage', params.get('stage'));
  if (params.get('overdue')) query.set('overdue', 'true');
  const [{ items }, cat] = await Promise.all([api('GET', `/disputes?${query}`), loadCatalogue()]);
  const stages = [...new Set(cat.machine.states.map((s) => s.stage).filter(Boolean))];
  const opening =
    me?.role === 'buyer'
      ? h('details', { open: params.get('order') ? true : undefined }, h('summary', { text: 'Open a dispute on an item you bought' }), openForm(cat, params))
      : null;
  main.replaceChildren(
    h('h1', { text: 'Disputes' }),
    opening,
    h(
      'form',
      { class: 'filters', method: 'get', action: '/inspect', 'aria-label': 'Filter the disputes' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'filter-stage', text: 'Stage' }),
        h(
          'select',
          { id: 'filter-stage', name: 'stage' },
          h('option', { value: '', text: 'Any stage' }),
          stages.map((s) => h('option', { value: s, selected: params.get('stage') === s, text: stageWords(s) })),
        ),
      ),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'overdue', value: 'true', checked: params.get('overdue') === 'true' }),
        ' Overdue only',
      ),
      h('button', { type: 'submit', class: 'secondary', text: 'Filter' }),
    ),
    items.length === 0
      ? h('p', { text: 'No disputes you may see match.' })
      : h(
          'table',
          { class: 'disputes' },
          h('caption', { class: 'visually-hidden', text: 'Disputes you may see' }),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Dispute', 'Where it stands', 'Waiting for', 'Money', 'Next deadline'].map((t) => h('th', { scope: 'col', text: t })),
            ),
          ),
          h(
            'tbody',
            {},
            items.map((d) => row(d, cat)),
          ),
        ),
  );
}
