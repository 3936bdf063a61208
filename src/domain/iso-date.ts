/**
 * Calendar dates as ISO strings (YYYY-MM-DD). Dates cross every boundary of the system (CSV files, SQL
 * `date` columns, URLs), so they stay strings; the database driver is told to return `date` as text.
 */
export type IsoDate = string;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when the text is a real calendar date written YYYY-MM-DD (rejects 2023-02-30). */
export function isIsoDate(text: string): boolean {
  const match = isoDatePattern.exec(text);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

const englandDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in England at an instant: deadlines, overdue and "today" follow England's calendar, not UTC's. */
export function englandIsoDate(instant: Date): IsoDate {
  return englandDate.format(instant);
}

export function todayIsoDate(now: Date = new Date()): IsoDate {
  return englandIsoDate(now);
}

export function minIsoDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxIsoDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "1 April 2019", as the NHS content style asks (months in full). */
export function formatLongDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${Number(d)} ${monthNames[Number(m) - 1]} ${y}`;
}
