// The inspector: a page of the service, no build step, no CDN. It signs in by exchanging a token
// for the cookie session, lists the disputes the viewer may see, and shows one on its statechart,
// live (Server-Sent Events over the cookie session), with buttons for the events the viewer may
// send now and forms built from each event's JSON schema.

const main = document.getElementById('main');
const statusBox = document.getElementById('status');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
let me = null;
let live = null;

const h = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'text') element.textContent = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity))
    if (child !== null && child !== undefined) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
};

const csrf = () =>
  document.cookie
    .split('; ')
    .find((c) => c.startsWith('arbiter_csrf='))
    ?.split('=')[1] ?? '';
const money = (minor, currency) => `${(minor / 100).toFixed(2)} ${currency}`;
const when = (iso) =>
  iso
    ? new Date(iso)
        .toISOString()
        .replace('T', ' ')
        .replace(/:\d\d\.\d+Z$/, ' UTC')
    : '';
const say = (text) => {
  statusBox.textContent = text;
  setTimeout(() => {
    if (statusBox.textContent === text) statusBox.textContent = '';
  }, 4000);
};

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { 'x-csrf-token': csrf() } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const data = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  if (!response.ok) throw Object.assign(new Error(data?.detail ?? response.statusText), { problem: data, status: response.status });
  return data;
}

function problemBox(error) {
  const p = error.problem;
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('strong', { text: p?.title ?? 'Error' }),
    ': ',
    p?.detail ?? error.message,
    p?.errors
      ? h(
          'ul',
          {},
          p.errors.map((e) => h('li', { text: `${e.field ? `${e.field}: ` : ''}${e.message}${e.rule ? ` (${e.rule})` : ''}` })),
        )
      : null,
  );
}

// ---- sign-in ----

async function signIn(token) {
  me = await api('POST', '/session', { token });
  return me;
}

function signInPage(error) {
  main.replaceChildren(
    h('h1', { text: 'Sign in' }),
    h('p', { text: 'Paste a token (npm start prints one per demo party, with ready sign-in links). It becomes a cookie session for this browser.' }),
    error ? problemBox(error) : null,
    h(
      'form',
      {
        class: 'card',
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            await signIn(new FormData(event.target).get('token').trim());
            route();
          } catch (e) {
            signInPage(e);
          }
        },
      },
      h('label', { for: 'token', text: 'Token' }),
      h('textarea', { id: 'token', name: 'token', required: true, autocomplete: 'off' }),
      h('p', {}, h('button', { type: 'submit', text: 'Sign in' })),
    ),
  );
  document.getElementById('token').focus();
}

// ---- the list ----

async function listPage() {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  if (params.get('state')) query.set('state', params.get('state'));
  if (params.get('overdue')) query.set('overdue', 'true');
  query.set('limit', '100');
  const { items } = await api('GET', `/disputes?${query}`);
  main.replaceChildren(
    h('h1', { text: 'Disputes' }),
    me?.role === 'buyer' ? h('details', {}, h('summary', { text: 'Open a dispute on an order item' }), openForm()) : null,
    h(
      'form',
      { class: 'filters', method: 'get', action: '/inspect' },
      h('label', {}, 'State starts with', h('input', { name: 'state', value: params.get('state') ?? '', placeholder: 'e.g. escalated' })),
      h(
        'label',
        {},
        h('span', {}, h('input', { type: 'checkbox', name: 'overdue', value: 'true', checked: params.get('overdue') === 'true' }), ' Overdue only'),
      ),
      h('button', { type: 'submit', class: 'secondary', text: 'Filter' }),
    ),
    items.length === 0
      ? h('p', { text: 'No disputes you may see match.' })
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Dispute', 'Where it stands', 'State', 'Held / refunded / released', 'Next deadline'].map((t) => h('th', { scope: 'col', text: t })),
            ),
          ),
          h(
            'tbody',
            {},
            items.map((d) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  {},
                  h('a', { href: `/inspect/disputes/${d.id}`, text: `${d.orderId} · ${d.itemId}` }),
                  h('br'),
                  h('small', { class: 'state', text: d.id }),
                ),
                h('td', { text: d.label }),
                h('td', {}, h('span', { class: `pill state${d.ended ? ' ended' : ''}`, text: d.state })),
                h('td', {
                  text: `${money(d.amounts.held, d.amounts.currency)} / ${money(d.amounts.refunded, d.amounts.currency)} / ${money(d.amounts.released, d.amounts.currency)}`,
                }),
                h('td', {
                  class: d.context.escalation?.decisionOverdue || d.context.refundOverdue ? 'overdue' : '',
                  text: d.deadlines[0]
                    ? `${d.deadlines[0].name} ${when(d.deadlines[0].dueAt)}`
                    : d.context.escalation?.decisionOverdue
                      ? 'decision overdue'
                      : '',
                }),
              ),
            ),
          ),
        ),
  );
}

