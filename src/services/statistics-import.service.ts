import { appendAuditEvents } from '../db/audit.repository.js';
import type { Actor } from '../domain/audit.js';
import { analyseObservationStore } from '../db/rollup.repository.js';
import type { DatabaseHandle } from '../db/database.js';
import {
  completeImportRun,
  createObservationStage,
  ensureReportingCodes,
  extendObservationExtent,
  hasCurrentObservations,
  insertImportRun,
  isObservationStoreEmpty,
  mergeObservationStage,
  observationCopyColumns,
  withKeyIndexBuiltAfterLoad,
} from '../db/observation.repository.js';
import { insertQuarantinedRows, type QuarantinedRow } from '../db/quarantine.repository.js';
import { ProblemList, type Problem } from '../domain/errors.js';
import { periodTypeCodes } from '../domain/period.js';
import { PeriodExtents } from '../domain/period-extent.js';
import type { ParsedObservation, StatisticsFile } from '../domain/statistics-file.js';
import { buildCodeClassifier } from './code-classifier.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';
import {
  markRollupsStale,
  refreshRollupCacheAfterWrite,
  type CacheRefreshAfterWrite,
} from './dashboard.service.js';
import { refreshPlacements } from './placement.service.js';

/**
 * Imports a published statistics file in one transaction: every row checked, values bulk-loaded,
 * unknown organisation codes held in quarantine, nothing stored if any row is wrong. Re-importing the
 * same values changes nothing; a revised value supersedes the stored one, which is kept.
 */

export interface StatisticsImportMeta {
  fileName: string;
  url: string | null;
  /** SHA-256 of the file's bytes, known once it has been read. */
  digest: () => string;
  provenance?: 'published' | 'demo';
  onProgress?: (rowsRead: number) => void;
  /** Who imports, for the audit trail. */
  actor: Actor;
}

export interface StatisticsImportSummary {
  importRunId: number | null;
  file: string;
  url: string | null;
  sha256: string;
  layout: string;
  rowsRead: number;
  valuesRead: number;
  stored: { inserted: number; superseded: number; unchanged: number };
  /** Cells left blank in the file, by column: missing values, not zeros. */
  blankCells: Record<string, number>;
  quarantine: {
    rows: number;
    newOrChanged: number;
    codes: Array<{ odsCode: string; name: string | null; values: number }>;
  };
  /** Codes that are not organisations here but count through their ODS successors. */
  viaSuccessors: string[];
  warnings: { count: number; examples: Problem[] };
  ignoredColumns: readonly string[];
  loadPath: 'bulk' | 'merge';
  changed: boolean;
  /** Milliseconds for the import itself (reading, checking, storing: one transaction). */
  durationMs: number;
  /** The dashboards' roll-ups refreshed afterwards (null when nothing changed). */
  /** The dashboards' cache brought up to date after the import committed (null when nothing changed). */
  rollups: CacheRefreshAfterWrite | null;
}

const batchSize = 20_000;
const copySliceBytes = 32 * 1024 * 1024;

/** Thrown to roll back an import that would change nothing (so not even its run is recorded). */
class NothingChanged extends Error {
  constructor(readonly summary: StatisticsImportSummary) {
    super('nothing changed');
  }
}

