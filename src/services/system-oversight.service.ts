import type { Db } from '../db/database.js';
import {
  findLatestVersion,
  findOrganisationByCode,
  listOrganisationsAt,
} from '../db/organisation.repository.js';
import type { Principal } from '../domain/access.js';
import { addDays, type IsoDate } from '../domain/iso-date.js';
import { addMonths } from '../domain/period.js';
import type { AssuranceIcon, VariationIcon } from '../stats/spc.js';
import { notFound } from '../domain/errors.js';
import { offTrajectoryMeasures, type OffTrajectory } from './planning.service.js';
import { getPerformanceReport } from './performance-report.service.js';
import {
  getSegmentation,
  mayJudge,
  summariseSegments,
  type Segmentation,
  type SegmentRow,
} from './segmentation.service.js';

/**
 * An area read together with its members (the seeds' "system oversight"): an ICB's own objectives and
 * segment beside every member trust's segment and drivers; a region's ICBs, each with its trusts'
 * segments counted; England's regions likewise. One segmentation run feeds all of it.
 */

export interface Objective {
  metric: string;
  name: string;
  unit: string;
  label: string;
  value: number;
  target: { value: number; label: string };
  variation: VariationIcon | null;
  assurance: AssuranceIcon | null;
  sentence: string;
}

export interface AreaSummary {
  odsCode: string;
  name: string;
  /** The area's own segment where the methodology segments areas of its kind (ICBs from 2026/27). */
  own: SegmentRow | null;
  trusts: number;
  bySegment: Record<string, number>;
  notSegmented: number;
  meanAverageScore: number | null;
  /** The metrics most often among its trusts' drivers, most frequent first. */
  commonDrivers: Array<{ metric: string; name: string; trusts: number }>;
}

export interface SystemOversight {
  area: { odsCode: string; name: string; kind: string };
  methodology: Segmentation['methodology'];
  period: Segmentation['period'];
  previousPeriod: Segmentation['previousPeriod'];
  latestPeriod: Segmentation['latestPeriod'];
  periodNote: string | null;
  /** The area's own segment, when the methodology segments it. */
  own: SegmentRow | null;
  /** Whether the viewer may record a judgement on the area's own segment. */
  mayJudge: boolean;
  /** The area's measures that have a target, with SPC icons, to the quarter's end: its own objectives. */
  objectives: Objective[];
  /** The areas one level down (a region's ICBs, England's regions); empty for an ICB. */
  areas: AreaSummary[];
  /** Every trust in the area, in league order within its type. */
  trusts: SegmentRow[];
  /** The area's planned measures off trajectory for three months (for those who may read its plans). */
  offTrajectory: OffTrajectory[];
}

function summarise(odsCode: string, name: string, own: SegmentRow | null, trusts: SegmentRow[]): AreaSummary {
  const drivers = new Map<string, { name: string; trusts: number }>();
  for (const trust of trusts)
    for (const driver of trust.drivers) {
      const entry = drivers.get(driver.metric) ?? { name: driver.name, trusts: 0 };
      entry.trusts += 1;
      drivers.set(driver.metric, entry);
    }
  const summary = summariseSegments(trusts);
  return {
    odsCode,
    name,
    own,
    trusts: trusts.length,
    bySegment: summary.bySegment,
    notSegmented: summary.notSegmented,
    meanAverageScore: summary.meanAverageScore,
    commonDrivers: [...drivers.entries()]
      .map(([metric, d]) => ({ metric, name: d.name, trusts: d.trusts }))
      .sort((a, b) => b.trusts - a.trusts || a.name.localeCompare(b.name))
      .slice(0, 3),
  };
}

