import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { statutoryFunctionLabels } from '../../domain/access.js';
import { returnFormatLabels, type ReturnFormat } from '../../domain/return-document.js';
import { returnStatusLabels, type ReturnStep } from '../../domain/return-workflow.js';
import { api, ApiError, toApiError, type Submission, type SubmissionVersion } from '../api-client.js';
import { AuditTable } from '../components/AuditTable.js';
import { TextArea, exactFieldError } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import {
  formatWhen,
  ReturnStatusTag,
  ReturnValue,
  returnPeriodLabel,
  useItemNames,
  useTemplatesByCode,
} from '../components/return-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

const stepDone: Record<ReturnStep, string> = {
  approve: 'You approved the return: it now waits for its region to accept it.',
  accept: 'You accepted the return: reporting now uses this version.',
  lock: 'You locked the return: a correction now needs a resubmission with a reason.',
  return: 'You returned the return for correction: the organisation sees your reason in its inbox.',
};

/** Downloads in the order people ask for them, each named as people know it. */
const exportFormats: Array<{ format: ReturnFormat; label: string }> = [
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'Excel (XLSX)' },
  { format: 'json', label: 'JSON' },
  { format: 'fhir', label: 'FHIR R4 MeasureReport' },
  { format: 'adx', label: 'ADX (IHE mADX)' },
];

/** How a version arrived; the form sends JSON, so "json" is the form or the API. */
function formatLabel(format: string): string {
  if (format === 'json') return 'JSON (the web form or the API)';
  if (format === 'web') return 'Web form';
  return (returnFormatLabels as Record<string, string | undefined>)[format] ?? format;
}

/**
 * One return: where it stands in the workflow and what the reader may do next, its figures, every version
 * with what changed (and which one reporting uses), downloads, and who did what to it.
 */
