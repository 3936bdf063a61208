import { appendAuditEvents } from '../db/audit.repository.js';
import { systemActor } from '../domain/audit.js';
import type { Db, Executor } from '../db/database.js';
import { findDatasetMarker, insertDatasetMarker } from '../db/dataset-marker.repository.js';
import {
  icbEstablishmentDate,
  nationalBody,
  referenceHistoryStart,
  referenceRegions,
  referenceSystems,
  regionBefore2019,
  sevenRegionsDate,
  systemNameBeforeIcb,
} from '../domain/nhs-england-structure.js';
import {
  openOrganisation,
  reparentOrganisation,
  reviseOrganisation,
  splitOrganisation,
  type ChangeContext,
} from './hierarchy.service.js';

const referenceMarker = 'reference-structure';
const referenceVersion = 1;
const context: ChangeContext = {
  source: 'reference-data',
  provenance: 'reference',
  actor: systemActor,
  auditEachEvent: false,
};

/**
 * Loads NHS England's structure (public facts) into an empty database: NHS England, the five regions
 * and 42 systems from 1 April 2016, the move to seven regions on 1 April 2019, and the systems becoming
 * ICBs on 1 July 2022. Recorded through the same events as any other change. Does nothing when loaded.
 */
export async function ensureReferenceStructure(db: Db): Promise<{ loaded: boolean }> {
  if (await findDatasetMarker(db, referenceMarker)) return { loaded: false };
  await db.transaction().execute(async (trx) => {
    if (await findDatasetMarker(trx, referenceMarker)) return;
    await loadReferenceStructure(trx);
    await insertDatasetMarker(trx, referenceMarker, { version: referenceVersion });
    await appendAuditEvents(trx, systemActor, [
      {
        action: 'reference.load',
        recordType: 'dataset',
        recordId: referenceMarker,
        before: null,
        after: { version: referenceVersion },
      },
    ]);
  });
  return { loaded: true };
}

async function loadReferenceStructure(trx: Executor): Promise<void> {
  await openOrganisation(trx, context, {
    odsCode: nationalBody.code,
    name: nationalBody.name,
    kind: 'national-body',
    date: nationalBody.validFrom,
    reason: 'NHS England: the root of the national structure (reference data).',
  });

  for (const region of referenceRegions.filter((r) => r.validFrom === referenceHistoryStart)) {
    await openOrganisation(trx, context, {
      odsCode: region.code,
      name: region.name,
      kind: 'region',
      parentCode: nationalBody.code,
      date: region.validFrom,
      reason: 'One of the five NHS England regions at the start of the reference history.',
    });
  }
  for (const system of referenceSystems) {
    const earlierRegion = regionBefore2019[system.regionCode];
    if (!earlierRegion) throw new Error(`Reference data: no pre-2019 region for ${system.regionCode}`);
    await openOrganisation(trx, context, {
      odsCode: system.code,
      name: systemNameBeforeIcb(system.name),
      kind: 'stp',
      parentCode: earlierRegion,
      date: referenceHistoryStart,
      reason: 'Sustainability and transformation partnership footprint (reference data).',
    });
  }

  const restructure2019 =
    'Single operating model: NHS England and NHS Improvement moved from five to seven integrated regional teams on 1 April 2019.';
  for (const region of referenceRegions.filter((r) => r.validFrom === sevenRegionsDate)) {
    await openOrganisation(trx, context, {
      odsCode: region.code,
      name: region.name,
      kind: 'region',
      parentCode: nationalBody.code,
      date: region.validFrom,
      reason: restructure2019,
    });
  }
  for (const system of referenceSystems) {
    await reparentOrganisation(trx, context, {
      odsCode: system.code,
      parentCode: system.regionCode,
      date: sevenRegionsDate,
      reason: restructure2019,
    });
  }
  for (const region of referenceRegions.filter((r) => r.validTo === sevenRegionsDate)) {
    await splitOrganisation(trx, context, {
      odsCode: region.code,
      successors: region.successorCodes.map((code) => ({ existingCode: code })),
      date: sevenRegionsDate,
      reason: restructure2019,
    });
  }

  for (const system of referenceSystems) {
    await reviseOrganisation(trx, context, {
      odsCode: system.code,
      date: icbEstablishmentDate,
      reason:
        'Health and Care Act 2022: integrated care boards became statutory bodies on 1 July 2022, replacing STPs/ICSs and taking over from CCGs.',
      changes: { kind: 'icb', name: system.name },
    });
  }
}
