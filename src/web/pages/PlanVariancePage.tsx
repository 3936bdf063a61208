import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PlanActualChart } from '../charts/PlanActualChart.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import {
  CsvDownload,
  formatItemValue,
  formatMetricValue,
  PlanningBreadcrumbs,
  planMonths,
  useCatalogueLookup,
} from '../components/planning-parts.js';
import { planningApi, type PlanVsActualResponse, type VariancePoint } from '../planning-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

const polarityWords: Record<string, string> = {
  'higher-is-better': 'Higher is better',
  'lower-is-better': 'Lower is better',
  neutral: 'Neither higher nor lower is better',
};

/**
 * Are actuals on the plan's trajectory? For an organisation, an ICB, a region or England: each measure that
 * can be worked out from planned items, then each planned item, month by month, plan beside actual, with a
 * tag on measures whose last three months with actuals were all worse than plan.
 */
export function PlanVariancePage() {
  const { round: roundCode = '', org = '' } = useParams();
  const { session } = useSession();
  const round = useApi((signal) => planningApi.round(roundCode, signal), [roundCode]);
  const variance = useApi(
    (signal) => planningApi.variance(roundCode, org, signal),
    [roundCode, org, session?.account?.id],
  );
  const lookup = useCatalogueLookup();
  const r = round.status === 'ready' ? round.data.round : undefined;
  usePageTitle(
    variance.status === 'ready' ? `Plan against actual: ${variance.data.area.name}` : 'Plan against actual',
    variance.status === 'error',
  );

  // Units come from the catalogue: wait for it, so a percentage never shows first as a count.
  if (variance.status === 'loading' || round.status === 'loading' || !lookup.ready)
    return <Loading what="plan against actual" />;
  if (variance.status === 'error' || round.status === 'error') {
    const error =
      variance.status === 'error' ? variance.error : round.status === 'error' ? round.error : null;
    return (
      <>
        {error ? <ApiErrorSummary error={error} /> : null}
        <PlanningBreadcrumbs round={r} />
        <h1>Plan against actual</h1>
        {error?.status === 401 ? (
          <p>
            <Link to={`/sign-in?returnTo=${encodeURIComponent(`/planning/${roundCode}/variance/${org}`)}`}>
              Sign in
            </Link>{' '}
            to see plans.
          </p>
        ) : null}
      </>
    );
  }
  const view = variance.data;
  const planRound = round.data.round;
  const months = planMonths(planRound.yearStart);
  const label = (month: string) => months.find((m) => m.start === month)?.label ?? month;
  const lastActual = [...view.items, ...view.metrics]
    .flatMap((s) => s.series.filter((p) => p.actual !== null).map((p) => p.month))
    .sort()
    .at(-1);
  const off = view.metrics.filter((m) => m.offTrajectory);
  const isOrganisation = !['region', 'national-body', 'icb'].includes(view.area.kind);
  return (
    <>
      <PlanningBreadcrumbs
        round={planRound}
        items={
          view.area.kind === 'icb'
            ? [{ to: `/planning/${planRound.code}/systems/${view.area.odsCode}`, text: view.area.name }]
            : isOrganisation
              ? [
                  {
                    to: `/planning/${planRound.code}/plans/${view.area.odsCode}`,
                    text: `Plan of ${view.area.name}`,
                  },
                ]
              : []
        }
      />
      <h1>
        <span className="nhsuk-caption-l">{planRound.name}: plan against actual</span>
        {view.area.name}
      </h1>
      <p className="nhsuk-lede-text" data-testid="variance-lede">
        {view.organisations.length === 0
          ? 'No plan is counted yet: plan against actual uses each accepted plan, or the latest submitted one.'
          : !lastActual
            ? `No actuals for ${months[0]?.label ?? ''} to ${months.at(-1)?.label ?? ''} yet: they come from accepted returns.`
            : `${off.length} of ${view.metrics.length} ${view.metrics.length === 1 ? 'measure is' : 'measures are'} off trajectory: ${
                off.length === 0
                  ? 'none has its last three months with actuals all worse than plan'
                  : off.map((m) => m.name).join(', ')
              }. Actuals to ${label(lastActual)}.`}
      </p>
      {view.organisations.length > 0 ? (
        <p className="nhsuk-body-s app-secondary">
          Counts the plans of {view.organisations.length}{' '}
          {view.organisations.length === 1 ? 'organisation' : 'organisations'} (
          {view.organisations.join(', ')}
          ): each accepted version, else the latest submitted. An area&apos;s month counts only when every
          organisation planning an item reported it.
        </p>
      ) : null}
      {view.metrics.length > 0 ? (
        <section aria-labelledby="measures-heading">
          <h2 id="measures-heading">Measures</h2>
          {view.metrics.map((m) => (
            <SeriesBlock
              key={m.metric}
              id={`metric-${m.metric}`}
              name={m.name}
              code={m.metric}
              series={m.series}
              format={(v) => formatMetricValue(v, lookup.metricUnit(m.metric))}
              percent={lookup.metricUnit(m.metric) === '%'}
              label={label}
              fileName={`plan-v-actual-${view.round}-${view.area.odsCode}-${m.metric}`}
              area={view.area.odsCode}
              tag={
                m.polarity === 'neutral' ? null : m.offTrajectory ? (
                  <Tag colour="orange">Off trajectory</Tag>
                ) : m.series.filter((p) => p.variance !== null).length < 3 ? (
                  <Tag colour="grey">Too few actuals</Tag>
                ) : (
                  <Tag colour="green">On trajectory</Tag>
                )
              }
              note={polarityWords[m.polarity] ?? m.polarity}
            />
          ))}
        </section>
      ) : null}
      {view.items.length > 0 ? (
        <section aria-labelledby="items-heading">
          <h2 id="items-heading">Planned items</h2>
          {view.items.map((item) => (
            <SeriesBlock
              key={item.item}
              id={`item-${item.item}`}
              name={item.name}
              code={item.item}
              series={item.series}
              format={(v) => formatItemValue(v, lookup.itemUnit(item.item))}
              percent={false}
              label={label}
              fileName={`plan-v-actual-${view.round}-${view.area.odsCode}-${item.item}`}
              area={view.area.odsCode}
              yLabel={lookup.itemUnit(item.item) === 'gbp-thousands' ? '£000s' : 'Count'}
            />
          ))}
        </section>
      ) : null}
    </>
  );
}

