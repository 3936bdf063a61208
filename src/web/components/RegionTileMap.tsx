import { Link } from 'react-router';
import type { TreeNode } from '../api-client.js';
import { withAsAt } from '../format.js';

// Where each of the seven regions sits on a schematic map of England (north at the top).
const tileAreas: Record<string, string> = {
  Y62: 'nw',
  Y63: 'ney',
  Y60: 'mid',
  Y61: 'east',
  Y58: 'sw',
  Y56: 'lon',
  Y59: 'se',
};

/**
 * A schematic tile map: regions placed roughly where they are, each holding a tile per integrated care
 * system. Regions of other structures (the five before April 2019) flow in order.
 */
export function RegionTileMap({
  regions,
  asAtParam,
}: {
  regions: TreeNode[];
  asAtParam?: string | undefined;
}) {
  const placed = regions.every((region) => tileAreas[region.odsCode]);
  return (
    <nav aria-label="Map of regions and integrated care systems">
      <ul className={`app-tile-map${placed ? ' app-tile-map--england' : ''}`}>
        {regions.map((region) => {
          const systems = region.children.filter((child) => child.kind === 'icb' || child.kind === 'stp');
          return (
            <li
              className="app-tile-map__region"
              key={region.odsCode}
              style={placed ? { gridArea: tileAreas[region.odsCode] } : undefined}
            >
              <Link
                className="app-tile-map__region-link"
                to={withAsAt(`/organisations/${region.odsCode}`, asAtParam)}
              >
                {region.name}
              </Link>
              <ul className="app-tile-map__systems">
                {systems.map((system) => (
                  <li key={system.odsCode}>
                    <Link
                      className="app-tile-map__system"
                      to={withAsAt(`/organisations/${system.odsCode}`, asAtParam)}
                      title={system.name}
                    >
                      <span aria-hidden="true">{system.odsCode}</span>
                      <span className="nhsuk-u-visually-hidden">{system.name}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
