import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { declarableKindLabels, declarableKinds, type DeclarableKind } from '../../domain/standard.js';
import { fieldError, TextArea, TextField, useSubmit } from '../components/form-parts.js';
import { ApiErrorSummary, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { formatLongDate } from '../format.js';
import { useSession } from '../session.js';
import { standardsApi, type StandardListItem } from '../standards-api.js';
import { useApi } from '../use-api.js';
import {
  DateInput,
  emptyDate,
  isoFromParts,
  Percent,
  StandardStatusTag,
  type DateParts,
} from './StandardParts.js';

/**
 * The comply-or-explain register: has every board declared against every standard in effect, and how many
 * are overdue? England's adoption of each standard; national directors add standards here.
 */
export function StandardsPage() {
  const { session } = useSession();
  const state = useApi((signal) => standardsApi.list(signal), [session?.account?.id]);
  const isDirector = session?.account?.roles.some((r) => r.role === 'national-director') ?? false;
  usePageTitle('Comply or explain standards', state.status === 'error');
  if (state.status === 'loading') return <Loading what="the standards" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>Comply or explain standards</h1>
      </>
    );
  const standards = state.data.standards;
  const inEffect = standards.filter((s) => s.status === 'in-effect');
  const asked = inEffect.reduce((n, s) => n + s.adoption.applicable, 0);
  const declared = inEffect.reduce(
    (n, s) => n + s.adoption.complies + s.adoption.explains + s.adoption.declaredUnpublished,
    0,
  );
  const overdue = inEffect.reduce((n, s) => n + s.adoption.overdue, 0);
  return (
    <>
      <h1>Comply or explain standards</h1>
      <p className="nhsuk-lede-text" data-testid="standards-lede">
        {inEffect.length === 0
          ? 'No standard is in effect yet.'
          : `${declared.toLocaleString('en-GB')} of ${asked.toLocaleString('en-GB')} declarations asked under the ${inEffect.length} standard${inEffect.length === 1 ? '' : 's'} in effect ${declared === 1 ? 'has' : 'have'} been made (${((declared / Math.max(asked, 1)) * 100).toFixed(1)}%); ${overdue.toLocaleString('en-GB')} ${overdue === 1 ? 'is' : 'are'} overdue.`}
      </p>
      <p>
        Each NHS trust board and integrated care board (ICB) declares against every standard that applies to
        it: it complies, with evidence, or it explains why not, with a plan of dated actions. Declarations are
        made from the organisation’s inbox and appear on the public register once NHS England publishes them.
      </p>
      {standards.length === 0 ? (
        <p>There are no standards yet.</p>
      ) : (
        <TableContainer label="Standards">
          <table className="nhsuk-table" data-testid="standards-table">
            <caption className="nhsuk-table__caption">Standards and England’s adoption</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Standard
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Applies to
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Declarations due
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Comply
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Explain
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Overdue
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Declared
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {standards.map((s) => (
                <StandardRow key={s.code} standard={s} />
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
      {isDirector ? <NewStandardForm /> : null}
    </>
  );
}

function StandardRow({ standard: s }: { standard: StandardListItem }) {
  const numeric = 'nhsuk-table__cell nhsuk-table__cell--numeric';
  return (
    <tr className="nhsuk-table__row">
      <td className="nhsuk-table__cell">
        <Link to={`/standards/${encodeURIComponent(s.code)}`}>{s.title}</Link>
        <br />
        <span className="nhsuk-body-s app-secondary">{s.owner}</span>
      </td>
      <td className="nhsuk-table__cell">{s.appliesTo.join(', ')}</td>
      <td className="nhsuk-table__cell">{formatLongDate(s.declarationsDue)}</td>
      <td className="nhsuk-table__cell">
        <StandardStatusTag status={s.status} />
      </td>
      <td className={numeric}>{s.adoption.complies.toLocaleString('en-GB')}</td>
      <td className={numeric}>{s.adoption.explains.toLocaleString('en-GB')}</td>
      <td className={numeric}>{s.adoption.overdue.toLocaleString('en-GB')}</td>
      <td className={numeric}>
        <Percent value={s.adoption.declaredPercent} />
      </td>
    </tr>
  );
}

/** Adds a draft standard (national directors); it is published from its own page. */
function NewStandardForm() {
  const navigate = useNavigate();
  const [fields, setFields] = useState({ code: '', title: '', owner: '', summary: '', evidenceAsked: '' });
  const [kinds, setKinds] = useState<DeclarableKind[]>([]);
  const [effective, setEffective] = useState<DateParts>(emptyDate);
  const [due, setDue] = useState<DateParts>(emptyDate);
  const { error, busy, submit: send } = useSubmit();
  const set = (name: keyof typeof fields) => (value: string) => setFields({ ...fields, [name]: value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await send(async () => {
      const { standard } = await standardsApi.create({
        ...fields,
        organisationKinds: kinds,
        effectiveFrom: isoFromParts(effective),
        declarationsDue: isoFromParts(due),
      });
      await navigate(`/standards/${encodeURIComponent(standard.code)}`);
    });
  };
  const kindsError = fieldError(error, 'organisationKinds');
  return (
    <>
      <h2>Add a standard</h2>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{
            code: 'code',
            title: 'title',
            owner: 'owner',
            summary: 'summary',
            organisationKinds: `kind-${declarableKinds[0]}`,
            evidenceAsked: 'evidenceAsked',
            effectiveFrom: 'effectiveFrom-day',
            declarationsDue: 'declarationsDue-day',
          }}
        />
      ) : null}
      <form onSubmit={submit} noValidate data-testid="new-standard">
        <TextField
          id="code"
          label="Code"
          hint="Lower-case letters, digits and hyphens, such as ftsu-2026"
          value={fields.code}
          onChange={set('code')}
          error={fieldError(error, 'code')}
          width={20}
        />
        <TextField
          id="title"
          label="Title"
          value={fields.title}
          onChange={set('title')}
          error={fieldError(error, 'title')}
        />
        <TextField
          id="owner"
          label="Owner"
          hint="Who in NHS England owns the standard"
          value={fields.owner}
          onChange={set('owner')}
          error={fieldError(error, 'owner')}
        />
        <TextArea
          id="summary"
          label="Summary (optional)"
          value={fields.summary}
          onChange={set('summary')}
          error={fieldError(error, 'summary')}
        />
        <div className={`nhsuk-form-group${kindsError ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset className="nhsuk-fieldset" aria-describedby={kindsError ? 'kinds-error' : undefined}>
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Which boards declare</legend>
            {kindsError ? (
              <span className="nhsuk-error-message" id="kinds-error">
                <span className="nhsuk-u-visually-hidden">Error:</span> {kindsError}
              </span>
            ) : null}
            <div className="nhsuk-checkboxes">
              {declarableKinds.map((kind) => (
                <div className="nhsuk-checkboxes__item" key={kind}>
                  <input
                    className="nhsuk-checkboxes__input"
                    id={`kind-${kind}`}
                    type="checkbox"
                    checked={kinds.includes(kind)}
                    onChange={(e) =>
                      setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))
                    }
                  />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`kind-${kind}`}>
                    {declarableKindLabels[kind]}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <TextArea
          id="evidenceAsked"
          label="Evidence asked of a board that complies"
          value={fields.evidenceAsked}
          onChange={set('evidenceAsked')}
          error={fieldError(error, 'evidenceAsked')}
        />
        <DateInput
          id="effectiveFrom"
          legend="In effect from"
          hint="For example, 1 4 2026"
          value={effective}
          onChange={setEffective}
          error={fieldError(error, 'effectiveFrom')}
        />
        <DateInput
          id="declarationsDue"
          legend="Declarations due by"
          hint="For example, 30 6 2026"
          value={due}
          onChange={setDue}
          error={fieldError(error, 'declarationsDue')}
        />
        <button className="nhsuk-button" type="submit" disabled={busy}>
          Add the standard as a draft
        </button>
      </form>
    </>
  );
}
