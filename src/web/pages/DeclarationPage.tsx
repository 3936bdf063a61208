import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api-client.js';
import { exactFieldError, TextArea, TextField } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatWhen } from '../components/return-parts.js';
import { formatLongDate } from '../format.js';
import { useSession } from '../session.js';
import { standardsApi, type DeclarationBody, type DeclarationResponse } from '../standards-api.js';
import { useApi } from '../use-api.js';
import {
  DateInput,
  emptyDate,
  isoFromParts,
  partsFromIso,
  PositionTag,
  type DateParts,
} from './StandardParts.js';

interface ActionRow {
  description: string;
  owner: string;
  due: DateParts;
}

const blankAction = (): ActionRow => ({ description: '', owner: '', due: emptyDate });

/**
 * A board's declaration against one standard: does it comply (with evidence) or explain (why not, and a plan
 * of dated actions)? The board's own members make and revise it here; everyone else sees what they may.
 */
export function DeclarationPage() {
  const { code = '', standard = '' } = useParams();
  const { session } = useSession();
  const [saved, setSaved] = useState<DeclarationResponse | null>(null);
  const state = useApi(
    (signal) => standardsApi.declaration(standard, code, signal),
    [standard, code, session?.account?.id],
  );
  const [formError, setFormError] = useState<ApiError | null>(null);
  const data = saved ?? (state.status === 'ready' ? state.data : null);
  usePageTitle(
    data ? `Declaration: ${data.standard.title}` : 'Declaration',
    state.status === 'error' || formError !== null,
  );
  if (state.status === 'loading') return <Loading what="the declaration" />;
  if (state.status === 'error' || !data)
    return (
      <>
        {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
        <h1>Declaration</h1>
        <p>
          <Link to="/standards">See every standard</Link>
        </p>
      </>
    );
  const org = data.organisation;
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to={`/organisations/${encodeURIComponent(org.odsCode)}`}>
              {org.name}
            </Link>
          </li>
          <li className="nhsuk-breadcrumb__list-item">
            <Link
              className="nhsuk-breadcrumb__link"
              to={`/organisations/${encodeURIComponent(org.odsCode)}/inbox`}
            >
              Inbox
            </Link>
          </li>
        </ol>
        <Link className="nhsuk-back-link" to={`/organisations/${encodeURIComponent(org.odsCode)}/inbox`}>
          <span className="nhsuk-u-visually-hidden">Back to the </span>Inbox
        </Link>
      </nav>
      {saved ? <Recorded detail={saved} /> : null}
      <h1>
        <span className="nhsuk-caption-l">
          {org.name} ({org.odsCode})
        </span>
        Comply or explain: {data.standard.title}
      </h1>
      <p className="nhsuk-lede-text" data-testid="declaration-lede">
        {lede(data)}
      </p>
      <SummaryList
        rows={[
          {
            key: 'Standard',
            value: (
              <Link to={`/standards/${encodeURIComponent(data.standard.code)}`}>{data.standard.title}</Link>
            ),
          },
          { key: 'Owner', value: data.standard.owner },
          { key: 'Evidence asked', value: data.standard.evidenceAsked },
          { key: 'Declarations due', value: formatLongDate(data.standard.declarationsDue) },
          {
            key: 'Status',
            value: data.declaration ? (
              <PositionTag position={data.declaration.position} />
            ) : data.state === 'overdue' ? (
              <Tag colour="red">Overdue</Tag>
            ) : data.declared ? (
              <Tag colour="grey">Declared, not published</Tag>
            ) : (
              <Tag colour="blue">Due</Tag>
            ),
          },
        ]}
      />
      {data.declaration ? <CurrentDeclaration declaration={data.declaration} /> : null}
      {data.mayDeclare ? (
        <DeclarationForm
          key={data.declaration?.version ?? 0}
          detail={data}
          error={formError}
          onError={setFormError}
          onSaved={(next) => {
            setFormError(null);
            setSaved(next);
          }}
        />
      ) : session?.account ? (
        <p>Only this organisation’s board members (for an ICB, its ICB leads) can make this declaration.</p>
      ) : (
        <p>
          <Link
            to={`/sign-in?returnTo=${encodeURIComponent(`/organisations/${org.odsCode}/declarations/${data.standard.code}`)}`}
          >
            Sign in
          </Link>{' '}
          to make or revise this declaration.
        </p>
      )}
      {data.history.length > 0 ? <History history={data.history} /> : null}
    </>
  );
}

function lede(data: DeclarationResponse): string {
  const d = data.declaration;
  const name = data.organisation.name;
  if (d)
    return `${name} ${d.position === 'comply' ? 'complies with' : 'explains against'} this standard (version ${d.version}, declared ${formatWhen(d.declaredAt)}); ${d.published ? 'it is on the public register' : 'it is not yet published'}.`;
  if (data.declared) return `${name} has declared; its declaration is not yet published.`;
  return data.state === 'overdue'
    ? `Overdue: ${name} has not declared, and declarations were due by ${formatLongDate(data.standard.declarationsDue)}.`
    : `${name} has not declared yet: declarations are due by ${formatLongDate(data.standard.declarationsDue)}.`;
}

