import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { toCsv } from '../../domain/csv-export.js';
import { addMonths, financialYearLabel, formatPeriod } from '../../domain/period.js';
import { api } from '../api-client.js';
import type { PlanningRoundBody } from '../planning-api.js';
import { useApi, type ApiState } from '../use-api.js';
import { Tag } from './page-parts.js';

/** The parts the planning pages share: money and figures as the NHS writes them, tags, months, downloads. */

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const tenths = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const minus = (text: string) => text.replace(/^-/, '\u2212');

/** £000s as "£1,234k", a deficit as "−£1,234k". */
export function formatMoney(thousands: number): string {
  const rounded = Math.round(thousands);
  return `${rounded < 0 ? '\u2212' : ''}£${whole.format(Math.abs(rounded))}k`;
}

/** A change in £000s with its sign: "+£2,400k", "−£1,900k". */
export function formatMoneyChange(thousands: number): string {
  const rounded = Math.round(thousands);
  return `${rounded < 0 ? '\u2212' : '+'}£${whole.format(Math.abs(rounded))}k`;
}

/** A count (activity, attendances) with commas and at most one decimal place. */
export function formatQuantity(value: number): string {
  return minus(tenths.format(value));
}

/** A value of a data item by its unit; "No data" for a blank. */
export function formatItemValue(value: number | null | undefined, unit: string | undefined): string {
  if (value === null || value === undefined) return 'No data';
  return unit === 'gbp-thousands' ? formatMoney(value) : formatQuantity(value);
}

/** A value of a metric by its unit: one decimal place for percentages. */
export function formatMetricValue(value: number | null | undefined, unit: string | undefined): string {
  if (value === null || value === undefined) return 'No data';
  return unit === '%' ? `${minus(value.toFixed(1))}%` : formatQuantity(value);
}

export interface PlanMonth {
  start: string;
  /** "April 2026": months in full, as the design asks. */
  label: string;
}

/** The 12 months of a round's financial year, April to March. */
export function planMonths(yearStart: string): PlanMonth[] {
  return Array.from({ length: 12 }, (_, i) => {
    const start = addMonths(yearStart, i);
    return { start, label: formatPeriod({ type: 'month', start }) };
  });
}

/** "2026/27". */
export function roundYear(round: { yearStart: string }): string {
  return financialYearLabel(round.yearStart);
}

const roundStatusTags = {
  upcoming: { text: 'Upcoming', colour: 'grey' },
  open: { text: 'Open', colour: 'blue' },
  closed: { text: 'Closed', colour: 'white' },
} as const;

export function RoundStatusTag({ status }: { status: PlanningRoundBody['status'] }) {
  const tag = roundStatusTags[status];
  return <Tag colour={tag.colour}>{tag.text}</Tag>;
}

/** Affordable or not, in words; "No envelope" before the region sets one. */
export function AffordabilityTag({ affordable }: { affordable: boolean | null }) {
  if (affordable === null) return <Tag colour="grey">No envelope</Tag>;
  return affordable ? <Tag colour="green">Affordable</Tag> : <Tag colour="red">Not affordable</Tag>;
}

/** A revision that helps its organisation and worsens its system. */
export function FlaggedTag() {
  return <Tag colour="orange">Worsens the system</Tag>;
}

/** A gap in £000s: red, with its sign, when the plans fall short. */
export function Gap({ gap }: { gap: number }) {
  return <span className={Math.round(gap) < 0 ? 'app-gap--short' : undefined}>{formatMoney(gap)}</span>;
}

/** Providers plan income from commissioners; ICBs (and their predecessors) commission. */
export function isCommissionerKind(kind: string): boolean {
  return kind === 'icb' || kind === 'ccg' || kind === 'stp';
}

export const partyLabels = { provider: 'Provider', commissioner: 'Commissioner' } as const;

/** Every data item a round asks of anyone, in the order it names them. */
export function roundItemCodes(round: { items: Record<string, string[]> }): string[] {
  return [...new Set(Object.values(round.items).flat())];
}

