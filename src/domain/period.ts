import { addDays, formatLongDate, isIsoDate, type IsoDate } from './iso-date.js';

/**
 * Typed reporting periods. A period is its type and the date it starts: months start on the 1st,
 * quarters and financial years follow the NHS financial year (Q1 is April to June), weeks start on
 * Monday, days are days.
 */
export const periodTypes = ['month', 'quarter', 'financial-year', 'week', 'day'] as const;
export type PeriodType = (typeof periodTypes)[number];

/** One-letter codes stored in the database (saves space at tens of millions of rows). */
export const periodTypeCodes: Record<PeriodType, string> = {
  month: 'M',
  quarter: 'Q',
  'financial-year': 'Y',
  week: 'W',
  day: 'D',
};

export function periodTypeFromCode(code: string): PeriodType {
  const found = periodTypes.find((type) => periodTypeCodes[type] === code);
  if (!found) throw new Error(`Unknown period type code ${code}`);
  return found;
}

export interface Period {
  type: PeriodType;
  start: IsoDate;
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

function parts(date: IsoDate): { year: number; month: number; day: number } {
  const [y, m, d] = date.split('-').map(Number);
  return { year: y ?? 0, month: m ?? 0, day: d ?? 0 };
}

function iso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The same day some months later (or earlier, with a negative count). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  return iso(Math.floor(index / 12), (index % 12) + 1, day);
}

/** Whether a date is a valid start for the period type (1st of a month, 1 April for a financial year…). */
export function isPeriodStart(type: PeriodType, date: IsoDate): boolean {
  if (!isIsoDate(date)) return false;
  const { month, day } = parts(date);
  switch (type) {
    case 'month':
      return day === 1;
    case 'quarter':
      return day === 1 && [1, 4, 7, 10].includes(month);
    case 'financial-year':
      return day === 1 && month === 4;
    case 'week':
      return new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
    case 'day':
      return true;
  }
}

/** The period of the type that contains the date. */
export function periodContaining(type: PeriodType, date: IsoDate): Period {
  const { year, month } = parts(date);
  switch (type) {
    case 'month':
      return { type, start: iso(year, month, 1) };
    case 'quarter':
      return { type, start: iso(year, month - ((month - 1) % 3), 1) };
    case 'financial-year':
      return { type, start: iso(month >= 4 ? year : year - 1, 4, 1) };
    case 'week': {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      return { type, start: addDays(date, -((weekday + 6) % 7)) };
    }
    case 'day':
      return { type, start: date };
  }
}

export function nextPeriod(period: Period): Period {
  switch (period.type) {
    case 'month':
      return { type: period.type, start: addMonths(period.start, 1) };
    case 'quarter':
      return { type: period.type, start: addMonths(period.start, 3) };
    case 'financial-year':
      return { type: period.type, start: addMonths(period.start, 12) };
    case 'week':
      return { type: period.type, start: addDays(period.start, 7) };
    case 'day':
      return { type: period.type, start: addDays(period.start, 1) };
  }
}

/** The first day after the period. */
export function periodEnd(period: Period): IsoDate {
  return nextPeriod(period).start;
}

/** Every period of the type from the one containing `from` to the one containing `to`, inclusive. */
export function periodsBetween(type: PeriodType, from: IsoDate, to: IsoDate): Period[] {
  const periods: Period[] = [];
  let current = periodContaining(type, from);
  const last = periodContaining(type, to);
  while (current.start <= last.start) {
    periods.push(current);
    current = nextPeriod(current);
    if (periods.length > 100_000) throw new Error('Too many periods requested');
  }
  return periods;
}

/** The financial year a date falls in, written as the NHS writes it: "2025/26". */
export function financialYearLabel(date: IsoDate): string {
  const start = parts(periodContaining('financial-year', date).start).year;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** Plain-English labels: "April 2019", "Q2 2025/26", "2025/26", "Week beginning 3 March 2025". */
export function formatPeriod(period: Period): string {
  const { year, month } = parts(period.start);
  switch (period.type) {
    case 'month':
      return `${monthNames[month - 1]} ${year}`;
    case 'quarter': {
      const quarter = ((month - 4 + 12) % 12) / 3 + 1;
      return `Q${quarter} ${financialYearLabel(period.start)}`;
    }
    case 'financial-year':
      return financialYearLabel(period.start);
    case 'week':
      return `Week beginning ${formatLongDate(period.start)}`;
    case 'day':
      return formatLongDate(period.start);
  }
}
