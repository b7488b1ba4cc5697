// The demo clock, for the admin: the service's time now, and a control that moves it forward so
// every deadline that falls due fires (on every dispute). Shown on the list and a dispute's page.
import { api, problemBox } from './api.js';
import { card, h, say } from './dom.js';
import { timeElement } from './format.js';

/** The card, or null when the viewer is not the admin or the clock cannot be moved (production). */
export async function clockCard(me, onMoved) {
  if (me?.role !== 'admin') return null;
  const clock = await api('GET', '/admin/clock').catch(() => null);
  if (!clock?.controllable) return null;
  const now = h('p', { id: 'clock-now' }, 'Demo time now: ', timeElement(clock.now));
  return card(
    'clock',
    'Demo clock',
    now,
    h('p', { class: 'help', text: 'Demo mode: move the service’s clock forward and every deadline that falls due fires, on every dispute.' }),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: async (event) => {
          event.preventDefault();
          event.target.querySelector('.problem')?.remove();
          try {
            const moved = await api('POST', '/admin/clock/advance', { by: new FormData(event.target).get('by') });
            now.replaceChildren('Demo time now: ', timeElement(moved.now));
            say(`The clock moved; ${moved.deadlinesFired} deadline(s) fired.`);
            onMoved?.();
          } catch (e) {
            event.target.append(problemBox(e));
          }
        },
      },
      h('label', { for: 'advance-by', text: 'Advance by (e.g. 6d, 12h)' }),
      h('input', { id: 'advance-by', name: 'by', value: '1d', size: 6, autocomplete: 'off' }),
      h('button', { type: 'submit', 'data-focus': 'clock', text: 'Advance clock' }),
    ),
  );
}
