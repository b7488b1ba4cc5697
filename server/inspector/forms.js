// Form fields built from a payload's JSON Schema as the service publishes it: the field's title
// is its label, its description the help beneath, `x-money` fields are entered in major units
// of the dispute's currency, `x-enum-labels` name each choice.
import { h } from './dom.js';
import { currencySymbol, money, toMinor } from './format.js';

const isMoney = (schema) => schema['x-money'] === 'minor-units';
const RADIO_LIMIT = 4;

/**
 * A field's help as a person reads it: the words first (a rule id such as "R-OPEN-5:" or
 * "(R-OPEN-6)" moves into `rule`, shown after them as secondary text), capitalised; money fields drop the
 * API's "(minor units)", since people type major units here. `reword` fits the words to the form.
 */
function helpWords(schema, reword) {
  const text = schema.description ?? '';
  // The rule id leads ("R-OPEN-5: …") or closes the text in brackets ("… (R-OPEN-6)").
  const ids = 'R-[A-Z]+-\\d+(?:,\\s*R-[A-Z]+-\\d+)*';
  const match = new RegExp(`^(${ids}):\\s*`).exec(text) ?? new RegExp(`\\s*\\((${ids})\\)\\.?$`).exec(text);
  let words = reword(match ? text.replace(match[0], '') : text);
  if (isMoney(schema)) words = words.replace(/\s*\(minor units\)/gi, '');
  words = words.charAt(0).toUpperCase() + words.slice(1);
  return { words, rule: match ? match[1] : null };
}

/** One field: its label, control, help and limits. `id` must be unique on the page. */
export function fieldFor(name, schema, { id, required, currency, value, reword = (text) => text }) {
  const title = schema.title ?? name;
  const helpId = `${id}-help`;
  const limits = [];
  if (isMoney(schema)) {
    if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) limits.push(`at most ${money(schema.maximum, currency)}`);
    if (schema.minimum !== undefined && schema.minimum > 1) limits.push(`at least ${money(schema.minimum, currency)}`);
  }
  const { words, rule } = helpWords(schema, reword);
  const helpText = [words, limits.length ? `${limits.join(', ')}.` : null].filter(Boolean).join(' — ');
  const help = helpText || rule ? h('span', { class: 'help', id: helpId }, helpText, rule ? [' ', h('span', { class: 'rule id', text: rule })] : null) : null;
  const describedBy = help ? helpId : undefined;
  const mark = required ? h('span', { class: 'required', text: ' (required)' }) : null;

  if (schema.enum) {
    const labels = schema['x-enum-labels'] ?? {};
    if (schema.enum.length <= RADIO_LIMIT) {
      return h(
        'fieldset',
        { class: 'field choice', 'aria-describedby': describedBy },
        h('legend', {}, title, mark),
        schema.enum.map((v, i) =>
          h(
            'label',
            { class: 'option' },
            h('input', { type: 'radio', name, value: v, required, checked: value === v || (required && value === undefined && i === 0) }),
            ` ${labels[v] ?? v}`,
          ),
        ),
        help,
      );
    }
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, title, mark),
      h(
        'select',
        { id, name, required, 'aria-describedby': describedBy },
        required ? null : h('option', { value: '', text: '—' }),
        schema.enum.map((v) => h('option', { value: v, text: labels[v] ?? v, selected: value === v })),
      ),
      help,
    );
  }
  if (schema.type === 'boolean') {
    return h(
      'div',
      { class: 'field check' },
      h('label', {}, h('input', { id, name, type: 'checkbox', checked: value ?? schema.default ?? false, 'aria-describedby': describedBy }), ` ${title}`),
      help,
    );
  }
  if (isMoney(schema)) {
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, title, mark),
      h(
        'span',
        { class: 'money-input' },
        h('span', { class: 'symbol', 'aria-hidden': 'true', text: currencySymbol(currency) }),
        h('input', {
          id,
          name,
          inputmode: 'decimal',
          autocomplete: 'off',
          required,
          value: value ?? '',
          'aria-describedby': describedBy,
          'data-money': currency,
        }),
      ),
      help,
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, title, mark),
      h('input', { id, name, type: 'number', step: 1, min: schema.minimum, max: schema.maximum, required, 'aria-describedby': describedBy }),
      help,
    );
  }
  const control =
    (schema.maxLength ?? 0) > 200
      ? h('textarea', { id, name, required, maxlength: schema.maxLength, 'aria-describedby': describedBy }, value ?? '')
      : h('input', { id, name, required, maxlength: schema.maxLength, value: value ?? '', autocomplete: 'off', 'aria-describedby': describedBy });
  return h('div', { class: 'field' }, h('label', { for: id }, title, mark), control, help);
}

/**
 * The body a form's fields make, or the first field error in words (money checked against the
 * currency's decimals and the schema's limits before anything is sent).
 */
export function readFields(form, properties, currency) {
  const body = {};
  for (const [name, schema] of Object.entries(properties)) {
    const control = form.elements[name];
    if (!control || (control[0] ?? control).matches?.(':disabled')) continue; // a field that does not apply sends nothing
    if (schema.type === 'boolean') {
      body[name] = control.checked;
      continue;
    }
    const raw = control.value ?? '';
    if (raw === '') continue;
    if (isMoney(schema)) {
      const parsed = toMinor(raw, currency);
      if (parsed.error) return { error: { name, message: `${schema.title ?? name}: ${parsed.error}` } };
      if (schema.maximum !== undefined && parsed.minor > schema.maximum)
        return { error: { name, message: `${schema.title ?? name}: at most ${money(schema.maximum, currency)}` } };
      if (schema.minimum !== undefined && parsed.minor < schema.minimum)
        return { error: { name, message: `${schema.title ?? name}: at least ${money(schema.minimum, currency)}` } };
      body[name] = parsed.minor;
    } else if (schema.type === 'integer' || schema.type === 'number') body[name] = Number(raw);
    else body[name] = raw.trim();
  }
  return { body };
}
