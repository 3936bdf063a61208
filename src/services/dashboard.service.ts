import { createHash } from 'node:crypto';
import type { Db, Executor } from '../db/database.js';
import { findLatestVersion, findOrganisationByCode } from '../db/organisation.repository.js';
import { readPlacementStamp } from '../db/placement.repository.js';
import {
  addPendingRollups,
  analyseObservationStore,
  clearMetricRollups,
  collectChangedPlacementCells,
  hasPendingRollups,
  listCachedRollups,
  lockRollupState,
  readRollupState,
  refreshMetricRollups,
  refreshRollupCells,
  saveRollupState,
  snapshotRollupPlacements,
  takePendingRollups,
} from '../db/rollup.repository.js';
import { latestPeriodForItems } from '../db/observation.repository.js';
import { invalidInput, notFound } from '../domain/errors.js';
import type { IsoDate } from '../domain/iso-date.js';
import { itemsOf, metricValue, targetsFor, versionFor, type MetricTarget } from '../domain/metric.js';
import {
  addMonths,
  formatPeriod,
  nextPeriod,
  periodContaining,
  periodsBetween,
  type Period,
} from '../domain/period.js';
import {
  getMetricCatalogue,
  requireMetric,
  type MetricCatalogue,
  type MetricRecord,
} from './metric-catalogue.service.js';
import { ensurePlacements } from './placement.service.js';
import { termsFor, validateRange } from './rollup.service.js';

/**
 * Dashboards read pre-computed monthly roll-ups (every metric, every aggregate, each month under its
 * own structure) so that 40 metrics × 36 months for a region is one indexed read, not a sum over
 * millions of rows. Imports mark the metrics and months they touch; the cache is brought up to date
 * before every read, and rebuilt in full when the hierarchy (placements) changes.
 */

const earliest = '2010-04-01';

function rangeTerms(metrics: MetricRecord[], catalogue: MetricCatalogue) {
  // The cache is keyed by metric id.
  return metrics.flatMap((metric) =>
    termsFor(metric, catalogue).map((term) => ({ ...term, metricKey: String(metric.id) })),
  );
}

/** Records that the cached roll-ups of metrics reading these items are out of date for these months. */
export async function markRollupsStale(
  ex: Executor,
  itemIds: readonly number[],
  from: IsoDate,
  to: IsoDate,
): Promise<void> {
  const catalogue = await getMetricCatalogue(ex);
  const items = new Set(itemIds);
  const affected = catalogue.metrics.filter((metric) =>
    metric.versions.some((version) =>
      itemsOf(version.definition).some((code) => items.has(catalogue.itemByCode.get(code)?.id ?? -1)),
    ),
  );
  await addPendingRollups(
    ex,
    affected.map((metric) => ({ metricId: metric.id, from, to })),
  );
}

export interface CacheRefresh {
  /** Rebuilt from scratch (a metric definition changed, or the first build). */
  full: boolean;
  /** Metrics refreshed for the months imports touched. */
  ranges: number;
  /** Aggregate-months refreshed because placements changed. */
  cells: number;
  rows: number;
  /** Another refresh was under way; the cache was read as it stood. */
  skipped: boolean;
}

const nothingToDo: CacheRefresh = { full: false, ranges: 0, cells: 0, rows: 0, skipped: false };

