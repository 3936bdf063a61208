import { appendAuditEvents } from '../db/audit.repository.js';
import type { Executor } from '../db/database.js';
import {
  clearObservationStage,
  createObservationStage,
  ensureReportingCodes,
  extendObservationExtent,
  insertIntoObservationStage,
  mergeObservationStage,
} from '../db/observation.repository.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import {
  deleteQuarantinedRowsForCode,
  insertQuarantineResolution,
  listQuarantinedCodes,
  listQuarantinedRowsForCode,
  type QuarantinedCode,
} from '../db/quarantine.repository.js';
import { conflict, invalidInput, notFound } from '../domain/errors.js';
import { isIsoDate, type IsoDate } from '../domain/iso-date.js';
import { nextPeriod } from '../domain/period.js';
import { PeriodExtents } from '../domain/period-extent.js';
import { nationalBody } from '../domain/nhs-england-structure.js';
import { openOrganisation, recordSuccession, type ChangeContext } from './hierarchy.service.js';
import { refreshPlacements } from './placement.service.js';
import { markRollupsStale } from './dashboard.service.js';

export type { QuarantinedCode } from '../db/quarantine.repository.js';

/**
 * Figures for ODS codes that are neither organisations here nor lead to one through ODS successions
 * wait in quarantine until someone says what the code is: the predecessor of an organisation, or an
 * independent provider (opened here). Then they are released into the store; nothing is dropped.
 */

export type Resolution =
  | { kind: 'successor'; successorCode: string; effectiveDate?: IsoDate }
  | { kind: 'independent-provider'; name?: string; parentCode?: string; openDate?: IsoDate };

export async function listQuarantine(ex: Executor): Promise<QuarantinedCode[]> {
  return listQuarantinedCodes(ex);
}

async function releaseRows(ex: Executor, odsCode: string): Promise<number> {
  const rows = await listQuarantinedRowsForCode(ex, odsCode);
  const codeIds = await ensureReportingCodes(ex, [odsCode]);
  const codeId = codeIds.get(odsCode) ?? 0;
  await createObservationStage(ex);
  await clearObservationStage(ex);
  await insertIntoObservationStage(
    ex,
    rows.map((row) => ({
      codeId,
      itemId: row.itemId,
      periodType: row.periodType,
      periodStart: row.periodStart,
      value: row.value,
      sourceId: row.sourceId,
    })),
  );
  await mergeObservationStage(ex);
  const extents = new PeriodExtents<number>();
  for (const row of rows) extents.add(row.itemId, row.periodStart);
  await extendObservationExtent(
    ex,
    extents.entries().map(([itemId, extent]) => ({ itemId, periodType: 'M', ...extent })),
  );
  await deleteQuarantinedRowsForCode(ex, odsCode);
  for (const [itemId, extent] of extents.entries())
    await markRollupsStale(ex, [itemId], extent.first, extent.last);
  return rows.length;
}

/** Says what a quarantined code is, and releases its figures. Run in a transaction. */
export async function resolveQuarantinedCode(
  ex: Executor,
  context: ChangeContext,
  input: { odsCode: string; resolution: Resolution; reason: string },
): Promise<{ odsCode: string; rowsReleased: number; target: string }> {
  const result = await resolveOne(ex, context, input);
  await refreshPlacements(ex);
  return result;
}

async function resolveOne(
  ex: Executor,
  context: ChangeContext,
  input: { odsCode: string; resolution: Resolution; reason: string },
): Promise<{ odsCode: string; rowsReleased: number; target: string }> {
  if (input.reason.trim() === '')
    throw invalidInput('Say why the code is resolved this way.', [
      { field: 'reason', message: 'Enter a reason.' },
    ]);
  const rows = await listQuarantinedRowsForCode(ex, input.odsCode);
  if (rows.length === 0) throw notFound(`Nothing is held in quarantine for ${input.odsCode}.`);
  if (await findOrganisationByCode(ex, input.odsCode)) {
    throw conflict(
      `${input.odsCode} is already an organisation here; its figures are released on the next import.`,
    );
  }
  const periods = rows.map((row) => row.periodStart).sort();
  let target: string;
  if (input.resolution.kind === 'successor') {
    const successor = await findOrganisationByCode(ex, input.resolution.successorCode);
    if (!successor)
      throw notFound(`No organisation has ODS code ${input.resolution.successorCode} to be the successor.`);
    const last = periods[periods.length - 1] ?? successor.validFrom;
    const effectiveDate = input.resolution.effectiveDate ?? nextPeriod({ type: 'month', start: last }).start;
    if (!isIsoDate(effectiveDate))
      throw invalidInput(`"${effectiveDate}" is not a date.`, [
        { field: 'effectiveDate', message: 'Enter YYYY-MM-DD.' },
      ]);
    await recordSuccession(
      ex,
      context,
      {
        predecessorCode: input.odsCode,
        successorCode: successor.odsCode,
        effectiveDate,
        type: 'unclassified',
        isSplit: false,
        source: context.source,
      },
      input.reason,
    );
    target = successor.odsCode;
  } else {
    const name =
      input.resolution.name?.trim() ||
      rows.find((row) => row.orgName)?.orgName?.trim() ||
      `Provider ${input.odsCode} (name not in the published file)`;
    await openOrganisation(ex, context, {
      odsCode: input.odsCode,
      name,
      kind: 'independent-provider',
      parentCode: input.resolution.parentCode ?? nationalBody.code,
      date: input.resolution.openDate ?? periods[0] ?? '2016-04-01',
      reason: input.reason,
    });
    target = input.odsCode;
  }
  const released = await releaseRows(ex, input.odsCode);
  await insertQuarantineResolution(ex, {
    odsCode: input.odsCode,
    resolution: input.resolution.kind,
    targetCode: target,
    rowsReleased: released,
    reason: input.reason.trim(),
  });
  await appendAuditEvents(ex, context.actor, [
    {
      action: 'quarantine.resolve',
      recordType: 'quarantine',
      recordId: input.odsCode,
      before: { quarantinedValues: rows.length },
      after: {
        resolution: input.resolution.kind,
        target,
        rowsReleased: released,
        reason: input.reason.trim(),
      },
    },
  ]);
  return { odsCode: input.odsCode, rowsReleased: released, target };
}

/** Resolves every quarantined code as an independent provider (under England unless a parent is given). */
export async function resolveAllAsIndependentProviders(
  ex: Executor,
  context: ChangeContext,
  input: { parentCode?: string; reason: string },
): Promise<{ codes: number; rowsReleased: number }> {
  let rowsReleased = 0;
  const codes = await listQuarantinedCodes(ex);
  for (const code of codes) {
    const result = await resolveOne(ex, context, {
      odsCode: code.odsCode,
      resolution: {
        kind: 'independent-provider',
        ...(input.parentCode ? { parentCode: input.parentCode } : {}),
      },
      reason: input.reason,
    });
    rowsReleased += result.rowsReleased;
  }
  await refreshPlacements(ex);
  return { codes: codes.length, rowsReleased };
}
