import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSubmit } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  DoneNotice,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatLongDate } from '../format.js';
import { useSession } from '../session.js';
import { standardsApi, type StandardDetailResponse } from '../standards-api.js';
import { useApi } from '../use-api.js';
import {
  AdoptionTable,
  adoptionSentence,
  areaLink,
  NotDeclaredTag,
  PositionTag,
  shortAreaName,
  StandardStatusTag,
} from './StandardParts.js';

/**
 * One standard: has every board declared, and why not? England's figure first, then each region and each
 * integrated care board (ICB, counting its member trusts and itself), the overdue, and the declarations the
 * reader may see (published ones for everyone) with each explanation and plan.
 */
export function StandardPage() {
  const { code = '' } = useParams();
  const { session } = useSession();
  const [reload, setReload] = useState(0);
  const state = useApi((signal) => standardsApi.detail(code, signal), [code, session?.account?.id, reload]);
  usePageTitle(state.status === 'ready' ? state.data.standard.title : 'Standard', state.status === 'error');
  if (state.status === 'loading') return <Loading what="the standard" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>Standard</h1>
        <p>
          <Link to="/standards">See every standard</Link>
        </p>
      </>
    );
  return <StandardDetail detail={state.data} onChanged={() => setReload((n) => n + 1)} />;
}

function StandardDetail({ detail, onChanged }: { detail: StandardDetailResponse; onChanged: () => void }) {
  const s = detail.standard;
  const england = detail.adoption.england;
  const regionName = new Map(detail.adoption.regions.map((r) => [r.area.odsCode, r.area.name]));
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to="/standards">
              Comply or explain standards
            </Link>
          </li>
        </ol>
        <Link className="nhsuk-back-link" to="/standards">
          <span className="nhsuk-u-visually-hidden">Back to </span>Comply or explain standards
        </Link>
      </nav>
      <h1>
        <span className="nhsuk-caption-l">Comply or explain standard</span>
        {s.title}
      </h1>
      <p className="nhsuk-lede-text" data-testid="standard-lede">
        {s.status === 'draft'
          ? 'This standard is a draft: publish it to ask boards to declare.'
          : `England: ${adoptionSentence(england)}`}
      </p>
      <SummaryList
        rows={[
          { key: 'Status', value: <StandardStatusTag status={s.status} /> },
          { key: 'Owner', value: s.owner },
          { key: 'Applies to', value: s.appliesTo.join(' and ') },
          { key: 'In effect from', value: formatLongDate(s.effectiveFrom) },
          { key: 'Declarations due', value: formatLongDate(s.declarationsDue) },
          { key: 'Evidence asked', value: s.evidenceAsked },
          ...(s.summary ? [{ key: 'Summary', value: s.summary }] : []),
          { key: 'Figures as at', value: formatLongDate(detail.asAt) },
        ]}
      />
      <Actions detail={detail} onChanged={onChanged} />
      {s.status === 'draft' ? null : (
        <>
          <p className="nhsuk-body-s app-secondary">
            Counts follow today’s hierarchy. An ICB’s figures count its member trusts and itself. Positions of
            declarations not yet published are shown only to people whose roles cover the organisation; others
            see them as “declared, not published”.
          </p>
          <h2>Adoption by region</h2>
          <AdoptionTable
            caption="Adoption by NHS England region"
            areaHeading="Region"
            testId="adoption-regions"
            rows={[
              { key: 'england', area: 'England', adoption: england },
              ...detail.adoption.regions.map((r) => ({
                key: r.area.odsCode,
                area: areaLink(r.area.odsCode, r.area.name),
                adoption: r,
              })),
            ]}
          />
          <h2>Adoption by integrated care board (ICB)</h2>
          <AdoptionTable
            caption="Adoption by ICB, counting its member trusts and itself"
            areaHeading="ICB"
            testId="adoption-icbs"
            rows={detail.adoption.icbs.map((r) => ({
              key: r.area.odsCode,
              area: areaLink(r.area.odsCode, shortAreaName(r.area.name)),
              extra: r.regionCode ? (regionName.get(r.regionCode) ?? r.regionCode) : undefined,
              adoption: r,
            }))}
          />
          <Overdue detail={detail} />
          <Declarations detail={detail} />
        </>
      )}
    </>
  );
}

