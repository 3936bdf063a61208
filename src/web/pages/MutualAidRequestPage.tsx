import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { aidTierLabels } from '../../domain/mutual-aid.js';
import type { ApiError } from '../api-client.js';
import { fieldError, TextArea, TextField, useSubmit } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatLongDate } from '../format.js';
import { mutualAidApi, type AidCandidate, type AidMatch, type AidRequest } from '../mutual-aid-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { AidStatusTag, formatNumber, UrgencyTag } from './MutualAidParts.js';

/**
 * One request: what is needed and why, who has been matched and who has agreed, what has been delivered;
 * then the ranked candidates (same ICB, region, England) with distance, pressure and why any are left out.
 */
export function MutualAidRequestPage() {
  const id = Number(useParams().id);
  const { session } = useSession();
  // Bumped after each change, so the request and its candidates are read again.
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const request = useApi((signal) => mutualAidApi.request(id, signal), [id, session?.account?.id, version]);
  const candidates = useApi(
    (signal) =>
      request.status === 'ready' && request.data.request.youMay.includes('propose')
        ? mutualAidApi.candidates(id, signal)
        : Promise.resolve(null),
    [id, session?.account?.id, version, request.status],
  );
  const { error, busy, submit } = useSubmit();
  const [done, setDone] = useState<string | null>(null);
  usePageTitle(
    request.status === 'ready' ? `Mutual aid request ${id}` : 'Mutual aid request',
    request.status === 'error' || error !== null,
  );

  const act = async (work: () => Promise<unknown>, message: string) => {
    const succeeded = await submit(work, () => {
      setDone(message);
      reload();
    });
    if (!succeeded) setDone(null);
  };

  if (request.status === 'loading') return <Loading what="the request" />;
  if (request.status === 'error')
    return (
      <>
        <ApiErrorSummary error={request.error} />
        <h1>Mutual aid request</h1>
        <p>
          <Link to="/mutual-aid">Back to the mutual aid board</Link>
        </p>
      </>
    );
  const r = request.data.request;
  return (
    <>
      <Link className="nhsuk-back-link" to="/mutual-aid">
        Back to the mutual aid board
      </Link>
      {error ? (
        <ApiErrorSummary error={error} fieldIds={{ reason: 'reason', quantity: 'deliver-quantity' }} />
      ) : null}
      {done ? (
        <div className="nhsuk-inset-text" role="status" data-testid="aid-done">
          <p>{done}</p>
        </div>
      ) : null}
      <h1>
        {r.requester.name} needs {r.need.charAt(0).toLowerCase() + r.need.slice(1)}
      </h1>
      <p className="nhsuk-lede-text" data-testid="request-lede">
        <AidStatusTag status={r.status} label={r.statusLabel} />{' '}
        {r.status === 'completed'
          ? `${formatNumber(r.delivered)} of ${formatNumber(r.quantity)} delivered.`
          : r.status === 'withdrawn'
            ? `Withdrawn: ${r.statusReason ?? ''}`
            : `${formatNumber(r.agreed)} of ${formatNumber(r.quantity)} agreed, ${formatNumber(r.remaining)} still to find; needed from ${formatLongDate(r.neededFrom)}.`}
      </p>
      <SummaryList
        rows={[
          { key: 'Requested by', value: `${r.requester.name} (${r.requester.odsCode})` },
          {
            key: 'Need',
            value: `${formatNumber(r.quantity)} ${r.unitLabel}: ${r.kindLabel}, ${r.detailLabel}`,
          },
          { key: 'Dates', value: `${formatLongDate(r.neededFrom)} to ${formatLongDate(r.neededTo)}` },
          { key: 'Urgency', value: <UrgencyTag urgency={r.urgency} label={r.urgencyLabel} /> },
          { key: 'Why', value: r.reason },
          {
            key: 'Linked to',
            value:
              r.intervention || r.signal ? (
                <>
                  {r.intervention ? (
                    <div>
                      Intervention {r.intervention.id}: {r.intervention.title}
                    </div>
                  ) : null}
                  {r.signal ? (
                    <div>
                      Signal: <Link to={`/metrics/${r.signal.metric}`}>{r.signal.metricName}</Link>,{' '}
                      {formatLongDate(r.signal.period)}
                    </div>
                  ) : null}
                </>
              ) : (
                <Empty>Not linked</Empty>
              ),
          },
          { key: 'Raised', value: `${formatLongDate(r.createdAt.slice(0, 10))} by ${r.createdBy}` },
        ]}
      />
      <Matches request={r} busy={busy} act={act} error={error} />
      <RequestActions request={r} busy={busy} act={act} error={error} />
      {candidates.status === 'ready' && candidates.data ? (
        <Candidates
          request={r}
          offers={candidates.data.matching.offers}
          organisations={candidates.data.matching.organisations}
          excluded={candidates.data.matching.excluded}
          proposable={new Set(candidates.data.proposable)}
          notes={candidates.data.notes}
          shortfall={candidates.data.matching.shortfall}
          escalation={candidates.data.matching.escalation}
          busy={busy}
          act={act}
        />
      ) : candidates.status === 'error' ? (
        <ApiErrorSummary error={candidates.error} />
      ) : null}
      <History request={r} />
    </>
  );
}

