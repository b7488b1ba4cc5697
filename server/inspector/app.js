// The inspector: a page of the service, plain ES modules, no build step, no CDN. It signs in with
// the sign-in link's one-time code (or a pasted token), lists the disputes the viewer may see,
// and shows one: where it stands in words, what the viewer can do, the money, what happens if
// nobody acts, the evidence, the statechart and the history, live.
import { api, problemBox } from './api.js';
import { fill, h } from './dom.js';
import { disputePage, stopLive } from './dispute.js';
import { listPage } from './list.js';

const main = document.getElementById('main');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
let me = null;

// ---- sign-in: all of it in these two functions, so a change to sessions touches nothing else ----

/**
 * A sign-in link carries a one-time code (npm start prints them); a token still works too. The
 * secret leaves the address bar before anything else happens. Returns the session, or null when
 * the address carries none.
 */
async function signInFromLink() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const credentials = hash.get('code') ? { code: hash.get('code') } : hash.get('token') ? { token: hash.get('token') } : null;
  if (!credentials) return null;
  history.replaceState(null, '', location.pathname + location.search); // the secret leaves the address bar
  return api('POST', '/session', credentials);
}

function signInPage(error) {
  fill(
    main,
    h('h1', { text: 'Sign in' }),
    h('p', { text: 'Open the sign-in link you were given, or paste a token here. It becomes a session for this browser.' }),
    error ? problemBox(error) : null,
    h(
      'form',
      {
        class: 'card',
        'aria-label': 'Sign in with a token',
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            me = await api('POST', '/session', { token: new FormData(event.target).get('token').trim() });
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

// ---- routing ----

async function route() {
  try {
    await signInFromLink();
  } catch (e) {
    signInPage(e);
    return;
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
  if (match) await disputePage(main, decodeURIComponent(match[1]), me);
  else await listPage(main, me);
  main.focus({ preventScroll: true });
}

signOut.addEventListener('click', async () => {
  await api('DELETE', '/session').catch(() => {});
  stopLive();
  location.href = '/inspect';
});

route().catch((e) => fill(main, problemBox(e)));
