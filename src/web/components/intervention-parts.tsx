import { Link } from 'react-router';
import type { ChainBody, InterventionSummaryBody } from '../interventions-api.js';
import { formatLongDate } from '../format.js';
import { Empty, TableContainer, Tag } from './page-parts.js';

/** Parts shared by the interventions pages: status tags, the register table, and the chain. */

export function InterventionStatusTag({ intervention }: { intervention: InterventionSummaryBody }) {
  if (intervention.status === 'exited') return <Tag colour="grey">Ended</Tag>;
  if (intervention.reviewOverdue) return <Tag colour="red">Review overdue</Tag>;
  return <Tag colour="blue">Open</Tag>;
}

export function InterventionsTable({
  interventions,
  caption,
}: {
  interventions: InterventionSummaryBody[];
  caption: string;
}) {
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table" data-testid="interventions-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            {['Intervention', 'Organisation', 'Triggered by', 'Next review', 'Actions', 'Status'].map((h) => (
              <th className="nhsuk-table__header" scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {interventions.map((i) => (
            <tr className="nhsuk-table__row" key={i.id}>
              <td className="nhsuk-table__cell">
                <Link to={`/interventions/${i.id}`}>{i.title}</Link>
                <br />
                <span className="app-secondary">{i.kindLabel}</span>
                {i.statutoryFunctionLabel ? (
                  <>
                    <br />
                    <Tag colour="purple">{i.statutoryFunctionLabel}</Tag>
                  </>
                ) : null}
              </td>
              <td className="nhsuk-table__cell">
                <Link to={`/organisations/${i.organisation.odsCode}`}>{i.organisation.name}</Link>
              </td>
              <td className="nhsuk-table__cell">
                {i.signal.kindLabel}
                <br />
                <span className="app-secondary">{i.signal.summary}</span>
              </td>
              <td className="nhsuk-table__cell">
                {i.status === 'open' ? formatLongDate(i.nextReview) : <Empty>Ended</Empty>}
              </td>
              <td className="nhsuk-table__cell">
                {i.actions.open} open
                {i.actions.overdue > 0 ? (
                  <>
                    {' '}
                    <Tag colour="red">{i.actions.overdue} overdue</Tag>
                  </>
                ) : null}
              </td>
              <td className="nhsuk-table__cell">
                <InterventionStatusTag intervention={i} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

const pointTypeText: Record<string, string> = {
  special_cause_concern: 'Special cause of concern',
  special_cause_improvement: 'Special cause of improvement',
  special_cause_neutral_high: 'Special cause (high)',
  special_cause_neutral_low: 'Special cause (low)',
  common_cause: 'Common cause variation',
};

/**
 * The chain as numbered steps: the signal in the data, the segment that quarter, what was done about it,
 * and the programmes and mutual aid it led to — each step linking to the page it comes from.
 */
export function ChainSteps({ chain, current }: { chain: ChainBody; current?: number }) {
  const org = chain.organisation.odsCode;
  return (
    <ol className="app-chain" data-testid="chain">
      <li>
        <h3>Signal in the data</h3>
        {chain.signals.length === 0 ? (
          <p>
            <Empty>No SPC signal: this intervention was triggered by something other than a metric.</Empty>
          </p>
        ) : (
          <ul className="nhsuk-list">
            {chain.signals.map((s) => (
              <li key={`${s.metric.code}-${s.period}`}>
                <Tag colour={s.pointType === 'special_cause_concern' ? 'orange' : 'grey'}>
                  {pointTypeText[s.pointType ?? ''] ?? 'No figure'}
                </Tag>{' '}
                {s.description}{' '}
                <Link to={`/metrics/${s.metric.code}?org=${org}`}>
                  Chart<span className="nhsuk-u-visually-hidden"> of {s.metric.name}</span>
                </Link>
                {' · '}
                <Link to={`/chain?organisation=${org}&metric=${s.metric.code}&period=${s.period}`}>
                  What this signal led to
                  <span className="nhsuk-u-visually-hidden">
                    {' '}
                    ({s.metric.name}, {s.label})
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </li>
      <li>
        <h3>Oversight segment</h3>
        {chain.segment ? (
          <>
            <p>
              Segment <strong>{chain.segment.segment ?? 'none'}</strong> in {chain.segment.label}
              {chain.segment.previousSegment !== null ? `, previously ${chain.segment.previousSegment}` : ''}
              {chain.segment.direction === 'worse' ? (
                <>
                  {' '}
                  <Tag colour="red">Worse</Tag>
                </>
              ) : chain.segment.direction === 'better' ? (
                <>
                  {' '}
                  <Tag colour="green">Better</Tag>
                </>
              ) : null}{' '}
              (
              <Link to={`/organisations/${org}/oversight?period=${chain.segment.quarter}`}>
                oversight of {chain.organisation.name}
              </Link>
              )
            </p>
            {chain.segment.drivers.length > 0 ? (
              <ul className="nhsuk-list nhsuk-list--bullet">
                {chain.segment.drivers.slice(0, 3).map((d) => (
                  <li key={d.metric}>
                    Driver: {d.name}
                    {d.signalMonths.length > 0
                      ? ` — special cause of concern in ${d.signalMonths.length} month${d.signalMonths.length === 1 ? '' : 's'} of the quarter`
                      : ''}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <p>
            <Empty>No segment to show.</Empty>
          </p>
        )}
      </li>
      <li>
        <h3>Interventions</h3>
        {chain.interventions.length === 0 ? (
          <p>
            <Empty>No intervention you can see was recorded from this signal.</Empty>
          </p>
        ) : (
          <ul className="nhsuk-list">
            {chain.interventions.map((i) => (
              <li key={i.id}>
                {i.id === current ? (
                  <strong>{i.title} (this intervention)</strong>
                ) : (
                  <Link to={`/interventions/${i.id}`}>{i.title}</Link>
                )}{' '}
                — {i.kindLabel}, from {formatLongDate(i.openedOn)} <InterventionStatusTag intervention={i} />
              </li>
            ))}
          </ul>
        )}
      </li>
      <li>
        <h3>Programmes and mutual aid it led to</h3>
        {chain.programmes.length === 0 && chain.mutualAid.length === 0 ? (
          <p>
            <Empty>None yet.</Empty>
          </p>
        ) : (
          <ul className="nhsuk-list">
            {chain.programmes.map((p) => (
              <li key={p.code}>
                Programme: <Link to={`/programmes/${p.code}`}>{p.name}</Link>
              </li>
            ))}
            {chain.mutualAid.map((a) => (
              <li key={a.id}>
                Mutual aid:{' '}
                <Link to={`/mutual-aid/requests/${a.id}`}>
                  {a.quantity} {a.unit} of {a.kindLabel}
                </Link>{' '}
                for {a.requester.name} ({a.status})
              </li>
            ))}
          </ul>
        )}
      </li>
      {chain.notes.length > 0 ? (
        <li>
          <h3>Notes</h3>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {chain.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </li>
      ) : null}
    </ol>
  );
}