function Actions({ detail, onChanged }: { detail: StandardDetailResponse; onChanged: () => void }) {
  const { error, setError, busy, submit } = useSubmit();
  const [done, setDone] = useState<string | null>(null);
  const run = async (action: () => Promise<string>) => {
    setError(null);
    await submit(action, (message) => {
      setDone(message);
      onChanged();
    });
  };
  const code = detail.standard.code;
  if (!detail.mayPublishStandard && !detail.mayPublishDeclarations && !done) return null;
  return (
    <>
      {error ? <ApiErrorSummary error={error} /> : null}
      {done ? <DoneNotice message={done} /> : null}
      {detail.mayPublishStandard ? (
        <button
          className="nhsuk-button"
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const { standard } = await standardsApi.publish(code);
              return `Published: boards declare from ${formatLongDate(standard.effectiveFrom)}.`;
            })
          }
        >
          Publish the standard
        </button>
      ) : null}
      {detail.mayPublishDeclarations && detail.awaitingPublication > 0 ? (
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const result = await standardsApi.publishDeclarations(code);
              return `Published ${result.published.length} declaration${result.published.length === 1 ? '' : 's'} to the public register.`;
            })
          }
        >
          Publish {detail.awaitingPublication} declaration{detail.awaitingPublication === 1 ? '' : 's'}
        </button>
      ) : null}
    </>
  );
}

function Overdue({ detail }: { detail: StandardDetailResponse }) {
  return (
    <>
      <h2>Overdue declarations</h2>
      {detail.overdue.length === 0 ? (
        <p data-testid="overdue-none">
          {detail.asAt > detail.standard.declarationsDue
            ? 'Every board asked has declared.'
            : `None yet: declarations are due by ${formatLongDate(detail.standard.declarationsDue)}.`}
        </p>
      ) : (
        <TableContainer label="Overdue declarations">
          <table className="nhsuk-table" data-testid="overdue-table">
            <caption className="nhsuk-table__caption">
              {detail.overdue.length} board{detail.overdue.length === 1 ? '' : 's'} with no declaration since{' '}
              {formatLongDate(detail.standard.declarationsDue)}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Organisation
                </th>
                <th className="nhsuk-table__header" scope="col">
                  ICB
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Days overdue
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {detail.overdue.map((o) => (
                <tr className="nhsuk-table__row" key={o.odsCode}>
                  <td className="nhsuk-table__cell">{areaLink(o.odsCode, o.name)}</td>
                  <td className="nhsuk-table__cell">{o.icbCode ?? <Empty />}</td>
                  <td className="nhsuk-table__cell">
                    <NotDeclaredTag overdue />
                  </td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{o.daysOverdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
    </>
  );
}

function Declarations({ detail }: { detail: StandardDetailResponse }) {
  return (
    <>
      <h2>Declarations</h2>
      {detail.declarations.length === 0 ? (
        <p>No declarations are published yet.</p>
      ) : (
        <TableContainer label="Declarations">
          <table className="nhsuk-table" data-testid="declarations-table">
            <caption className="nhsuk-table__caption">
              Declarations you can see: published ones, and those of organisations your roles cover
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Organisation
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Position
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Evidence, or explanation and plan
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Register
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {detail.declarations.map((d) => (
                <tr className="nhsuk-table__row" key={d.odsCode}>
                  <td className="nhsuk-table__cell">
                    <Link
                      to={`/organisations/${encodeURIComponent(d.odsCode)}/declarations/${encodeURIComponent(detail.standard.code)}`}
                    >
                      {d.name}
                    </Link>{' '}
                    <span className="app-secondary">({d.odsCode})</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    <PositionTag position={d.position} />
                  </td>
                  <td className="nhsuk-table__cell">
                    {d.position === 'comply' ? (
                      d.evidence
                    ) : (
                      <>
                        <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{d.explanation}</p>
                        <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s nhsuk-u-margin-bottom-0">
                          {d.plan.map((a, i) => (
                            <li key={i}>
                              {a.description} ({a.owner}, by {formatLongDate(a.due)})
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    {d.published ? (
                      <Tag colour="blue">Published</Tag>
                    ) : (
                      <Tag colour="grey">Not published</Tag>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
    </>
  );
}
