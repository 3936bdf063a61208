import { BurdenSummary } from './TemplatesPage.js';
import { OversightPosition } from '../components/SegmentParts.js';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  organisationKindLabels,
  trustSectorLabels,
  type OrganisationKind,
} from '../../domain/organisation.js';
import { api, type OrganisationSummary, type ProfileResponse } from '../api-client.js';
import { AsAtControl } from '../components/AsAtControl.js';
import { BenchmarkPosition } from '../components/BenchmarkPosition.js';
import { LatestFigures } from '../components/LatestFigures.js';
import { MemberFigures } from '../components/MemberFigures.js';
import { OrganisationReturns } from '../components/OrganisationReturns.js';
import {
  ApiErrorSummary,
  Breadcrumbs,
  Empty,
  Loading,
  ProvenanceTag,
  SummaryList,
  Tag,
  usePageTitle,
  TableContainer,
} from '../components/page-parts.js';
import { describeEventFor } from '../event-text.js';
import { formatLongDate, formatPeriod, withAsAt } from '../format.js';
import { useApi } from '../use-api.js';

const provenanceLabels: Record<string, string> = {
  reference: 'NHS England reference structure (public facts carried by this service)',
  'ods-import': 'Imported from ODS reference files',
  demo: 'Generated demonstration data',
  manual: 'Recorded by a user',
};

const childGroups: Array<{ kinds: OrganisationKind[]; title: string }> = [
  { kinds: ['region'], title: 'Regions' },
  { kinds: ['stp', 'icb'], title: 'Integrated care systems' },
  { kinds: ['nhs-trust'], title: 'NHS trusts' },
  { kinds: ['independent-provider'], title: 'Independent providers' },
  { kinds: ['ccg'], title: 'Clinical commissioning groups (CCGs)' },
  { kinds: ['gp-practice'], title: 'GP practices' },
];

function orgLink(code: string, asAt: string | undefined) {
  return withAsAt(code === 'X24' ? '/' : `/organisations/${code}`, asAt);
}