export async function getSystemOversight(
  db: Db,
  request: {
    odsCode: string;
    methodologyCode: string;
    period?: IsoDate;
    until?: IsoDate;
    today: IsoDate;
    /** Who is reading (judgement reasons, the judgement form); null for the command-line operator. */
    viewer: Principal | null;
  },
): Promise<SystemOversight> {
  const organisation = await findOrganisationByCode(db, request.odsCode);
  if (!organisation)
    throw notFound(`No organisation has ODS code ${request.odsCode}. Check the code, or search by name.`);
  const trusts = await getSegmentation(db, {
    methodologyCode: request.methodologyCode,
    level: 'nhs-trust',
    ...(request.period ? { period: request.period } : {}),
    ...(request.until ? { until: request.until } : {}),
    today: request.today,
    viewer: request.viewer,
  });
  const quarterLast = addDays(addMonths(trusts.period.start, 3), -1);
  // Names and kinds as they stood at the quarter's end (one read, not one per area).
  const standing = new Map((await listOrganisationsAt(db, quarterLast)).map((o) => [o.odsCode, o]));
  const area = standing.get(request.odsCode) ?? null;
  const kind = area?.kind ?? (await findLatestVersion(db, organisation.id))?.kind ?? 'unknown';
  const nameOf = (code: string) => standing.get(code)?.name ?? code;
  // ICBs' own segments for the same quarter, where the methodology segments ICBs (2026/27 on).
  const icbRows = trusts.methodology.levels.includes('icb')
    ? (
        await getSegmentation(db, {
          methodologyCode: trusts.methodology.code,
          version: trusts.methodology.version,
          level: 'icb',
          period: trusts.period.start,
          today: request.today,
          viewer: request.viewer,
        })
      ).rows
    : [];
  const inArea = (row: SegmentRow) =>
    kind === 'national-body' ||
    row.odsCode === request.odsCode ||
    row.icbCode === request.odsCode ||
    row.regionCode === request.odsCode;
  const memberTrusts = trusts.rows.filter((row) => row.odsCode !== request.odsCode && inArea(row));
  const own = [...trusts.rows, ...icbRows].find((row) => row.odsCode === request.odsCode) ?? null;

  let areas: AreaSummary[] = [];
  if (kind === 'region') {
    const codes = new Set(memberTrusts.map((t) => t.icbCode).filter((c): c is string => c !== null));
    for (const row of icbRows) if (row.regionCode === request.odsCode) codes.add(row.odsCode);
    areas = [...codes].map((code) =>
      summarise(
        code,
        nameOf(code),
        icbRows.find((r) => r.odsCode === code) ?? null,
        memberTrusts.filter((t) => t.icbCode === code),
      ),
    );
  } else if (kind === 'national-body') {
    const codes = new Set(memberTrusts.map((t) => t.regionCode).filter((c): c is string => c !== null));
    areas = [...codes].map((code) =>
      summarise(
        code,
        nameOf(code),
        null,
        memberTrusts.filter((t) => t.regionCode === code),
      ),
    );
  }
  areas.sort((a, b) => a.name.localeCompare(b.name));

  // Objectives: the area's own measures with a target, as they stood at the quarter's end.
  const report = await getPerformanceReport(db, {
    odsCode: request.odsCode,
    until: quarterLast,
    today: request.today,
    viewer: request.viewer,
    withSegment: false,
  });
  const objectives: Objective[] = report.sections.flatMap((section) =>
    section.rows.flatMap((row) =>
      row.target
        ? [
            {
              metric: row.metric.code,
              name: row.metric.name,
              unit: row.metric.unit,
              label: row.label,
              value: row.value,
              target: row.target,
              variation: row.variation,
              assurance: row.assurance,
              sentence: row.sentence,
            },
          ]
        : [],
    ),
  );
  return {
    area: { odsCode: request.odsCode, name: area?.name ?? nameOf(request.odsCode), kind },
    methodology: trusts.methodology,
    period: trusts.period,
    previousPeriod: trusts.previousPeriod,
    latestPeriod: trusts.latestPeriod,
    periodNote: trusts.periodNote,
    own,
    mayJudge: own ? await mayJudge(db, request.viewer, organisation.id, quarterLast) : false,
    objectives,
    areas,
    trusts: memberTrusts,
    offTrajectory: await offTrajectoryMeasures(db, request.viewer, request.odsCode, quarterLast),
  };
}
