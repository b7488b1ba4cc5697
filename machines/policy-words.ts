/**
 * The chart's texts name policy settings (`negotiation.sellerResponseDays`) so developers see
 * which number a rule reads; people read the number itself. `inWords` puts each setting's value
 * under a given policy in its place: "The seller has 5 days to answer". The settings are read
 * from the policy schema's own shape, never listed here.
 */
import { defaultPolicy, type Policy, type PaymentMethodKind } from './policy.ts';
import { dayWords } from './time.ts';

/** Every setting of the policy as a dotted path (`appeal.windowDays`); records and lists count as one. */
export function policySettings(policy: Policy = defaultPolicy): string[] {
  const paths: string[] = [];
  // A record keyed by currency (the automatic offer's thresholds) is one setting.
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && !/^[A-Z]{3}$/.test(Object.keys(value)[0] ?? '')) {
      for (const [key, child] of Object.entries(value)) walk(child, prefix ? `${prefix}.${key}` : key);
    } else paths.push(prefix);
  };
  walk(policy, '');
  return paths;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One setting's value in words: a number of days as "5 days", a list as "buyer or seller". */
function valueWords(path: string, value: unknown): string {
  if (typeof value === 'number' && /Days$/.test(path)) return /BusinessDays$/.test(path) ? `${value} business days` : dayWords(value);
  if (Array.isArray(value)) return value.join(' or ');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The refund settlement window of a payment method, or the range over all of them. */
function settlementWords(policy: Policy, paymentMethod?: PaymentMethodKind): string {
  if (paymentMethod) return `${policy.settlement[paymentMethod].maxBusinessDays} business days`;
  const all = Object.values(policy.settlement).map((w) => w.maxBusinessDays);
  const [low, high] = [Math.min(...all), Math.max(...all)];
  return low === high ? `${high} business days` : `${low} to ${high} business days (by payment method)`;
}

const get = (policy: Policy, path: string): unknown => path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], policy);

const patterns = new Map<string, RegExp>();
const patternOf = new WeakMap<Policy, RegExp>();

/** The pattern of every setting `policy` has (one per shape of policy; remembered per policy object: views ask per state). */
function settingsPattern(policy: Policy): RegExp {
  let pattern = patternOf.get(policy);
  if (pattern) return pattern;
  const settings = policySettings(policy);
  const key = settings.join('|');
  pattern = patterns.get(key);
  if (!pattern) {
    const names = [...settings].sort((a, b) => b.length - a.length).map(escape);
    pattern = new RegExp(`settlement\\[payment method\\]\\.maxBusinessDays( business days)?|\\b(${names.join('|')})\\b( (?:business )?days)?`, 'g');
    patterns.set(key, pattern);
  }
  patternOf.set(policy, pattern);
  return pattern;
}

/**
 * A text with each policy setting it names replaced by its value under `policy` ("within
 * appeal.windowDays" → "within 7 days"); a unit written after a day count ("… days") is not
 * repeated. `paymentMethod` picks the settlement window a dispute's refund runs under.
 */
export function inWords(text: string, policy: Policy, paymentMethod?: PaymentMethodKind): string {
  return text.replace(settingsPattern(policy), (whole, _unit, path: string | undefined, unit: string | undefined) => {
    if (!path) return settlementWords(policy, paymentMethod);
    const value = get(policy, path);
    return typeof value === 'number' && /Days$/.test(path) ? valueWords(path, value) : `${valueWords(path, value)}${unit ?? ''}`;
  });
}

/** The policy settings a text names, e.g. `['negotiation.sellerResponseDays']` (for developers). */
export function settingsNamed(text: string): string[] {
  const named = policySettings().filter((path) => new RegExp(`\\b${escape(path)}\\b`).test(text));
  if (text.includes('settlement[payment method].maxBusinessDays')) named.push('settlement[payment method].maxBusinessDays');
  return named;
}