function ChildrenTables({ profile, asAt }: { profile: ProfileResponse; asAt: string | undefined }) {
  if (profile.children.length === 0) return null;
  return (
    <>
      {childGroups.map((group) => {
        const members = profile.children.filter((child) => group.kinds.includes(child.kind));
        if (members.length === 0) return null;
        return (
          <TableContainer label={group.title} key={group.title}>
            <table className="nhsuk-table" key={group.title}>
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                {group.title} ({members.length}) on {formatLongDate(profile.asAt)}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Name
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    ODS code
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    {group.kinds.includes('nhs-trust') ? 'Sector' : 'Type'}
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {members.map((child) => (
                  <tr className="nhsuk-table__row" key={child.odsCode}>
                    <td className="nhsuk-table__cell">
                      <Link to={orgLink(child.odsCode, asAt)}>{child.name}</Link>{' '}
                      <ProvenanceTag provenance={child.provenance} />
                    </td>
                    <td className="nhsuk-table__cell">{child.odsCode}</td>
                    <td className="nhsuk-table__cell">
                      {child.kind === 'nhs-trust' ? (
                        child.sector ? (
                          trustSectorLabels[child.sector]
                        ) : (
                          <Empty />
                        )
                      ) : (
                        child.kindLabel
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableContainer>
        );
      })}
    </>
  );
}

function Successions({ profile }: { profile: ProfileResponse }) {
  const rows = [...profile.predecessors, ...profile.successors].sort((a, b) =>
    a.effectiveDate.localeCompare(b.effectiveDate),
  );
  if (rows.length === 0) return null;
  return (
    <TableContainer label="Predecessors and successors">
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          Predecessors and successors
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Date
            </th>
            <th className="nhsuk-table__header" scope="col">
              Predecessor
            </th>
            <th className="nhsuk-table__header" scope="col">
              Successor
            </th>
            <th className="nhsuk-table__header" scope="col">
              Type
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((row) => (
            <tr
              className="nhsuk-table__row"
              key={`${row.predecessorCode}-${row.successorCode}-${row.effectiveDate}`}
            >
              <td className="nhsuk-table__cell">{formatLongDate(row.effectiveDate)}</td>
              <td className="nhsuk-table__cell">
                {row.predecessorCode === profile.organisation.odsCode ? (
                  row.predecessorCode
                ) : (
                  <Link to={`/organisations/${row.predecessorCode}`}>{row.predecessorCode}</Link>
                )}
              </td>
              <td className="nhsuk-table__cell">
                {row.successorCode === profile.organisation.odsCode ? (
                  row.successorCode
                ) : (
                  <Link to={`/organisations/${row.successorCode}`}>{row.successorCode}</Link>
                )}
              </td>
              <td className="nhsuk-table__cell">
                {row.type === 'unclassified' ? 'Succession' : row.type[0]?.toUpperCase() + row.type.slice(1)}
                {row.isSplit && row.type !== 'split' ? ' (split)' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function WhereNow({ code }: { code: string }) {
  const state = useApi((signal) => api.successors(code, signal), [code]);
  if (state.status === 'loading') return <Loading what="where its work sits today" />;
  if (state.status === 'error')
    return (
      <p className="app-secondary">Where its work sits today could not be loaded: {state.error.message}</p>
    );
  const { asNow } = state.data;
  if (asNow.status === 'current') return null;
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      {asNow.current.length === 0 ? (
        <p>None of its successors is open today, so its history does not map onto today's structure.</p>
      ) : (
        <>
          <p>Today its work is part of:</p>
          <ul>
            {asNow.current.map((entry) => (
              <li key={entry.organisation.odsCode}>
                <Link to={`/organisations/${entry.organisation.odsCode}`}>{entry.organisation.name}</Link> (
                {entry.path
                  .slice(1, -1)
                  .map((o) => o.name)
                  .join(', ')}
                )
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function EventsTable({ code }: { code: string }) {
  const state = useApi((signal) => api.organisationEvents(code, signal), [code]);
  if (state.status === 'loading') return <Loading what="its changes" />;
  if (state.status === 'error')
    return <p className="app-secondary">Its changes could not be loaded: {state.error.message}</p>;
  if (state.data.events.length === 0) return null;
  return (
    <TableContainer label="Changes recorded">
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">Changes recorded</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Date
            </th>
            <th className="nhsuk-table__header" scope="col">
              Change
            </th>
            <th className="nhsuk-table__header" scope="col">
              Reason
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {state.data.events.map((event) => (
            <tr className="nhsuk-table__row" key={event.id}>
              <td className="nhsuk-table__cell">{formatLongDate(event.effectiveDate)}</td>
              <td className="nhsuk-table__cell">{describeEventFor(event, code)}</td>
              <td className="nhsuk-table__cell">{event.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function describePlace(profile: ProfileResponse): string {
  const { organisation, path } = profile;
  const parents = path.slice(1, -1).reverse();
  const date = formatLongDate(profile.asAt);
  if (!profile.existedOnDate) {
    return `${organisation.name} did not exist on ${date}: it was open ${formatPeriod(organisation.validFrom, organisation.validTo)}.`;
  }
  if (parents.length === 0) return `${organisation.name} is the root of the NHS structure in England.`;
  return `On ${date}, ${organisation.name} was part of ${parents.map((p) => p.name).join(', in ')}.`;
}

/** One organisation: where it sits on the date, what it contains, and its whole history. */
export function OrganisationPage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const asAtParam = params.get('asAt') ?? undefined;
  const state = useApi((signal) => api.organisation(code, asAtParam, signal), [code, asAtParam]);
  const title = state.status === 'ready' ? state.data.organisation.name : code.toUpperCase();
  usePageTitle(title, state.status === 'error');

  if (state.status === 'loading') {
    return (
      <>
        <h1>{code.toUpperCase()}</h1>
        <Loading what="the organisation" />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>{state.error.status === 404 ? 'Organisation not found' : code.toUpperCase()}</h1>
        <p>
          <Link to={`/search?q=${encodeURIComponent(code)}`}>Search for {code.toUpperCase()}</Link>
        </p>
      </>
    );
  }

  const profile = state.data;
  const organisation: OrganisationSummary = profile.organisation;
  const parent = profile.path.length > 1 ? profile.path[profile.path.length - 2] : undefined;
  const director = profile.roles.find(
    (role) =>
      role.role === 'regional-director' &&
      role.validFrom <= profile.asAt &&
      (role.validTo === null || role.validTo > profile.asAt),
  );

  return (
    <>
      <Breadcrumbs items={profile.path.slice(0, -1)} asAt={asAtParam} />
      <span className="nhsuk-caption-l">
        {organisation.kindLabel} <span className="app-code">{organisation.odsCode}</span>
      </span>
      <h1>
        {organisation.name} {organisation.validTo ? <Tag colour="grey">Closed</Tag> : null}{' '}
        <ProvenanceTag provenance={organisation.provenance} />
      </h1>
      <p className="nhsuk-lede-text">{describePlace(profile)}</p>
      {organisation.validTo ? <WhereNow code={organisation.odsCode} /> : null}
      <AsAtControl asAt={profile.asAt} />

      <SummaryList
        rows={[
          { key: 'ODS code', value: organisation.odsCode },
          { key: 'Type', value: organisationKindLabels[organisation.kind] },
          ...(organisation.kind === 'nhs-trust'
            ? [
                {
                  key: 'Sector',
                  value: organisation.sector ? (
                    trustSectorLabels[organisation.sector]
                  ) : (
                    <Empty>Not known: the ODS extract does not state it</Empty>
                  ),
                },
              ]
            : []),
          ...(parent && parent.odsCode !== 'X24'
            ? [{ key: 'Part of', value: <Link to={orgLink(parent.odsCode, asAtParam)}>{parent.name}</Link> }]
            : []),
          ...(organisation.kind === 'region'
            ? [
                {
                  key: 'Regional director',
                  value: director ? (
                    `${director.holderName} (since ${formatLongDate(director.validFrom)})`
                  ) : (
                    <Empty>Not recorded</Empty>
                  ),
                },
              ]
            : []),
          { key: 'Open', value: formatPeriod(organisation.validFrom, organisation.validTo) },
          ...(organisation.postcode ? [{ key: 'Postcode', value: organisation.postcode }] : []),
          { key: 'Source', value: provenanceLabels[organisation.provenance] ?? organisation.provenance },
        ]}
      />

      {profile.existedOnDate ? <LatestFigures code={organisation.odsCode} asAt={profile.asAt} /> : null}
      {profile.existedOnDate && organisation.kind === 'nhs-trust' ? (
        <OversightPosition code={organisation.odsCode} />
      ) : null}
      {profile.existedOnDate ? <BurdenSummary code={organisation.odsCode} /> : null}
      {profile.existedOnDate ? (
        <ul className="nhsuk-list">
          <li>
            <Link to={`/organisations/${organisation.odsCode}/report?until=${profile.asAt}`}>
              Integrated performance report (SPC icons for every measure)
            </Link>
          </li>
          <li>
            <Link to={`/organisations/${organisation.odsCode}/inbox`}>Inbox: every return asked of it</Link>
          </li>
          <li>
            <Link to={`/planning?org=${organisation.odsCode}`}>
              Plans: operational and financial planning rounds
            </Link>
          </li>
          {['nhs-trust', 'icb', 'stp', 'region', 'national-body'].includes(organisation.kind) ? (
            <li>
              <Link to={`/organisations/${organisation.odsCode}/oversight`}>
                {organisation.kind === 'nhs-trust'
                  ? 'Oversight segment and its drivers'
                  : 'Oversight: this area and its members side by side'}
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}

      {profile.existedOnDate &&
      (organisation.kind === 'region' || organisation.kind === 'icb' || organisation.kind === 'stp') ? (
        <MemberFigures
          code={organisation.odsCode}
          asAt={profile.asAt}
          asAtParam={asAtParam}
          caption={organisation.kind === 'region' ? 'Its systems side by side' : 'Its members side by side'}
        />
      ) : null}

      <ChildrenTables profile={profile} asAt={asAtParam} />

      {profile.existedOnDate && organisation.kind === 'nhs-trust' ? (
        <BenchmarkPosition code={organisation.odsCode} asAt={profile.asAt} />
      ) : null}

      {organisation.kind === 'nhs-trust' || organisation.kind === 'independent-provider' ? (
        <OrganisationReturns code={organisation.odsCode} />
      ) : null}

      <h2>History</h2>
      <TableContainer label="Names and types">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">Names and types</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Period
              </th>
              <th className="nhsuk-table__header" scope="col">
                Name
              </th>
              <th className="nhsuk-table__header" scope="col">
                Type
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {profile.versions.map((version) => (
              <tr className="nhsuk-table__row" key={version.validFrom}>
                <td className="nhsuk-table__cell">{formatPeriod(version.validFrom, version.validTo)}</td>
                <td className="nhsuk-table__cell">{version.name}</td>
                <td className="nhsuk-table__cell">{version.kindLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
      {profile.parents.length > 0 ? (
        <TableContainer label="Part of">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">Part of</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Period
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Organisation
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {profile.parents.map((link) => (
                <tr className="nhsuk-table__row" key={link.validFrom}>
                  <td className="nhsuk-table__cell">{formatPeriod(link.validFrom, link.validTo)}</td>
                  <td className="nhsuk-table__cell">
                    <Link to={orgLink(link.parentCode, link.validFrom)}>{link.parentName}</Link>{' '}
                    <span className="app-code">{link.parentCode}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      ) : null}
      {profile.roles.length > 0 ? (
        <TableContainer label="Named roles">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">Named roles</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Period
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Role
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Name
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {profile.roles.map((role) => (
                <tr className="nhsuk-table__row" key={`${role.role}-${role.validFrom}`}>
                  <td className="nhsuk-table__cell">{formatPeriod(role.validFrom, role.validTo)}</td>
                  <td className="nhsuk-table__cell">{role.roleLabel}</td>
                  <td className="nhsuk-table__cell">{role.holderName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      ) : null}
      <Successions profile={profile} />
      <EventsTable code={organisation.odsCode} />
    </>
  );
}
