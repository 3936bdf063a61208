import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { isIsoDate } from '../../domain/iso-date.js';
import { formatLongDate } from '../format.js';

/** Dates where the structure changed, offered as one-click choices. */
const keyDates = [
  { date: '2019-03-31', label: 'Before the seven regions (31 March 2019)' },
  { date: '2019-04-01', label: 'Seven regions (1 April 2019)' },
  { date: '2022-06-30', label: 'Before ICBs (30 June 2022)' },
  { date: '2022-07-01', label: 'ICBs established (1 July 2022)' },
];

function linkFor(pathname: string, search: string, asAt: string | null): string {
  const params = new URLSearchParams(search);
  if (asAt) params.set('asAt', asAt);
  else params.delete('asAt');
  const text = params.toString();
  return `${pathname}${text ? `?${text}` : ''}`;
}

function fieldsOf(asAt: string) {
  const [year, month, day] = asAt.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
}

/**
 * Replays the hierarchy on any date: an NHS date input (day, month, year) with the usual error
 * pattern, plus links to the days around each restructure.
 */
export function AsAtControl({ asAt }: { asAt: string }) {
  const location = useLocation();
  const navigate = useNavigate();
  const [fields, setFields] = useState(() => fieldsOf(asAt));
  const [shownAsAt, setShownAsAt] = useState(asAt);
  const [error, setError] = useState<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  // When the page moves to another date, the fields follow it (React's "adjust state on prop change").
  if (shownAsAt !== asAt) {
    setShownAsAt(asAt);
    setFields(fieldsOf(asAt));
  }
  useEffect(() => {
    if (error) summaryRef.current?.focus();
  }, [error]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const { day: d, month: m, year: y } = fields;
    if (!d.trim() || !m.trim() || !y.trim()) {
      setError('Enter a full date, for example 1 4 2019');
      return;
    }
    const candidate = `${y.trim().padStart(4, '0')}-${m.trim().padStart(2, '0')}-${d.trim().padStart(2, '0')}`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(candidate) || !isIsoDate(candidate)) {
      setError('The date must be a real date, for example 1 4 2019');
      return;
    }
    if (candidate < '2013-04-01') {
      setError('The date must be on or after 1 April 2013, when NHS England was established');
      return;
    }
    setError(null);
    void navigate(linkFor(location.pathname, location.search, candidate));
  }

  return (
    <div className="app-as-at">
      {error ? (
        <div
          className="nhsuk-error-summary"
          ref={summaryRef}
          tabIndex={-1}
          aria-labelledby="as-at-error-title"
        >
          <div role="alert">
            <h2 className="nhsuk-error-summary__heading" id="as-at-error-title">
              There is a problem
            </h2>
            <div className="nhsuk-error-summary__body">
              <ul className="nhsuk-list nhsuk-error-summary__list">
                <li>
                  <a href="#as-at-day">{error}</a>
                </li>
              </ul>
            </div>
          </div>
        </div>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset
            className="nhsuk-fieldset"
            role="group"
            aria-describedby={`as-at-hint${error ? ' as-at-error' : ''}`}
          >
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
              Show the NHS as it was on
            </legend>
            <div className="nhsuk-hint" id="as-at-hint">
              Showing {formatLongDate(asAt)}. For example, 1 4 2019
            </div>
            {error ? (
              <span className="nhsuk-error-message" id="as-at-error">
                <span className="nhsuk-u-visually-hidden">Error: </span>
                {error}
              </span>
            ) : null}
            <div className="nhsuk-date-input" id="as-at">
              {(['day', 'month', 'year'] as const).map((part) => (
                <div className="nhsuk-date-input__item" key={part}>
                  <div className="nhsuk-form-group">
                    <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`as-at-${part}`}>
                      {part[0]?.toUpperCase()}
                      {part.slice(1)}
                    </label>
                    <input
                      className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${part === 'year' ? 4 : 2}${error ? ' nhsuk-input--error' : ''}`}
                      id={`as-at-${part}`}
                      name={part}
                      type="text"
                      inputMode="numeric"
                      value={fields[part]}
                      onChange={(event) => setFields({ ...fields, [part]: event.target.value })}
                    />
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-2" type="submit">
          Show this date
        </button>
      </form>
      <ul className="app-quick-dates nhsuk-body-s nhsuk-u-margin-bottom-0">
        {keyDates.map((key) => (
          <li key={key.date}>
            <Link
              to={linkFor(location.pathname, location.search, key.date)}
              aria-current={key.date === asAt ? 'true' : undefined}
            >
              {key.label}
            </Link>
          </li>
        ))}
        <li>
          <Link to={linkFor(location.pathname, location.search, null)}>Today</Link>
        </li>
      </ul>
    </div>
  );
}
