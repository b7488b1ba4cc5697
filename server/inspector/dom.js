// Small DOM helpers shared by the inspector's modules: no framework, no build step.

const present = (child) => child !== null && child !== undefined && child !== false && child !== '';

/** Creates an element: attributes (`on…` are listeners, `text` is text content), then children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'text') element.textContent = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    // null, undefined and false leave no trace: no stray "null" on the page.
    if (!present(child)) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces an element's children; null, undefined and false leave no trace (no stray "null"). */
export function fill(parent, ...children) {
  parent.replaceChildren(
    ...children
      .flat(Infinity)
      .filter(present)
      .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))),
  );
}

/** A card: a section named by its heading (landmark for assistive technology). */
export function card(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title`, tabindex: '-1', text: title }), ...children);
}

/** A secondary line: the machine's id under the words people read. */
export const secondary = (text) => h('span', { class: 'id', text });

const statusBox = () => document.getElementById('status');
let clearing;

/** Says something in the polite live region (and shows it briefly). */
export function say(text) {
  const box = statusBox();
  box.textContent = text;
  clearTimeout(clearing);
  clearing = setTimeout(() => {
    if (box.textContent === text) box.textContent = '';
  }, 6000);
}

/** A stable key for the focused element, so a re-render can put the focus back where it was. */
export function focusKey() {
  const active = document.activeElement;
  return active?.closest('[data-focus]')?.getAttribute('data-focus') ?? null;
}

/** Puts the focus back on the element with that key, or on the fallback; never scrolls the page away. */
export function restoreFocus(key, fallback) {
  const target = (key && document.querySelector(`[data-focus="${CSS.escape(key)}"]`)) || (fallback && document.querySelector(fallback));
  target?.focus({ preventScroll: true });
}
