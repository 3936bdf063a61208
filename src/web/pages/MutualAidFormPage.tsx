import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { todayIsoDate } from '../../domain/iso-date.js';
import {
  aidDetailNames,
  aidDetails,
  aidKindLabels,
  aidKinds,
  aidUnitLabels,
  aidUnits,
  aidUrgencies,
  aidUrgencyLabels,
  type AidKind,
} from '../../domain/mutual-aid.js';
import { ApiError, toApiError } from '../api-client.js';
import { fieldError, SelectField, TextArea, TextField } from '../components/form-parts.js';
import { ApiErrorSummary, Loading, usePageTitle } from '../components/page-parts.js';
import { mutualAidApi } from '../mutual-aid-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

/** Asking for aid (/mutual-aid/new) and offering capacity (/mutual-aid/offers/new): one form, two uses. */
export function MutualAidRequestFormPage() {
  return <AidForm mode="request" />;
}

export function MutualAidOfferFormPage() {
  return <AidForm mode="offer" />;
}

const fieldIds: Record<string, string> = {
  requester: 'organisation',
  provider: 'organisation',
  kind: 'kind',
  detail: 'detail',
  unit: 'unit',
  quantity: 'quantity',
  neededFrom: 'from',
  neededTo: 'to',
  availableFrom: 'from',
  availableTo: 'to',
  urgency: 'urgency',
  reason: 'reason',
  notes: 'reason',
  interventionId: 'intervention',
  'signal.metric': 'signal-metric',
  'signal.period': 'signal-period',
  signal: 'signal-metric',
};