export function ReturnPage() {
  const id = Number(useParams().id);
  const { session } = useSession();
  const [reload, setReload] = useState(0);
  const account = session?.account?.id;
  const loaded = useApi((signal) => api.submission(id, signal), [id, reload, account]);
  const versions = useApi((signal) => api.submissionVersions(id, signal), [id, reload, account]);
  const history = useApi((signal) => api.submissionHistory(id, signal), [id, reload, account]);
  const templates = useTemplatesByCode();
  const itemName = useItemNames();
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const template = loaded.status === 'ready' ? templates.get(loaded.data.template) : undefined;
  usePageTitle(
    loaded.status === 'ready'
      ? `${template?.name ?? loaded.data.template} return of ${loaded.data.odsCode}`
      : 'Return',
    loaded.status === 'error' || error !== null,
  );

  const act = async (step: ReturnStep | 'publish') => {
    if (busy) return;
    if (step === 'return' && reason.trim() === '') {
      setError(
        new ApiError('Say why the return is being returned.', 400, [
          { field: 'reason', message: 'Enter what the organisation needs to correct' },
        ]),
      );
      return;
    }
    setBusy(true);
    try {
      if (step === 'publish') await api.publishSubmission(id);
      else await api.advanceSubmission(id, step, step === 'return' ? reason.trim() : undefined);
      setError(null);
      setReason('');
      setDone(step === 'publish' ? 'You published the return.' : stepDone[step]);
      setReload((n) => n + 1);
    } catch (caught) {
      setDone(null);
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {loaded.status === 'error' ? <ApiErrorSummary error={loaded.error} /> : null}
      {error ? <ApiErrorSummary error={error} fieldIds={{ reason: 'return-reason' }} /> : null}
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to="/returns">
              Returns
            </Link>
          </li>
        </ol>
      </nav>
      {loaded.status === 'loading' ? <Loading what="the return" /> : null}
      {loaded.status === 'error' && loaded.error.status === 401 ? (
        <p>
          <Link to={`/sign-in?returnTo=/returns/${id}`}>Sign in</Link> to see this return.
        </p>
      ) : null}
      {loaded.status === 'ready' ? (
        <ReturnView
          submission={loaded.data}
          periodLabel={returnPeriodLabel(template?.periodType, loaded.data.periodStart)}
          templateName={template?.name ?? loaded.data.template}
          items={template?.items ?? Object.keys(loaded.data.values)}
          checkMessage={(code) => template?.rules.checks.find((c) => c.code === code)?.message ?? code}
          itemName={itemName}
          done={done}
          reason={reason}
          setReason={setReason}
          reasonError={exactFieldError(error, 'reason')}
          busy={busy}
          act={(step) => void act(step)}
          canCorrect={
            session?.account?.roles.some(
              (r) => r.role === 'trust-data-submitter' && r.scope?.odsCode === loaded.data.odsCode,
            ) ?? false
          }
          canPublish={
            session?.account?.roles.some(
              (r) => r.role === 'national-director' || r.role === 'national-analyst',
            ) ?? false
          }
        />
      ) : null}
      {loaded.status === 'ready' && versions.status === 'ready' ? (
        <Versions versions={versions.data.versions} submissionId={id} itemName={itemName} />
      ) : null}
      {history.status === 'ready' ? (
        <AuditTable events={history.data.events} caption="History of this return" />
      ) : null}
    </>
  );
}

function ReturnView({
  submission: s,
  periodLabel,
  templateName,
  items,
  checkMessage,
  itemName,
  done,
  reason,
  setReason,
  reasonError,
  busy,
  act,
  canCorrect,
  canPublish,
}: {
  submission: Submission;
  periodLabel: string;
  templateName: string;
  items: string[];
  checkMessage: (code: string) => string;
  itemName: (code: string) => string;
  done: string | null;
  reason: string;
  setReason: (reason: string) => void;
  reasonError: string | undefined;
  busy: boolean;
  act: (step: ReturnStep | 'publish') => void;
  canCorrect: boolean;
  canPublish: boolean;
}) {
  const correctable =
    canCorrect && (s.status === 'draft' || s.status === 'returned' || s.status === 'locked');
  const publishable = canPublish && s.acceptedVersion !== null && !s.published;
  const explained = Object.entries(s.explanations);
  const itemsExplained = explained.some(([key]) => items.includes(key));
  const checkExplanations = explained.filter(([key]) => !items.includes(key));
  const hasActions = s.steps.length > 0 || correctable || publishable;
  return (
    <>
      {done ? (
        <div className="nhsuk-inset-text" role="status" data-testid="step-done">
          <p>{done}</p>
        </div>
      ) : null}
      <h1>
        <span className="nhsuk-caption-l">Return {s.id}</span>
        {templateName}: {s.odsCode}, {periodLabel}
      </h1>
      <p className="nhsuk-lede-text" data-testid="return-status">
        <ReturnStatusTag status={s.status} /> This return {s.state}.
      </p>
      {s.status === 'returned' && s.statusReason ? (
        <div className="nhsuk-warning-callout" data-testid="return-reason">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Why it was returned
            </span>
          </h2>
          <p>{s.statusReason}</p>
        </div>
      ) : null}
      <SummaryList
        rows={[
          { key: 'Status', value: returnStatusLabels[s.status] },
          {
            key: 'Organisation',
            value: <Link to={`/organisations/${s.odsCode}`}>{s.odsCode}</Link>,
          },
          { key: 'Period', value: periodLabel },
          {
            key: 'Version',
            value:
              s.version === 0
                ? 'Not submitted yet'
                : `Version ${s.version}${
                    s.acceptedVersion === null
                      ? ', none accepted yet'
                      : s.acceptedVersion === s.version
                        ? ', used in reporting'
                        : `; reporting uses version ${s.acceptedVersion}`
                  }`,
          },
          ...(s.status !== 'returned' && s.statusReason
            ? [{ key: 'Reason for resubmission', value: s.statusReason }]
            : []),
          {
            key: 'First submitted',
            value: s.firstSubmittedAt ? formatWhen(s.firstSubmittedAt) : 'Not submitted yet',
          },
          {
            key: 'Last changed',
            value: `${formatWhen(s.updatedAt)}${s.updatedBy ? ` by ${s.updatedBy}` : ''}`,
          },
          {
            key: 'Statutory function',
            value: s.statutoryFunction ? statutoryFunctionLabels[s.statutoryFunction] : 'None',
          },
          { key: 'Published', value: s.published ? 'Yes' : 'No' },
        ]}
      />
      {hasActions ? (
        <section aria-labelledby="actions-heading" data-testid="return-actions">
          <h2 id="actions-heading">What you can do</h2>
          {s.steps.includes('approve') || s.steps.includes('accept') || s.steps.includes('lock') ? (
            <div className="nhsuk-button-group">
              {s.steps.includes('approve') ? (
                <button className="nhsuk-button" type="button" disabled={busy} onClick={() => act('approve')}>
                  Approve
                </button>
              ) : null}
              {s.steps.includes('accept') ? (
                <button className="nhsuk-button" type="button" disabled={busy} onClick={() => act('accept')}>
                  Accept
                </button>
              ) : null}
              {s.steps.includes('lock') ? (
                <button
                  className="nhsuk-button nhsuk-button--secondary"
                  type="button"
                  disabled={busy}
                  onClick={() => act('lock')}
                >
                  Lock
                </button>
              ) : null}
            </div>
          ) : null}
          {s.steps.includes('return') ? (
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                act('return');
              }}
            >
              <TextArea
                id="return-reason"
                label="Reason for returning it"
                hint="Say which figures need correcting and why. The organisation sees this."
                value={reason}
                onChange={setReason}
                error={reasonError}
              />
              <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={busy}>
                Return for correction
              </button>
            </form>
          ) : null}
          {correctable ? (
            <p>
              <Link className="nhsuk-button nhsuk-button--secondary" to={`/returns/new?id=${s.id}`}>
                Correct this return
              </Link>
              {s.status === 'locked' ? (
                <span className="nhsuk-hint">
                  It is locked: a correction is a resubmission with a reason, and reporting keeps the accepted
                  version until the new one is accepted.
                </span>
              ) : null}
            </p>
          ) : null}
          {publishable ? (
            <button
              className="nhsuk-button nhsuk-button--secondary"
              type="button"
              disabled={busy}
              onClick={() => act('publish')}
            >
              Publish this return
            </button>
          ) : null}
        </section>
      ) : null}
      <TableContainer label="Figures">
        <table className="nhsuk-table" data-testid="return-values">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">Figures</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Data item
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Value
              </th>
              {itemsExplained ? (
                <th className="nhsuk-table__header" scope="col">
                  Explanation
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {items.map((item) => (
              <tr className="nhsuk-table__row" key={item}>
                <td className="nhsuk-table__cell">
                  {itemName(item)} <span className="app-secondary">({item})</span>
                </td>
                <td className="nhsuk-table__cell app-numeric">
                  <ReturnValue value={s.values[item]} />
                </td>
                {itemsExplained ? (
                  <td className="nhsuk-table__cell">
                    {s.explanations[item] ?? <span className="app-secondary">None needed</span>}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
      {checkExplanations.length > 0 ? (
        <>
          <h3>Checks explained</h3>
          <SummaryList
            rows={checkExplanations.map(([key, text]) => ({ key: checkMessage(key), value: text }))}
          />
        </>
      ) : null}
      <h2>Download this return</h2>
      <ul className="nhsuk-list" data-testid="return-exports">
        {exportFormats.map(({ format, label }) => (
          <li key={format}>
            <a href={api.submissionExportUrl(s.id, format)} download>
              {label}
              <span className="nhsuk-u-visually-hidden"> file of the return</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

function Versions({
  versions,
  submissionId,
  itemName,
}: {
  versions: SubmissionVersion[];
  submissionId: number;
  itemName: (code: string) => string;
}) {
  return (
    <section aria-labelledby="versions-heading" data-testid="versions">
      <h2 id="versions-heading">Versions</h2>
      {versions.length === 0 ? (
        <p>Not submitted yet: each submission becomes a numbered version.</p>
      ) : (
        <p>
          Each submission is a version. Reporting uses the version the region accepted
          {versions.some((v) => v.reporting) ? ', tagged below' : ': none has been accepted yet'}.
        </p>
      )}
      {[...versions].reverse().map((v) => (
        <div key={v.version} data-testid="version" className="nhsuk-u-margin-bottom-6">
          <h3>
            Version {v.version}
            {v.reporting ? (
              <>
                {' '}
                <Tag colour="green">Reporting</Tag>
              </>
            ) : null}
          </h3>
          <SummaryList
            rows={[
              {
                key: 'Submitted',
                value: `${formatWhen(v.createdAt)}${v.createdBy ? ` by ${v.createdBy}` : ''}`,
              },
              { key: 'Format', value: formatLabel(v.sourceFormat) },
              ...(v.reason ? [{ key: 'Reason', value: v.reason }] : []),
              {
                key: 'Data-quality warnings',
                value: v.warnings === 0 ? 'None' : `${v.warnings}, each explained`,
              },
            ]}
          />
          {v.changes.length === 0 ? (
            <p>No figure changed from version {v.version - 1}.</p>
          ) : (
            <TableContainer label={`Changes in version ${v.version}`}>
              <table className="nhsuk-table" data-testid="version-changes">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                  {v.version === 1 ? 'Figures given' : `Changes from version ${v.version - 1}`}
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th className="nhsuk-table__header" scope="col">
                      Data item
                    </th>
                    <th className="nhsuk-table__header app-numeric" scope="col">
                      Before
                    </th>
                    <th className="nhsuk-table__header app-numeric" scope="col">
                      After
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {v.changes.map((change) => (
                    <tr className="nhsuk-table__row" key={change.item}>
                      <td className="nhsuk-table__cell">
                        {itemName(change.item)} <span className="app-secondary">({change.item})</span>
                      </td>
                      <td className="nhsuk-table__cell app-numeric">
                        <ReturnValue value={change.before} />
                      </td>
                      <td className="nhsuk-table__cell app-numeric">
                        <ReturnValue value={change.after} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableContainer>
          )}
          <p>
            <a href={api.submissionExportUrl(submissionId, 'csv', v.version)} download>
              Download version {v.version} (CSV)
            </a>
          </p>
        </div>
      ))}
    </section>
  );
}
