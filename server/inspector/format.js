// Money and time as people read them. Amounts travel as integer minor units with a currency
// (R-GEN-5); how many minor digits a currency has comes from Intl (USD 2, JPY 0, KWD 3).

const formatters = new Map();

function currencyFormat(currency) {
  let format = formatters.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formatters.set(currency, format);
  }
  return format;
}

/** Minor-unit digits of a currency, e.g. 2 for USD. */
export const minorDigits = (currency) => currencyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;

/** 3500 USD → "$35.00" (in the reader's locale). */
export const money = (minor, currency) => currencyFormat(currency).format(minor / 10 ** minorDigits(currency));

/** Minor units as the major-unit text a person types, e.g. 3500 → "35.00". */
export const toMajor = (minor, currency) => (minor / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));

/**
 * What a person typed in major units ("35", "35.5", "35,50") as minor units, or an error in
 * words: too many decimals for the currency, not a number.
 */
export function toMinor(text, currency) {
  const digits = minorDigits(currency);
  const cleaned = String(text).trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d*)?$/.test(cleaned)) return { error: 'enter an amount such as 12.50' };
  const [, decimals = ''] = cleaned.split('.');
  if (decimals.length > digits) return { error: digits === 0 ? `${currency} has no decimals` : `at most ${digits} decimals in ${currency}` };
  return { minor: Math.round(Number(cleaned) * 10 ** digits) };
}

/** The symbol a money field shows beside its input, e.g. "$". */
export function currencySymbol(currency) {
  return (
    currencyFormat(currency)
      .formatToParts(0)
      .find((p) => p.type === 'currency')?.value ?? currency
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An instant in the reader's time zone, e.g. "19 Nov 2026, 11:00". */
export const when = (iso) => (iso ? dateTime.format(new Date(iso)) : '');

/** A <time> element: local words, the exact instant in its datetime attribute. */
export function timeElement(iso) {
  const element = document.createElement('time');
  element.dateTime = iso;
  element.textContent = when(iso);
  element.title = iso;
  return element;
}

/** "buyer-ana" with their role, e.g. "the buyer buyer-ana"; `Party` for the start of a sentence. */
export const party = (role, id) => (role === 'system' ? (id === 'scheduler' ? 'the clock' : `the system (${id})`) : `the ${role} ${id}`);
export const Party = (role, id) => party(role, id).replace(/^t/, 'T');

/** A stage id as words: "seller-responded" → "Seller responded". */
export const stageWords = (stage) => stage.charAt(0).toUpperCase() + stage.slice(1).replace(/-/g, ' ');

/** Who a dispute waits for, in words. */
export function awaitingWords(awaiting) {
  const words = {
    buyer: 'the buyer',
    seller: 'the seller',
    agent: 'a platform agent',
    system: 'the clock, the payment provider or the carrier',
    nobody: 'nobody',
  };
  return awaiting.map((p) => words[p] ?? p).join(' and ');
}

/** A file size in words: 2048 → "2 KB". */
export function bytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Every choice a schema labels (`x-enum-labels`), anywhere inside it: id → words. */
export function enumLabels(...schemas) {
  const labels = new Map();
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    for (const [id, words] of Object.entries(node['x-enum-labels'] ?? {})) if (!labels.has(id)) labels.set(id, words);
    for (const child of Object.values(node)) walk(child);
  };
  schemas.forEach(walk);
  return labels;
}

const INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;
const CHOICE_ID = /\b[a-z]+(?:_[a-z]+)+\b/g;

/**
 * A message of the service as a sentence a person reads: instants as local dates (as `when`
 * shows them everywhere), choice ids the catalogue labels (`not_received`) as their words in
 * quotes, a capital first letter (unless it starts with a file name or an id) and a full stop.
 */
export function sentence(message, labels = new Map()) {
  const text = String(message ?? '')
    .trim()
    .replace(INSTANT, (iso) => when(iso))
    .replace(CHOICE_ID, (id) => (labels.has(id) ? `“${labels.get(id)}”` : id));
  if (!text) return text;
  // A plain first word gets its capital; a file name or an id ("notes.txt", "ev_1") keeps its spelling.
  const plain = /^[a-z][a-z’']*(?=[\s,:;]|$)/.test(text);
  const capital = plain ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}
