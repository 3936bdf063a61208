import { Fragment, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  api,
  type BenchmarkParams,
  type BenchmarkPeerKind,
  type BenchmarkResponse,
  type BenchmarkStanding,
} from '../api-client.js';
import { fieldError, SelectField, TextField } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatValue } from '../format.js';
import { useApi } from '../use-api.js';

const peerChoices: Array<{ value: BenchmarkPeerKind; label: string; hint: string }> = [
  { value: 'all', label: 'All of the same kind', hint: 'Every NHS trust, every ICB or every region' },
  {
    value: 'sector',
    label: 'The same sector',
    hint: 'Acute, mental health, community, ambulance or specialist trusts',
  },
  {
    value: 'size',
    label: 'The same size',
    hint: 'The same quarter of a size measure, such as A&E attendances',
  },
  { value: 'group', label: 'A peer group', hint: 'A group of organisations someone has defined' },
  {
    value: 'nearest',
    label: 'The most similar',
    hint: 'Nearest on measures you choose, each given equal weight',
  },
];
const peerKindOf = (value: string | null): BenchmarkPeerKind =>
  peerChoices.find((c) => c.value === value)?.value ?? 'all';

const levelPlural = {
  'nhs-trust': 'NHS trusts',
  icb: 'integrated care boards (ICBs)',
  region: 'regions',
} as const;

/** Quarter bands in words; the tag always carries the word, never colour alone. */
function BandTag({ band, neutral }: { band: number | null; neutral: boolean }) {
  if (band === null) return <Empty>Not ranked</Empty>;
  if (neutral)
    return (
      <Tag colour="purple">
        {['', 'Highest quarter', 'Second highest quarter', 'Second lowest quarter', 'Lowest quarter'][band]}
      </Tag>
    );
  const labels = ['', 'Best quarter', 'Second quarter', 'Third quarter', 'Worst quarter'];
  return <Tag colour={band === 1 ? 'blue' : band === 4 ? 'orange' : 'white'}>{labels[band]}</Tag>;
}

/** "4.7 percentage points higher", "120 lower", "In the best quarter"; neutral metrics have no best quarter. */
function distanceText(standing: BenchmarkStanding, unit: string): ReactNode {
  const distance = standing.distanceToBestQuartile;
  if (standing.bestQuartileBoundary === null)
    return <Empty>Not applicable: neither higher nor lower is better</Empty>;
  if (distance === null) return <Empty>No data</Empty>;
  if (distance === 0) return 'In the best quarter already';
  const formatted = formatValue(Math.abs(distance), unit);
  // A gap that rounds to nothing at the table's precision is still a gap: say how small it is.
  const size = /^0(\.0)?%?$/.test(formatted)
    ? `Less than ${unit === '%' ? '0.1 percentage points' : '1'}`
    : formatted.replace(/%$/, ' percentage points');
  return `${size} ${distance > 0 ? 'higher' : 'lower'} would reach the best quarter (${formatValue(standing.bestQuartileBoundary, unit)})`;
}

function StandingList({
  standing,
  value,
  unit,
  neutral,
  among,
}: {
  standing: BenchmarkStanding;
  value: number | null;
  unit: string;
  neutral: boolean;
  among: string;
}) {
  return (
    <SummaryList
      rows={[
        { key: 'Value', value: value === null ? <Empty>No data</Empty> : formatValue(value, unit) },
        { key: 'Median', value: formatValue(standing.median, unit) },
        {
          key: 'Middle half (quartiles)',
          value:
            standing.lower === null || standing.upper === null ? (
              <Empty>No data</Empty>
            ) : (
              `${formatValue(standing.lower, unit)} to ${formatValue(standing.upper, unit)}`
            ),
        },
        {
          key: 'Rank',
          value:
            standing.rank === null ? (
              <Empty>Not ranked</Empty>
            ) : (
              `${standing.rank} of ${standing.count} ${among}${neutral ? ', highest first' : ''}`
            ),
        },
        { key: 'Quarter', value: <BandTag band={standing.band} neutral={neutral} /> },
        { key: 'Distance to the best quarter', value: distanceText(standing, unit) },
      ]}
    />
  );
}