export async function importStatistics(
  handle: DatabaseHandle,
  file: StatisticsFile,
  meta: StatisticsImportMeta,
): Promise<StatisticsImportSummary> {
  const started = Date.now();
  let summary: StatisticsImportSummary;
  try {
    summary = await handle.bulkTransaction(async (session) => {
      const ex = session.db;
      const catalogue = await getMetricCatalogue(ex);
      // The long format names its item on each row: any catalogue item may appear.
      const dynamicItems = file.layout.items.length === 0;
      const itemIds = new Map<string, number>();
      for (const code of dynamicItems ? catalogue.items.map((item) => item.code) : file.layout.items) {
        const item = catalogue.itemByCode.get(code);
        if (!item)
          throw new Error(`Data item ${code} is missing from the catalogue: run "oversight db migrate".`);
        itemIds.set(code, item.id);
      }
      const runId = await insertImportRun(ex, {
        source: file.layout.source,
        fileName: meta.fileName,
        sha256: null,
        url: meta.url,
        provenance: meta.provenance ?? 'published',
        startedAt: new Date(started),
      });
      const classify = await buildCodeClassifier(ex);
      // A first load of these items goes straight into the store; anything else is staged and merged.
      const bulk = !(await hasCurrentObservations(ex, [...itemIds.values()], periodTypeCodes.month));
      if (!bulk) await createObservationStage(ex);
      const target = bulk ? 'observation' : 'observation_stage';

      const problems = new ProblemList();
      const warnings: Problem[] = [];
      let warningCount = 0;
      const keys = new Set<string>();
      const blankCells: Record<string, number> = {};
      const quarantined: QuarantinedRow[] = [];
      const quarantinedByCode = new Map<string, { name: string | null; values: number }>();
      const viaSuccessors = new Set<string>();
      let rowsRead = 0;
      let valuesRead = 0;
      let stored = 0;
      let batch: ParsedObservation[] = [];
      const codeIds = new Map<string, number>();
      const extents = new PeriodExtents<string>();

      // Rows are coded in batches, and sent to the database in large slices: each COPY has a fixed cost.
      let pending: string[] = [];
      let pendingBytes = 0;
      const send = async () => {
        if (pending.length === 0) return;
        await session.copyCsv(target, observationCopyColumns, pending);
        pending = [];
        pendingBytes = 0;
      };
      const flush = async (final = false) => {
        if (problems.count > 0) {
          batch = [];
          pending = [];
          return;
        }
        if (batch.length > 0) {
          const newCodes = [...new Set(batch.map((o) => o.odsCode))].filter((code) => !codeIds.has(code));
          if (newCodes.length > 0)
            for (const [code, id] of await ensureReportingCodes(ex, newCodes)) codeIds.set(code, id);
          const month = periodTypeCodes.month;
          let text = '';
          for (const o of batch)
            text += `${codeIds.get(o.odsCode) ?? 0},${itemIds.get(o.item) ?? 0},${month},${o.periodStart},${o.value},${runId}\n`;
          pending.push(text);
          pendingBytes += text.length;
          stored += batch.length;
          batch = [];
        }
        if (final || pendingBytes >= copySliceBytes) await send();
      };

      const readAndLoad = async () => {
        for await (const rows of file.batches) {
          for (const row of rows) {
            rowsRead += 1;
            if (row.problems.length > 0) {
              problems.add(...row.problems);
              continue;
            }
            if (keys.has(row.key)) {
              problems.add({
                file: meta.fileName,
                row: row.line,
                message: `This row repeats an earlier row for ${row.key.replaceAll('|', ', ')}. Remove the duplicate.`,
              });
              continue;
            }
            keys.add(row.key);
            for (const column of row.blanks) blankCells[column] = (blankCells[column] ?? 0) + 1;
            warningCount += row.warnings.length;
            if (warnings.length < 20) warnings.push(...row.warnings.slice(0, 20 - warnings.length));
            const unknownItem = row.observations.find((o) => !itemIds.has(o.item));
            if (unknownItem) {
              problems.add({
                file: meta.fileName,
                row: row.line,
                column: 'data_item',
                message: `"${unknownItem.item}" is not a data item in the catalogue. Check the code (see "oversight metrics --json" for the items).`,
              });
              continue;
            }
            for (const observation of row.observations) {
              valuesRead += 1;
              const placement = classify(observation.odsCode);
              if (placement === 'unknown') {
                quarantined.push({
                  odsCode: observation.odsCode,
                  orgName: observation.orgName,
                  itemId: itemIds.get(observation.item) ?? 0,
                  periodType: periodTypeCodes.month,
                  periodStart: observation.periodStart,
                  value: observation.value,
                  sourceId: runId,
                });
                const entry = quarantinedByCode.get(observation.odsCode) ?? {
                  name: observation.orgName,
                  values: 0,
                };
                entry.values += 1;
                quarantinedByCode.set(observation.odsCode, entry);
                continue;
              }
              if (placement === 'successor') viaSuccessors.add(observation.odsCode);
              extents.add(observation.item, observation.periodStart);
              batch.push(observation);
            }
          }
          if (batch.length >= batchSize) await flush();
          meta.onProgress?.(rowsRead);
        }
        await flush(true);
      };
      // A first load into an empty store builds the key index once, at the end.
      if (bulk && (await isObservationStoreEmpty(ex))) await withKeyIndexBuiltAfterLoad(ex, readAndLoad);
      else await readAndLoad();
      meta.onProgress?.(rowsRead);
      if (rowsRead === 0) {
        problems.add({
          file: meta.fileName,
          message: 'The file has a header but no rows. Choose the file again.',
        });
      }
      problems.throwIfAny(`${meta.fileName} has rows that cannot be imported.`);

      await extendObservationExtent(
        ex,
        extents.entries().map(([item, extent]) => ({
          itemId: itemIds.get(item) ?? 0,
          periodType: periodTypeCodes.month,
          ...extent,
        })),
      );
      const touched = extents.entries();
      if (touched.length > 0) {
        await markRollupsStale(
          ex,
          touched.map(([item]) => itemIds.get(item) ?? 0),
          touched.reduce((min, [, e]) => (e.first < min ? e.first : min), touched[0]?.[1].first ?? ''),
          touched.reduce((max, [, e]) => (e.last > max ? e.last : max), touched[0]?.[1].last ?? ''),
        );
      }
      const counts = bulk
        ? { inserted: stored, superseded: 0, unchanged: 0 }
        : await mergeObservationStage(ex);
      const newOrChanged = await insertQuarantinedRows(ex, quarantined);
      const summary: StatisticsImportSummary = {
        importRunId: runId,
        file: meta.fileName,
        url: meta.url,
        sha256: meta.digest(),
        layout: file.layout.name,
        rowsRead,
        valuesRead,
        stored: counts,
        blankCells,
        quarantine: {
          rows: quarantined.length,
          newOrChanged,
          codes: [...quarantinedByCode.entries()]
            .map(([odsCode, entry]) => ({ odsCode, name: entry.name, values: entry.values }))
            .sort((a, b) => b.values - a.values),
        },
        viaSuccessors: [...viaSuccessors].sort(),
        warnings: { count: warningCount, examples: warnings },
        ignoredColumns: file.layout.ignored,
        loadPath: bulk ? 'bulk' : 'merge',
        changed: counts.inserted + counts.superseded + newOrChanged > 0,
        durationMs: Date.now() - started,
        rollups: null,
      };
      if (!summary.changed) throw new NothingChanged({ ...summary, importRunId: null });
      await refreshPlacements(ex);
      await appendAuditEvents(ex, meta.actor, [
        {
          action: 'statistics.import',
          recordType: 'import',
          recordId: String(runId),
          before: null,
          after: {
            file: summary.file,
            url: summary.url,
            sha256: summary.sha256,
            layout: summary.layout,
            rowsRead: summary.rowsRead,
            stored: summary.stored,
            quarantined: summary.quarantine.rows,
          },
        },
      ]);
      await completeImportRun(ex, runId, { ...summary, durationMs: Date.now() - started }, summary.sha256);
      return { ...summary, durationMs: Date.now() - started };
    });
  } catch (error) {
    if (error instanceof NothingChanged) return { ...error.summary, durationMs: Date.now() - started };
    throw error;
  }
  // The dashboards' roll-ups are brought up to date once the import has committed. A large load
  // leaves the planner's statistics stale (autovacuum catches up minutes later, and PGlite has
  // none), which turns the roll-up's joins into nested loops over millions of rows.
  const analyseStarted = Date.now();
  if (summary.stored.inserted >= 10_000) await analyseObservationStore(handle.db);
  const rollups = await refreshRollupCacheAfterWrite(handle.db);
  return { ...summary, rollups: { ...rollups, durationMs: Date.now() - analyseStarted } };
}
