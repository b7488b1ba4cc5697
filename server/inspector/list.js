// The disputes the viewer may see, filtered by stage or overdue; for buyers, the form to open a
// dispute on one of their items that may still be disputed (a choice of them, from
// GET /orders/disputable; the fields from the opening request's schema, the amount in the item's
// currency). A marketplace links to it with the item chosen: /inspect?order=<order id>&item=<item id>.
import { api, problemBox } from './api.js';
import { loadCatalogue } from './catalogue.js';
import { clockCard } from './clock.js';
import { fill, h, secondary } from './dom.js';
import { fieldFor, readFields } from './forms.js';
import { money, stageWords, timeElement, toMajor, when } from './format.js';
import { badges } from './panels.js';
import { waitingWords } from './waiting.js';

/** The opening form's help, addressed to the buyer who reads it (the schema speaks of "the buyer"). */
const toTheBuyer = (text) =>
  text
    .replace(/^The buyer states /, 'You state ')
    .replace(/^why the buyer opens /i, (m) => (m[0] === 'W' ? 'Why you open ' : 'why you open '))
    .replace(/in the buyer’s words/, 'in your own words');

/** An item the buyer may dispute, as the choice reads: "order-1001 · scarf — $12.00 + $5.00 shipping". */
const itemWords = (item) => `${item.orderId} · ${item.itemId} — ${money(item.price, item.currency)} + ${money(item.shippingCost, item.currency)} shipping`;

function openForm(cat, params, disputable) {
  const schema = cat.machine.openRequest;
  const properties = schema.properties;
  const required = new Set(schema.required ?? []);
  const wanted = disputable.findIndex((i) => i.orderId === params.get('order') && i.itemId === params.get('item'));
  const itemInfo = h('p', { class: 'help', id: 'open-item-info', 'aria-live': 'polite' });
  const fieldsSlot = h('div', {});
  let form = null;
  const chosen = () => disputable[Number(form.elements.orderItem.value)] ?? null;
  const drawFields = () => {
    // Redrawn in the item's currency, its price as the amount; what was typed meanwhile stays.
    const item = chosen();
    const typed = Object.fromEntries(
      Object.keys(properties).flatMap((name) =>
        form.elements[name]?.value && form.elements[name].type !== 'checkbox' ? [[name, form.elements[name].value]] : [],
      ),
    );
    itemInfo.textContent = item
      ? `This item cost ${money(item.price, item.currency)} plus ${money(item.shippingCost, item.currency)} shipping. A dispute on it may open until ${when(item.protectionEndsAt)}.`
      : '';
    fill(
      fieldsSlot,
      Object.entries(properties).map(([name, s]) =>
        fieldFor(name, s, {
          id: `open-${name}`,
          required: required.has(name) && s.default === undefined,
          currency: item?.currency ?? 'USD',
          value: name === 'amount' && item ? toMajor(item.price, item.currency) : typed[name],
          reword: toTheBuyer,
        }),
      ),
    );
    showDetailWhenItApplies(form);
  };
  form = h(
    'form',
    { class: 'card event', 'aria-label': 'Open a dispute' },
    h('h2', { text: 'Open a dispute' }),
    h('p', { class: 'help', text: 'On one item of an order you bought. The seller answers first; if you do not agree, the platform decides.' }),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'open-item' }, 'Item you bought', h('span', { class: 'required', text: ' (required)' })),
      h(
        'select',
        { id: 'open-item', name: 'orderItem', required: true, 'aria-describedby': 'open-item-info', onchange: () => drawFields() },
        disputable.map((item, i) => h('option', { value: i, selected: i === Math.max(wanted, 0), text: itemWords(item) })),
      ),
    ),
    itemInfo,
    fieldsSlot,
    h('p', { class: 'buttons' }, h('button', { type: 'submit', text: 'Open the dispute' })),
  );
  form.addEventListener('change', (event) => {
    if (event.target.name === 'reason') showDetailWhenItApplies(form);
  });
  drawFields();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelector('.problem')?.remove();
    const item = chosen();
    const fail = (e) => form.querySelector('.buttons').before(problemBox(e, (field) => properties[field]?.title ?? field));
    const read = readFields(form, properties, item.currency);
    if (read.error) return fail({ problem: { title: 'Check this field', errors: [{ message: read.error.message }] } });
    try {
      const dispute = await api('POST', '/disputes', { orderId: item.orderId, itemId: item.itemId, ...read.body });
      location.href = `/inspect/disputes/${dispute.id}`;
    } catch (e) {
      fail(e);
    }
  });
  return form;
}

/** "How it differs from the listing" applies to a not-as-described item only (R-OPEN-6): hidden, and not sent, otherwise. */
function showDetailWhenItApplies(form) {
  const field = form.querySelector('[name="reasonDetail"]')?.closest('.field');
  if (!field) return;
  const applies = form.elements.reason?.value === 'not_as_described';
  field.hidden = !applies;
  field.toggleAttribute('disabled', !applies); // a fieldset: its choices are not sent while it does not apply
}

/** The buyer's opening: the form when an item may still be disputed, else why there is none. */
function opening(cat, params, disputable) {
  const asked = params.get('order') && params.get('item');
  const missing =
    asked && !disputable.some((i) => i.orderId === params.get('order') && i.itemId === params.get('item'))
      ? h('p', { class: 'help', text: `${params.get('order')} · ${params.get('item')} is not among your items that may still be disputed.` })
      : null;
  return h(
    'details',
    { open: asked ? true : undefined },
    h('summary', { text: 'Open a dispute on an item you bought' }),
    missing,
    disputable.length > 0
      ? openForm(cat, params, disputable)
      : h('p', {
          class: 'help',
          text: 'None of your order items may be disputed now: each item takes one dispute, and only until its buyer protection ends (R-OPEN-2, R-OPEN-3).',
        }),
  );
}

function row(d, cat) {
  const c = d.amounts.currency;
  const next = d.deadlines[0];
  return h(
    'tr',
    {},
    h('td', { 'data-label': 'Dispute' }, h('a', { href: `/inspect/disputes/${d.id}`, text: `${d.orderId} · ${d.itemId}` }), h('br'), secondary(d.id)),
    h('td', { 'data-label': 'Where it stands' }, d.regions.map((r) => r.label).join('; '), h('br'), badges(d)),
    h('td', { 'data-label': 'Waiting for' }, d.ended ? '—' : waitingWords(d, cat)),
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
  const buyer = me?.role === 'buyer';
  const again = () => listPage(main, me).then(() => document.querySelector('[data-focus="clock"]')?.focus());
  const [{ items }, cat, disputable, clock] = await Promise.all([
    api('GET', `/disputes?${query}`),
    loadCatalogue(),
    buyer ? api('GET', '/orders/disputable').then((r) => r.items) : [],
    clockCard(me, again),
  ]);
  const stages = [...new Set(cat.machine.states.map((s) => s.stage).filter(Boolean))];
  fill(
    main,
    h('h1', { text: 'Disputes' }),
    buyer ? opening(cat, params, disputable) : null,
    clock,
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
