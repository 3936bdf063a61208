import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { statutoryFunctionLabels, type StatutoryFunction } from '../../domain/access.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import { addMonths, isPeriodStart, periodContaining } from '../../domain/period.js';
import { isEditable, returnStatusLabels } from '../../domain/return-workflow.js';
import {
  api,
  ApiError,
  toApiError,
  type CatalogueResponse,
  type CollectionTemplateBody,
  type ReturnWarning,
  type Submission,
} from '../api-client.js';
import { exactFieldError, fieldError, SelectField, TextArea, TextField } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  describeFileLocation,
  Loading,
  TableContainer,
  usePageTitle,
} from '../components/page-parts.js';
import { ReturnStatusTag, returnPeriodLabel } from '../components/return-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

type Item = CatalogueResponse['items'][number];

/** Sets the page title while the page shows something other than the form. */
function PageTitle({ title, hasError }: { title: string; hasError: boolean }) {
  usePageTitle(title, hasError);
  return null;
}

/**
 * A data submitter makes a return for their organisation: by typing the figures into the form, or by
 * uploading a file (CSV, the Excel template, JSON, FHIR, ADX). `?id=` corrects a draft, a return handed
 * back for correction, or a locked return (a resubmission, with a reason). `?template=&org=&period=`
 * starts one (the inbox links here).
 */
export function SubmitReturnPage() {
  const { session } = useSession();
  const [params] = useSearchParams();
  const id = Number(params.get('id') ?? '') || null;
  const templates = useApi((signal) => api.templates(signal), []);
  const catalogue = useApi((signal) => api.metrics(signal), []);
  const existing = useApi(
    (signal) => (id === null ? Promise.resolve(null) : api.submission(id, signal)),
    [id, session?.account?.id],
  );
  const title = id === null ? 'Submit a return' : 'Correct a return';

  if (!session) return <Loading what="your account" />;
  const organisations = (session.account?.roles ?? []).flatMap((r) =>
    r.role === 'trust-data-submitter' && r.scope ? [r.scope] : [],
  );
  if (organisations.length === 0)
    return (
      <>
        <PageTitle title={title} hasError={false} />
        <h1>{title}</h1>
        <p>
          You need the trust data submitter role for an organisation to submit its returns.{' '}
          {session.account ? (
            'Ask an administrator.'
          ) : (
            <Link to={`/sign-in?returnTo=${encodeURIComponent(`/returns/new${window.location.search}`)}`}>
              Sign in
            </Link>
          )}
        </p>
      </>
    );
  const failed = [templates, catalogue, existing].find((s) => s.status === 'error');
  if (failed?.status === 'error')
    return (
      <>
        <PageTitle title={title} hasError />
        <ApiErrorSummary error={failed.error} />
        <h1>{title}</h1>
      </>
    );
  if (templates.status !== 'ready' || catalogue.status !== 'ready' || existing.status !== 'ready')
    return (
      <>
        <PageTitle title={title} hasError={false} />
        <Loading what="the return" />
      </>
    );
  const current = existing.data;
  if (current && !isEditable(current.status) && current.status !== 'locked')
    return (
      <>
        <PageTitle title={title} hasError={false} />
        <h1>{title}</h1>
        <p>
          <ReturnStatusTag status={current.status} /> {returnStatusLabels[current.status]}. It can be
          corrected once it is returned for correction, or resubmitted with a reason once it is locked.
        </p>
        <p>
          <Link to={`/returns/${current.id}`}>Back to the return</Link>
        </p>
      </>
    );
  const itemsByCode = new Map(catalogue.data.items.map((i) => [i.code, i] as const));
  const choosable = templates.data.templates.filter(
    (t) => t.status === 'active' || t.code === current?.template,
  );
  return (
    <ReturnForm
      key={id ?? 'new'}
      title={title}
      templates={choosable}
      itemsByCode={itemsByCode}
      organisations={organisations}
      functions={session.account?.functions.map((f) => f.function) ?? []}
      existing={current}
      requested={{
        template: params.get('template') ?? '',
        org: (params.get('org') ?? '').toUpperCase(),
        period: params.get('period') ?? '',
      }}
    />
  );
}

