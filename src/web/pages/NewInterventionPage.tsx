import { todayIsoDate } from '../../domain/iso-date.js';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { statutoryFunctionLabels, statutoryFunctions } from '../../domain/access.js';
import {
  interventionKindLabels,
  interventionKinds,
  requiredFunction,
  signalKindLabels,
  signalKinds,
  type InterventionKind,
  type SignalKind,
} from '../../domain/intervention.js';
import { apiRequest } from '../api-client.js';
import {
  exactFieldError,
  fieldError,
  SelectField,
  TextArea,
  TextField,
  useSubmit,
} from '../components/form-parts.js';
import { ApiErrorSummary, usePageTitle } from '../components/page-parts.js';
import { interventionsApi } from '../interventions-api.js';
import { useApi } from '../use-api.js';

/** The programmes an intervention can lead to (those not closed). */
function useProgrammes() {
  const state = useApi(
    (signal) =>
      apiRequest<{ programmes: Array<{ code: string; name: string; stage: string }> }>(
        'GET',
        '/api/programmes',
        undefined,
        signal,
      ),
    [],
  );
  return state.status === 'ready' ? state.data.programmes.filter((p) => p.stage !== 'closed') : [];
}

const fieldIds: Record<string, string> = {
  organisation: 'organisation',
  kind: 'kind',
  title: 'title',
  owner: 'owner',
  statutoryFunction: 'statutory-function',
  'signal.kind': 'signal-kind',
  'signal.metric': 'signal-metric',
  'signal.period': 'signal-period',
  'signal.methodology': 'signal-methodology',
  'signal.quarter': 'signal-quarter',
  'signal.round': 'signal-round',
  'signal.standard': 'signal-standard',
  signal: 'signal-kind',
  openedOn: 'opened-on',
  nextReview: 'next-review',
  exitCriteria: 'exit-criteria',
  programme: 'programme',
};

/**
 * Did I record this intervention correctly? The organisation, what kind, who owns it, the signal in the
 * data that triggered it (checked against the data when saved), dates, exit criteria and the programme.
 * Reached from a signal's chain with the organisation, metric and month filled in.
 */