type Act = (work: () => Promise<unknown>, message: string) => Promise<void>;

function Matches({
  request,
  busy,
  act,
  error,
}: {
  request: AidRequest;
  busy: boolean;
  act: Act;
  error: ApiError | null;
}) {
  const [deliver, setDeliver] = useState('');
  return (
    <section aria-labelledby="matches-heading">
      <h2 id="matches-heading">Matches and agreement</h2>
      {request.matches.length === 0 ? (
        <p>No organisation has been matched yet.</p>
      ) : (
        <TableContainer label="Matches">
          <table className="nhsuk-table" data-testid="matches">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              Each match is agreed by both trusts before the aid starts
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Giving
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Quantity
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Agreed by {request.requester.odsCode}
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Agreed by the giving trust
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Delivered
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Actions
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {request.matches.map((m) => (
                <tr className="nhsuk-table__row" key={m.id} data-testid={`match-${m.provider.odsCode}`}>
                  <td className="nhsuk-table__cell">
                    {m.provider.name} <span className="app-secondary">({m.provider.odsCode})</span>
                  </td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatNumber(m.quantity)}</td>
                  <td className="nhsuk-table__cell">
                    <MatchTag match={m} />
                  </td>
                  <td className="nhsuk-table__cell">
                    {m.requesterAgreed ? `Yes, ${m.requesterAgreed.by}` : <Empty>Not yet</Empty>}
                  </td>
                  <td className="nhsuk-table__cell">
                    {m.providerAgreed ? `Yes, ${m.providerAgreed.by}` : <Empty>Not yet</Empty>}
                  </td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                    {formatNumber(m.delivered)}
                  </td>
                  <td className="nhsuk-table__cell">
                    {m.youMay.includes('agree-for-requester') ? (
                      <button
                        className="nhsuk-button nhsuk-button--small nhsuk-u-margin-bottom-2"
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          act(
                            () => mutualAidApi.agree(m.id, request.requester.odsCode),
                            `You agreed for ${request.requester.name}.`,
                          )
                        }
                      >
                        Agree for {request.requester.odsCode}
                      </button>
                    ) : null}
                    {m.youMay.includes('agree-for-provider') ? (
                      <button
                        className="nhsuk-button nhsuk-button--small nhsuk-u-margin-bottom-2"
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          act(
                            () => mutualAidApi.agree(m.id, m.provider.odsCode),
                            `You agreed for ${m.provider.name} to give ${formatNumber(m.quantity)}.`,
                          )
                        }
                      >
                        Agree for {m.provider.odsCode}
                      </button>
                    ) : null}
                    {m.youMay.length === 0 ? <Empty>None for you</Empty> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
      {request.matches.some((m) => m.youMay.includes('deliver')) ? (
        <div data-testid="deliver-form">
          <TextField
            id="deliver-quantity"
            label="Quantity delivered now"
            value={deliver}
            onChange={setDeliver}
            width={10}
            inputMode="numeric"
            error={fieldError(error, 'quantity')}
          />
          <div className="nhsuk-button-group">
            {request.matches
              .filter((m) => m.youMay.includes('deliver'))
              .map((m) => (
                <button
                  key={m.id}
                  className="nhsuk-button nhsuk-button--secondary"
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    act(
                      () => mutualAidApi.deliver(m.id, Number(deliver)),
                      `Delivery from ${m.provider.name} recorded.`,
                    )
                  }
                >
                  Record delivery from {m.provider.odsCode}
                </button>
              ))}
          </div>
        </div>
      ) : null}
    </section>
  );
}

function MatchTag({ match }: { match: AidMatch }) {
  const colour =
    match.status === 'proposed'
      ? 'blue'
      : match.status === 'withdrawn'
        ? 'grey'
        : match.status === 'completed'
          ? 'green'
          : 'aqua-green';
  return <Tag colour={colour}>{match.statusLabel}</Tag>;
}

function RequestActions({
  request,
  busy,
  act,
  error,
}: {
  request: AidRequest;
  busy: boolean;
  act: Act;
  error: ApiError | null;
}) {
  const [reason, setReason] = useState('');
  if (request.youMay.filter((s) => s !== 'propose').length === 0) return null;
  return (
    <section aria-labelledby="actions-heading" data-testid="request-actions">
      <h2 id="actions-heading">What you can do</h2>
      <div className="nhsuk-button-group">
        {request.youMay.includes('start') ? (
          <button
            className="nhsuk-button"
            type="button"
            disabled={busy}
            onClick={() => act(() => mutualAidApi.step(request.id, 'start'), 'The aid has started.')}
          >
            Start the aid
          </button>
        ) : null}
        {request.youMay.includes('complete') ? (
          <button
            className="nhsuk-button"
            type="button"
            disabled={busy}
            onClick={() =>
              act(() => mutualAidApi.step(request.id, 'complete', reason), 'The aid is complete.')
            }
          >
            Mark as complete
          </button>
        ) : null}
      </div>
      {request.youMay.includes('withdraw') ? (
        <>
          <TextArea
            id="reason"
            label="Reason for withdrawing it"
            value={reason}
            onChange={setReason}
            error={fieldError(error, 'reason')}
          />
          <button
            className="nhsuk-button nhsuk-button--warning"
            type="button"
            disabled={busy}
            onClick={() =>
              act(() => mutualAidApi.step(request.id, 'withdraw', reason), 'You withdrew the request.')
            }
          >
            Withdraw the request
          </button>
        </>
      ) : null}
    </section>
  );
}

function distanceText(c: AidCandidate): string {
  return c.distanceKm === null ? 'Distance unknown' : `About ${formatNumber(c.distanceKm)} km`;
}

function pressureText(c: AidCandidate) {
  return c.pressure.occupancy === null ? (
    <Empty>No recent occupancy</Empty>
  ) : (
    `${c.pressure.occupancy.toFixed(1)}% bed occupancy`
  );
}

function Candidates(props: {
  request: AidRequest;
  offers: AidCandidate[];
  organisations: AidCandidate[];
  excluded: AidCandidate[];
  proposable: Set<string>;
  notes: string[];
  shortfall: number;
  escalation: string;
  busy: boolean;
  act: Act;
}) {
  const { request, busy, act } = props;
  const table = (caption: string, rows: AidCandidate[], testId: string, showPropose: boolean) => (
    <TableContainer label={caption}>
      <table className="nhsuk-table" data-testid={testId}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Organisation
            </th>
            <th className="nhsuk-table__header" scope="col">
              Where
            </th>
            <th className="nhsuk-table__header" scope="col">
              Distance
            </th>
            <th className="nhsuk-table__header" scope="col">
              Pressure
            </th>
            <th className="nhsuk-table__header" scope="col">
              {showPropose ? 'Offer' : 'Why not asked'}
            </th>
            {showPropose ? (
              <th className="nhsuk-table__header" scope="col">
                Propose
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.length === 0 ? (
            <tr className="nhsuk-table__row">
              <td className="nhsuk-table__cell" colSpan={showPropose ? 6 : 5}>
                <span className="app-secondary">None</span>
              </td>
            </tr>
          ) : (
            rows.map((c) => (
              <tr
                className="nhsuk-table__row"
                key={`${c.organisation.odsCode}-${c.offer?.id ?? 'org'}`}
                data-testid={`candidate-${c.organisation.odsCode}`}
              >
                <td className="nhsuk-table__cell">
                  {c.organisation.name} <span className="app-secondary">({c.organisation.odsCode})</span>
                </td>
                <td className="nhsuk-table__cell">{aidTierLabels[c.tier]}</td>
                <td className="nhsuk-table__cell">{distanceText(c)}</td>
                <td className="nhsuk-table__cell">
                  {pressureText(c)}
                  {c.pressure.level === 'strained' ? (
                    <div>
                      <Tag colour="yellow">Under strain</Tag>
                    </div>
                  ) : null}
                </td>
                <td className="nhsuk-table__cell">
                  {showPropose ? (
                    c.offer ? (
                      `${formatNumber(c.offer.remaining)} available to ${formatLongDate(c.offer.availableTo)}`
                    ) : (
                      <Empty>No offer: would be asked</Empty>
                    )
                  ) : (
                    c.excluded
                  )}
                </td>
                {showPropose ? (
                  <td className="nhsuk-table__cell">
                    {props.proposable.has(c.organisation.odsCode) ? (
                      <button
                        className="nhsuk-button nhsuk-button--small nhsuk-button--secondary"
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          act(
                            () =>
                              mutualAidApi.propose(
                                request.id,
                                c.offer
                                  ? { offerId: c.offer.id, quantity: c.suggestedQuantity }
                                  : { provider: c.organisation.odsCode, quantity: c.suggestedQuantity },
                              ),
                            `You proposed ${formatNumber(c.suggestedQuantity)} from ${c.organisation.name}.`,
                          )
                        }
                      >
                        Propose {formatNumber(c.suggestedQuantity)}
                        <span className="nhsuk-u-visually-hidden"> from {c.organisation.name}</span>
                      </button>
                    ) : (
                      <Empty>Not for you to propose</Empty>
                    )}
                  </td>
                ) : null}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableContainer>
  );
  return (
    <section aria-labelledby="candidates-heading" data-testid="candidates">
      <h2 id="candidates-heading">Who could help</h2>
      <p data-testid="candidates-lede">
        {request.remaining === 0
          ? 'The whole need is matched.'
          : props.offers.length === 0
            ? `No offer fits yet: ask the organisations below, nearest first.`
            : props.shortfall > 0
              ? `The offers below cover ${formatNumber(request.remaining - props.shortfall)} of the ${formatNumber(request.remaining)} still needed.`
              : `Offers ${props.escalation === 'icb' ? 'in the same integrated care board (ICB)' : props.escalation === 'region' ? 'in the same region' : 'across England'} can meet the ${formatNumber(request.remaining)} still needed.`}
      </p>
      {table('Offers that fit, best first', props.offers, 'candidate-offers', true)}
      {table(
        'Organisations that could be asked, local first',
        props.organisations,
        'candidate-organisations',
        true,
      )}
      {props.excluded.length > 0
        ? table('Not asked to give', props.excluded, 'candidate-excluded', false)
        : null}
      <ul className="nhsuk-list nhsuk-body-s">
        {props.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </section>
  );
}

function History({ request }: { request: AidRequest }) {
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">History of this request</span>
      </summary>
      <div className="nhsuk-details__text">
        <ul className="nhsuk-list">
          {request.history.map((e) => (
            <li key={e.id}>
              {new Date(e.occurredAt).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' })}:{' '}
              {e.step.replace(/-/g, ' ')}
              {e.toStatus ? ` → ${e.toStatus.replace(/-/g, ' ')}` : ''}
              {e.quantity !== null ? `, ${formatNumber(e.quantity)}` : ''}
              {e.note ? ` (${e.note})` : ''}, by {e.actor}
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