// ---- opening a dispute (buyers) ----

function openForm() {
  const reasons = ['not_received', 'not_as_described', 'damaged_or_defective', 'quantity_short', 'digital_not_delivered', 'fake_tracking'];
  const form = h(
    'form',
    { class: 'card event', 'aria-label': 'Open a dispute' },
    h('h2', { text: 'Open a dispute' }),
    h('label', { for: 'open-order', text: 'Order id (required)' }),
    h('input', { id: 'open-order', name: 'orderId', required: true }),
    h('label', { for: 'open-item', text: 'Item id (required)' }),
    h('input', { id: 'open-item', name: 'itemId', required: true }),
    h('label', { for: 'open-type', text: 'Type' }),
    h(
      'select',
      { id: 'open-type', name: 'type' },
      ['refund_only', 'return_and_refund'].map((v) => h('option', { value: v, text: v })),
    ),
    h('label', { for: 'open-reason', text: 'Reason' }),
    h(
      'select',
      { id: 'open-reason', name: 'reason' },
      reasons.map((v) => h('option', { value: v, text: v })),
    ),
    h('label', { for: 'open-description', text: 'What is wrong (required)' }),
    h('textarea', { id: 'open-description', name: 'description', required: true }),
    h('label', { for: 'open-amount' }, 'Refund requested, in cents (required)', h('span', { class: 'help', text: 'At most the item’s price (R-OPEN-7)' })),
    h('input', { id: 'open-amount', name: 'amount', type: 'number', min: 1, step: 1, required: true }),
    h('p', {}, h('button', { type: 'submit', text: 'Open the dispute' })),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = Object.fromEntries(['orderId', 'itemId', 'type', 'reason', 'description'].map((k) => [k, String(data.get(k)).trim()]));
    body.amount = Number(data.get('amount'));
    try {
      const dispute = await api('POST', '/disputes', body);
      location.href = `/inspect/disputes/${dispute.id}`;
    } catch (e) {
      form.querySelector('.problem')?.remove();
      form.prepend(problemBox(e));
    }
  });
  return form;
}

// ---- one dispute ----

function fieldFor(name, schema, required) {
  const id = `field-${name}`;
  const help = schema.description ? h('span', { class: 'help', text: schema.description }) : null;
  const label = h('label', { for: id }, name, required ? ' (required)' : '', help);
  if (schema.enum)
    return [
      label,
      h(
        'select',
        { id, name, required },
        required ? null : h('option', { value: '', text: '—' }),
        schema.enum.map((v) => h('option', { value: v, text: v })),
      ),
    ];
  if (schema.type === 'boolean') return [h('label', { for: id }, h('input', { id, name, type: 'checkbox' }), ` ${name}`, help)];
  if (schema.type === 'integer' || schema.type === 'number')
    return [label, h('input', { id, name, type: 'number', step: 1, min: schema.minimum ?? schema.exclusiveMinimum, max: schema.maximum, required })];
  if ((schema.maxLength ?? 0) > 200) return [label, h('textarea', { id, name, required, maxlength: schema.maxLength })];
  return [label, h('input', { id, name, required, maxlength: schema.maxLength })];
}