/** A digest of every metric definition: a new version changes what every cached figure means. */
function definitionsDigest(catalogue: MetricCatalogue): string {
  const definitions = catalogue.metrics.map((metric) => [
    metric.id,
    metric.versions.map((version) => [version.effectiveFrom, version.definition]),
  ]);
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

/**
 * Brings the roll-up cache up to date: cheap when nothing changed. `wait: false` (readers) serves the
 * cache as it stands when another refresh holds it, rather than queueing behind it.
 */
export async function refreshRollupCache(db: Db, options: { wait?: boolean } = {}): Promise<CacheRefresh> {
  await ensurePlacements(db);
  const state = await readRollupState(db);
  if (
    state &&
    state.digest === definitionsDigest(await getMetricCatalogue(db)) &&
    state.placementStamp === ((await readPlacementStamp(db)) ?? '') &&
    !(await hasPendingRollups(db))
  )
    return nothingToDo;
  return db.transaction().execute(async (trx) => {
    const locked = await lockRollupState(trx, options.wait ?? true);
    if (!locked) return { ...nothingToDo, skipped: true };
    const catalogue = await getMetricCatalogue(trx);
    const digest = definitionsDigest(catalogue);
    const placementStamp = (await readPlacementStamp(trx)) ?? '';
    const allTerms = rangeTerms(catalogue.metrics, catalogue);
    if (locked.digest !== digest) {
      await analyseObservationStore(trx);
      await clearMetricRollups(trx);
      await takePendingRollups(trx);
      const last = await latestPeriodForItems(
        trx,
        catalogue.items.map((item) => item.id),
      );
      const rows = last
        ? await refreshMetricRollups(
            trx,
            allTerms,
            earliest,
            nextPeriod({ type: 'month', start: last }).start,
          )
        : 0;
      await snapshotRollupPlacements(trx);
      await saveRollupState(trx, { digest, placementStamp });
      return { ...nothingToDo, full: true, rows };
    }
    let rows = 0;
    let cells = 0;
    if (locked.placementStamp !== placementStamp) {
      cells = await collectChangedPlacementCells(trx);
      if (cells > 0) rows += await refreshRollupCells(trx, allTerms);
      await snapshotRollupPlacements(trx);
    }
    const pending = await takePendingRollups(trx);
    // Merge overlapping requests per metric into one span each.
    const spans = new Map<number, { from: IsoDate; to: IsoDate }>();
    for (const range of pending) {
      const span = spans.get(range.metricId);
      spans.set(
        range.metricId,
        span
          ? {
              from: span.from < range.from ? span.from : range.from,
              to: span.to > range.to ? span.to : range.to,
            }
          : { from: range.from, to: range.to },
      );
    }
    // Metrics with the same span (an import touches many) are refreshed together: one scan, not one each.
    const bySpan = new Map<string, MetricRecord[]>();
    for (const [metricId, span] of spans) {
      const metric = catalogue.metrics.find((m) => m.id === metricId);
      if (!metric) continue;
      const key = `${span.from}|${span.to}`;
      bySpan.set(key, [...(bySpan.get(key) ?? []), metric]);
    }
    for (const [key, metrics] of bySpan) {
      const [from = earliest, to = earliest] = key.split('|');
      rows += await refreshMetricRollups(
        trx,
        rangeTerms(metrics, catalogue),
        from,
        nextPeriod({ type: 'month', start: to }).start,
      );
    }
    await saveRollupState(trx, { digest, placementStamp });
    return { ...nothingToDo, ranges: spans.size, cells, rows };
  });
}

export type CacheRefreshAfterWrite = CacheRefresh & { durationMs: number; error: string | null };

/**
 * Refreshes the cache after a write has committed. The write stands whatever happens here: a failure
 * is reported, and the work stays pending for the next read to retry.
 */
export async function refreshRollupCacheAfterWrite(db: Db): Promise<CacheRefreshAfterWrite> {
  const started = Date.now();
  try {
    return { ...(await refreshRollupCache(db)), durationMs: Date.now() - started, error: null };
  } catch (error) {
    return {
      ...nothingToDo,
      durationMs: Date.now() - started,
      error: `The dashboards' figures could not be brought up to date (${error instanceof Error ? error.message : String(error)}); the next dashboard read tries again.`,
    };
  }
}

export interface DashboardPoint {
  period: Period;
  label: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  reported: number;
  partial: number;
  targets: MetricTarget[];
}

export interface Dashboard {
  aggregate: { code: string; name: string };
  from: IsoDate;
  to: IsoDate;
  series: Array<{ metric: MetricRecord; points: DashboardPoint[] }>;
}

/** Many metrics for one aggregate, monthly, under each month's structure, from the cache. */
export async function getDashboard(
  db: Db,
  options: {
    aggregateCode: string;
    metricCodes: string[] | 'all';
    from?: IsoDate;
    to?: IsoDate;
    /** Without `to`: end at the latest month with figures on or before this date (default: the latest). */
    until?: IsoDate;
    today: IsoDate;
  },
): Promise<Dashboard> {
  await refreshRollupCache(db, { wait: false });
  const catalogue = await getMetricCatalogue(db);
  const metrics =
    options.metricCodes === 'all'
      ? catalogue.metrics
      : [...new Set(options.metricCodes)].map((code) => requireMetric(catalogue, code));
  if (metrics.length === 0)
    throw invalidInput('No metric was named.', [{ field: 'metrics', message: 'Name at least one metric.' }]);
  const organisation = await findOrganisationByCode(db, options.aggregateCode);
  if (!organisation)
    throw notFound(
      `No organisation has ODS code ${options.aggregateCode}. Check the code, or search by name.`,
    );
  const latest = options.to
    ? null
    : await latestPeriodForItems(
        db,
        metrics.flatMap((metric) => rangeTerms([metric], catalogue).map((t) => t.itemId)),
      );
  const to = periodContaining(
    'month',
    options.to ??
      (latest && options.until && latest > options.until ? options.until : latest) ??
      options.until ??
      options.today,
  ).start;
  // Months are read whole: a date in a month stands for the month.
  const from = periodContaining(
    'month',
    options.from ?? addMonths(periodContaining('month', to).start, -35),
  ).start;
  validateRange(from, to);
  const months = periodsBetween('month', from, to);
  const rows = await listCachedRollups(
    db,
    organisation.id,
    metrics.map((m) => m.id),
    from,
    to,
  );
  const byKey = new Map(rows.map((row) => [`${row.metricId}|${row.periodStart}`, row]));
  const name = (await findLatestVersion(db, organisation.id))?.name ?? organisation.odsCode;
  return {
    aggregate: { code: organisation.odsCode, name },
    from,
    to,
    series: metrics.map((metric) => ({
      metric,
      points: months.map((period) => {
        const row = byKey.get(`${metric.id}|${period.start}`);
        const version = versionFor(metric, period.start);
        const counted = row && row.reported > 0 && row.numerator !== null;
        return {
          period,
          label: formatPeriod(period),
          value:
            counted && version
              ? metricValue(
                  version.definition,
                  row.numerator ?? 0,
                  version.definition.denominator ? row.denominator : null,
                )
              : null,
          numerator: counted ? (row.numerator ?? null) : null,
          denominator: counted && version?.definition.denominator ? (row.denominator ?? null) : null,
          reported: row?.reported ?? 0,
          partial: row?.partial ?? 0,
          targets: targetsFor(metric, period.start),
        };
      }),
    })),
  };
}
