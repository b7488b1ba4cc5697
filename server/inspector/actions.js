// "What you can do now": a button per event the viewer may send (its label from the catalogue,
// its id beneath), each opening a form built from the event's schema. A refusal is shown in the
// form with its reasons; after sending, the focus stays where the person was.
import { api, problemBox } from './api.js';
import { card, h, say, secondary } from './dom.js';
import { fieldFor, readFields } from './forms.js';
import { uploadForm } from './evidence.js';

/** The open form's event and typed values, so a live update does not lose what was typed. */
export function openFormState() {
  const form = document.querySelector('form.event[data-event]');
  if (!form) return null;
  const values = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    if (control.type === 'checkbox') values[control.name] = control.checked;
    else if (control.type === 'radio') {
      if (control.checked) values[control.name] = control.value;
    } else values[control.name] = control.value;
  }
  return { type: form.dataset.event, values };
}

function eventForm(dispute, next, cat, { onSent, evidence }, values = {}) {
  const properties = next.schema.properties ?? {};
  const required = new Set(next.schema.required ?? []);
  const currency = dispute.amounts.currency;
  const words = cat.event(next.type);
  const titleOf = (field) => properties[field]?.title ?? field;
  const fields =
    next.type === 'evidence.hide'
      ? [hideChoice(evidence, values.evidenceId)]
      : Object.entries(properties).map(([name, schema]) =>
          fieldFor(name, schema, { id: `field-${name}`, required: required.has(name), currency, value: values[name] }),
        );
  const form = h(
    'form',
    { class: 'event', 'data-event': next.type, 'aria-labelledby': `form-${next.type}-title`, novalidate: false },
    h('h3', { id: `form-${next.type}-title`, text: words.label }),
    h('p', { class: 'help' }, next.description, ' ', secondary(next.type)),
    fields,
    h(
      'p',
      { class: 'buttons' },
      h('button', { type: 'submit', 'data-focus': `send:${next.type}`, text: words.label }),
      h('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => close(form, next.type) }),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelector('.problem')?.remove();
    const read = readFields(form, properties, currency);
    if (read.error) {
      form.querySelector('.buttons').before(problemBox({ problem: { title: 'Check this field', errors: [{ message: read.error.message }] } }));
      return;
    }
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      await api('POST', `/disputes/${dispute.id}/events`, { type: next.type, ...read.body });
      say(`Done: ${words.label}.`);
      // Back on the button that opened the form: the page redraws around it, the focus stays.
      document.querySelector(`button[data-event="${next.type}"]`)?.focus();
      form.remove();
      onSent(next.type);
    } catch (e) {
      submit.disabled = false;
      form.querySelector('.buttons').before(problemBox(e, titleOf));
      submit.focus(); // the person stays on the button they pressed, the reasons just above it
    }
  });
  return form;
}

function hideChoice(evidence, value) {
  const shown = evidence.filter((e) => !e.hidden);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: 'field-evidenceId' }, 'Evidence to remove', h('span', { class: 'required', text: ' (required)' })),
    h(
      'select',
      { id: 'field-evidenceId', name: 'evidenceId', required: true },
      shown.map((e) => h('option', { value: e.id, selected: e.id === value, text: `${e.displayName ?? e.id} (${e.mediaType})` })),
    ),
    h('span', { class: 'help', text: 'It leaves the case; the history keeps its fingerprint (R-EVID-3).' }),
  );
}

function close(form, type) {
  form.remove();
  const button = document.querySelector(`button[data-event="${type}"]`);
  button?.setAttribute('aria-expanded', 'false');
  button?.focus();
}

/** The card; `reopen` puts back a form that was open before a live update. */
export function actionsCard(dispute, cat, context, reopen = null) {
  const slot = h('div', { class: 'action-form' });
  const open = (next, values) => {
    slot.replaceChildren(next.type === 'evidence.add' ? uploadForm(dispute, cat, context) : eventForm(dispute, next, cat, context, values));
    for (const b of buttons.querySelectorAll('button[data-event]')) b.setAttribute('aria-expanded', String(b.dataset.event === next.type));
  };
  const buttons = h(
    'div',
    { class: 'actions' },
    dispute.next.map((next) =>
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-event': next.type,
          'data-focus': `action:${next.type}`,
          'aria-expanded': 'false',
          onclick: () => {
            open(next);
            slot.querySelector('input, select, textarea, button')?.focus();
          },
        },
        cat.event(next.type).label,
      ),
    ),
  );
  const again = reopen && dispute.next.find((n) => n.type === reopen.type);
  if (again) open(again, reopen.values);
  return card('actions', 'What you can do now', dispute.next.length === 0 ? h('p', { text: 'Nothing for you to do on this dispute now.' }) : buttons, slot);
}