function eventForm(dispute, next, onDone) {
  const properties = next.schema.properties ?? {};
  const required = new Set(next.schema.required ?? []);
  const form = h(
    'form',
    { class: 'event', 'aria-label': next.type },
    h('p', {}, h('strong', { text: next.type }), ' — ', next.description),
    Object.entries(properties).map(([name, schema]) => fieldFor(name, schema, required.has(name))),
    h(
      'p',
      {},
      h('button', { type: 'submit', text: `Send ${next.type}` }),
      ' ',
      h('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => form.remove() }),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { type: next.type };
    for (const [name, schema] of Object.entries(properties)) {
      const input = form.elements[name];
      if (!input) continue;
      if (schema.type === 'boolean') body[name] = input.checked;
      else if (input.value === '') continue;
      else body[name] = schema.type === 'integer' || schema.type === 'number' ? Number(input.value) : input.value;
    }
    try {
      await api('POST', `/disputes/${dispute.id}/events`, body);
      say(`${next.type} sent`);
      onDone();
    } catch (e) {
      form.querySelector('.problem')?.remove();
      form.prepend(problemBox(e));
    }
  });
  return form;
}

function describe(row) {
  const p = row.payload ?? {};
  const bits = [];
  if (p.amount !== undefined) bits.push(`amount ${p.amount}`);
  if (p.body) bits.push(`“${p.body}”`);
  if (p.reason) bits.push(`reason: ${p.reason}`);
  if (p.evidenceId) bits.push(`evidence ${p.evidenceId}`);
  if (p.outcome) bits.push(p.outcome);
  if (p.request) bits.push(`${p.request.type}, ${p.request.reason}, ${p.request.amount}`);
  return bits.join(' · ');
}

async function disputePage(id) {
  let dispute;
  try {
    dispute = await api('GET', `/disputes/${id}`);
  } catch (e) {
    main.replaceChildren(h('h1', { text: 'Dispute' }), problemBox(e), h('p', {}, h('a', { href: '/inspect', text: 'Back to the list' })));
    return;
  }
  const [history, svg] = await Promise.all([api('GET', `/disputes/${id}/history`), api('GET', `/disputes/${id}/diagram.svg`)]);
  render(dispute, history.items, svg);
  let shown = dispute.version;
  const refresh = async () => {
    const [fresh, freshHistory, freshSvg] = await Promise.all([
      api('GET', `/disputes/${id}`),
      api('GET', `/disputes/${id}/history`),
      api('GET', `/disputes/${id}/diagram.svg`),
    ]);
    const keepOpen = document.querySelector('form.event')?.getAttribute('aria-label');
    shown = fresh.version;
    render(fresh, freshHistory.items, freshSvg);
    if (keepOpen && fresh.next.some((n) => n.type === keepOpen)) document.querySelector(`button[data-event="${keepOpen}"]`)?.click();
    say(`Updated: ${fresh.state}`);
  };
  live?.close();
  live = new EventSource(`/disputes/${id}/stream`);
  // On every (re)connection the server says which version it is at: catch up on anything missed.
  live.addEventListener('ready', (event) => {
    document.body.dataset.live = 'on';
    if (JSON.parse(event.data).version !== shown) refresh();
  });
  live.addEventListener('dispute', (event) => {
    if (JSON.parse(event.data).dispute.version !== shown) refresh();
  });
  live.addEventListener('error', () => {
    document.body.dataset.live = 'off';
  });
}

function render(dispute, history, svg) {
  const c = dispute.amounts.currency;
  const reload = () => disputePage(dispute.id);
  const actions = h(
    'div',
    { class: 'actions' },
    dispute.next.length === 0
      ? h('p', { text: 'Nothing you may send now.' })
      : dispute.next.map((next) =>
          h('button', {
            type: 'button',
            class: 'secondary',
            'data-event': next.type,
            text: next.type,
            onclick: (event) => {
              actionsCard.querySelector('form.event')?.remove();
              const form = eventForm(dispute, next, reload);
              actionsCard.append(form);
              form.querySelector('input, select, textarea, button')?.focus();
              event.target.setAttribute('aria-expanded', 'true');
            },
          }),
        ),
  );
  const actionsCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'actions-title' },
    h('h2', { id: 'actions-title', text: 'What you may do now' }),
    actions,
  );
  const clock =
    me?.role === 'admin'
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'clock-title' },
          h('h2', { id: 'clock-title', text: 'Demo clock' }),
          h(
            'form',
            {
              onsubmit: async (event) => {
                event.preventDefault();
                try {
                  const moved = await api('POST', '/admin/clock/advance', { by: new FormData(event.target).get('by') });
                  say(`Clock now ${when(moved.now)}; ${moved.deadlinesFired} deadline(s) fired`);
                  reload();
                } catch (e) {
                  event.target.append(problemBox(e));
                }
              },
            },
            h('label', { for: 'advance-by', text: 'Advance by (e.g. 6d, 12h)' }),
            ' ',
            h('input', { id: 'advance-by', name: 'by', value: '1d', size: 6 }),
            ' ',
            h('button', { type: 'submit', text: 'Advance clock' }),
          ),
        )
      : null;
  const diagram = h('div', { class: 'diagram', role: 'img', 'aria-label': `Statechart; the dispute is in ${dispute.state}` });
  diagram.innerHTML = svg; // generated by the service from the machine definition, no user content
  requestAnimationFrame(() => {
    // Bring the current state into view in the large chart.
    const now = [...diagram.querySelectorAll('g.node')].find((node) => node.textContent.includes('▶ now'));
    now?.scrollIntoView({ block: 'center', inline: 'center' });
  });
  main.replaceChildren(
    h('p', {}, h('a', { href: '/inspect', text: '← All disputes' })),
    h(
      'h1',
      {},
      `Dispute ${dispute.orderId} · ${dispute.itemId} `,
      h('span', { class: `pill${dispute.ended ? ' ended' : ''}`, id: 'state', 'data-state': dispute.state, text: dispute.state }),
    ),
    h('p', { id: 'label', text: dispute.label }),
    h(
      'div',
      { class: 'grid' },
      h('div', {}, diagram),
      h(
        'div',
        {},
        actionsCard,
        clock,
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'money-title' },
          h('h2', { id: 'money-title', text: 'Amounts' }),
          h(
            'div',
            { class: 'amounts' },
            ['paid', 'held', 'refunded', 'released'].map((k) => h('div', {}, k, h('strong', { id: `amount-${k}`, text: money(dispute.amounts[k], c) }))),
          ),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'deadlines-title' },
          h('h2', { id: 'deadlines-title', text: 'Deadlines' }),
          dispute.deadlines.length === 0
            ? h('p', { text: 'None armed.' })
            : h(
                'ul',
                { id: 'deadlines' },
                dispute.deadlines.map((d) => h('li', { text: `${d.name} (${d.rule}) due ${when(d.dueAt)}` })),
              ),
        ),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title', text: 'Timeline' }),
      h(
        'ol',
        { class: 'timeline', id: 'timeline' },
        history.map((row) =>
          h(
            'li',
            { 'data-type': row.type },
            h('div', {}, h('strong', { text: `#${row.seq} ${row.type}` }), ` by ${row.actorRole} ${row.actorId}`),
            h('div', { class: 'meta', text: `${when(row.at)} · ${row.fromState ?? '—'} → ${row.toState}` }),
            describe(row) ? h('div', { text: describe(row) }) : null,
          ),
        ),
      ),
    ),
  );
}

// ---- routing ----

async function route() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('token')) {
    const token = hash.get('token');
    history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
    try {
      await signIn(token);
    } catch (e) {
      signInPage(e);
      return;
    }
  }
  try {
    me = await api('GET', '/session');
  } catch {
    who.textContent = '';
    signOut.hidden = true;
    signInPage();
    return;
  }
  who.textContent = `Signed in as ${me.role} ${me.sub}`;
  signOut.hidden = false;
  const match = /^\/inspect\/disputes\/([^/]+)$/.exec(location.pathname);
  if (match) await disputePage(decodeURIComponent(match[1]));
  else await listPage();
  main.focus();
}

signOut.addEventListener('click', async () => {
  await api('DELETE', '/session').catch(() => {});
  live?.close();
  location.href = '/inspect';
});

route().catch((e) => main.replaceChildren(problemBox(e)));
