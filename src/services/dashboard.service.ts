import { createHash } from 'node:crypto';
import type { Db, Executor } from '../db/database.js';
import { findLatestVersion, findOrganisationByCode } from '../db/organisation.repository.js';
import { readPlacementStamp } from '../db/placement.repository.js';
import {
  addPendingRollups,
  analyseObservationStore,
  clearMetricRollups,
  hasPendingRollups,
  listCachedRollups,
  lockRollupState,
  readRollupStamp,
  refreshMetricRollups,
  saveRollupStamp,
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
import { termsFor } from './rollup.service.js';

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
  full: boolean;
  ranges: number;
  rows: number;
}

/** What the cache was built from: the placements and every metric definition (a new version rebuilds it). */
function cacheStamp(placements: string | null, catalogue: MetricCatalogue): string {
  const definitions = catalogue.metrics.map((metric) => [
    metric.id,
    metric.versions.map((version) => [version.effectiveFrom, version.definition]),
  ]);
  const digest = createHash('sha256').update(JSON.stringify(definitions)).digest('hex').slice(0, 16);
  return `${placements ?? ''}|${digest}`;
}

/** Brings the roll-up cache up to date; cheap when nothing changed. */
export async function refreshRollupCache(db: Db): Promise<CacheRefresh> {
  await ensurePlacements(db);
  const current = cacheStamp(await readPlacementStamp(db), await getMetricCatalogue(db));
  if ((await readRollupStamp(db)) === current && !(await hasPendingRollups(db)))
    return { full: false, ranges: 0, rows: 0 };
  return db.transaction().execute(async (trx) => {
    const built = await lockRollupState(trx);
    const catalogue = await getMetricCatalogue(trx);
    const stamp = cacheStamp(await readPlacementStamp(trx), catalogue);
    if (built !== stamp) {
      await analyseObservationStore(trx);
      await clearMetricRollups(trx);
      await takePendingRollups(trx);
      const terms = rangeTerms(catalogue.metrics, catalogue);
      const last = await latestPeriodForItems(
        trx,
        catalogue.items.map((item) => item.id),
      );
      const rows = last
        ? await refreshMetricRollups(trx, terms, earliest, nextPeriod({ type: 'month', start: last }).start)
        : 0;
      await saveRollupStamp(trx, stamp);
      return { full: true, ranges: 1, rows };
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
    let rows = 0;
    for (const [metricId, span] of spans) {
      const metric = catalogue.metrics.find((m) => m.id === metricId);
      if (!metric) continue;
      rows += await refreshMetricRollups(
        trx,
        rangeTerms([metric], catalogue),
        span.from,
        nextPeriod({ type: 'month', start: span.to }).start,
      );
    }
    return { full: false, ranges: spans.size, rows };
  });
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
    today: IsoDate;
  },
): Promise<Dashboard> {
  await refreshRollupCache(db);
  const catalogue = await getMetricCatalogue(db);
  const metrics =
    options.metricCodes === 'all'
      ? catalogue.metrics
      : options.metricCodes.map((code) => requireMetric(catalogue, code));
  const organisation = await findOrganisationByCode(db, options.aggregateCode);
  if (!organisation)
    throw notFound(
      `No organisation has ODS code ${options.aggregateCode}. Check the code, or search by name.`,
    );
  const to =
    options.to ??
    (await latestPeriodForItems(
      db,
      metrics.flatMap((metric) => rangeTerms([metric], catalogue).map((t) => t.itemId)),
    )) ??
    periodContaining('month', options.today).start;
  const from = options.from ?? addMonths(periodContaining('month', to).start, -35);
  if (from > to) {
    throw invalidInput(`The range starts (${from}) after it ends (${to}).`, [
      { field: 'from', message: 'Choose a start on or before the end.' },
    ]);
  }
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
