import { appendAuditEvents } from '../db/audit.repository.js';
import type { Actor } from '../domain/audit.js';
import type { Db, Executor } from '../db/database.js';
import { countHierarchyEvents } from '../db/hierarchy-event.repository.js';
import {
  findLatestParentLink,
  findLatestVersion,
  listOrganisationNames,
  listOrganisationsByCodes,
  type OrganisationRecord,
} from '../db/organisation.repository.js';
import { insertSuccessionsIfAbsent } from '../db/succession.repository.js';
import { AppError, ProblemList, type Problem } from '../domain/errors.js';
import type { Succession, SuccessionType } from '../domain/hierarchy-event.js';
import { addDays, formatLongDate, maxIsoDate, type IsoDate } from '../domain/iso-date.js';
import { nationalBody } from '../domain/nhs-england-structure.js';
import { deriveTrustSector } from '../domain/trust-sector.js';
import type { IcbRow, OdsFile, RegionRow, SuccessorRow, TrustRow } from '../domain/ods-reference-file.js';
import {
  closeOrganisation,
  openOrganisation,
  recordSuccession,
  reparentOrganisation,
  reviseOrganisation,
  type ChangeContext,
} from './hierarchy.service.js';
import { ensureReferenceStructure } from './reference-data.service.js';

/** Region code ODS uses for Wales: outside NHS England, so its trusts are skipped, and said so. */
const walesRegionCode = 'W00';
const walesIcbCode = 'Q99';

export interface OdsImportOptions {
  /** The date from which undated changes take effect: new regions or ICBs, new names, moves between ICBs. */
  effectiveDate: IsoDate;
  onProgress?: (done: number, total: number) => void;
  /** Who imports, for the audit trail (one audit event for the import; each change is in the event log). */
  actor: Actor;
}

export interface SkippedRows {
  reason: string;
  count: number;
  /** The first few line numbers, to look at. */
  rows: number[];
}

export interface OdsFileSummary {
  file: string;
  kind: OdsFile['kind'];
  rowsRead: number;
  opened: number;
  closed: number;
  revised: number;
  reparented: number;
  /** Successions between organisations known here, recorded as hierarchy events. */
  successionsRecorded: number;
  /** Successions whose predecessor is not an organisation here (a site, practice, or a trust closed
   * before the extract): stored by code so roll-ups can follow them. */
  referenceSuccessions: number;
  unchanged: number;
  skipped: SkippedRows[];
  /** Successions kept but not yet applied to the hierarchy, with what is needed to apply them. */
  pendingSuccessions: Array<{
    row: number;
    predecessorCode: string;
    successorCode: string;
    effectiveDate: IsoDate;
    reason: string;
  }>;
}

export interface OdsImportSummary {
  files: OdsFileSummary[];
  eventsRecorded: number;
}

const fileOrder: Record<OdsFile['kind'], number> = { regions: 0, icbs: 1, trusts: 2, successors: 3 };

class FileTally {
  readonly summary: OdsFileSummary;
  private readonly skips = new Map<string, SkippedRows>();
  constructor(file: OdsFile) {
    this.summary = {
      file: file.label,
      kind: file.kind,
      rowsRead: file.rows.length,
      opened: 0,
      closed: 0,
      revised: 0,
      reparented: 0,
      successionsRecorded: 0,
      referenceSuccessions: 0,
      unchanged: 0,
      skipped: [],
      pendingSuccessions: [],
    };
  }
  skip(reason: string, line: number): void {
    const entry = this.skips.get(reason) ?? { reason, count: 0, rows: [] };
    entry.count += 1;
    if (entry.rows.length < 10) entry.rows.push(line);
    this.skips.set(reason, entry);
  }
  finish(): OdsFileSummary {
    return { ...this.summary, skipped: [...this.skips.values()] };
  }
}

/**
 * Imports ODS reference files in one transaction: regions, then ICBs, then trusts, then successions,
 * whatever order they are given in. Re-importing the same files records nothing new. Any problem
 * refuses the whole import, located by file and row.
 */
