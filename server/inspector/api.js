// Talking to the service over the cookie session, and showing its problems (RFC 9457) in words.
import { h } from './dom.js';
import { enumLabels, sentence, when } from './format.js';

// The choices the machine labels (reasons, outcomes…), learnt when the page reads the machine's
// description, so a refusal naming `not_received` reads “The item never arrived”.
let labels = new Map();

/** The CSRF token the session cookie comes with; writes echo it (the service checks). */
export const csrf = () =>
  document.cookie
    .split('; ')
    .find((c) => c.startsWith('arbiter_csrf='))
    ?.split('=')[1] ?? '';

/** JSON in, JSON out; a problem answer is thrown with its body as `problem`. */
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { 'x-csrf-token': csrf() } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const data = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  if (!response.ok) throw Object.assign(new Error(data?.detail ?? response.statusText), { problem: data, status: response.status });
  if (method === 'GET' && path === '/machines/dispute') labels = enumLabels(data.openRequest, ...data.events.map((e) => e.schema));
  return data;
}

/**
 * A refusal as a person reads it: what went wrong, each reason with its policy rule and, for
 * time rules, when the action becomes possible or stopped being possible. `fieldTitle` turns a
 * payload field into the words its form shows.
 */
const said = (problem, instant) => typeof problem.message === 'string' && problem.message.includes(instant);

export function problemBox(error, fieldTitle = (field) => field) {
  const p = error.problem && typeof error.problem === 'object' ? error.problem : null;
  const reasons = p?.errors ?? [];
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('strong', { text: p?.title ?? 'Something went wrong' }),
    reasons.length === 0 ? h('p', { text: sentence(p?.detail ?? error.message, labels) }) : null,
    reasons.length > 0
      ? h(
          'ul',
          {},
          reasons.map((e) =>
            h(
              'li',
              {},
              e.field && e.field !== 'type' ? h('strong', { text: `${fieldTitle(e.field)}: ` }) : null,
              sentence(e.message, labels),
              // The instant is shown on its own only when the words do not already give it.
              e.earliest && !said(e, e.earliest) ? h('span', { class: 'when', text: ` Possible from ${when(e.earliest)}.` }) : null,
              e.latest && !said(e, e.latest) ? h('span', { class: 'when', text: ` No longer possible since ${when(e.latest)}.` }) : null,
              e.rule && e.rule !== 'EVENT' ? h('span', { class: 'rule', text: ` Rule ${e.rule}.` }) : null,
            ),
          ),
        )
      : null,
  );
}