function Recorded({ detail }: { detail: DeclarationResponse }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [detail]);
  const d = detail.declaration;
  return (
    <div className="nhsuk-panel" ref={ref} tabIndex={-1} data-testid="declaration-recorded">
      <h2 className="nhsuk-panel__heading">Declaration recorded</h2>
      <div className="nhsuk-panel__body">
        {d
          ? `${detail.organisation.name} ${d.position === 'comply' ? 'complies' : 'explains'}: version ${d.version}.`
          : 'Your declaration is recorded.'}
      </div>
    </div>
  );
}

function CurrentDeclaration({ declaration: d }: { declaration: DeclarationBody }) {
  return (
    <>
      <h2>{d.published ? 'The declaration' : 'The declaration (not yet published)'}</h2>
      <SummaryList
        rows={[
          { key: 'Position', value: <PositionTag position={d.position} /> },
          ...(d.evidence ? [{ key: 'Evidence', value: d.evidence }] : []),
          ...(d.position === 'explain'
            ? [
                { key: 'Why the board does not comply', value: d.explanation ?? '' },
                {
                  key: 'Plan',
                  value: (
                    <ol
                      className="nhsuk-list nhsuk-list--number nhsuk-u-margin-bottom-0"
                      data-testid="declared-plan"
                    >
                      {d.plan.map((a, i) => (
                        <li key={i}>
                          {a.description} — {a.owner}, by {formatLongDate(a.due)}
                        </li>
                      ))}
                    </ol>
                  ),
                },
              ]
            : []),
          {
            key: 'Declared',
            value: `${formatWhen(d.declaredAt)}${d.declaredBy ? ` by ${d.declaredBy}` : ''}`,
          },
        ]}
      />
    </>
  );
}

