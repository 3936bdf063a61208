import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiError } from '../api-client.js';
import { withAsAt } from '../format.js';

/** Sets the document title the NHS way: "Page name – NHS Oversight", with "Error: " when the page shows one. */
export function usePageTitle(title: string, hasError = false): void {
  useEffect(() => {
    document.title = `${hasError ? 'Error: ' : ''}${title} – NHS Oversight`;
  }, [title, hasError]);
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="app-loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** Where a problem in a file is, as people read it: "return.csv, row 3, column value". */
export function describeFileLocation(problem: { file?: string; row?: number; column?: string }): string {
  return [
    problem.file,
    problem.row === undefined ? undefined : `row ${problem.row}`,
    problem.column ? `column ${problem.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The error summary for a failed request: "There is a problem", focused, with each problem listed. A problem
 * links to the control `fieldIds` names for its whole field (`values.ae_attendances_all`), else for the
 * field's first part (`values`), else to `defaultFieldId`. With `showLocations`, a problem in a file starts
 * with its file, row and column.
 */
export function ApiErrorSummary({
  error,
  fieldIds = {},
  showLocations = false,
  defaultFieldId,
}: {
  error: ApiError;
  fieldIds?: Record<string, string>;
  showLocations?: boolean;
  /** Where a problem links when `fieldIds` names no control for it (the file input of an upload). */
  defaultFieldId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [error]);
  const problems = error.problems.length > 0 ? error.problems : [{ message: error.message }];
  return (
    <div className="nhsuk-error-summary" ref={ref} tabIndex={-1} aria-labelledby="error-summary-title">
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading" id="error-summary-title">
          There is a problem
        </h2>
        <div className="nhsuk-error-summary__body">
          {error.problems.length > 0 ? <p>{error.message}</p> : null}
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {problems.map((problem, index) => {
              const field = 'field' in problem ? problem.field : undefined;
              const target =
                (field ? (fieldIds[field] ?? fieldIds[field.split('.')[0] ?? field]) : undefined) ??
                defaultFieldId;
              const where = showLocations ? describeFileLocation(problem) : '';
              const text = where ? `${where}: ${problem.message}` : problem.message;
              return <li key={index}>{target ? <a href={`#${target}`}>{text}</a> : text}</li>;
            })}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** What a change just did, told in an inset for screen readers as well as the eye. */
export function DoneNotice({ message, testId }: { message: string; testId?: string }) {
  return (
    <div className="nhsuk-inset-text" data-testid={testId} role="status">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{message}</p>
    </div>
  );
}

export function Breadcrumbs({
  items,
  asAt,
}: {
  items: Array<{ odsCode: string; name: string }>;
  asAt?: string | undefined;
}) {
  if (items.length === 0) return null;
  const parent = items[items.length - 1];
  return (
    <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
      <ol className="nhsuk-breadcrumb__list">
        {items.map((item) => (
          <li className="nhsuk-breadcrumb__list-item" key={item.odsCode}>
            <Link
              className="nhsuk-breadcrumb__link"
              to={withAsAt(item.odsCode === 'X24' ? '/' : `/organisations/${item.odsCode}`, asAt)}
            >
              {item.odsCode === 'X24' ? 'England' : item.name}
            </Link>
          </li>
        ))}
      </ol>
      {parent ? (
        <Link
          className="nhsuk-back-link"
          to={withAsAt(parent.odsCode === 'X24' ? '/' : `/organisations/${parent.odsCode}`, asAt)}
        >
          <span className="nhsuk-u-visually-hidden">Back to </span>
          {parent.odsCode === 'X24' ? 'England' : parent.name}
        </Link>
      ) : null}
    </nav>
  );
}

export function SummaryList({ rows }: { rows: Array<{ key: string; value: ReactNode }> }) {
  return (
    <dl className="nhsuk-summary-list">
      {rows.map((row) => (
        <div className="nhsuk-summary-list__row" key={row.key}>
          <dt className="nhsuk-summary-list__key">{row.key}</dt>
          <dd className="nhsuk-summary-list__value">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

const tagColours = {
  blue: 'nhsuk-tag--blue',
  grey: 'nhsuk-tag--grey',
  green: 'nhsuk-tag--green',
  'aqua-green': 'nhsuk-tag--aqua-green',
  orange: 'nhsuk-tag--orange',
  purple: 'nhsuk-tag--purple',
  white: 'nhsuk-tag--white',
  red: 'nhsuk-tag--red',
  yellow: 'nhsuk-tag--yellow',
};

export function Tag({ children, colour }: { children: ReactNode; colour?: keyof typeof tagColours }) {
  return <strong className={`nhsuk-tag${colour ? ` ${tagColours[colour]}` : ''}`}>{children}</strong>;
}

/** "Generated" tag for demo rows; published and reference rows need no tag. */
export function ProvenanceTag({ provenance }: { provenance: string }) {
  return provenance === 'demo' ? <Tag colour="purple">Generated</Tag> : null;
}

/** The secondary-text "No data" the design asks for instead of an empty cell. */
export function Empty({ children = 'Not known' }: { children?: ReactNode }) {
  return <span className="app-secondary">{children}</span>;
}

/**
 * Lets a wide table scroll sideways inside the page on narrow screens (320 px) instead of pushing the
 * page wider; focusable so keyboard users can scroll it.
 */
export function TableContainer({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nhsuk-table-container" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
