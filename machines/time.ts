/**
 * Time arithmetic for the policy, in UTC (R-GEN-1). Pure: instants come in as ISO 8601 strings
 * and go out as canonical `toISOString()` strings; nothing here reads a clock.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** Parses an ISO 8601 instant to epoch milliseconds; throws on a malformed one. */
export function toMillis(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  return ms;
}

/** The canonical form of an instant: UTC, milliseconds, `Z`. */
export function canonicalInstant(instant: string): string {
  return new Date(toMillis(instant)).toISOString();
}

/** R-GEN-1: "N days" = N × 24 h from the anchor instant. */
/** A number of days in words: "1 day", "5 days". */
export const dayWords = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** A number of business days in words: "1 business day", "5 business days". */
export const businessDayWords = (n: number) => (n === 1 ? '1 business day' : `${n} business days`);

export function addDays(anchor: string, days: number): string {
  return new Date(toMillis(anchor) + days * DAY_MS).toISOString();
}

/**
 * R-GEN-1: "business days" skip Saturday and Sunday (no holiday calendar). The time of day is
 * kept; an anchor on a weekend counts from the following Monday at the same time.
 */
export function addBusinessDays(anchor: string, businessDays: number): string {
  let ms = toMillis(anchor);
  const isWeekend = (t: number) => {
    const day = new Date(t).getUTCDay();
    return day === 0 || day === 6;
  };
  while (isWeekend(ms)) ms += DAY_MS;
  let left = businessDays;
  while (left > 0) {
    ms += DAY_MS;
    if (!isWeekend(ms)) left -= 1;
  }
  return new Date(ms).toISOString();
}

export function isBefore(a: string, b: string): boolean {
  return toMillis(a) < toMillis(b);
}

export function isAtOrAfter(a: string, b: string): boolean {
  return toMillis(a) >= toMillis(b);
}