function History({ history }: { history: DeclarationBody[] }) {
  return (
    <>
      <h2>Versions</h2>
      <TableContainer label="Versions of the declaration">
        <table className="nhsuk-table" data-testid="declaration-history">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
            Every version, newest first
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Version
              </th>
              <th className="nhsuk-table__header" scope="col">
                Position
              </th>
              <th className="nhsuk-table__header" scope="col">
                Declared
              </th>
              <th className="nhsuk-table__header" scope="col">
                By
              </th>
              <th className="nhsuk-table__header" scope="col">
                Register
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {history.map((h) => (
              <tr className="nhsuk-table__row" key={h.version}>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{h.version}</td>
                <td className="nhsuk-table__cell">
                  <PositionTag position={h.position} />
                </td>
                <td className="nhsuk-table__cell">{formatWhen(h.declaredAt)}</td>
                <td className="nhsuk-table__cell">
                  {h.declaredBy ?? <span className="app-secondary">Not known</span>}
                </td>
                <td className="nhsuk-table__cell">
                  {h.published ? <Tag colour="blue">Published</Tag> : <Tag colour="grey">Not published</Tag>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
    </>
  );
}

function DeclarationForm({
  detail,
  error,
  onError,
  onSaved,
}: {
  detail: DeclarationResponse;
  error: ApiError | null;
  onError: (error: ApiError | null) => void;
  onSaved: (detail: DeclarationResponse) => void;
}) {
  const current = detail.declaration;
  const [position, setPosition] = useState<'' | 'comply' | 'explain'>(current?.position ?? '');
  const [evidence, setEvidence] = useState(current?.evidence ?? '');
  const [explanation, setExplanation] = useState(current?.explanation ?? '');
  const [plan, setPlan] = useState<ActionRow[]>(
    current && current.plan.length > 0
      ? current.plan.map((a) => ({ description: a.description, owner: a.owner, due: partsFromIso(a.due) }))
      : [blankAction()],
  );
  const [busy, setBusy] = useState(false);
  const setRow = (index: number, change: Partial<ActionRow>) =>
    setPlan(plan.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const saved = await standardsApi.declare(detail.standard.code, detail.organisation.odsCode, {
        position: position === '' ? undefined : position,
        evidence,
        explanation,
        plan: plan.map((row) => ({
          description: row.description,
          owner: row.owner,
          due: isoFromParts(row.due),
        })),
      });
      onSaved(saved);
    } catch (caught) {
      onError(caught instanceof ApiError ? caught : new ApiError(String(caught), 0, []));
    } finally {
      setBusy(false);
    }
  };

  const fieldIds: Record<string, string> = {
    position: 'position-comply',
    evidence: 'evidence',
    explanation: 'explanation',
    plan: 'plan-0-description',
  };
  plan.forEach((_, i) => {
    fieldIds[`plan.${i}.description`] = `plan-${i}-description`;
    fieldIds[`plan.${i}.owner`] = `plan-${i}-owner`;
    fieldIds[`plan.${i}.due`] = `plan-${i}-due-day`;
  });
  const positionError = exactFieldError(error, 'position');
  const planError = exactFieldError(error, 'plan');
  return (
    <>
      <h2>{current ? 'Revise the declaration' : 'Make the declaration'}</h2>
      {error ? <ApiErrorSummary error={error} fieldIds={fieldIds} /> : null}
      <form onSubmit={submit} noValidate data-testid="declaration-form">
        <div className={`nhsuk-form-group${positionError ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset
            className="nhsuk-fieldset"
            aria-describedby={`position-hint${positionError ? ' position-error' : ''}`}
          >
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
              Does the board comply with this standard?
            </legend>
            <div className="nhsuk-hint" id="position-hint">
              If it does not, explain why and give a plan with dates. Explaining is a complete answer.
            </div>
            {positionError ? (
              <span className="nhsuk-error-message" id="position-error">
                <span className="nhsuk-u-visually-hidden">Error:</span> {positionError}
              </span>
            ) : null}
            <div className="nhsuk-radios nhsuk-radios--conditional">
              <div className="nhsuk-radios__item">
                <input
                  className="nhsuk-radios__input"
                  id="position-comply"
                  name="position"
                  type="radio"
                  value="comply"
                  checked={position === 'comply'}
                  aria-controls="conditional-comply"
                  onChange={() => setPosition('comply')}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor="position-comply">
                  Comply
                </label>
              </div>
              <div
                className={`nhsuk-radios__conditional${position === 'comply' ? '' : ' nhsuk-radios__conditional--hidden'}`}
                id="conditional-comply"
                hidden={position !== 'comply'}
              >
                <TextArea
                  id="evidence"
                  label="Evidence that the board complies"
                  hint={`Asked for: ${detail.standard.evidenceAsked}`}
                  value={evidence}
                  onChange={setEvidence}
                  error={position === 'comply' ? exactFieldError(error, 'evidence') : undefined}
                  rows={4}
                />
              </div>
              <div className="nhsuk-radios__item">
                <input
                  className="nhsuk-radios__input"
                  id="position-explain"
                  name="position"
                  type="radio"
                  value="explain"
                  checked={position === 'explain'}
                  aria-controls="conditional-explain"
                  onChange={() => setPosition('explain')}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor="position-explain">
                  Explain
                </label>
              </div>
              <div
                className={`nhsuk-radios__conditional${position === 'explain' ? '' : ' nhsuk-radios__conditional--hidden'}`}
                id="conditional-explain"
                hidden={position !== 'explain'}
              >
                <TextArea
                  id="explanation"
                  label="Why the board does not comply"
                  value={explanation}
                  onChange={setExplanation}
                  error={position === 'explain' ? exactFieldError(error, 'explanation') : undefined}
                  rows={4}
                />
                <div className={`nhsuk-form-group${planError ? ' nhsuk-form-group--error' : ''}`}>
                  <h3 className="nhsuk-heading-s">The plan</h3>
                  <p className="nhsuk-hint" id="plan-hint">
                    Give at least one action: what will be done, who owns it, and the date it will be done by.
                  </p>
                  {planError && position === 'explain' ? (
                    <span className="nhsuk-error-message" id="plan-error">
                      <span className="nhsuk-u-visually-hidden">Error:</span> {planError}
                    </span>
                  ) : null}
                  {plan.map((row, i) => (
                    <fieldset
                      className="nhsuk-fieldset app-plan-action"
                      key={i}
                      data-testid={`plan-action-${i}`}
                    >
                      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                        Action {i + 1}
                      </legend>
                      <TextArea
                        id={`plan-${i}-description`}
                        label="What will be done"
                        value={row.description}
                        onChange={(value) => setRow(i, { description: value })}
                        error={exactFieldError(error, `plan.${i}.description`)}
                        rows={2}
                      />
                      <TextField
                        id={`plan-${i}-owner`}
                        label="Who owns it"
                        hint="A role, such as chief nurse"
                        value={row.owner}
                        onChange={(value) => setRow(i, { owner: value })}
                        error={exactFieldError(error, `plan.${i}.owner`)}
                        width={30}
                      />
                      <DateInput
                        id={`plan-${i}-due`}
                        legend="Done by"
                        hint="Today or later. For example, 31 3 2027"
                        value={row.due}
                        onChange={(value) => setRow(i, { due: value })}
                        error={exactFieldError(error, `plan.${i}.due`)}
                      />
                      {plan.length > 1 ? (
                        <button
                          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                          type="button"
                          onClick={() => setPlan(plan.filter((_, j) => j !== i))}
                        >
                          Remove action {i + 1}
                        </button>
                      ) : null}
                    </fieldset>
                  ))}
                  <button
                    className="nhsuk-button nhsuk-button--secondary"
                    type="button"
                    onClick={() => setPlan([...plan, blankAction()])}
                  >
                    Add another action
                  </button>
                </div>
              </div>
            </div>
          </fieldset>
        </div>
        <button className="nhsuk-button" type="submit" disabled={busy}>
          {current ? 'Revise the declaration' : 'Make the declaration'}
        </button>
      </form>
    </>
  );
}
