import { Link, useSearchParams } from 'react-router';
import { api, type TreeNode } from '../api-client.js';
import { AsAtControl } from '../components/AsAtControl.js';
import { MemberFigures } from '../components/MemberFigures.js';
import { RegionTileMap } from '../components/RegionTileMap.js';
import { ApiErrorSummary, Empty, Loading, usePageTitle, TableContainer } from '../components/page-parts.js';
import { formatCount, formatLongDate, withAsAt } from '../format.js';
import { useApi } from '../use-api.js';

function countKinds(node: TreeNode, kinds: string[]): number {
  return (
    (kinds.includes(node.kind) ? 1 : 0) +
    node.children.reduce((sum, child) => sum + countKinds(child, kinds), 0)
  );
}

/** England overview: which regions and systems make up the NHS on the chosen date. */
export function EnglandPage() {
  const [params] = useSearchParams();
  const asAtParam = params.get('asAt') ?? undefined;
  const state = useApi((signal) => api.tree({ asAt: asAtParam, depth: 3 }, signal), [asAtParam]);
  usePageTitle('The NHS in England', state.status === 'error');

  if (state.status === 'loading') {
    return (
      <>
        <h1>The NHS in England</h1>
        <Loading what="the regions and integrated care boards" />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>The NHS in England</h1>
        <p>
          <Link to="/">Show today instead</Link>
        </p>
      </>
    );
  }

  const { root, asAt } = state.data;
  const regions = root.children.filter((child) => child.kind === 'region');
  const systems = regions.flatMap((region) =>
    region.children.filter((child) => child.kind === 'icb' || child.kind === 'stp'),
  );
  const systemsAreIcbs = systems.every((system) => system.kind === 'icb');
  const systemLabel = systemsAreIcbs
    ? 'integrated care boards (ICBs)'
    : 'sustainability and transformation partnerships (STPs)';
  const trusts = countKinds(root, ['nhs-trust']);

  return (
    <>
      <h1>The NHS in England on {formatLongDate(asAt)}</h1>
      <p className="nhsuk-lede-text">
        {regions.length} NHS England regions, {systems.length} {systemLabel} and {formatCount(trusts)} NHS
        trusts.
      </p>
      <AsAtControl asAt={asAt} />

      <h2>Regions and systems</h2>
      <RegionTileMap regions={regions} asAtParam={asAtParam} />
      <MemberFigures code="X24" asAt={asAt} asAtParam={asAtParam} caption="Regions side by side" />

      <TableContainer label="Regions">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">
            Regions on {formatLongDate(asAt)}
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Region
              </th>
              <th className="nhsuk-table__header" scope="col">
                Regional director
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                {systemsAreIcbs ? 'ICBs' : 'STPs'}
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                NHS trusts
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {regions.map((region) => {
              const director = region.roles?.find((role) => role.role === 'regional-director');
              return (
                <tr className="nhsuk-table__row" key={region.odsCode}>
                  <th className="nhsuk-table__header" scope="row">
                    <Link to={withAsAt(`/organisations/${region.odsCode}`, asAtParam)}>{region.name}</Link>{' '}
                    <span className="app-code">{region.odsCode}</span>
                  </th>
                  <td className="nhsuk-table__cell">
                    {director ? director.holderName : <Empty>Not recorded</Empty>}
                  </td>
                  <td className="nhsuk-table__cell app-numeric">
                    {region.children.filter((c) => c.kind === 'icb' || c.kind === 'stp').length}
                  </td>
                  <td className="nhsuk-table__cell app-numeric">
                    {formatCount(countKinds(region, ['nhs-trust']))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableContainer>

      <h2>
        {systemsAreIcbs ? 'Integrated care boards' : 'Sustainability and transformation partnerships'} by
        region
      </h2>
      {regions.map((region) => (
        <section key={region.odsCode} aria-labelledby={`region-${region.odsCode}`}>
          <h3 id={`region-${region.odsCode}`}>{region.name}</h3>
          <ul className="nhsuk-list">
            {region.children
              .filter((child) => child.kind === 'icb' || child.kind === 'stp')
              .map((system) => (
                <li key={system.odsCode}>
                  <Link to={withAsAt(`/organisations/${system.odsCode}`, asAtParam)}>{system.name}</Link>{' '}
                  <span className="app-secondary">
                    ({system.odsCode}, {countKinds(system, ['nhs-trust'])} NHS trusts)
                  </span>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </>
  );
}
