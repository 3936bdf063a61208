import type { Db } from '../db/database.js';
import { findDatasetMarker, insertDatasetMarker } from '../db/dataset-marker.repository.js';
import { countOrganisationsByProvenance } from '../db/organisation.repository.js';
import { conflict } from '../domain/errors.js';
import { demoMarkerKey } from './dataset.service.js';
import { generateDemoPlan, type DemoOperation } from './demo-plan.js';
import {
  absorbOrganisations,
  assignRole,
  mergeOrganisations,
  openOrganisation,
  reparentOrganisation,
  reviseOrganisation,
  splitOrganisation,
  type ChangeContext,
} from './hierarchy.service.js';
import { ensureReferenceStructure } from './reference-data.service.js';

const context: ChangeContext = { source: 'demo-generator', provenance: 'demo' };

export interface DemoLoadSummary {
  seed: number;
  operations: number;
  organisations: number;
}

/** True when the database holds nothing but NHS England's reference structure. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const counts = await countOrganisationsByProvenance(db);
  const other = Object.entries(counts).filter(([provenance]) => provenance !== 'reference');
  return other.every(([, count]) => count === 0) && !(await findDatasetMarker(db, demoMarkerKey));
}

/**
 * Loads the generated demonstration dataset in one transaction, through the same hierarchy events as
 * real changes, and marks the database as holding demo data (every page and response then says so).
 */
export async function loadDemoDataset(
  db: Db,
  options: { seed?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DemoLoadSummary> {
  await ensureReferenceStructure(db);
  if (!(await isDatabaseEmpty(db))) {
    throw conflict(
      'The database already holds organisations other than the reference structure, so the demo dataset was not loaded. ' +
        'Use a new data directory (OVERSIGHT_DATA_DIR) or database for the demo.',
    );
  }
  const plan = generateDemoPlan(options.seed);
  await db.transaction().execute(async (trx) => {
    let done = 0;
    for (const operation of plan.operations) {
      await applyOperation(trx, operation);
      done += 1;
      if (done % 25 === 0 || done === plan.operations.length)
        options.onProgress?.(done, plan.operations.length);
    }
    await insertDatasetMarker(trx, demoMarkerKey, { seed: plan.seed, generator: 'demo-plan v1' });
  });
  const counts = await countOrganisationsByProvenance(db);
  return { seed: plan.seed, operations: plan.operations.length, organisations: counts.demo ?? 0 };
}

async function applyOperation(
  trx: Parameters<typeof openOrganisation>[0],
  operation: DemoOperation,
): Promise<void> {
  switch (operation.op) {
    case 'open':
      await openOrganisation(trx, context, {
        odsCode: operation.odsCode,
        name: operation.name,
        kind: operation.kind,
        sector: operation.sector,
        postcode: operation.postcode,
        parentCode: operation.parentCode,
        date: operation.date,
        reason: 'Generated demonstration organisation.',
        ...(operation.parentFrom ? { parentFrom: operation.parentFrom } : {}),
      });
      return;
    case 'merge':
      await mergeOrganisations(trx, context, {
        predecessorCodes: operation.predecessorCodes,
        successor: operation.successor,
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'absorb':
      await absorbOrganisations(trx, context, {
        predecessorCodes: operation.predecessorCodes,
        acquirerCode: operation.acquirerCode,
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'split':
      await splitOrganisation(trx, context, {
        odsCode: operation.odsCode,
        successors: operation.successors.map((newOrganisation) => ({ newOrganisation })),
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'rename':
      await reviseOrganisation(trx, context, {
        odsCode: operation.odsCode,
        date: operation.date,
        reason: operation.reason,
        changes: { name: operation.name },
      });
      return;
    case 'reparent':
      await reparentOrganisation(trx, context, {
        odsCode: operation.odsCode,
        parentCode: operation.parentCode,
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'role':
      await assignRole(trx, context, {
        odsCode: operation.odsCode,
        role: 'regional-director',
        holderName: operation.holderName,
        date: operation.date,
        reason: operation.reason,
      });
      return;
  }
}
