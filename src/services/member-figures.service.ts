import type { Db } from '../db/database.js';
import type { IsoDate } from '../domain/iso-date.js';
import type { Metric } from '../domain/metric.js';
import { addMonths } from '../domain/period.js';
import { getDashboard, type Dashboard } from './dashboard.service.js';
import { getTreeAt } from './hierarchy-query.service.js';

/**
 * An area and its members side by side (England and its regions, a region and its ICBs, an ICB and its
 * trusts): the latest month of a few headline metrics for each, from the roll-up cache. This is the
 * system view the seeds ask for — an organisation read together with its system.
 */

/**
 * Shown when the caller names none: urgent care, beds and elective waits, people and money. Only those
 * with figures become columns (the published files have no workforce or finance data; the demo has no beds).
 */
export const headlineMetrics = [
  'ae_4h_all',
  'ae_attendances',
  'ga_occupancy',
  'rtt_over_18w_all_parts',
  'wf_vacancy_rate',
  'fin_surplus_deficit',
];

export interface LatestFigure {
  value: number;
  month: string;
  label: string;
  /** Members that counted in an area's figure; 0 for an organisation's own. */
  reported: number;
}

export interface MemberFiguresRow {
  odsCode: string;
  name: string;
  kind: string;
  figures: Record<string, LatestFigure | null>;
}

export interface MemberFigures {
  asAt: IsoDate;
  /** The metrics with a figure for the area or any member, in the order asked for. */
  metrics: Array<Pick<Metric, 'code' | 'name' | 'unit' | 'polarity'>>;
  area: MemberFiguresRow;
  members: MemberFiguresRow[];
}

const memberKinds = new Set(['region', 'icb', 'stp', 'nhs-trust', 'independent-provider', 'ccg']);

export async function getMemberFigures(
  db: Db,
  options: { odsCode: string; asAt: IsoDate; metricCodes?: string[] | 'all'; today: IsoDate },
): Promise<MemberFigures> {
  const tree = await getTreeAt(db, { asAt: options.asAt, rootCode: options.odsCode, depth: 1 });
  const metricCodes = options.metricCodes ?? headlineMetrics;
  // The area's own figures fix the month: the latest with figures on or before the date (published data
  // lags, and ends where it ends); members are read over the 12 months to it.
  const probe = await getDashboard(db, {
    aggregateCode: options.odsCode,
    metricCodes,
    until: options.asAt,
    today: options.today,
  });
  const from = addMonths(probe.to, -11);
  const row = (
    dashboard: Dashboard,
    o: { odsCode: string; name: string; kind: string },
  ): MemberFiguresRow => {
    const figures: Record<string, LatestFigure | null> = {};
    for (const series of dashboard.series) {
      const point = [...series.points].reverse().find((p) => p.value !== null && p.period.start >= from);
      figures[series.metric.code] =
        point && point.value !== null
          ? { value: point.value, month: point.period.start, label: point.label, reported: point.reported }
          : null;
    }
    return { odsCode: o.odsCode, name: o.name, kind: o.kind, figures };
  };
  const area = row(probe, tree.root.organisation);
  const members: MemberFiguresRow[] = [];
  for (const child of tree.root.children) {
    const o = child.organisation;
    if (!memberKinds.has(o.kind)) continue;
    const dashboard = await getDashboard(db, {
      aggregateCode: o.odsCode,
      metricCodes,
      from,
      to: probe.to,
      today: options.today,
    });
    members.push(row(dashboard, o));
  }
  const metrics = probe.series
    .map((s) => s.metric)
    .filter((m) => [area, ...members].some((r) => r.figures[m.code]))
    .map((m) => ({ code: m.code, name: m.name, unit: m.unit, polarity: m.polarity }));
  return { asAt: options.asAt, metrics, area, members };
}