export async function importOdsFiles(
  db: Db,
  files: OdsFile[],
  options: OdsImportOptions,
): Promise<OdsImportSummary> {
  await ensureReferenceStructure(db);
  const ordered = [...files].sort((a, b) => fileOrder[a.kind] - fileOrder[b.kind]);
  const kinds = ordered.map((file) => file.kind);
  const repeated = kinds.find((kind, index) => kinds.indexOf(kind) !== index);
  if (repeated) {
    throw new AppError(
      'invalid-input',
      `Two ${repeated} files were given; import one ${repeated} file at a time.`,
    );
  }
  const total = ordered.reduce((sum, file) => sum + file.rows.length, 0);
  let done = 0;
  const progress = () => options.onProgress?.((done += 1), total);

  return db.transaction().execute(async (trx) => {
    const eventsBefore = await countHierarchyEvents(trx);
    await checkReferences(trx, ordered);
    const summaries: OdsFileSummary[] = [];
    for (const file of ordered) {
      const context: ChangeContext = {
        source: `ods-import ${file.label}`,
        provenance: 'ods-import',
        actor: options.actor,
        auditEachEvent: false,
      };
      const tally = new FileTally(file);
      await withRowLocation(file.label, async (locate) => {
        switch (file.kind) {
          case 'regions':
            for (const row of file.rows) {
              locate(row.line);
              await importRegionRow(trx, context, row, options.effectiveDate, tally);
              progress();
            }
            break;
          case 'icbs':
            for (const row of file.rows) {
              locate(row.line);
              await importIcbRow(trx, context, row, options.effectiveDate, tally);
              progress();
            }
            break;
          case 'trusts':
            for (const row of file.rows) {
              locate(row.line);
              await importTrustRow(trx, context, row, options.effectiveDate, tally, file.label);
              progress();
            }
            break;
          case 'successors':
            await importSuccessorRows(trx, context, file.rows, file.label, tally, locate, progress);
            break;
        }
      });
      summaries.push(tally.finish());
    }
    const result = { files: summaries, eventsRecorded: (await countHierarchyEvents(trx)) - eventsBefore };
    if (result.eventsRecorded > 0)
      await appendAuditEvents(trx, options.actor, [
        {
          action: 'ods.import',
          recordType: 'import',
          recordId: null,
          before: null,
          after: { files: summaries.map((f) => f.file), eventsRecorded: result.eventsRecorded },
        },
      ]);
    return result;
  });
}

/** Gives any error raised while importing a row the file and row it came from. */
async function withRowLocation(
  label: string,
  work: (locate: (line: number) => void) => Promise<void>,
): Promise<void> {
  let line = 0;
  try {
    await work((current) => {
      line = current;
    });
  } catch (error) {
    if (error instanceof AppError && error.code !== 'database-in-use') {
      throw new AppError('invalid-file', `${label} could not be imported: row ${line}. Nothing was stored.`, [
        { file: label, row: line, message: error.message },
        ...error.problems.map((problem): Problem => ({ file: label, row: line, ...problem })),
      ]);
    }
    throw error;
  }
}

