import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Empty, TableContainer, Tag } from '../components/page-parts.js';
import type { AdoptionBody, StandardListItem } from '../standards-api.js';

/** Pieces shared by the comply-or-explain pages: tags with words, adoption tables, the NHS date input. */

export const positionTags = {
  comply: { text: 'Complies', colour: 'green' },
  explain: { text: 'Explains', colour: 'orange' },
} as const;

export function PositionTag({ position }: { position: 'comply' | 'explain' }) {
  return <Tag colour={positionTags[position].colour}>{positionTags[position].text}</Tag>;
}

export function NotDeclaredTag({ overdue }: { overdue: boolean }) {
  return overdue ? <Tag colour="red">Overdue</Tag> : <Tag colour="grey">Not declared</Tag>;
}

const statusTags = {
  draft: { text: 'Draft', colour: 'grey' },
  upcoming: { text: 'Upcoming', colour: 'blue' },
  'in-effect': { text: 'In effect', colour: 'aqua-green' },
} as const;

export function StandardStatusTag({ status }: { status: StandardListItem['status'] }) {
  return <Tag colour={statusTags[status].colour}>{statusTags[status].text}</Tag>;
}

/** One decimal place, as the design's tables ask; "Not applicable" when nobody is asked. */
export function Percent({ value }: { value: number | null }) {
  return value === null ? <Empty>Not applicable</Empty> : <>{value.toFixed(1)}%</>;
}

const count = (n: number) => new Intl.NumberFormat('en-GB').format(n);

/** "12 of 46 boards (26.1%) have declared: 8 comply, 4 explain. 34 are overdue." */
export function adoptionSentence(a: AdoptionBody): string {
  if (a.applicable === 0) return 'No open organisation is asked to declare against this standard.';
  const declared = a.complies + a.explains + a.declaredUnpublished;
  const parts = [
    `${count(declared)} of ${count(a.applicable)} boards (${(a.declaredPercent ?? 0).toFixed(1)}%) have declared`,
  ];
  const seen = [`${count(a.complies)} comply`, `${count(a.explains)} explain`];
  if (a.declaredUnpublished > 0) seen.push(`${count(a.declaredUnpublished)} not yet published`);
  return `${parts[0]}: ${seen.join(', ')}. ${a.overdue > 0 ? `${count(a.overdue)} ${a.overdue === 1 ? 'is' : 'are'} overdue.` : 'None is overdue.'}`;
}

/** Adoption in each area: numbers right-aligned, one precision, no empty cells. */
export function AdoptionTable({
  caption,
  areaHeading,
  rows,
  testId,
}: {
  caption: string;
  areaHeading: string;
  rows: Array<{ key: string; area: ReactNode; extra?: ReactNode; adoption: AdoptionBody }>;
  testId: string;
}) {
  const extra = rows.some((r) => r.extra !== undefined);
  const numeric = 'nhsuk-table__header nhsuk-table__header--numeric';
  const cell = 'nhsuk-table__cell nhsuk-table__cell--numeric';
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table" data-testid={testId}>
        <caption className="nhsuk-table__caption">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              {areaHeading}
            </th>
            {extra ? (
              <th className="nhsuk-table__header" scope="col">
                Region
              </th>
            ) : null}
            <th className={numeric} scope="col">
              Boards asked
            </th>
            <th className={numeric} scope="col">
              Comply
            </th>
            <th className={numeric} scope="col">
              Explain
            </th>
            <th className={numeric} scope="col">
              Declared, not published
            </th>
            <th className={numeric} scope="col">
              Not declared
            </th>
            <th className={numeric} scope="col">
              Overdue
            </th>
            <th className={numeric} scope="col">
              Declared
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((row) => (
            <tr className="nhsuk-table__row" key={row.key}>
              <th className="nhsuk-table__header" scope="row">
                {row.area}
              </th>
              {extra ? <td className="nhsuk-table__cell">{row.extra ?? <Empty />}</td> : null}
              <td className={cell}>{count(row.adoption.applicable)}</td>
              <td className={cell}>{count(row.adoption.complies)}</td>
              <td className={cell}>{count(row.adoption.explains)}</td>
              <td className={cell}>{count(row.adoption.declaredUnpublished)}</td>
              <td className={cell}>{count(row.adoption.notDeclared)}</td>
              <td className={cell}>{count(row.adoption.overdue)}</td>
              <td className={cell}>
                <Percent value={row.adoption.declaredPercent} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

/** "NHS South East London Integrated Care Board" reads as "South East London" in a table of ICBs. */
export function shortAreaName(name: string): string {
  return name.replace(/^NHS /, '').replace(/ Integrated Care Board$/, '');
}

export const areaLink = (odsCode: string, name: string) => (
  <Link to={`/organisations/${encodeURIComponent(odsCode)}`}>
    {name} <span className="app-secondary">({odsCode})</span>
  </Link>
);

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export const emptyDate: DateParts = { day: '', month: '', year: '' };

/** The date as the server reads it (YYYY-MM-DD); blank when nothing is typed. The server says what is wrong. */
export function isoFromParts(parts: DateParts): string {
  const { day, month, year } = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  if (day === '' && month === '' && year === '') return '';
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

export function partsFromIso(date: string): DateParts {
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day) || ''), month: String(Number(month) || ''), year };
}

/** The NHS date input: day, month and year boxes in one fieldset, with its hint and error. */
export function DateInput({
  id,
  legend,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  legend: string;
  hint: string;
  error?: string | undefined;
  value: DateParts;
  onChange: (value: DateParts) => void;
}) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset
        className="nhsuk-fieldset"
        role="group"
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      >
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
        {error ? (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        ) : null}
        <div className="nhsuk-date-input" id={id}>
          {(['day', 'month', 'year'] as const).map((part) => (
            <div className="nhsuk-date-input__item" key={part}>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${part}`}>
                  {part === 'day' ? 'Day' : part === 'month' ? 'Month' : 'Year'}
                </label>
                <input
                  className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${part === 'year' ? 4 : 2}${error ? ' nhsuk-input--error' : ''}`}
                  id={`${id}-${part}`}
                  name={`${id}-${part}`}
                  type="text"
                  inputMode="numeric"
                  value={value[part]}
                  onChange={(event) => onChange({ ...value, [part]: event.target.value })}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
