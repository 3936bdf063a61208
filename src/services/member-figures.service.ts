import type { Db } from '../db/database.js';
import type { IsoDate } from '../domain/iso-date.js';
import type { Metric } from '../domain/metric.js';
import { addMonths } from '../domain/period.js';
import { getDashboard } from './dashboard.service.js';
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
  // The latest month with figures on or before the date: published data lags, and ends where it ends.
  const probe = await getDashboard(db, {
    aggregateCode: options.odsCode,
    metricCodes,
    until: options.asAt,
    today: options.today,
  });
  const to = probe.to;
  const from = addMonths(to, -11);
  let catalogueMetrics: Metric[] = [];
  const latest = async (odsCode: string, name: string, kind: string): Promise<MemberFiguresRow> => {
    const dashboard = await getDashboard(db, {
      aggregateCode: odsCode,
      metricCodes,
      from,
      to,
      today: options.today,
    });
    catalogueMetrics = dashboard.series.map((s) => s.metric);
    const figures: Record<string, LatestFigure | null> = {};
    for (const series of dashboard.series) {
      const point = [...series.points].reverse().find((p) => p.value !== null);
      figures[series.metric.code] =
        point && point.value !== null
          ? { value: point.value, month: point.period.start, label: point.label, reported: point.reported }
          : null;
    }
    return { odsCode, name, kind, figures };
  };
  const root = tree.root.organisation;
  const area = await latest(root.odsCode, root.name, root.kind);
  const members: MemberFiguresRow[] = [];
  for (const child of tree.root.children) {
    const o = child.organisation;
    if (memberKinds.has(o.kind)) members.push(await latest(o.odsCode, o.name, o.kind));
  }
  const metrics = catalogueMetrics
    .filter((m) => [area, ...members].some((row) => row.figures[m.code]))
    .map((m) => ({ code: m.code, name: m.name, unit: m.unit, polarity: m.polarity }));
  return { asAt: options.asAt, metrics, area, members };
}
