import type { Db } from '../db/database.js';
import type { Principal } from '../domain/access.js';
import type { IsoDate } from '../domain/iso-date.js';
import { metricDomains, type Metric, type MetricDomain } from '../domain/metric.js';
import type { AssuranceIcon, VariationIcon } from '../stats/spc.js';
import { findLatestVersion, findOrganisationByCode } from '../db/organisation.repository.js';
import { listRollupsForAggregates } from '../db/oversight.repository.js';
import { listOrganisationIdsOfKindsAt } from '../db/rollup.repository.js';
import { metricValue, versionFor } from '../domain/metric.js';
import { competitionRanks, quartileBand, quartiles } from '../stats/ranking.js';
import { getDashboard } from './dashboard.service.js';
import {
  getMethodology,
  getSegmentation,
  lastCompleteQuarter,
  type SegmentDriver,
} from './segmentation.service.js';
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
  /** Where the organisation ranks among all of its kind (trusts, ICBs or regions) that month; null when neutral. */
  benchmark: { rank: number; of: number; band: number; median: number | null; among: string } | null;
}

/** The organisation's oversight segment for the last complete quarter to the report's month, with its drivers. */
export interface ReportSegment {
  methodology: string;
  methodologyCode: string;
  quarter: string;
  quarterStart: IsoDate;
  segment: number | null;
  segmentLabel: string | null;
  averageScore: number | null;
  leaguePosition: number | null;
  leagueOf: number;
  peerGroup: string;
  /** A standing regional judgement; its reason only for those who may read it. */
  judgement: { segment: number; reason: string | null } | null;
  overridesApplied: string[];
  drivers: SegmentDriver[];
  change: string[];
}

export interface PerformanceReport {
  organisation: { code: string; name: string };
  segment: ReportSegment | null;
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
  options: {
    odsCode: string;
    until: IsoDate;
    today: IsoDate;
    iconMinimumPoints?: number;
    /** Who is reading (judgement reasons); null for the command-line operator. */
    viewer?: Principal | null;
    /** Leave the segment out (the system view has its own). */
    withSegment?: boolean;
  },
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
      benchmark: null,
    });
  }
  // The dashboard has already found the organisation; its kind decides its peers and its methodology.
  const organisation = await findOrganisationByCode(db, options.odsCode);
  const subject = organisation
    ? {
        id: organisation.id,
        odsCode: options.odsCode,
        kind: (await findLatestVersion(db, organisation.id))?.kind,
      }
    : null;
  if (subject)
    await addBenchmarkPositions(
      db,
      subject,
      rows,
      dashboard.series.map((s) => s.metric),
    );
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
    segment:
      options.withSegment === false || !subject
        ? null
        : await reportSegment(db, subject, dashboard.to, options.today, options.viewer ?? { kind: 'public' }),
    month: dashboard.to,
    sections,
    matrix,
  };
}

/**
 * Trusts under NOF 2025/26; ICBs under the 2026/27 style from its first quarter (ICBs were not segmented
 * before). The quarter is the last complete one to the report's month; other kinds have no segment.
 */
interface ReportSubject {
  id: number;
  odsCode: string;
  kind: string | undefined;
}

async function reportSegment(
  db: Db,
  { odsCode, kind }: ReportSubject,
  month: IsoDate,
  today: IsoDate,
  viewer: Principal | null,
): Promise<ReportSegment | null> {
  const level = kind === 'nhs-trust' ? 'nhs-trust' : kind === 'icb' || kind === 'stp' ? 'icb' : null;
  if (!level) return null;
  const quarter = lastCompleteQuarter(month);
  const methodologyCode = level === 'icb' ? 'nof-2026-27' : 'nof-2025-26';
  if (level === 'icb' && quarter.start < (await getMethodology(db, methodologyCode)).effectiveFrom)
    return null;
  const segmentation = await getSegmentation(db, {
    methodologyCode,
    level,
    period: quarter.start,
    today,
    viewer,
    driversFor: [odsCode],
  });
  const row = segmentation.rows.find((r) => r.odsCode === odsCode);
  if (!row) return null;
  return {
    methodology: segmentation.methodology.name,
    methodologyCode: segmentation.methodology.code,
    quarter: segmentation.period.label,
    quarterStart: segmentation.period.start,
    segment: row.segment,
    segmentLabel: row.segmentLabel ?? row.notSegmented,
    averageScore: row.averageScore,
    leaguePosition: row.leaguePosition,
    leagueOf: row.leagueOf,
    peerGroup: row.peerGroup,
    judgement:
      row.judgement && !row.judgement.lapsed
        ? { segment: row.judgement.segment, reason: row.judgement.reason }
        : null,
    overridesApplied: row.overridesApplied,
    drivers: row.drivers,
    change: row.change?.reasons ?? [],
  };
}

const kindGroups: Record<string, { kinds: string[]; among: string }> = {
  'nhs-trust': { kinds: ['nhs-trust'], among: 'trusts' },
  icb: { kinds: ['icb', 'stp'], among: 'ICBs' },
  stp: { kinds: ['icb', 'stp'], among: 'ICBs' },
  region: { kinds: ['region'], among: 'regions' },
};

/**
 * Each row's rank among every organisation of the same kind in the row's month, read from the roll-up cache
 * in one query (the league tables' figures), so the board sees where it stands as well as how it varies.
 */
async function addBenchmarkPositions(
  db: Db,
  organisation: ReportSubject,
  rows: ReportRow[],
  metrics: ReadonlyArray<Pick<Metric, 'code' | 'versions'> & { id: number }>,
): Promise<void> {
  const kind = organisation.kind;
  const group = kind ? kindGroups[kind] : undefined;
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const first = months[0];
  const last = months[months.length - 1];
  if (!group || !first || !last) return;
  const peers = await listOrganisationIdsOfKindsAt(db, group.kinds, last);
  const byCode = new Map(metrics.map((m) => [m.code, m]));
  const cached = await listRollupsForAggregates(
    db,
    peers.map((p) => p.id),
    metrics.map((m) => m.id),
    first,
    last,
  );
  for (const row of rows) {
    const metric = byCode.get(row.metric.code);
    const version = metric ? versionFor(metric, row.month) : null;
    if (!metric || !version || row.metric.polarity === 'neutral') continue;
    const values = new Map<number, number>();
    for (const r of cached) {
      if (r.metricId !== metric.id || r.periodStart !== row.month) continue;
      const value = metricValue(
        version.definition,
        r.numerator ?? 0,
        version.definition.denominator ? r.denominator : null,
      );
      if (value !== null) values.set(r.aggregateId, value);
    }
    const own = values.get(organisation.id);
    if (own === undefined || values.size < 2) continue;
    const ids = [...values.keys()];
    const ranks = competitionRanks([...values.values()], row.metric.polarity);
    const rank = ranks[ids.indexOf(organisation.id)] ?? 0;
    row.benchmark = {
      rank,
      of: values.size,
      band: quartileBand(rank, values.size),
      median: quartiles([...values.values()]).median,
      among: group.among,
    };
  }
}
