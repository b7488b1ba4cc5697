// The statechart with pan and zoom: the service draws the SVG (Graphviz, with the current state
// marked "▶ now" and the path taken in blue); this moves its viewBox. It opens fitted to where the
// dispute is now; buttons, the keyboard (arrows, + and −, 0 for the whole chart, N for now),
// dragging, and Ctrl + wheel move it. A view the person chose survives live updates.
import { card, h } from './dom.js';

const remembered = new Map(); // dispute id → the view the person chose

function fullBox(svg) {
  const [x, y, w, ht] = (svg.getAttribute('viewBox') ?? '0 0 100 100').split(/[ ,]+/).map(Number);
  return { x, y, w, h: ht };
}

/** The box of one drawn node, in the SVG's own units. */
function boxOf(svg, node) {
  const toSvg = svg.getScreenCTM().inverse();
  const b = node.getBBox();
  const m = toSvg.multiply(node.getScreenCTM());
  const [p, q] = [new DOMPoint(b.x, b.y).matrixTransform(m), new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m)];
  return { x: Math.min(p.x, q.x), y: Math.min(p.y, q.y), w: Math.abs(q.x - p.x), h: Math.abs(q.y - p.y) };
}

const union = (boxes) => {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
};

/** The boxes of the active states, the first region's first (a parallel state has one per region). */
function currentBoxes(svg, dispute) {
  const order = dispute.regions.map((r) => `state:${r.path}`);
  const nodes = [...svg.querySelectorAll('g.node.active')].sort((a, b) => (order.indexOf(a.id) + 1 || 99) - (order.indexOf(b.id) + 1 || 99));
  return nodes.map((node) => boxOf(svg, node));
}

// The chart's state labels are 11 units high: a view never shrinks them below this many pixels per unit.
const READABLE_SCALE = 1;

export function chartCard(dispute, svgText, cat) {
  const viewport = h('div', {
    class: 'chart-viewport',
    tabindex: '0',
    role: 'group',
    'aria-label': 'Statechart. Arrow keys move it, plus and minus zoom, 0 shows the whole chart, N shows where the dispute is now.',
  });
  viewport.innerHTML = svgText; // drawn by the service from the machine definition: no user content
  const svg = viewport.querySelector('svg');
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Statechart of the dispute; now at: ${dispute.regions.map((r) => r.label).join('; ')}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  const full = fullBox(svg);
  let view = remembered.get(dispute.id) ?? null;
  const apply = () => svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const choose = (next) => {
    view = next;
    remembered.set(dispute.id, view);
    apply();
  };
  const aspect = () => (viewport.clientHeight || 1) / (viewport.clientWidth || 1);
  const around = (box, minWidth) => {
    const w = Math.min(full.w, Math.max(box.w * 1.6, minWidth));
    const ht = Math.max(box.h * 1.6, w * aspect());
    return { x: box.x + box.w / 2 - w / 2, y: box.y + box.h / 2 - ht / 2, w, h: ht };
  };
  const whole = () => around(full, full.w / 1.6);
  /** The largest view that keeps labels readable, centred where `v` is centred. */
  const readable = (v) => {
    const [cw, ch] = [viewport.clientWidth || 1, viewport.clientHeight || 1];
    if (Math.min(cw / v.w, ch / v.h) >= READABLE_SCALE) return v;
    const [w, ht] = [cw / READABLE_SCALE, ch / READABLE_SCALE];
    return { x: v.x + v.w / 2 - w / 2, y: v.y + v.h / 2 - ht / 2, w, h: ht };
  };
  // Where it is now: every active state when they fit at a readable size, else the first region's
  // state (a parallel state's regions may lie far apart: the others are a pan away).
  const now = () => {
    const boxes = currentBoxes(svg, dispute);
    if (boxes.length === 0) return whole();
    const fit = (box) => around(box, Math.min(900, viewport.clientWidth * 1.1));
    const all = fit(union(boxes));
    return readable(readable(all) === all ? all : fit(boxes[0]));
  };
  const zoom = (factor) => {
    const w = Math.min(full.w * 1.5, Math.max(150, view.w / factor));
    const ht = (view.h * w) / view.w;
    choose({ x: view.x + (view.w - w) / 2, y: view.y + (view.h - ht) / 2, w, h: ht });
  };
  const pan = (fx, fy) => choose({ ...view, x: view.x + view.w * fx, y: view.y + view.h * fy });

  viewport.addEventListener('keydown', (event) => {
    const keys = { ArrowLeft: () => pan(-0.1, 0), ArrowRight: () => pan(0.1, 0), ArrowUp: () => pan(0, -0.1), ArrowDown: () => pan(0, 0.1) };
    keys['+'] = keys['='] = () => zoom(1.25);
    keys['-'] = () => zoom(0.8);
    keys['0'] = () => choose(whole());
    keys.n = keys.N = () => choose(now());
    if (!keys[event.key]) return;
    event.preventDefault();
    keys[event.key]();
  });
  let drag = null;
  viewport.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, view };
    viewport.setPointerCapture(event.pointerId);
  });
  viewport.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const scale = drag.view.w / viewport.clientWidth;
    choose({ ...drag.view, x: drag.view.x - (event.clientX - drag.x) * scale, y: drag.view.y - (event.clientY - drag.y) * scale });
  });
  viewport.addEventListener('pointerup', () => (drag = null));
  viewport.addEventListener(
    'wheel',
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls the page
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.15 : 0.87);
    },
    { passive: false },
  );
  // Sized only once in the page: fit then, unless the person chose a view before this update.
  requestAnimationFrame(() => {
    view ??= now();
    apply();
    viewport.dataset.fitted = 'true';
  });
  const button = (text, action) => h('button', { type: 'button', class: 'secondary small', text, onclick: action });
  return card(
    'chart',
    'On the statechart',
    h(
      'div',
      { class: 'chart-tools' },
      button('Where it is now', () => choose(now())),
      button('Whole chart', () => choose(whole())),
      button('Zoom in', () => zoom(1.25)),
      button('Zoom out', () => zoom(0.8)),
    ),
    viewport,
    h('p', {
      class: 'help',
      text: `“▶ now” marks where the dispute is, “✓ visited” where it has been, blue arrows the way it came; dashed arrows are deadlines. Machine ${cat.machine.id} v${cat.machine.version}.`,
    }),
  );
}
