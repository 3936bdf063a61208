import type { Executor } from '../db/database.js';
import { findDatasetMarker } from '../db/dataset-marker.repository.js';
import { countHierarchyEvents } from '../db/hierarchy-event.repository.js';
import { countOrganisationsByProvenance } from '../db/organisation.repository.js';
import { countSuccessions } from '../db/succession.repository.js';

export const demoMarkerKey = 'demo-dataset';

/** What every page and API response says about the data it shows. */
export interface DatasetNotice {
  /** True when the database holds the generated demonstration dataset. */
  demoData: boolean;
  notice: string | null;
}

export const demoNotice =
  'NHS England regions and integrated care boards are real, but the trusts, CCGs, practices, ' +
  'figures and events shown are generated. Do not use them for decisions.';

export async function getDatasetNotice(ex: Executor): Promise<DatasetNotice> {
  const marker = await findDatasetMarker(ex, demoMarkerKey);
  return marker ? { demoData: true, notice: demoNotice } : { demoData: false, notice: null };
}

export interface DatabaseSummary {
  notice: DatasetNotice;
  organisationsByProvenance: Record<string, number>;
  hierarchyEvents: number;
  successions: number;
}

export async function getDatabaseSummary(ex: Executor): Promise<DatabaseSummary> {
  return {
    notice: await getDatasetNotice(ex),
    organisationsByProvenance: await countOrganisationsByProvenance(ex),
    hierarchyEvents: await countHierarchyEvents(ex),
    successions: await countSuccessions(ex),
  };
}