/** Checks every region and ICB code the files refer to before anything is written. */
async function checkReferences(ex: Executor, files: OdsFile[]): Promise<void> {
  const regionsInFiles = new Map<string, RegionRow>();
  const icbsInFiles = new Map<string, IcbRow>();
  for (const file of files) {
    if (file.kind === 'regions') file.rows.forEach((row) => regionsInFiles.set(row.code, row));
    if (file.kind === 'icbs') file.rows.forEach((row) => icbsInFiles.set(row.code, row));
  }
  const referenced = new Set<string>();
  for (const file of files) {
    if (file.kind === 'icbs') file.rows.forEach((row) => referenced.add(row.regionCode));
    if (file.kind === 'trusts') file.rows.forEach((row) => referenced.add(row.regionCode).add(row.icbCode));
  }
  const known = await listOrganisationsByCodes(ex, [...referenced]);
  const icbRegionNow = new Map<string, string>();
  for (const [code, organisation] of known) {
    const link = await findLatestParentLink(ex, organisation.id);
    if (!link) continue;
    const names = await listOrganisationNames(ex, [link.parentId]);
    const parent = names.get(link.parentId);
    if (parent) icbRegionNow.set(code, parent.odsCode);
  }
  for (const [code, row] of icbsInFiles) icbRegionNow.set(code, row.regionCode);

  const problems = new ProblemList();
  for (const file of files) {
    if (file.kind === 'icbs') {
      for (const row of file.rows) {
        if (!known.has(row.regionCode) && !regionsInFiles.has(row.regionCode)) {
          problems.add({
            file: file.label,
            row: row.line,
            column: 'region_code',
            message: `Region ${row.regionCode} is not known. Use one of the NHS England region codes (Y56 to Y63), or import the region file in the same command.`,
          });
        }
      }
    }
    if (file.kind === 'trusts') {
      for (const row of file.rows) {
        if (row.regionCode === walesRegionCode || row.icbCode === walesIcbCode) continue;
        if (!known.has(row.regionCode) && !regionsInFiles.has(row.regionCode)) {
          problems.add({
            file: file.label,
            row: row.line,
            column: 'region_code',
            message: `Region ${row.regionCode} is not known. Use an NHS England region code (Y56 to Y63), or W00 for Wales (skipped).`,
          });
          continue;
        }
        if (!known.has(row.icbCode) && !icbsInFiles.has(row.icbCode)) {
          problems.add({
            file: file.label,
            row: row.line,
            column: 'icb_code',
            message: `ICB ${row.icbCode} is not known. Check the code, or import the ICB file (icbs.csv) in the same command.`,
          });
          continue;
        }
        const icbRegion = icbRegionNow.get(row.icbCode);
        if (icbRegion && icbRegion !== row.regionCode) {
          problems.add({
            file: file.label,
            row: row.line,
            column: 'region_code',
            message: `${row.code} is listed in region ${row.regionCode}, but ICB ${row.icbCode} is in region ${icbRegion}. Correct the region or the ICB.`,
          });
        }
      }
    }
  }
  problems.throwIfAny('The files refer to regions or ICBs that do not match the hierarchy.');
}

async function latestParentCode(ex: Executor, organisationId: number): Promise<string | null> {
  const link = await findLatestParentLink(ex, organisationId);
  if (!link || link.validTo !== null) return null;
  return (await listOrganisationNames(ex, [link.parentId])).get(link.parentId)?.odsCode ?? null;
}

function isOpenOn(organisation: OrganisationRecord, date: IsoDate): boolean {
  return organisation.validFrom <= date && (organisation.validTo === null || organisation.validTo > date);
}

async function importRegionRow(
  ex: Executor,
  context: ChangeContext,
  row: RegionRow,
  effectiveDate: IsoDate,
  tally: FileTally,
): Promise<void> {
  const existing = (await listOrganisationsByCodes(ex, [row.code])).get(row.code);
  if (!existing) {
    await openOrganisation(ex, context, {
      odsCode: row.code,
      name: row.name,
      kind: 'region',
      parentCode: nationalBody.code,
      date: effectiveDate,
      reason: `New region listed in ${tally.summary.file}.`,
    });
    tally.summary.opened += 1;
    return;
  }
  const latest = await findLatestVersion(ex, existing.id);
  if (latest?.name === row.name) {
    tally.summary.unchanged += 1;
    return;
  }
  if (!isOpenOn(existing, effectiveDate)) {
    tally.skip(
      `Region closed before ${formatLongDate(effectiveDate)}: its details are kept as they were`,
      row.line,
    );
    return;
  }
  const outcome = await reviseOrganisation(ex, context, {
    odsCode: row.code,
    date: effectiveDate,
    reason: `Name in ${tally.summary.file}.`,
    changes: { name: row.name },
  });
  if (outcome.changed) tally.summary.revised += 1;
  else tally.summary.unchanged += 1;
}