/** Names and units of data items and metrics from the catalogue (the code itself until it loads). */
export function useCatalogueLookup() {
  const catalogue = useApi((signal) => api.metrics(signal), []);
  const items = new Map(catalogue.status === 'ready' ? catalogue.data.items.map((i) => [i.code, i]) : []);
  const metrics = new Map(catalogue.status === 'ready' ? catalogue.data.metrics.map((m) => [m.code, m]) : []);
  return {
    /** Whether the catalogue has loaded (or failed: names then fall back to codes). */
    ready: catalogue.status !== 'loading',
    itemName: (code: string) => items.get(code)?.name ?? code,
    itemUnit: (code: string) => items.get(code)?.unit,
    metricUnit: (code: string) => metrics.get(code)?.unit,
    itemOptions: [...items.values()].map((i) => ({ value: i.code, text: `${i.name} (${i.code})` })),
  };
}

/** Planning, the round, and then the page's own parents. */
export function PlanningBreadcrumbs({
  round,
  items = [],
}: {
  round?: { code: string; name: string } | undefined;
  items?: Array<{ to: string; text: string }>;
}) {
  const trail = [
    { to: '/planning', text: 'Planning' },
    ...(round ? [{ to: `/planning/${round.code}`, text: round.name }] : []),
    ...items,
  ];
  const parent = trail.at(-1);
  return (
    <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
      <ol className="nhsuk-breadcrumb__list">
        {trail.map((item) => (
          <li className="nhsuk-breadcrumb__list-item" key={item.to}>
            <Link className="nhsuk-breadcrumb__link" to={item.to}>
              {item.text}
            </Link>
          </li>
        ))}
      </ol>
      {parent ? (
        <Link className="nhsuk-back-link" to={parent.to}>
          <span className="nhsuk-u-visually-hidden">Back to </span>
          {parent.text}
        </Link>
      ) : null}
    </nav>
  );
}

/** "Download the figures (CSV)": the rows of a table or chart, written in the browser. */
export function CsvDownload({
  fileName,
  columns,
  rows,
  children = 'Download the figures (CSV)',
}: {
  fileName: string;
  columns: readonly string[];
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>;
  children?: ReactNode;
}) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${fileName}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  };
  return (
    <button className="app-link-button" type="button" onClick={download}>
      {children}
    </button>
  );
}

/**
 * A figure typed into a box: commas, spaces, "£" and a trailing "k" are allowed, and "−" for minus. Blank is
 * null; anything else that is not a number is "invalid" (the page says which box).
 */
export function parseFigure(text: string): number | null | 'invalid' {
  const cleaned = text
    .replace(/[,\s£]/g, '')
    .replace(/k$/i, '')
    .replace(/^\u2212/, '-');
  if (cleaned === '') return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return 'invalid';
  return Number(cleaned);
}

/** A number as a form box shows it: plain digits, so it reads back as typed. */
export function figureText(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(Math.round(value * 1e6) / 1e6);
}

/**
 * A text box inside a table cell: its label is read out but not shown (the row and column headers show it),
 * and its error sits beside it, as in the NHS error message pattern.
 */
export function CellInput({
  id,
  label,
  value,
  onChange,
  error,
  numeric = true,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  numeric?: boolean;
}) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-u-visually-hidden" htmlFor={id}>
        {label}
      </label>
      {error ? (
        <span className="nhsuk-error-message" id={`${id}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <input
        className={`nhsuk-input${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={id}
        type="text"
        inputMode={numeric ? 'decimal' : undefined}
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

/** A select inside a table cell, labelled for screen readers by its row (see CellInput). */
export function CellSelect({
  id,
  label,
  value,
  onChange,
  options,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; text: string }>;
  error?: string | undefined;
}) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-u-visually-hidden" htmlFor={id}>
        {label}
      </label>
      {error ? (
        <span className="nhsuk-error-message" id={`${id}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <select
        className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
        id={id}
        name={id}
        value={value}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * useApi, with a reload that keeps the page on screen: after a change the page reads its data again and
 * shows it when it arrives, instead of going back to "loading" (which would lose the reader's place).
 */
export function useReloadable<T>(
  load: (signal?: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): [ApiState<T>, () => Promise<void>] {
  const state = useApi(load, deps);
  const key = JSON.stringify(deps);
  const [fresh, setFresh] = useState<{ key: string; data: T } | null>(null);
  const reload = async () => {
    const data = await load();
    setFresh({ key, data });
  };
  return [fresh && fresh.key === key ? { status: 'ready', data: fresh.data } : state, reload];
}
