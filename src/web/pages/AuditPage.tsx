import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, type ApiError, type AuditVerifyResponse, toApiError } from '../api-client.js';
import { AuditTable } from '../components/AuditTable.js';
import { TextField } from '../components/form-parts.js';
import { ApiErrorSummary, Loading, usePageTitle } from '../components/page-parts.js';
import { useApi } from '../use-api.js';

/** Administrators: the audit trail, by record, and a check of its hash chain. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const recordType = params.get('recordType') ?? '';
  const recordId = params.get('recordId') ?? '';
  const [typeInput, setTypeInput] = useState(recordType);
  const [idInput, setIdInput] = useState(recordId);
  const events = useApi(
    (signal) =>
      api.audit(
        { ...(recordType ? { recordType } : {}), ...(recordId ? { recordId } : {}), limit: 200 },
        signal,
      ),
    [recordType, recordId],
  );
  const [verification, setVerification] = useState<AuditVerifyResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle('Audit trail', events.status === 'error' || error !== null);

  const filter = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (typeInput.trim()) next.set('recordType', typeInput.trim());
    if (idInput.trim()) next.set('recordId', idInput.trim());
    setParams(next);
  };
  const verify = async () => {
    try {
      setVerification(await api.verifyAudit());
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  return (
    <>
      {events.status === 'error' ? <ApiErrorSummary error={events.error} /> : null}
      {error ? <ApiErrorSummary error={error} /> : null}
      <h1>Audit trail</h1>
      <p className="nhsuk-lede-text">
        Every change, and every read of a record that is not published, in order. Each event carries a hash of
        the one before it, so a change to history shows.
      </p>
      <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={() => void verify()}>
        Check the chain
      </button>
      {verification ? (
        <div
          className={`nhsuk-card ${verification.ok ? 'app-card--ok' : 'app-card--broken'}`}
          role="status"
          data-testid="audit-verification"
        >
          <div className="nhsuk-card__content">
            <h2 className="nhsuk-card__heading">
              {verification.ok ? 'The chain is intact' : 'The chain is broken'}
            </h2>
            <p className="nhsuk-card__description">
              {verification.ok
                ? `${verification.events} events checked in ${verification.durationMs} ms.`
                : `${verification.problem?.message ?? ''} Treat the audit trail as tampered with and investigate.`}
            </p>
          </div>
        </div>
      ) : null}
      <form onSubmit={filter} noValidate>
        <h2 className="nhsuk-heading-m">Find events about a record</h2>
        <TextField
          id="recordType"
          label="Record type"
          hint="For example submission, user, machine-token, hierarchy-event"
          width={20}
          value={typeInput}
          onChange={setTypeInput}
        />
        <TextField id="recordId" label="Record number" width={10} value={idInput} onChange={setIdInput} />
        <button className="nhsuk-button" type="submit">
          Show events
        </button>
      </form>
      {events.status === 'loading' ? <Loading what="the audit trail" /> : null}
      {events.status === 'ready' ? (
        <AuditTable
          events={events.data.events}
          caption={recordType ? `Events about ${recordType} ${recordId}` : 'Latest events'}
        />
      ) : null}
    </>
  );
}