async function importIcbRow(
  ex: Executor,
  context: ChangeContext,
  row: IcbRow,
  effectiveDate: IsoDate,
  tally: FileTally,
): Promise<void> {
  const existing = (await listOrganisationsByCodes(ex, [row.code])).get(row.code);
  if (!existing) {
    await openOrganisation(ex, context, {
      odsCode: row.code,
      name: row.name,
      kind: 'icb',
      parentCode: row.regionCode,
      date: effectiveDate,
      reason: `New ICB listed in ${tally.summary.file}.`,
    });
    tally.summary.opened += 1;
    return;
  }
  const latest = await findLatestVersion(ex, existing.id);
  const region = await latestParentCode(ex, existing.id);
  if (latest?.name === row.name && region === row.regionCode) {
    tally.summary.unchanged += 1;
    return;
  }
  if (!isOpenOn(existing, effectiveDate)) {
    tally.skip(
      `ICB closed before ${formatLongDate(effectiveDate)}: its details are kept as they were`,
      row.line,
    );
    return;
  }
  const revised =
    latest?.name === row.name
      ? { changed: false }
      : await reviseOrganisation(ex, context, {
          odsCode: row.code,
          date: effectiveDate,
          reason: `Name in ${tally.summary.file}.`,
          changes: { name: row.name },
        });
  const moved =
    region === row.regionCode
      ? { changed: false }
      : await reparentOrganisation(ex, context, {
          odsCode: row.code,
          parentCode: row.regionCode,
          date: effectiveDate,
          reason: `Region in ${tally.summary.file}.`,
        });
  if (revised.changed) tally.summary.revised += 1;
  if (moved.changed) tally.summary.reparented += 1;
  if (!revised.changed && !moved.changed) tally.summary.unchanged += 1;
}

async function importTrustRow(
  ex: Executor,
  context: ChangeContext,
  row: TrustRow,
  effectiveDate: IsoDate,
  tally: FileTally,
  label: string,
): Promise<void> {
  if (row.regionCode === walesRegionCode || row.icbCode === walesIcbCode) {
    tally.skip('Outside NHS England: in Wales (region W00)', row.line);
    return;
  }
  const found = await listOrganisationsByCodes(ex, [row.code, row.icbCode]);
  const existing = found.get(row.code);
  const closeOn = row.closeDate ? addDays(row.closeDate, 1) : null;

  if (!existing) {
    const icb = found.get(row.icbCode);
    if (!icb) throw new AppError('not-found', `ICB ${row.icbCode} is not known.`);
    const parentFrom = maxIsoDate(row.openDate, icb.validFrom);
    if (closeOn !== null && closeOn <= parentFrom) {
      tally.skip(
        `Closed before its ICB's recorded history starts (${formatLongDate(icb.validFrom)})`,
        row.line,
      );
      return;
    }
    await openOrganisation(ex, context, {
      odsCode: row.code,
      name: row.name,
      kind: 'nhs-trust',
      sector: row.sector ?? deriveTrustSector(row.code, row.name),
      postcode: row.postcode,
      parentCode: row.icbCode,
      parentFrom,
      date: row.openDate,
      reason: `Listed in the ODS trust extract ${label}.`,
    });
    tally.summary.opened += 1;
    if (closeOn !== null) {
      await closeOrganisation(ex, context, {
        odsCode: row.code,
        date: closeOn,
        reason: `ODS close date ${row.closeDate} in ${label}.`,
      });
      tally.summary.closed += 1;
    }
    return;
  }

  if (closeOn !== null) {
    if (existing.validTo === null) {
      await closeOrganisation(ex, context, {
        odsCode: row.code,
        date: closeOn,
        reason: `ODS close date ${row.closeDate} in ${label}.`,
      });
      tally.summary.closed += 1;
    } else if (existing.validTo !== closeOn) {
      tally.skip(
        'Already closed on a different date from the one in the file; the recorded date is kept',
        row.line,
      );
    } else {
      tally.summary.unchanged += 1;
    }
    return;
  }
  const latest = await findLatestVersion(ex, existing.id);
  const icb = await latestParentCode(ex, existing.id);
  const detailsMatch =
    latest?.name === row.name &&
    latest.postcode === row.postcode &&
    (row.sector === null || latest.sector === row.sector);
  if (detailsMatch && icb === row.icbCode) {
    tally.summary.unchanged += 1;
    return;
  }
  if (!isOpenOn(existing, effectiveDate)) {
    tally.skip(
      `Not open on ${formatLongDate(effectiveDate)}: name and ICB changes are not recorded`,
      row.line,
    );
    return;
  }
  const revised = detailsMatch
    ? { changed: false }
    : await reviseOrganisation(ex, context, {
        odsCode: row.code,
        date: effectiveDate,
        reason: `Details in the ODS trust extract ${label}.`,
        changes: { name: row.name, postcode: row.postcode, ...(row.sector ? { sector: row.sector } : {}) },
      });
  const moved =
    icb === row.icbCode
      ? { changed: false }
      : await reparentOrganisation(ex, context, {
          odsCode: row.code,
          parentCode: row.icbCode,
          date: effectiveDate,
          reason: `ICB in the ODS trust extract ${label}.`,
        });
  if (revised.changed) tally.summary.revised += 1;
  if (moved.changed) tally.summary.reparented += 1;
  if (!revised.changed && !moved.changed) tally.summary.unchanged += 1;
}

