import { Link, useSearchParams } from 'react-router';
import { api, type TreeNode } from '../api-client.js';
import { AsAtControl } from '../components/AsAtControl.js';
import { ApiErrorSummary, Loading, usePageTitle } from '../components/page-parts.js';
import { formatCount, formatLongDate } from '../format.js';
import { useApi } from '../use-api.js';

function countFormerly(node: TreeNode): number {
  return (node.formerly?.length ?? 0) + node.children.reduce((sum, child) => sum + countFormerly(child), 0);
}

function Formerly({ node }: { node: TreeNode }) {
  if (!node.formerly || node.formerly.length === 0) return null;
  return (
    <span className="app-secondary">
      {' '}
      — formerly{' '}
      {node.formerly.map((old, index) => (
        <span key={old.odsCode}>
          {index > 0 ? ', ' : ''}
          <Link to={`/organisations/${old.odsCode}`}>{old.name}</Link> ({old.odsCode})
        </span>
      ))}
    </span>
  );
}

/**
 * History as now: today's regions, ICBs and trusts, with every organisation that existed on the
 * chosen date placed under the organisation that carries its work today.
 */
export function AsNowPage() {
  const [params] = useSearchParams();
  const asAtParam = params.get('asAt') ?? '2019-03-31';
  const state = useApi(
    (signal) => api.tree({ asAt: asAtParam, depth: 3, structure: 'as-now' }, signal),
    [asAtParam],
  );
  usePageTitle('History as now', state.status === 'error');

  return (
    <>
      {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
      <h1>History as now</h1>
      <p className="nhsuk-lede-text">
        Today’s structure applied to history: the organisations that existed on {formatLongDate(asAtParam)},
        placed under the regions, integrated care boards and trusts that carry their work today, following
        each merger, acquisition and split.
      </p>
      <AsAtControl asAt={asAtParam} />
      {state.status === 'loading' ? (
        <Loading what="today's structure" />
      ) : state.status === 'ready' ? (
        <>
          <p>
            {formatCount(countFormerly(state.data.root))} organisations of {formatLongDate(state.data.asAt)}{' '}
            now belong to another organisation.{' '}
            {state.data.unmapped.length > 0
              ? `${formatCount(state.data.unmapped.length)} have no successor open today.`
              : ''}
          </p>
          <ul className="app-tree">
            {state.data.root.children.map((region) => (
              <li key={region.odsCode}>
                <h2 className="nhsuk-heading-m nhsuk-u-margin-bottom-2">
                  <Link to={`/organisations/${region.odsCode}`}>{region.name}</Link>
                  <Formerly node={region} />
                </h2>
                <ul className="app-tree">
                  {region.children.map((system) => (
                    <li key={system.odsCode}>
                      <Link to={`/organisations/${system.odsCode}`}>{system.name}</Link>
                      <Formerly node={system} />
                      {system.children.some((member) => member.formerly) ? (
                        <ul className="app-tree">
                          {system.children
                            .filter((member) => member.formerly)
                            .map((member) => (
                              <li key={member.odsCode}>
                                <Link to={`/organisations/${member.odsCode}`}>{member.name}</Link>
                                <Formerly node={member} />
                              </li>
                            ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          {state.data.unmapped.length > 0 ? (
            <>
              <h2>No successor open today</h2>
              <ul className="nhsuk-list nhsuk-list--bullet">
                {state.data.unmapped.slice(0, 200).map((organisation) => (
                  <li key={organisation.odsCode}>
                    <Link to={`/organisations/${organisation.odsCode}?asAt=${state.data.asAt}`}>
                      {organisation.name}
                    </Link>{' '}
                    ({organisation.odsCode}, {organisation.kindLabel})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
