import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { statutoryFunctionLabels } from '../../domain/access.js';
import { api, ApiError, toApiError } from '../api-client.js';
import { Checkbox, fieldError, SelectField, TextField } from '../components/form-parts.js';
import { ApiErrorSummary, Loading, usePageTitle } from '../components/page-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

interface ValueRow {
  item: string;
  value: string;
}

/** A data submitter enters a return for their organisation (systems use the API with a machine token). */
export function SubmitReturnPage() {
  const { session } = useSession();
  const navigate = useNavigate();
  const catalogue = useApi((signal) => api.metrics(signal), []);
  const organisations =
    session?.account?.roles.filter((r) => r.role === 'trust-data-submitter' && r.scope) ?? [];
  const functions = session?.account?.functions ?? [];
  const [organisation, setOrganisation] = useState('');
  const [template, setTemplate] = useState('');
  const [periodStart, setPeriodStart] = useState('');
  const [statutoryFunction, setStatutoryFunction] = useState('');
  const [rows, setRows] = useState<ValueRow[]>([{ item: '', value: '' }]);
  const [draft, setDraft] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle('Submit a return', error !== null || catalogue.status === 'error');

  const org = organisation || organisations[0]?.scope?.odsCode || '';
  const items = catalogue.status === 'ready' ? catalogue.data.items : [];
  const update = (index: number, change: Partial<ValueRow>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const values: Record<string, number> = {};
    const problems = [];
    for (const [index, row] of rows.entries()) {
      if (!row.item && !row.value) continue;
      const number = Number(row.value.replaceAll(',', ''));
      if (!row.item)
        problems.push({ field: `item-${index}`, message: `Row ${index + 1}: choose a data item` });
      else if (row.value.trim() === '' || !Number.isFinite(number))
        problems.push({
          field: `value-${index}`,
          message: `Row ${index + 1}: enter ${row.item} as a number`,
        });
      else values[row.item] = number;
    }
    if (problems.length > 0) {
      setError(new ApiError('The return cannot be saved.', 400, problems));
      return;
    }
    try {
      const saved = await api.saveSubmission({
        template,
        organisation: org,
        periodStart,
        statutoryFunction: statutoryFunction || null,
        values,
        submit: !draft,
      });
      void navigate(`/returns/${saved.id}`);
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  if (!session) return <Loading what="your account" />;
  if (organisations.length === 0)
    return (
      <>
        <h1>Submit a return</h1>
        <p>
          You need the trust data submitter role for an organisation to submit its returns.{' '}
          {session.account ? (
            'Ask an administrator.'
          ) : (
            <Link to="/sign-in?returnTo=/returns/new">Sign in</Link>
          )}
        </p>
      </>
    );
  const fieldIds: Record<string, string> = {
    template: 'template',
    periodStart: 'periodStart',
    odsCode: 'organisation',
    statutoryFunction: 'statutoryFunction',
  };
  rows.forEach((_, index) => {
    fieldIds[`item-${index}`] = `item-${index}`;
    fieldIds[`value-${index}`] = `value-${index}`;
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {error ? <ApiErrorSummary error={error} fieldIds={fieldIds} /> : null}
        <h1>Submit a return</h1>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <SelectField
            id="organisation"
            label="Organisation"
            value={org}
            onChange={setOrganisation}
            options={organisations.map((r) => ({
              value: r.scope?.odsCode ?? '',
              text: `${r.scope?.name} (${r.scope?.odsCode})`,
            }))}
            error={fieldError(error, 'odsCode')}
          />
          <TextField
            id="template"
            label="Template"
            hint="The template code, like ae-monthly"
            width={20}
            value={template}
            onChange={setTemplate}
            error={fieldError(error, 'template')}
          />
          <TextField
            id="periodStart"
            label="Month"
            hint="The first day of the month, like 2025-04-01"
            width={10}
            value={periodStart}
            onChange={setPeriodStart}
            error={fieldError(error, 'periodStart')}
          />
          {functions.length > 0 ? (
            <SelectField
              id="statutoryFunction"
              label="Statutory function (optional)"
              hint="Only people granted the function will see the return."
              value={statutoryFunction}
              onChange={setStatutoryFunction}
              options={[
                { value: '', text: 'None' },
                ...functions.map((f) => ({ value: f.function, text: statutoryFunctionLabels[f.function] })),
              ]}
              error={fieldError(error, 'statutoryFunction')}
            />
          ) : null}
          <fieldset className="nhsuk-fieldset">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Values</legend>
            {catalogue.status === 'loading' ? <Loading what="data items" /> : null}
            {rows.map((row, index) => (
              <div className="app-value-row" key={index}>
                <SelectField
                  id={`item-${index}`}
                  label={`Data item ${index + 1}`}
                  value={row.item}
                  onChange={(item) => update(index, { item })}
                  options={[
                    { value: '', text: 'Choose a data item' },
                    ...items.map((i) => ({ value: i.code, text: `${i.name} (${i.code})` })),
                  ]}
                  error={
                    fieldError(error, `item-${index}`) ??
                    error?.problems.find((p) => p.field === `values.${row.item}`)?.message
                  }
                />
                <TextField
                  id={`value-${index}`}
                  label={`Value ${index + 1}`}
                  width={10}
                  value={row.value}
                  onChange={(value) => update(index, { value })}
                  error={fieldError(error, `value-${index}`)}
                />
              </div>
            ))}
            <button
              className="nhsuk-button nhsuk-button--secondary"
              type="button"
              onClick={() => setRows((r) => [...r, { item: '', value: '' }])}
            >
              Add another value
            </button>
          </fieldset>
          <Checkbox
            id="draft"
            label="Save as a draft (do not submit yet)"
            checked={draft}
            onChange={setDraft}
          />
          <button className="nhsuk-button" type="submit">
            {draft ? 'Save draft' : 'Submit return'}
          </button>
        </form>
      </div>
    </div>
  );
}