function AidForm({ mode }: { mode: 'request' | 'offer' }) {
  const navigate = useNavigate();
  const { session } = useSession();
  const scope = useApi(
    (signal) => (session?.account ? mutualAidApi.scope(signal) : Promise.resolve(null)),
    [session?.account?.id],
  );
  const today = todayIsoDate();
  const [organisation, setOrganisation] = useState('');
  const [kind, setKind] = useState<AidKind>('beds');
  const [detail, setDetail] = useState('');
  const [unit, setUnit] = useState('');
  const [quantity, setQuantity] = useState('');
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState('');
  const [urgency, setUrgency] = useState('urgent');
  const [reason, setReason] = useState('');
  const [intervention, setIntervention] = useState('');
  const [signalMetric, setSignalMetric] = useState('');
  const [signalPeriod, setSignalPeriod] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const title = mode === 'request' ? 'Ask for mutual aid' : 'Offer capacity';
  usePageTitle(title, error !== null);

  if (!session) return <Loading what="your account" />;
  if (!session.account)
    return (
      <>
        <h1>{title}</h1>
        <p>
          <Link to={`/sign-in?returnTo=${mode === 'request' ? '/mutual-aid/new' : '/mutual-aid/offers/new'}`}>
            Sign in
          </Link>{' '}
          to {mode === 'request' ? 'ask for' : 'offer'} mutual aid.
        </p>
      </>
    );
  if (scope.status === 'loading') return <Loading what="your organisations" />;
  const organisations = scope.status === 'ready' ? (scope.data?.organisations ?? []) : [];
  const chosenOrganisation = organisation || organisations[0]?.odsCode || '';
  const chosenDetail = detail && detail in aidDetails[kind] ? detail : '';
  const chosenUnit =
    unit && (aidUnits[kind] as readonly string[]).includes(unit) ? unit : (aidUnits[kind][0] ?? '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = [];
    const number = quantity.trim() === '' ? NaN : Number(quantity.replace(/,/g, ''));
    if (!Number.isInteger(number) || number < 1)
      problems.push({ field: 'quantity', message: 'Enter the quantity as a whole number, like 10' });
    if (!chosenOrganisation)
      problems.push({
        field: mode === 'request' ? 'requester' : 'provider',
        message: 'Enter the ODS code of the trust',
      });
    if (!chosenDetail) problems.push({ field: 'detail', message: `Choose the ${aidDetailNames[kind]}` });
    if (!to)
      problems.push({
        field: mode === 'request' ? 'neededTo' : 'availableTo',
        message: 'Enter the last date',
      });
    if (mode === 'request' && !reason.trim())
      problems.push({ field: 'reason', message: 'Enter why the aid is needed' });
    if (problems.length > 0) {
      setError(new ApiError(`The ${mode} cannot be sent.`, 400, problems));
      return;
    }
    setBusy(true);
    try {
      if (mode === 'request') {
        const answer = await mutualAidApi.raise({
          requester: chosenOrganisation,
          kind,
          detail: chosenDetail,
          unit: chosenUnit,
          quantity: number,
          neededFrom: from,
          neededTo: to,
          urgency,
          reason,
          interventionId: intervention.trim() ? Number(intervention) : null,
          signal:
            signalMetric.trim() || signalPeriod.trim()
              ? { metric: signalMetric, period: signalPeriod }
              : null,
        });
        navigate(`/mutual-aid/requests/${answer.request.id}`);
      } else {
        await mutualAidApi.offer({
          provider: chosenOrganisation,
          kind,
          detail: chosenDetail,
          unit: chosenUnit,
          quantity: number,
          availableFrom: from,
          availableTo: to,
          notes: reason,
        });
        navigate('/mutual-aid');
      }
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  }

  return (
    <>
      {error ? <ApiErrorSummary error={error} fieldIds={fieldIds} /> : null}
      <h1>{title}</h1>
      <p className="nhsuk-lede-text">
        {mode === 'request'
          ? 'Say what your trust needs, when, and why. Trusts in your integrated care board (ICB) are asked first, then your region, then England.'
          : 'Say what your trust can spare and when. Your region sees the offer on its board and may match it to a request.'}
      </p>
      <form onSubmit={submit} noValidate data-testid="aid-form">
        {organisations.length > 0 ? (
          <SelectField
            id="organisation"
            label={mode === 'request' ? 'Trust asking for aid' : 'Trust offering'}
            value={chosenOrganisation}
            onChange={setOrganisation}
            error={fieldError(error, mode === 'request' ? 'requester' : 'provider')}
            options={organisations.map((o) => ({ value: o.odsCode, text: `${o.name} (${o.odsCode})` }))}
          />
        ) : (
          <TextField
            id="organisation"
            label={
              mode === 'request' ? 'ODS code of the trust asking for aid' : 'ODS code of the trust offering'
            }
            hint="For example, RJ1"
            value={organisation}
            onChange={setOrganisation}
            width={10}
            error={fieldError(error, mode === 'request' ? 'requester' : 'provider')}
          />
        )}
        <SelectField
          id="kind"
          label="Kind of capacity"
          value={kind}
          onChange={(value) => setKind(aidKinds.find((k) => k === value) ?? 'beds')}
          error={fieldError(error, 'kind')}
          options={aidKinds.map((k) => ({ value: k, text: aidKindLabels[k] }))}
        />
        <SelectField
          id="detail"
          label={aidDetailNames[kind].replace(/^./, (c) => c.toUpperCase())}
          value={chosenDetail}
          onChange={setDetail}
          error={fieldError(error, 'detail')}
          options={[
            { value: '', text: `Choose a ${aidDetailNames[kind]}` },
            ...Object.entries(aidDetails[kind]).map(([value, text]) => ({ value, text })),
          ]}
        />
        <TextField
          id="quantity"
          label="Quantity"
          value={quantity}
          onChange={setQuantity}
          width={10}
          inputMode="numeric"
          error={fieldError(error, 'quantity')}
        />
        <SelectField
          id="unit"
          label="Counted in"
          value={chosenUnit}
          onChange={setUnit}
          error={fieldError(error, 'unit')}
          options={aidUnits[kind].map((u) => ({ value: u, text: aidUnitLabels[u] }))}
        />
        <TextField
          id="from"
          type="date"
          label={mode === 'request' ? 'Needed from' : 'Available from'}
          value={from}
          onChange={setFrom}
          error={fieldError(error, mode === 'request' ? 'neededFrom' : 'availableFrom')}
        />
        <TextField
          id="to"
          type="date"
          label={mode === 'request' ? 'Needed until' : 'Available until'}
          value={to}
          onChange={setTo}
          error={fieldError(error, mode === 'request' ? 'neededTo' : 'availableTo')}
        />
        {mode === 'request' ? (
          <SelectField
            id="urgency"
            label="Urgency"
            value={urgency}
            onChange={setUrgency}
            error={fieldError(error, 'urgency')}
            options={aidUrgencies.map((u) => ({ value: u, text: aidUrgencyLabels[u] }))}
          />
        ) : null}
        <TextArea
          id="reason"
          label={mode === 'request' ? 'Why the aid is needed' : 'Notes for the receiving trust (optional)'}
          value={reason}
          onChange={setReason}
          error={fieldError(error, mode === 'request' ? 'reason' : 'notes')}
        />
        {mode === 'request' ? (
          <details className="nhsuk-details">
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">
                Link it to an intervention or an oversight signal
              </span>
            </summary>
            <div className="nhsuk-details__text">
              <TextField
                id="intervention"
                label="Intervention number (optional)"
                value={intervention}
                onChange={setIntervention}
                width={10}
                inputMode="numeric"
                error={fieldError(error, 'interventionId')}
              />
              <TextField
                id="signal-metric"
                label="Metric code of the signal (optional)"
                hint="For example, ga_occupancy"
                value={signalMetric}
                onChange={setSignalMetric}
                width={20}
                error={fieldError(error, 'signal')}
              />
              <TextField
                id="signal-period"
                type="date"
                label="First day of the month the signal was seen (optional)"
                value={signalPeriod}
                onChange={setSignalPeriod}
                error={fieldError(error, 'signal')}
              />
            </div>
          </details>
        ) : null}
        <button className="nhsuk-button" type="submit" disabled={busy}>
          {mode === 'request' ? 'Send the request' : 'Make the offer'}
        </button>
      </form>
    </>
  );
}