export function NewInterventionPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const programmes = useProgrammes();
  const today = todayIsoDate();
  const [fields, setFields] = useState({
    organisation: params.get('organisation')?.toUpperCase() ?? '',
    kind: 'enhanced-oversight' as InterventionKind,
    title: '',
    owner: '',
    statutoryFunction: '',
    signalKind: (params.get('metric') ? 'spc-special-cause' : 'segment-change') as SignalKind,
    metric: params.get('metric') ?? '',
    period: params.get('period') ?? '',
    methodology: 'nof-2025-26',
    quarter: '',
    round: '',
    standard: '',
    openedOn: today,
    nextReview: '',
    exitCriteria: '',
    programme: '',
  });
  const { error, busy, submit } = useSubmit();
  usePageTitle('Record an intervention', error !== null);
  const set = (key: keyof typeof fields) => (value: string) => setFields({ ...fields, [key]: value });
  const signal = () => {
    switch (fields.signalKind) {
      case 'spc-special-cause':
        return { kind: fields.signalKind, metric: fields.metric.trim(), period: fields.period };
      case 'segment-change':
        return { kind: fields.signalKind, methodology: fields.methodology.trim(), quarter: fields.quarter };
      case 'plan-gap':
        return { kind: fields.signalKind, round: fields.round.trim() };
      case 'missed-standard':
        return { kind: fields.signalKind, standard: fields.standard.trim() };
    }
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    await submit(async () => {
      const { intervention } = await interventionsApi.record({
        organisation: fields.organisation.trim().toUpperCase(),
        kind: fields.kind,
        title: fields.title,
        owner: fields.owner,
        statutoryFunction: fields.statutoryFunction || null,
        signal: signal(),
        openedOn: fields.openedOn,
        nextReview: fields.nextReview,
        exitCriteria: fields.exitCriteria,
        programme: fields.programme || null,
      });
      void navigate(`/interventions/${intervention.id}`);
    });
  };
  const required = requiredFunction[fields.kind];
  return (
    <>
      <Link className="nhsuk-back-link" to="/interventions">
        Back to interventions
      </Link>
      {error ? <ApiErrorSummary error={error} fieldIds={fieldIds} /> : null}
      <h1>Record an intervention</h1>
      <p>
        Name the signal in the data that triggered it: it is checked against the figures when you save, and
        what they showed is kept with the intervention.
      </p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <TextField
          id="organisation"
          label="Organisation (ODS code)"
          width={10}
          value={fields.organisation}
          error={fieldError(error, 'organisation')}
          onChange={set('organisation')}
        />
        <SelectField
          id="kind"
          label="Kind of intervention"
          value={fields.kind}
          error={fieldError(error, 'kind')}
          onChange={(v) =>
            setFields({
              ...fields,
              kind: v as InterventionKind,
              statutoryFunction: requiredFunction[v as InterventionKind] ?? fields.statutoryFunction,
            })
          }
          options={interventionKinds.map((k) => ({ value: k, text: interventionKindLabels[k] }))}
        />
        <SelectField
          id="statutory-function"
          label="Statutory function"
          hint={
            required
              ? `${interventionKindLabels[fields.kind]} are taken under ${statutoryFunctionLabels[required]}; only people granted it will see this intervention.`
              : 'Only people granted the function will see an intervention tagged with one.'
          }
          value={fields.statutoryFunction}
          error={fieldError(error, 'statutoryFunction')}
          onChange={set('statutoryFunction')}
          options={[
            { value: '', text: 'None' },
            ...statutoryFunctions.map((f) => ({ value: f, text: statutoryFunctionLabels[f] })),
          ]}
        />
        <TextField
          id="title"
          label="Title"
          value={fields.title}
          error={fieldError(error, 'title')}
          onChange={set('title')}
        />
        <TextField
          id="owner"
          label="Owner"
          hint="A named person or post"
          value={fields.owner}
          error={fieldError(error, 'owner')}
          onChange={set('owner')}
        />
        <SelectField
          id="signal-kind"
          label="What triggered it"
          value={fields.signalKind}
          error={exactFieldError(error, 'signal.kind') ?? exactFieldError(error, 'signal')}
          onChange={(v) => setFields({ ...fields, signalKind: v as SignalKind })}
          options={signalKinds.map((k) => ({ value: k, text: signalKindLabels[k] }))}
        />
        {fields.signalKind === 'spc-special-cause' ? (
          <>
            <TextField
              id="signal-metric"
              label="Metric code"
              hint="For example ae_4h_all"
              width={20}
              value={fields.metric}
              error={exactFieldError(error, 'signal.metric')}
              onChange={set('metric')}
            />
            <TextField
              id="signal-period"
              label="First day of the month of the signal"
              type="date"
              value={fields.period}
              error={exactFieldError(error, 'signal.period')}
              onChange={set('period')}
            />
          </>
        ) : null}
        {fields.signalKind === 'segment-change' ? (
          <>
            <TextField
              id="signal-methodology"
              label="Oversight methodology"
              width={20}
              value={fields.methodology}
              error={exactFieldError(error, 'signal.methodology')}
              onChange={set('methodology')}
            />
            <TextField
              id="signal-quarter"
              label="First day of the quarter the segment worsened"
              type="date"
              value={fields.quarter}
              error={exactFieldError(error, 'signal.quarter')}
              onChange={set('quarter')}
            />
          </>
        ) : null}
        {fields.signalKind === 'plan-gap' ? (
          <TextField
            id="signal-round"
            label="Planning round"
            hint="For example 2026-27"
            width={10}
            value={fields.round}
            error={exactFieldError(error, 'signal.round')}
            onChange={set('round')}
          />
        ) : null}
        {fields.signalKind === 'missed-standard' ? (
          <TextField
            id="signal-standard"
            label="Standard code"
            width={20}
            value={fields.standard}
            error={exactFieldError(error, 'signal.standard')}
            onChange={set('standard')}
          />
        ) : null}
        <TextField
          id="opened-on"
          label="Starts on"
          type="date"
          value={fields.openedOn}
          error={fieldError(error, 'openedOn')}
          onChange={set('openedOn')}
        />
        <TextField
          id="next-review"
          label="Next review"
          type="date"
          value={fields.nextReview}
          error={fieldError(error, 'nextReview')}
          onChange={set('nextReview')}
        />
        <TextArea
          id="exit-criteria"
          label="Exit criteria"
          hint="What must be true for the intervention to end"
          value={fields.exitCriteria}
          error={fieldError(error, 'exitCriteria')}
          onChange={set('exitCriteria')}
        />
        <SelectField
          id="programme"
          label="National programme it leads to"
          value={fields.programme}
          error={fieldError(error, 'programme')}
          onChange={set('programme')}
          options={[{ value: '', text: 'None' }, ...programmes.map((p) => ({ value: p.code, text: p.name }))]}
        />
        <button className="nhsuk-button" type="submit" disabled={busy}>
          Record the intervention
        </button>
      </form>
    </>
  );
}
