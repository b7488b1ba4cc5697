/**
 * The chart's texts name policy settings (`negotiation.sellerResponseDays`) so developers see
 * which number a rule reads; people read the number itself. `inWords` puts each setting's value
 * under a given policy in its place: "The seller has 5 days to answer". The settings are read
 * from the policy schema's own shape, never listed here.
 */
import { defaultPolicy, type Policy, type PaymentMethodKind } from './policy.ts';
import { businessDayWords, dayWords } from './time.ts';

/**
 * A group of settings: an object with a key in lower case. A number or a switch has no keys, a
 * list is an array, and a record keyed by currency (the automatic offer's thresholds, even an
 * empty one) has only codes in capitals: each is one setting.
 */
const isGroup = (value: unknown) => !Array.isArray(value) && Object.keys(value as object).some((key) => key !== key.toUpperCase());

/** Every setting of the policy as a dotted path (`appeal.windowDays`); records and lists count as one. */
export function policySettings(policy: Policy = defaultPolicy): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (isGroup(value)) {
      for (const [key, child] of Object.entries(value as object)) walk(child, prefix ? `${prefix}.${key}` : key);
    } else paths.push(prefix);
  };
  walk(policy, '');
  return paths;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One setting's value in words: a number of days as "5 days", a list as "buyer or seller". */
function valueWords(path: string, value: unknown): string {
  if (path.endsWith('BusinessDays')) return businessDayWords(value as number);
  if (path.endsWith('Days')) return dayWords(value as number); // the schema makes every `…Days` setting a number
  if (Array.isArray(value)) return value.join(' or ');
  return JSON.stringify(value); // a record as data; numbers and booleans read as themselves (no setting is a string)
}

/** The refund settlement window of a payment method, or the range over all of them. */
function settlementWords(policy: Policy, paymentMethod?: PaymentMethodKind): string {
  if (paymentMethod) return businessDayWords(policy.settlement[paymentMethod].maxBusinessDays);
  const all = Object.values(policy.settlement).map((w) => w.maxBusinessDays);
  const [low, high] = [Math.min(...all), Math.max(...all)];
  return low === high ? businessDayWords(high) : `${low} to ${high} business days (by payment method)`;
}

const get = (policy: Policy, path: string): unknown => path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], policy);

let pattern: RegExp | undefined;

/**
 * The pattern of every setting, built once: every policy has the same settings, the schema's
 * (`policySettings` of any policy), whatever their values. No setting is a prefix of another at
 * a word boundary (settings are the policy's leaves), so their order does not matter. A unit
 * after a day count (`(?<=Days)`) is part of the match; after any other setting it stays as written.
 */
function settingsPattern(): RegExp {
  return (pattern ??= new RegExp(
    `settlement\\[payment method\\]\\.maxBusinessDays(?: business days)?|\\b(${policySettings().map(escape).join('|')})\\b(?:(?<=Days) (?:business )?days)?`,
    'g',
  ));
}

/**
 * A text with each policy setting it names replaced by its value under `policy` ("within
 * appeal.windowDays" → "within 7 days"); a unit written after a day count ("… days") is not
 * repeated. `paymentMethod` picks the settlement window a dispute's refund runs under.
 */
export function inWords(text: string, policy: Policy, paymentMethod?: PaymentMethodKind): string {
  return text.replace(settingsPattern(), (_whole, path: string | undefined) =>
    path ? valueWords(path, get(policy, path)) : settlementWords(policy, paymentMethod),
  );
}

/** The policy settings a text names, e.g. `['negotiation.sellerResponseDays']` (for developers). */
export function settingsNamed(text: string): string[] {
  const named = policySettings().filter((path) => new RegExp(`\\b${escape(path)}\\b`).test(text));
  if (text.includes('settlement[payment method].maxBusinessDays')) named.push('settlement[payment method].maxBusinessDays');
  return named;
}