function SeriesBlock({
  id,
  name,
  code,
  series,
  format,
  percent,
  label,
  fileName,
  area,
  tag,
  note,
  yLabel,
}: {
  id: string;
  name: string;
  code: string;
  series: VariancePoint[];
  format: (value: number | null) => string;
  percent: boolean;
  label: (month: string) => string;
  fileName: string;
  area: string;
  tag?: ReactNode;
  note?: string;
  yLabel?: string;
}) {
  const latest = series.filter((p) => p.variance !== null).at(-1);
  const signed = (v: number | null) => (v === null ? 'No data' : `${v > 0 ? '+' : ''}${format(v)}`);
  return (
    <div className="nhsuk-u-margin-bottom-7" data-testid={id}>
      <h3>
        {name} <span className="app-secondary nhsuk-body-s">({code})</span> {tag}
      </h3>
      <p>
        {note ? `${note}. ` : ''}
        {latest
          ? `${label(latest.month)}: actual ${format(latest.actual)} against a plan of ${format(latest.plan)} (${signed(latest.variance)}).`
          : 'No month has both a plan and an actual yet.'}
      </p>
      <PlanActualChart
        points={series.map((p) => ({ month: p.month, plan: p.plan, actual: p.actual }))}
        yLabel={yLabel ?? (percent ? 'Per cent' : '')}
        zero={!percent}
        title={`${name}: plan against actual by month`}
        fileName={fileName}
      />
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">
            Figures<span className="nhsuk-u-visually-hidden"> for {name}</span>
          </span>
        </summary>
        <div className="nhsuk-details__text">
          <VarianceTable name={name} series={series} format={format} signed={signed} label={label} />
          <CsvDownload
            fileName={fileName}
            columns={['area', 'code', 'month', 'plan', 'actual', 'variance', 'variance_percent']}
            rows={series.map((p) => [area, code, p.month, p.plan, p.actual, p.variance, p.variancePercent])}
          />
        </div>
      </details>
    </div>
  );
}

function VarianceTable({
  name,
  series,
  format,
  signed,
  label,
}: {
  name: string;
  series: PlanVsActualResponse['items'][number]['series'];
  format: (value: number | null) => string;
  signed: (value: number | null) => string;
  label: (month: string) => string;
}) {
  const cell = (text: string) => (text === 'No data' ? <Empty>No data</Empty> : text);
  return (
    <TableContainer label={`${name}: plan against actual`}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">
          {name}: plan against actual
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Month
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Plan
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Actual
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Actual less plan
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              As a share of plan
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {series.map((p) => (
            <tr className="nhsuk-table__row" key={p.month}>
              <td className="nhsuk-table__cell">{label(p.month)}</td>
              <td className="nhsuk-table__cell app-numeric">{cell(format(p.plan))}</td>
              <td className="nhsuk-table__cell app-numeric">{cell(format(p.actual))}</td>
              <td className="nhsuk-table__cell app-numeric">{cell(signed(p.variance))}</td>
              <td className="nhsuk-table__cell app-numeric">
                {p.variancePercent === null ? (
                  <Empty>No data</Empty>
                ) : (
                  `${p.variancePercent > 0 ? '+' : ''}${p.variancePercent.toFixed(1)}%`.replace('-', '\u2212')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}