function PeersTable({ data }: { data: BenchmarkResponse }) {
  const { peerGroup, metric } = data;
  const showSize = peerGroup.kind === 'size' && peerGroup.sizeBand !== null;
  const showDistance = peerGroup.kind === 'nearest';
  return (
    <TableContainer label="Peers">
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          {metric.name}, {data.label}: {peerGroup.description}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header app-numeric" scope="col">
              Rank
            </th>
            <th className="nhsuk-table__header" scope="col">
              Organisation
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Value
            </th>
            {showSize ? (
              <th className="nhsuk-table__header app-numeric" scope="col">
                {peerGroup.sizeBand?.metric.name}
              </th>
            ) : null}
            {showDistance ? (
              <th className="nhsuk-table__header app-numeric" scope="col">
                Distance
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {peerGroup.peers.map((peer) => (
            <tr className="nhsuk-table__row" key={peer.odsCode}>
              <td className="nhsuk-table__cell app-numeric">{peer.rank ?? <Empty>Not ranked</Empty>}</td>
              <td className="nhsuk-table__cell">
                {peer.subject ? (
                  <strong>
                    {peer.name} ({peer.odsCode}), this organisation
                  </strong>
                ) : (
                  <>
                    <Link to={`/organisations/${peer.odsCode}`}>{peer.name}</Link>{' '}
                    <span className="app-secondary">{peer.odsCode}</span>
                  </>
                )}
              </td>
              <td className="nhsuk-table__cell app-numeric">
                {peer.value === null ? <Empty>No data</Empty> : formatValue(peer.value, metric.unit)}
              </td>
              {showSize ? (
                <td className="nhsuk-table__cell app-numeric">
                  {peer.size === null ? (
                    <Empty>No data</Empty>
                  ) : (
                    formatValue(peer.size, peerGroup.sizeBand?.metric.unit ?? '')
                  )}
                </td>
              ) : null}
              {showDistance ? (
                <td className="nhsuk-table__cell app-numeric">
                  {peer.distance === null ? <Empty>Not applicable</Empty> : peer.distance.toFixed(2)}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

interface Fields {
  org: string;
  month: string;
  peers: BenchmarkPeerKind;
  sizeMetric: string;
  group: string;
  attributes: string[];
  k: string;
}

function fieldsFrom(params: URLSearchParams): Fields {
  return {
    org: (params.get('org') ?? '').toUpperCase(),
    month: (params.get('period') ?? '').slice(0, 7),
    peers: peerKindOf(params.get('peers')),
    sizeMetric: params.get('sizeMetric') ?? 'ae_attendances',
    group: params.get('group') ?? '',
    attributes: (params.get('attributes') ?? '').split(',').filter(Boolean),
    k: params.get('k') ?? '5',
  };
}

/** Where an organisation sits on a metric, in England and among peers it chooses. */
export function BenchmarkPage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const request: BenchmarkParams | null = params.get('org')
    ? {
        org: (params.get('org') ?? '').toUpperCase(),
        peers: peerKindOf(params.get('peers')),
        ...(params.get('period') ? { period: params.get('period') ?? '' } : {}),
        ...(params.get('sizeMetric') ? { sizeMetric: params.get('sizeMetric') ?? '' } : {}),
        ...(params.get('group') ? { group: params.get('group') ?? '' } : {}),
        ...(params.get('attributes') ? { attributes: params.get('attributes') ?? '' } : {}),
        ...(params.get('k') ? { k: Number(params.get('k')) } : {}),
      }
    : null;
  const key = params.toString();
  const state = useApi(
    (signal) => (request ? api.benchmark(code, request, signal) : Promise.resolve(null)),
    [code, key],
  );
  const catalogue = useApi((signal) => api.metrics(signal), []);
  const groups = useApi((signal) => api.peerGroups(signal), []);
  const [fields, setFields] = useState<Fields>(() => fieldsFrom(params));
  const [fieldsFor, setFieldsFor] = useState(key);
  // When the address changes (back, a link), the form follows it.
  if (fieldsFor !== key) {
    setFieldsFor(key);
    setFields(fieldsFrom(params));
  }
  const [formError, setFormError] = useState<{ field: string; message: string } | null>(null);

  const data = state.status === 'ready' ? state.data : null;
  const metricName =
    data?.metric.name ??
    (catalogue.status === 'ready' ? catalogue.data.metrics.find((m) => m.code === code)?.name : undefined) ??
    code;
  usePageTitle(
    data ? `Benchmark: ${data.metric.name}, ${data.organisation.name}` : `Benchmark: ${metricName}`,
    state.status === 'error' || formError !== null,
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const org = fields.org.trim().toUpperCase();
    const month = fields.month.trim();
    if (!/^[A-Z0-9]{2,10}$/.test(org))
      return setFormError({
        field: 'benchmark-org',
        message: 'Enter an ODS code, for example RJZ, QKK or Y56',
      });
    if (month !== '' && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      return setFormError({
        field: 'benchmark-month',
        message: 'Enter the month as year and month, for example 2024-01, or leave it blank for the latest',
      });
    if (fields.peers === 'group' && fields.group === '')
      return setFormError({ field: 'benchmark-group', message: 'Choose a peer group' });
    if (fields.peers === 'nearest' && fields.attributes.length === 0)
      return setFormError({
        field: 'benchmark-attributes',
        message: 'Choose at least one measure to find the most similar organisations on',
      });
    if (fields.peers === 'nearest' && !/^([1-9]|[1-4][0-9]|50)$/.test(fields.k.trim()))
      return setFormError({ field: 'benchmark-k', message: 'Enter how many to compare with, from 1 to 50' });
    setFormError(null);
    const next = new URLSearchParams({ org, peers: fields.peers });
    if (month) next.set('period', `${month}-01`);
    if (fields.peers === 'size') next.set('sizeMetric', fields.sizeMetric);
    if (fields.peers === 'group') next.set('group', fields.group);
    if (fields.peers === 'nearest') {
      next.set('attributes', fields.attributes.join(','));
      next.set('k', fields.k.trim());
    }
    void navigate(`?${next.toString()}`);
  }

  const apiError = state.status === 'error' ? state.error : null;
  const serverField = (field: string) => fieldError(apiError, field);
  const errorFor = (id: string, field: string) =>
    formError?.field === id ? formError.message : serverField(field);
  const metrics = catalogue.status === 'ready' ? catalogue.data.metrics : [];
  const neutral = data?.metric.polarity === 'neutral';

  return (
    <>
      {formError ? (
        <div
          className="nhsuk-error-summary"
          tabIndex={-1}
          aria-labelledby="benchmark-error-title"
          ref={(el) => el?.focus()}
        >
          <div role="alert">
            <h2 className="nhsuk-error-summary__heading" id="benchmark-error-title">
              There is a problem
            </h2>
            <div className="nhsuk-error-summary__body">
              <ul className="nhsuk-list nhsuk-error-summary__list">
                <li>
                  <a href={`#${formError.field}`}>{formError.message}</a>
                </li>
              </ul>
            </div>
          </div>
        </div>
      ) : null}
      {apiError && !formError ? (
        <ApiErrorSummary
          error={apiError}
          fieldIds={{
            org: 'benchmark-org',
            period: 'benchmark-month',
            peers: 'benchmark-peers',
            sizeMetric: 'benchmark-size-metric',
            group: 'benchmark-group',
            attributes: 'benchmark-attributes',
            k: 'benchmark-k',
          }}
        />
      ) : null}
      <span className="nhsuk-caption-l">
        <Link to={`/metrics/${code}${request ? `?org=${request.org}` : ''}`}>{metricName}</Link>
      </span>
      <h1>Benchmark{data ? `: ${data.organisation.name}` : ''}</h1>
      {request && state.status === 'loading' ? <Loading what="the benchmark" /> : null}
      {!request ? (
        <p className="nhsuk-lede-text">Enter an NHS trust, ICB or region to see where it sits.</p>
      ) : null}
      {data ? (
        <>
          <p className="nhsuk-lede-text">
            {data.value === null
              ? `${data.organisation.name} has no value of ${data.metric.name} for ${data.label}.`
              : `${formatValue(data.value, data.metric.unit)} in ${data.label}: ${
                  data.national.rank === null
                    ? 'not ranked'
                    : `${data.national.rank} of ${data.national.count}`
                } ${levelPlural[data.organisation.level]} in England (median ${formatValue(data.national.median, data.metric.unit)}). ${data.metric.polarityLabel}.`}
          </p>
          {data.notes.map((note) => (
            <div className="nhsuk-inset-text" key={note}>
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>{note}</p>
            </div>
          ))}
        </>
      ) : null}

      <form onSubmit={submit} noValidate>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-half">
            <TextField
              id="benchmark-org"
              label="Organisation (ODS code)"
              hint="An NHS trust, ICB or region, for example RJZ, QKK or Y56"
              error={errorFor('benchmark-org', 'org')}
              value={fields.org}
              onChange={(org) => setFields({ ...fields, org })}
              width={10}
            />
          </div>
          <div className="nhsuk-grid-column-one-half">
            <TextField
              id="benchmark-month"
              label="Month (optional)"
              hint="Year and month, for example 2024-01; blank for the latest with figures"
              error={errorFor('benchmark-month', 'period')}
              value={fields.month}
              onChange={(month) => setFields({ ...fields, month })}
              width={10}
            />
          </div>
        </div>
        <div
          className={`nhsuk-form-group${errorFor('benchmark-peers', 'peers') ? ' nhsuk-form-group--error' : ''}`}
        >
          <fieldset className="nhsuk-fieldset" aria-describedby="benchmark-peers-hint" id="benchmark-peers">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Compare with</legend>
            <div className="nhsuk-hint" id="benchmark-peers-hint">
              Trusts are compared with trusts, ICBs with ICBs and regions with regions.
            </div>
            {errorFor('benchmark-peers', 'peers') ? (
              <span className="nhsuk-error-message">
                <span className="nhsuk-u-visually-hidden">Error:</span> {errorFor('benchmark-peers', 'peers')}
              </span>
            ) : null}
            <div className="nhsuk-radios nhsuk-radios--conditional">
              {peerChoices
                // Sectors group trusts only; an ICB or a region is offered the other groupings.
                .filter(
                  (choice) => choice.value !== 'sector' || !data || data.organisation.level === 'nhs-trust',
                )
                .map((choice) => (
                  <Fragment key={choice.value}>
                    <div className="nhsuk-radios__item">
                      <input
                        className="nhsuk-radios__input"
                        id={`benchmark-peers-${choice.value}`}
                        name="peers"
                        type="radio"
                        value={choice.value}
                        checked={fields.peers === choice.value}
                        aria-describedby={`benchmark-peers-${choice.value}-hint`}
                        onChange={() => setFields({ ...fields, peers: choice.value })}
                      />
                      <label
                        className="nhsuk-label nhsuk-radios__label"
                        htmlFor={`benchmark-peers-${choice.value}`}
                      >
                        {choice.label}
                      </label>
                      <div
                        className="nhsuk-hint nhsuk-radios__hint"
                        id={`benchmark-peers-${choice.value}-hint`}
                      >
                        {choice.hint}
                      </div>
                    </div>
                    {choice.value === 'size' && fields.peers === 'size' ? (
                      <div className="nhsuk-radios__conditional">
                        <SelectField
                          id="benchmark-size-metric"
                          label="Measure of size"
                          error={errorFor('benchmark-size-metric', 'sizeMetric')}
                          value={fields.sizeMetric}
                          onChange={(sizeMetric) => setFields({ ...fields, sizeMetric })}
                          options={metrics
                            .filter((m) => m.unit !== '%')
                            .map((m) => ({ value: m.code, text: m.name }))}
                        />
                      </div>
                    ) : null}
                    {choice.value === 'group' && fields.peers === 'group' ? (
                      <div className="nhsuk-radios__conditional">
                        {groups.status === 'ready' && groups.data.peerGroups.length === 0 ? (
                          <p id="benchmark-group">
                            No peer groups have been defined yet. Create one with{' '}
                            <code className="app-code">oversight peers create</code>.
                          </p>
                        ) : (
                          <SelectField
                            id="benchmark-group"
                            label="Peer group"
                            error={errorFor('benchmark-group', 'group')}
                            value={fields.group}
                            onChange={(group) => setFields({ ...fields, group })}
                            options={[
                              { value: '', text: 'Choose a peer group' },
                              ...(groups.status === 'ready' ? groups.data.peerGroups : []).map((g) => ({
                                value: g.code,
                                text: `${g.name} (${g.members.length})`,
                              })),
                            ]}
                          />
                        )}
                      </div>
                    ) : null}
                    {choice.value === 'nearest' && fields.peers === 'nearest' ? (
                      <div className="nhsuk-radios__conditional">
                        <div
                          className={`nhsuk-form-group${errorFor('benchmark-attributes', 'attributes') ? ' nhsuk-form-group--error' : ''}`}
                        >
                          <fieldset
                            className="nhsuk-fieldset"
                            id="benchmark-attributes"
                            aria-describedby="benchmark-attributes-hint"
                          >
                            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                              Similar on these measures
                            </legend>
                            <div className="nhsuk-hint" id="benchmark-attributes-hint">
                              Up to 6, in the same month. Each is put on the same scale, so each counts
                              equally.
                            </div>
                            {errorFor('benchmark-attributes', 'attributes') ? (
                              <span className="nhsuk-error-message">
                                <span className="nhsuk-u-visually-hidden">Error:</span>{' '}
                                {errorFor('benchmark-attributes', 'attributes')}
                              </span>
                            ) : null}
                            <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                              {metrics.map((m) => (
                                <div className="nhsuk-checkboxes__item" key={m.code}>
                                  <input
                                    className="nhsuk-checkboxes__input"
                                    id={`benchmark-attribute-${m.code}`}
                                    type="checkbox"
                                    checked={fields.attributes.includes(m.code)}
                                    onChange={(event) =>
                                      setFields({
                                        ...fields,
                                        attributes: event.target.checked
                                          ? [...fields.attributes, m.code]
                                          : fields.attributes.filter((a) => a !== m.code),
                                      })
                                    }
                                  />
                                  <label
                                    className="nhsuk-label nhsuk-checkboxes__label"
                                    htmlFor={`benchmark-attribute-${m.code}`}
                                  >
                                    {m.name}
                                  </label>
                                </div>
                              ))}
                            </div>
                          </fieldset>
                        </div>
                        <TextField
                          id="benchmark-k"
                          label="How many to compare with"
                          hint="From 1 to 50"
                          error={errorFor('benchmark-k', 'k')}
                          value={fields.k}
                          onChange={(k) => setFields({ ...fields, k })}
                          width={10}
                        />
                      </div>
                    ) : null}
                  </Fragment>
                ))}
            </div>
          </fieldset>
        </div>
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Show benchmark
        </button>
      </form>

      {data ? (
        <>
          <div className="nhsuk-grid-row">
            <div className="nhsuk-grid-column-one-half">
              <h2 id="england-heading">Among all {levelPlural[data.organisation.level]} in England</h2>
              <StandingList
                standing={data.national}
                value={data.value}
                unit={data.metric.unit}
                neutral={neutral}
                among={levelPlural[data.organisation.level]}
              />
              <p className="nhsuk-body-s">
                England as a whole: {formatValue(data.england, data.metric.unit)}.
              </p>
            </div>
            <div className="nhsuk-grid-column-one-half">
              <h2 id="peers-heading">Among peers</h2>
              <p className="nhsuk-body-s">{data.peerGroup.description}.</p>
              <StandingList
                standing={data.peerGroup.position}
                value={data.value}
                unit={data.metric.unit}
                neutral={neutral}
                among="peers"
              />
            </div>
          </div>
          <div className="nhsuk-warning-callout">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                Do not over-read small differences
              </span>
            </h2>
            <p>
              Neighbouring ranks are often within ordinary month-to-month variation. Quartiles and quarters
              group organisations; one rank apart is rarely a real difference. Look at the trend on the{' '}
              <Link to={`/metrics/${code}?org=${data.organisation.odsCode}`}>metric page</Link> too.
            </p>
          </div>
          <PeersTable data={data} />
        </>
      ) : null}
    </>
  );
}
