import type { Db } from '../db/database.js';
import type { IsoDate } from '../domain/iso-date.js';
import { metricDomains, type Metric, type MetricDomain } from '../domain/metric.js';
import type { AssuranceIcon, VariationIcon } from '../stats/spc.js';
import { getDashboard } from './dashboard.service.js';
import { analyseSeries, resolveSpcSettings } from './spc.service.js';

/**
 * The integrated performance report (IPR) a board reads: one row per metric with its latest value,
 * target, mean, process limits and the variation and assurance icons, grouped by domain with concerns and
 * fails first. Computed from the roll-up cache and the SPC engine, the same as the metric pages.
 */

export interface ReportRow {
  metric: Pick<Metric, 'code' | 'name' | 'unit' | 'domain' | 'polarity'>;
  month: string;
  label: string;
  value: number;
  target: { value: number; label: string } | null;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  variation: VariationIcon | null;
  assurance: AssuranceIcon | null;
  points: number;
  sentence: string;
  /** The last 24 values, oldest first, for a sparkline. */
  recent: Array<number | null>;
}

export interface PerformanceReport {
  organisation: { code: string; name: string };
  /** The latest month with figures on or before the date asked for. */
  month: IsoDate;
  sections: Array<{ domain: MetricDomain; rows: ReportRow[] }>;
  /** Counts of metrics by variation (improvement, common cause, concern) and assurance (pass, hit and miss, fail). */
  matrix: Record<
    'improvement' | 'common' | 'concern' | 'neutral',
    Record<'pass' | 'inconsistent' | 'fail' | 'none', number>
  >;
}

const seriesPoints = 24;

function variationGroup(icon: VariationIcon | null): keyof PerformanceReport['matrix'] {
  if (!icon || icon === 'common_cause') return 'common';
  if (icon.startsWith('improvement')) return 'improvement';
  if (icon.startsWith('concern')) return 'concern';
  return 'neutral';
}

/** Concerns and fails first, then the rest in catalogue order. */
function attention(row: ReportRow): number {
  return (row.variation?.startsWith('concern') ? 0 : 2) + (row.assurance === 'fail' ? 0 : 1);
}

export async function getPerformanceReport(
  db: Db,
  options: { odsCode: string; until: IsoDate; today: IsoDate; iconMinimumPoints?: number },
): Promise<PerformanceReport> {
  const dashboard = await getDashboard(db, {
    aggregateCode: options.odsCode,
    metricCodes: 'all',
    until: options.until,
    today: options.today,
  });
  const settings = resolveSpcSettings({ iconMinimumPoints: options.iconMinimumPoints });
  const finite = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : null);
  const rows: ReportRow[] = [];
  for (const { metric, points } of dashboard.series) {
    const window = points.slice(-seriesPoints);
    const { present, target, result, iconsWithheld, sentence } = analyseSeries(metric, window, settings);
    const last = present[present.length - 1];
    if (!last || last.value === null) continue;
    const spc = result.kind === 'spc' ? result.summary : null;
    rows.push({
      metric: {
        code: metric.code,
        name: metric.name,
        unit: metric.unit,
        domain: metric.domain,
        polarity: metric.polarity,
      },
      month: last.period.start,
      label: last.label,
      value: last.value,
      target,
      mean: finite(spc?.mean),
      lpl: finite(spc?.lpl),
      upl: finite(spc?.upl),
      variation: spc && !iconsWithheld ? spc.variation : null,
      assurance: spc && !iconsWithheld ? spc.assurance : null,
      points: present.length,
      sentence,
      recent: window.map((p) => p.value),
    });
  }
  const matrix: PerformanceReport['matrix'] = {
    improvement: { pass: 0, inconsistent: 0, fail: 0, none: 0 },
    common: { pass: 0, inconsistent: 0, fail: 0, none: 0 },
    concern: { pass: 0, inconsistent: 0, fail: 0, none: 0 },
    neutral: { pass: 0, inconsistent: 0, fail: 0, none: 0 },
  };
  for (const row of rows) matrix[variationGroup(row.variation)][row.assurance ?? 'none'] += 1;
  const sections = metricDomains
    .map((domain) => ({
      domain,
      rows: rows
        .map((row, index) => ({ row, index }))
        .filter(({ row }) => row.metric.domain === domain)
        .sort((a, b) => attention(a.row) - attention(b.row) || a.index - b.index)
        .map(({ row }) => row),
    }))
    .filter((section) => section.rows.length > 0);
  return {
    organisation: dashboard.aggregate,
    month: dashboard.to,
    sections,
    matrix,
  };
}
