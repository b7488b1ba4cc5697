// One dispute: where it stands, the case, what the viewer can do, the money, what happens if
// nobody acts, the evidence, the statechart and the history. It updates by itself when anyone
// changes the dispute (Server-Sent Events over the cookie session), keeping the focus and any
// half-filled form where they were.
import { actionsCard, openFormState } from './actions.js';
import { api, problemBox } from './api.js';
import { caseCard } from './case.js';
import { loadCatalogue } from './catalogue.js';
import { chartCard } from './chart.js';
import { clockCard } from './clock.js';
import { card, focusKey, h, restoreFocus, say } from './dom.js';
import { evidenceCard } from './evidence.js';
import { historyCard } from './history.js';
import { badges, deadlinesList, forecastCard, moneyCard, standingCard } from './panels.js';

let live = null;

export function stopLive() {
  live?.close();
  live = null;
}

/** The dispute's page data; for the admin, the demo clock's card too (its time asked of the service). */
async function load(id, me, onClockMoved) {
  const [dispute, history, svg, evidence, cat, clock] = await Promise.all([
    api('GET', `/disputes/${id}`),
    api('GET', `/disputes/${id}/history`),
    api('GET', `/disputes/${id}/diagram.svg`),
    api('GET', `/disputes/${id}/evidence`),
    loadCatalogue(),
    clockCard(me, onClockMoved),
  ]);
  return { dispute, history: history.items, svg, evidence: evidence.items, cat, clock };
}

function render(main, state, me, refresh) {
  const { dispute, history, svg, evidence, cat } = state;
  const context = { onSent: () => refresh(), evidence };
  main.replaceChildren(
    h('p', {}, h('a', { href: '/inspect', text: '← All disputes' })),
    h('h1', {}, `Dispute on ${dispute.orderId} · ${dispute.itemId} `, badges(dispute)),
    h(
      'div',
      { class: 'grid' },
      h('div', { class: 'column' }, standingCard(dispute, cat), actionsCard(dispute, cat, context, state.reopen), caseCard(dispute, cat)),
      h(
        'div',
        { class: 'column' },
        moneyCard(dispute),
        state.clock,
        forecastCard(dispute),
        card('deadlines-now', 'Deadlines running now', deadlinesList(dispute)),
        evidenceCard(dispute, evidence),
      ),
    ),
    chartCard(dispute, svg, cat),
    historyCard(history, dispute, cat),
  );
}

export async function disputePage(main, id, me) {
  let state;
  try {
    state = await load(id, me, () => refresh());
  } catch (e) {
    main.replaceChildren(h('h1', { text: 'Dispute' }), problemBox(e), h('p', {}, h('a', { href: '/inspect', text: 'Back to the list' })));
    return;
  }
  let shown = state.dispute.version;
  // The newest version the stream announced: a change landing during a reload is fetched after it.
  let latest = shown;
  let refreshing = null;
  const refresh = () => {
    // One reload at a time; if the stream announced a newer version meanwhile, one more after it.
    refreshing ??= (async () => {
      do {
        const focus = focusKey();
        const reopen = openFormState();
        const fresh = await load(id, me, () => refresh());
        shown = fresh.dispute.version;
        latest = Math.max(latest, shown);
        render(main, { ...fresh, reopen }, me, refresh);
        restoreFocus(focus, '#actions-title');
        const words = fresh.dispute.regions.map((r) => r.label).join('; ');
        say(`Updated. Now: ${words}.`);
      } while (latest > shown);
    })().finally(() => (refreshing = null));
    return refreshing;
  };
  const announced = (version) => {
    latest = Math.max(latest, version);
    if (version !== shown) refresh();
  };
  render(main, state, me, refresh);
  stopLive();
  live = new EventSource(`/disputes/${id}/stream`);
  // On every (re)connection the server says which version it is at: catch up on anything missed.
  live.addEventListener('ready', (event) => {
    document.body.dataset.live = 'on';
    announced(JSON.parse(event.data).version);
  });
  live.addEventListener('dispute', (event) => {
    announced(JSON.parse(event.data).dispute.version);
  });
  live.addEventListener('error', () => {
    document.body.dataset.live = 'off';
  });
}