/** The periods a return can be made for: the one being collected now and the eleven before it. */
function periodChoices(template: CollectionTemplateBody | undefined, also: string): string[] {
  if (!template) return also ? [also] : [];
  const type = template.periodType;
  const step = type === 'month' ? 1 : type === 'quarter' ? 3 : 12;
  const latest = template.current?.period ?? periodContaining(type, addMonths(todayIsoDate(), -step)).start;
  const periods = Array.from({ length: 12 }, (_, i) => addMonths(latest, -i * step)).filter(
    (p) => template.activeFrom === null || p >= template.activeFrom,
  );
  if (also && isPeriodStart(type, also) && !periods.includes(also)) periods.push(also);
  return periods;
}

/** A figure as typed ("12,345", " 7 ") as a number; null when blank; NaN when it is not a number. */
function readNumber(text: string): number | null {
  const cleaned = text.replace(/[,\s]/g, '').replace(/^\u2212/, '-');
  if (cleaned === '') return null;
  return /^-?(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

const explanationPrefix = 'explanations.';

function ReturnForm({
  title,
  templates,
  itemsByCode,
  organisations,
  functions,
  existing,
  requested,
}: {
  title: string;
  templates: CollectionTemplateBody[];
  itemsByCode: ReadonlyMap<string, Item>;
  organisations: Array<{ odsCode: string; name: string }>;
  functions: StatutoryFunction[];
  existing: Submission | null;
  requested: { template: string; org: string; period: string };
}) {
  const navigate = useNavigate();
  const fileInput = useRef<HTMLInputElement>(null);
  const onlyTemplate = templates.length === 1 ? (templates[0]?.code ?? '') : '';
  const [templateCode, setTemplateCode] = useState(
    existing?.template ??
      (templates.some((t) => t.code === requested.template) ? requested.template : onlyTemplate),
  );
  const [organisation, setOrganisation] = useState(
    existing?.odsCode ??
      (organisations.some((o) => o.odsCode === requested.org)
        ? requested.org
        : (organisations[0]?.odsCode ?? '')),
  );
  // Empty means "the period being collected now" for the template chosen.
  const [chosenPeriod, setChosenPeriod] = useState(existing?.periodStart ?? requested.period);
  const [statutoryFunction, setStatutoryFunction] = useState<string>(existing?.statutoryFunction ?? '');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      Object.entries(existing?.values ?? {}).map(([item, value]) => [
        item,
        value === null ? '' : String(value),
      ]),
    ),
  );
  const [explanations, setExplanations] = useState<Record<string, string>>(existing?.explanations ?? {});
  const [warnings, setWarnings] = useState<ReturnWarning[]>([]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ error: ApiError; from: 'form' | 'upload' } | null>(null);
  const [saved, setSaved] = useState<Submission | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(title, error !== null);

  const template = templates.find((t) => t.code === templateCode);
  const periods = periodChoices(template, chosenPeriod);
  const period = chosenPeriod && periods.includes(chosenPeriod) ? chosenPeriod : (periods[0] ?? '');
  const items = template?.items ?? [];
  const itemLabel = (code: string) => `${itemsByCode.get(code)?.name ?? code} (${code})`;
  const checkLabel = (code: string) =>
    template?.rules.checks.find((c) => c.code === code)?.message.replace(/[.\s]+$/, '') ?? code;
  const fixed = existing !== null;
  const locked = (saved ?? existing)?.status === 'locked';
  const formError = error?.from === 'form' ? error.error : null;
  const uploadError = error?.from === 'upload' ? error.error : null;
  const anyError = error?.error ?? null;
  const showReason = locked || exactFieldError(anyError, 'reason') !== undefined;

  // Each warning needs an explanation: those of the last save, and those the server says are unexplained.
  const toExplain = new Map<string, string>();
  for (const warning of warnings) toExplain.set(warning.item ?? warning.rule, warning.message);
  for (const problem of formError?.problems ?? [])
    if (problem.field?.startsWith(explanationPrefix))
      if (!toExplain.has(problem.field.slice(explanationPrefix.length)))
        toExplain.set(problem.field.slice(explanationPrefix.length), '');
  for (const [key, text] of Object.entries(explanations))
    if (text.trim() !== '' && !toExplain.has(key)) toExplain.set(key, '');
  const checkKeys = [...toExplain.keys()].filter((key) => !items.includes(key));

  const fieldIds: Record<string, string> = {
    template: 'template',
    odsCode: 'organisation',
    periodStart: 'periodStart',
    statutoryFunction: 'statutoryFunction',
    reason: 'reason',
    values: items[0] ? `value-${items[0]}` : 'template',
  };
  for (const item of items) fieldIds[`values.${item}`] = `value-${item}`;
  for (const key of toExplain.keys()) fieldIds[`${explanationPrefix}${key}`] = `explanation-${key}`;

  const explanationField = (key: string, label: string) => (
    <TextArea
      key={`explanation-${key}`}
      id={`explanation-${key}`}
      label={`Explanation for ${label}`}
      hint={toExplain.get(key) || 'Say why the figures are right, in a sentence or two.'}
      value={explanations[key] ?? ''}
      onChange={(text) => setExplanations((all) => ({ ...all, [key]: text }))}
      error={exactFieldError(formError, `${explanationPrefix}${key}`)}
    />
  );

  const onSaved = (submission: Submission, submitted: boolean) => {
    if (submitted) {
      void navigate(`/returns/${submission.id}`);
      return;
    }
    setSaved(submission);
    setWarnings(submission.warnings);
    setValues(
      Object.fromEntries(
        Object.entries(submission.values).map(([item, value]) => [item, value === null ? '' : String(value)]),
      ),
    );
    setExplanations((all) => ({ ...submission.explanations, ...all }));
  };

  const save = async (submit: boolean) => {
    if (busy) return;
    const read: Record<string, number | null> = {};
    const problems = [];
    if (!template) problems.push({ field: 'template', message: 'Choose the template of the return' });
    for (const item of items) {
      const number = readNumber(values[item] ?? '');
      if (number !== null && Number.isNaN(number))
        problems.push({
          field: `values.${item}`,
          message: `Enter ${itemLabel(item)} as a number, like 1,234 (or leave it blank)`,
        });
      else read[item] = number;
    }
    if (problems.length > 0) {
      setError({ error: new ApiError('The return cannot be saved.', 400, problems), from: 'form' });
      return;
    }
    const given = Object.fromEntries(Object.entries(explanations).filter(([, text]) => text.trim() !== ''));
    setBusy(true);
    try {
      const submission = await api.saveSubmission({
        template: templateCode,
        organisation,
        periodStart: period,
        statutoryFunction: statutoryFunction || null,
        values: read,
        explanations: given,
        submit,
        source: 'web',
        ...(showReason && reason.trim() ? { reason: reason.trim() } : {}),
      });
      setError(null);
      onSaved(submission, submit);
    } catch (caught) {
      setSaved(null);
      setError({ error: toApiError(caught), from: 'form' });
    } finally {
      setBusy(false);
    }
  };

  const upload = async (submit: boolean) => {
    if (busy) return;
    const file = fileInput.current?.files?.[0];
    const problems = [];
    if (!template)
      problems.push({ field: 'template', message: 'Choose the template the file is a return of' });
    if (!file) problems.push({ field: 'file', message: 'Select a return file' });
    if (!file || !template) {
      setError({ error: new ApiError('The file cannot be uploaded.', 400, problems), from: 'upload' });
      return;
    }
    setBusy(true);
    try {
      const submission = await api.uploadSubmission(
        {
          template: template.code,
          fileName: file.name,
          submit,
          ...(showReason && reason.trim() ? { reason: reason.trim() } : {}),
        },
        await file.arrayBuffer(),
      );
      setError(null);
      onSaved(submission, submit);
    } catch (caught) {
      setSaved(null);
      setError({ error: toApiError(caught), from: 'upload' });
    } finally {
      setBusy(false);
    }
  };

  const fileProblems =
    uploadError?.problems.filter((p) => p.row !== undefined || p.column !== undefined) ?? [];

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {formError ? <ApiErrorSummary error={formError} fieldIds={fieldIds} /> : null}
        {uploadError ? (
          <ApiErrorSummary
            error={uploadError}
            fieldIds={{ template: 'template', reason: 'reason' }}
            showLocations
            defaultFieldId="return-file"
          />
        ) : null}
        <h1>{title}</h1>
        {saved ? (
          <div className="nhsuk-inset-text" role="status" data-testid="draft-saved">
            <p>
              Your draft is saved (<Link to={`/returns/${saved.id}`}>return {saved.id}</Link>).{' '}
              {saved.warnings.length === 0
                ? 'Submit it when it is complete.'
                : `${saved.warnings.length} data-quality ${saved.warnings.length === 1 ? 'warning needs' : 'warnings need'} an explanation before you submit: see below.`}
            </p>
          </div>
        ) : null}
        {existing ? (
          <p className="nhsuk-body" data-testid="correcting">
            <ReturnStatusTag status={existing.status} />{' '}
            {existing.status === 'returned' && existing.statusReason
              ? `Why it was returned: ${existing.statusReason}`
              : `This return ${existing.state}.`}
          </p>
        ) : null}
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            void save(true);
          }}
          noValidate
        >
          <SelectField
            id="template"
            label="Template"
            value={templateCode}
            onChange={(code) => {
              setTemplateCode(code);
              setChosenPeriod('');
            }}
            options={[
              ...(fixed || onlyTemplate ? [] : [{ value: '', text: 'Choose a template' }]),
              ...templates
                .filter((t) => !fixed || t.code === templateCode)
                .map((t) => ({ value: t.code, text: `${t.name} (${t.code})` })),
            ]}
            error={fieldError(anyError, 'template')}
          />
          <SelectField
            id="organisation"
            label="Organisation"
            value={organisation}
            onChange={setOrganisation}
            options={(fixed ? [{ odsCode: organisation, name: organisation }] : organisations).map((o) => ({
              value: o.odsCode,
              text: o.name === o.odsCode ? o.odsCode : `${o.name} (${o.odsCode})`,
            }))}
            error={fieldError(anyError, 'odsCode')}
          />
          <SelectField
            id="periodStart"
            label="Period"
            hint={template?.current ? `${template.current.label} is being collected now.` : undefined}
            value={period}
            onChange={setChosenPeriod}
            options={(fixed ? [period] : periods).map((p) => ({
              value: p,
              text: returnPeriodLabel(template?.periodType, p),
            }))}
            error={fieldError(anyError, 'periodStart')}
          />
          {functions.length > 0 && !fixed ? (
            <SelectField
              id="statutoryFunction"
              label="Statutory function (optional)"
              hint="Only people granted the function will see the return."
              value={statutoryFunction}
              onChange={setStatutoryFunction}
              options={[
                { value: '', text: 'None' },
                ...functions.map((f) => ({ value: f, text: statutoryFunctionLabels[f] })),
              ]}
              error={fieldError(anyError, 'statutoryFunction')}
            />
          ) : null}
          {template ? (
            <fieldset className="nhsuk-fieldset" data-testid="return-values">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                Figures for {returnPeriodLabel(template.periodType, period)}
              </legend>
              <p className="nhsuk-hint">
                Whole numbers for counts; leave a figure blank to come back to it in a draft.
              </p>
              {items.map((item) => (
                <div key={item}>
                  <TextField
                    id={`value-${item}`}
                    label={itemLabel(item)}
                    width={10}
                    inputMode="decimal"
                    value={values[item] ?? ''}
                    onChange={(text) => setValues((all) => ({ ...all, [item]: text }))}
                    error={exactFieldError(formError, `values.${item}`)}
                  />
                  {toExplain.has(item) ? explanationField(item, itemLabel(item)) : null}
                </div>
              ))}
              {checkKeys.map((key) => explanationField(key, checkLabel(key)))}
            </fieldset>
          ) : (
            <p>Choose a template to see the figures it asks for.</p>
          )}
          {showReason ? (
            <TextArea
              id="reason"
              label="Reason for resubmission"
              hint="The return is locked: say which figures were wrong and why. The region sees this reason."
              value={reason}
              onChange={setReason}
              error={exactFieldError(anyError, 'reason')}
            />
          ) : null}
          <div className="nhsuk-button-group">
            <button className="nhsuk-button" type="submit" disabled={busy}>
              {locked ? 'Resubmit' : 'Submit'}
            </button>
            {locked ? null : (
              <button
                className="nhsuk-button nhsuk-button--secondary"
                type="button"
                disabled={busy}
                onClick={() => void save(false)}
              >
                Save as draft
              </button>
            )}
          </div>
        </form>

        <h2 id="upload-heading">Upload a file</h2>
        <p>
          Instead of typing the figures, upload the return as a file: the Excel template, a CSV with the
          header <code>template,ods_code,period_start,item,item_name,value,explanation</code>, JSON, a FHIR
          MeasureReport or ADX. The file names its template, organisation and period.
        </p>
        {template && organisation && period ? (
          <p data-testid="blank-template">
            Download the blank template for {organisation}, {returnPeriodLabel(template.periodType, period)}:{' '}
            <a href={api.blankTemplateUrl(template.code, { format: 'xlsx', org: organisation, period })}>
              Excel (XLSX)
            </a>{' '}
            or{' '}
            <a href={api.blankTemplateUrl(template.code, { format: 'csv', org: organisation, period })}>
              CSV
            </a>
          </p>
        ) : null}
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            void upload(true);
          }}
          noValidate
        >
          <div className={`nhsuk-form-group${uploadError ? ' nhsuk-form-group--error' : ''}`}>
            <label className="nhsuk-label" htmlFor="return-file">
              Return file
            </label>
            <div className="nhsuk-hint" id="return-file-hint">
              A .csv, .xlsx, .json or .xml file of up to 5 MB
            </div>
            {uploadError ? (
              <span className="nhsuk-error-message" id="return-file-error">
                <span className="nhsuk-u-visually-hidden">Error:</span>{' '}
                {fileProblems.length > 0
                  ? `The selected file has ${fileProblems.length} ${fileProblems.length === 1 ? 'problem' : 'problems'}: see the table below`
                  : (uploadError.problems[0]?.message ?? uploadError.message)}
              </span>
            ) : null}
            <input
              className={`nhsuk-file-upload__input${uploadError ? ' nhsuk-input--error' : ''}`}
              id="return-file"
              name="return-file"
              type="file"
              accept=".csv,.xlsx,.json,.xml"
              ref={fileInput}
              aria-describedby={`return-file-hint${uploadError ? ' return-file-error' : ''}`}
            />
          </div>
          {fileProblems.length > 0 ? (
            <TableContainer label="Problems in the file">
              <table className="nhsuk-table" data-testid="file-problems">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                  Problems in the file
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th className="nhsuk-table__header" scope="col">
                      Where
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Problem and how to fix it
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {fileProblems.map((problem, index) => (
                    <tr className="nhsuk-table__row" key={index}>
                      <td className="nhsuk-table__cell">{describeFileLocation(problem)}</td>
                      <td className="nhsuk-table__cell">{problem.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableContainer>
          ) : null}
          <div className="nhsuk-button-group">
            <button className="nhsuk-button" type="submit" disabled={busy}>
              {locked ? 'Upload and resubmit' : 'Upload and submit'}
            </button>
            {locked ? null : (
              <button
                className="nhsuk-button nhsuk-button--secondary"
                type="button"
                disabled={busy}
                onClick={() => void upload(false)}
              >
                Upload as draft
              </button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
