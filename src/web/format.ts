import { addDays, formatLongDate } from '../domain/iso-date.js';

export { formatLongDate };

/** "1 April 2016 to 30 September 2020", or "since 1 April 2016" while open (validTo is exclusive). */
export function formatPeriod(validFrom: string, validTo: string | null): string {
  return validTo
    ? `${formatLongDate(validFrom)} to ${formatLongDate(addDays(validTo, -1))}`
    : `since ${formatLongDate(validFrom)}`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-GB');
}

/** Links keep the as-at date, so moving around the hierarchy stays on the same day. */
export function withAsAt(path: string, asAt: string | undefined): string {
  return asAt ? `${path}${path.includes('?') ? '&' : '?'}asAt=${asAt}` : path;
}

/** A metric value as the NHS writes it: one decimal place for percentages, commas for thousands, a minus sign. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return 'No data';
  const text = unit === '%' ? `${value.toFixed(1)}%` : Math.round(value).toLocaleString('en-GB');
  return text.replace(/^-/, '\u2212');
}