/**
 * Successions about organisations known here go through the hierarchy (closing predecessors and
 * recording events); the many others (sites, practices, closed trusts) are stored as reference rows.
 */
async function importSuccessorRows(
  ex: Executor,
  context: ChangeContext,
  rows: SuccessorRow[],
  label: string,
  tally: FileTally,
  locate: (line: number) => void,
  progress: () => void,
): Promise<void> {
  const successorsPerPredecessorDate = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.predecessorCode}|${row.effectiveDate}`;
    successorsPerPredecessorDate.set(key, (successorsPerPredecessorDate.get(key) ?? 0) + 1);
  }
  const known = await listOrganisationsByCodes(ex, [
    ...new Set(rows.flatMap((row) => [row.predecessorCode, row.successorCode])),
  ]);
  const ordered = [...rows].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.line - b.line);

  const toSuccession = (row: SuccessorRow): Succession => {
    const isSplit =
      row.isSplit ??
      (successorsPerPredecessorDate.get(`${row.predecessorCode}|${row.effectiveDate}`) ?? 0) > 1;
    return {
      predecessorCode: row.predecessorCode,
      successorCode: row.successorCode,
      effectiveDate: row.effectiveDate,
      type: row.type ?? deriveSuccessionType(known.get(row.successorCode), row.effectiveDate, isSplit),
      isSplit,
      source: context.source,
    };
  };

  const referenceOnly: Succession[] = [];
  for (const row of ordered) {
    if (!known.has(row.predecessorCode)) {
      referenceOnly.push(toSuccession(row));
      continue;
    }
    locate(row.line);
    const outcome = await recordSuccession(
      ex,
      context,
      toSuccession(row),
      `ODS successor file ${label}: ${row.predecessorCode} succeeded by ${row.successorCode} on ${formatLongDate(row.effectiveDate)}.`,
    );
    if (outcome.pending) {
      tally.summary.pendingSuccessions.push({
        row: row.line,
        predecessorCode: row.predecessorCode,
        successorCode: row.successorCode,
        effectiveDate: row.effectiveDate,
        reason: outcome.pending,
      });
    } else if (outcome.changed) {
      tally.summary.successionsRecorded += 1;
    } else {
      tally.summary.unchanged += 1;
    }
    progress();
  }
  const inserted = await insertSuccessionsIfAbsent(ex, referenceOnly);
  tally.summary.referenceSuccessions += inserted;
  tally.summary.unchanged += referenceOnly.length - inserted;
  for (let i = 0; i < referenceOnly.length; i += 1) progress();
}

/** ODS does not say merger or acquisition; like shared/data's provenance notes, derive it from the successor. */
function deriveSuccessionType(
  successor: OrganisationRecord | undefined,
  effectiveDate: IsoDate,
  isSplit: boolean,
): SuccessionType {
  if (isSplit) return 'split';
  if (!successor) return 'unclassified';
  if (successor.validFrom === effectiveDate) return 'merger';
  return successor.validFrom < effectiveDate ? 'acquisition' : 'unclassified';
}
