import type { Db, Executor } from '../db/database.js';
import {
  findOrganisationByCode,
  findVersionAt,
  findLatestVersion,
  listOrganisationsByCodes,
} from '../db/organisation.repository.js';
import { findPeerGroup } from '../db/peer-group.repository.js';
import { latestPeriodForItems } from '../db/observation.repository.js';
import {
  aggregateObservations,
  listCodesByIds,
  listOrganisationIdsOfKindsAt,
  type RollupBucket,
  type RollupRow,
  type RollupTerm,
} from '../db/rollup.repository.js';
import { invalidInput, notFound } from '../domain/errors.js';
import { formatLongDate, type IsoDate } from '../domain/iso-date.js';
import { itemsOf, metricValue, targetsFor, versionFor, type MetricTarget } from '../domain/metric.js';
import { nationalBody } from '../domain/nhs-england-structure.js';
import type { OrganisationKind } from '../domain/organisation.js';
import {
  addMonths,
  formatPeriod,
  nextPeriod,
  periodContaining,
  periodsBetween,
  type Period,
} from '../domain/period.js';
import { competitionRanks, quartileBand, quartiles } from '../stats/ranking.js';
import {
  getMetricCatalogue,
  requireMetric,
  type MetricCatalogue,
  type MetricRecord,
} from './metric-catalogue.service.js';
import { ensurePlacements } from './placement.service.js';

/**
 * The roll-up engine: any metric, for any organisation or aggregate (an ICB, a region, England or a
 * peer group), over any range of months, quarters or financial years, under the hierarchy as it was in
 * each period, as it was on a chosen date, or as it is now. Ratios are ratios of sums; an organisation
 * counts only in periods where it reported every item the metric needs; missing is never zero.
 */

export type StructureMode = { kind: 'as-at-period' } | { kind: 'as-at'; date: IsoDate } | { kind: 'as-now' };

export type AggregateRef = { kind: 'organisation'; odsCode: string } | { kind: 'peer-group'; code: string };

export interface RollupOptions {
  metricCodes: string[];
  aggregate: AggregateRef;
  /** Defaults to 23 months before `to`. */
  from?: IsoDate;
  /** Defaults to the latest month with figures for these metrics. */
  to?: IsoDate;
  periodType: RollupBucket;
  structure: StructureMode;
  today: IsoDate;
}

export interface Coverage {
  expected: number;
  reported: number;
  /** Expected organisations (ODS codes) that did not report every item needed this period. */
  notReported: string[];
  /** Of those, the ones that reported some items but not all. */
  partial: string[];
}

export interface MetricPoint {
  period: Period;
  label: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  definitionVersion: number | null;
  targets: MetricTarget[];
  coverage: Coverage;
  /** England only: figures of codes that cannot be placed in today's (or the chosen) structure. */
  unplaced: { numerator: number | null; denominator: number | null; codes: number } | null;
}

export interface MetricSeries {
  metric: MetricRecord;
  points: MetricPoint[];
}

export interface AggregateDescription {
  kind: 'organisation' | 'peer-group';
  code: string;
  name: string;
  organisationKind: OrganisationKind | null;
  members: number | null;
}

export interface RollupResult {
  /** The range reported (defaults filled in). */
  from: IsoDate;
  to: IsoDate;
  aggregate: AggregateDescription;
  structure: StructureMode & { date: IsoDate | null; description: string };
  periodType: RollupBucket;
  series: MetricSeries[];
  /** Things a reader needs to know to read the figures (e.g. the aggregate did not exist in early periods). */
  notes: string[];
}

const farFuture = '9999-12-31';

/** The data items each metric version reads, with coefficients, valid over the periods the version covers. */
export function termsFor(metric: MetricRecord, catalogue: MetricCatalogue): RollupTerm[] {
  const versions = [...metric.versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return versions.flatMap((version, index) => {
    const validTo = versions[index + 1]?.effectiveFrom ?? farFuture;
    const items = itemsOf(version.definition);
    return items.map((code) => {
      const item = catalogue.itemByCode.get(code);
      if (!item) throw new Error(`Metric ${metric.code} reads unknown data item ${code}`);
      const sum = (terms: typeof version.definition.numerator | null) =>
        (terms ?? []).filter((t) => t.item === code).reduce((total, t) => total + t.coefficient, 0);
      return {
        metricKey: metric.code,
        itemId: item.id,
        numeratorCoefficient: sum(version.definition.numerator),
        denominatorCoefficient: sum(version.definition.denominator),
        // With absent items counting as zero, one reported item makes the organisation complete.
        required: version.definition.absentItems === 'zero' ? 1 : items.length,
        validFrom: version.effectiveFrom,
        validTo,
        temporal: item.temporalAggregation,
      };
    });
  });
}

function describeStructure(structure: StructureMode, today: IsoDate): RollupResult['structure'] {
  switch (structure.kind) {
    case 'as-at-period':
      return {
        ...structure,
        date: null,
        description: 'Each period under the structure in force at its start',
      };
    case 'as-at':
      return {
        ...structure,
        date: structure.date,
        description: `Every period under the structure of ${formatLongDate(structure.date)}`,
      };
    case 'as-now':
      return {
        ...structure,
        date: today,
        description: `Every period under today's structure (${formatLongDate(today)}), following successors`,
      };
  }
}

async function resolveAggregate(
  ex: Executor,
  aggregate: AggregateRef,
  structureDate: IsoDate,
): Promise<{
  description: AggregateDescription;
  ids: number[];
  lifetime: { validFrom: IsoDate; validTo: IsoDate | null } | null;
}> {
  if (aggregate.kind === 'peer-group') {
    const group = await findPeerGroup(ex, aggregate.code);
    if (!group) throw notFound(`There is no peer group ${aggregate.code}.`);
    const organisations = await listOrganisationsByCodes(ex, group.members);
    return {
      description: {
        kind: 'peer-group',
        code: group.code,
        name: group.name,
        organisationKind: null,
        members: group.members.length,
      },
      ids: [...organisations.values()].map((o) => o.id),
      lifetime: null,
    };
  }
  const organisation = await findOrganisationByCode(ex, aggregate.odsCode);
  if (!organisation)
    throw notFound(`No organisation has ODS code ${aggregate.odsCode}. Check the code, or search by name.`);
  const version =
    (await findVersionAt(ex, organisation.id, structureDate)) ??
    (await findLatestVersion(ex, organisation.id));
  return {
    description: {
      kind: 'organisation',
      code: organisation.odsCode,
      name: version?.name ?? organisation.odsCode,
      organisationKind: version?.kind ?? null,
      members: null,
    },
    ids: [organisation.id],
    lifetime: { validFrom: organisation.validFrom, validTo: organisation.validTo },
  };
}

/** Refuses a range that runs backwards or is longer than 30 years (counted without listing its months). */
export function validateRange(from: IsoDate, to: IsoDate): void {
  if (from > to) {
    throw invalidInput(`The period range starts (${from}) after it ends (${to}).`, [
      { field: 'from', message: 'Choose a start on or before the end.' },
    ]);
  }
  const monthIndex = (date: IsoDate) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
  if (monthIndex(to) - monthIndex(from) >= 12 * 30) {
    throw invalidInput('The range is longer than 30 years; choose a shorter one.', [
      { field: 'from', message: 'Choose a later start.' },
    ]);
  }
}

/** Lifetimes of organisations behind reporting codes, to tell a missing return from a closed organisation. */
async function organisationLifetimes(ex: Executor, codes: Iterable<string>) {
  const organisations = await listOrganisationsByCodes(ex, [...codes]);
  return (code: string, period: Period) => {
    const organisation = organisations.get(code);
    return organisation
      ? organisation.validFrom <= period.start &&
          (organisation.validTo === null || organisation.validTo > period.start)
      : null;
  };
}

function buildSeries(
  metric: MetricRecord,
  periods: Period[],
  rows: RollupRow[],
  unplacedRows: RollupRow[] | null,
  codeNames: Map<number, string>,
  isOpen: (code: string, period: Period) => boolean | null,
): MetricSeries {
  const byBucket = new Map(rows.filter((r) => r.metricKey === metric.code).map((r) => [r.bucket, r]));
  const unplacedByBucket = new Map(
    (unplacedRows ?? []).filter((r) => r.metricKey === metric.code).map((r) => [r.bucket, r]),
  );
  // An organisation is expected from the first period it reported in the range until it closes
  // (or, for codes that are not organisations here, until the last period it reported).
  const firstSeen = new Map<number, string>();
  const lastSeen = new Map<number, string>();
  for (const period of periods) {
    const row = byBucket.get(period.start);
    for (const id of [...(row?.completeCodeIds ?? []), ...(row?.incompleteCodeIds ?? [])]) {
      if (!firstSeen.has(id)) firstSeen.set(id, period.start);
      lastSeen.set(id, period.start);
    }
  }
  const points = periods.map((period): MetricPoint => {
    const row = byBucket.get(period.start);
    const version = versionFor(metric, period.start);
    const complete = new Set(row?.completeCodeIds ?? []);
    const incomplete = new Set(row?.incompleteCodeIds ?? []);
    const expected = [...firstSeen.keys()].filter((id) => {
      if (complete.has(id) || incomplete.has(id)) return true;
      if ((firstSeen.get(id) ?? farFuture) > period.start) return false;
      const open = isOpen(codeNames.get(id) ?? '', period);
      return open === null ? (lastSeen.get(id) ?? '') >= period.start : open;
    });
    const notReported = expected.filter((id) => !complete.has(id));
    const numerator = row && complete.size > 0 ? row.numerator : null;
    const denominator = row && complete.size > 0 ? row.denominator : null;
    const value =
      version && numerator !== null
        ? metricValue(version.definition, numerator, version.definition.denominator ? denominator : null)
        : null;
    const unplaced = unplacedRows
      ? (() => {
          const u = unplacedByBucket.get(period.start);
          return {
            numerator: u?.numerator ?? null,
            denominator: u?.denominator ?? null,
            codes: u?.completeCodeIds.length ?? 0,
          };
        })()
      : null;
    return {
      period,
      label: formatPeriod(period),
      numerator,
      denominator: version?.definition.denominator ? denominator : null,
      value,
      definitionVersion: version?.version ?? null,
      targets: targetsFor(metric, period.start),
      coverage: {
        expected: expected.length,
        reported: complete.size,
        notReported: notReported.map((id) => codeNames.get(id) ?? String(id)).sort(),
        partial: notReported
          .filter((id) => incomplete.has(id))
          .map((id) => codeNames.get(id) ?? String(id))
          .sort(),
      },
      unplaced,
    };
  });
  return { metric, points };
}

/** Roll one or more metrics up for an aggregate over a range of periods. */
export async function rollupMetrics(db: Db, requested: RollupOptions): Promise<RollupResult> {
  await ensurePlacements(db);
  const catalogue = await getMetricCatalogue(db);
  const metrics = requested.metricCodes.map((code) => requireMetric(catalogue, code));
  const to =
    requested.to ??
    (await latestPeriodForItems(
      db,
      metrics.flatMap((metric) => termsFor(metric, catalogue).map((term) => term.itemId)),
    )) ??
    periodContaining('month', requested.today).start;
  const options = {
    ...requested,
    to,
    from: requested.from ?? addMonths(periodContaining('month', to).start, -23),
  };
  validateRange(options.from, options.to);
  const structure = describeStructure(options.structure, options.today);
  const { description, ids, lifetime } = await resolveAggregate(
    db,
    options.aggregate,
    structure.date ?? options.to,
  );
  const periods = periodsBetween(options.periodType, options.from, options.to);
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (!first || !last) throw invalidInput('The range has no periods.');
  const terms = metrics.flatMap((metric) => termsFor(metric, catalogue));
  const base = {
    terms,
    from: periodContaining('month', first.start).start,
    toExclusive: nextPeriod(last).start,
    bucket: options.periodType,
    structureDate: structure.date,
  };
  const rows = await aggregateObservations(db, {
    ...base,
    scope: { kind: 'aggregates', aggregateIds: ids, groupByAggregate: false },
  });
  const isRoot = description.kind === 'organisation' && description.code === nationalBody.code;
  const unplacedRows =
    isRoot && ids[0] !== undefined
      ? await aggregateObservations(db, { ...base, scope: { kind: 'unplaced', rootId: ids[0] } })
      : null;
  const codeIds = rows.flatMap((r) => [...r.completeCodeIds, ...r.incompleteCodeIds]);
  const codeNames = await listCodesByIds(db, codeIds);
  const isOpen = await organisationLifetimes(db, codeNames.values());
  const notes: string[] = [];
  if (lifetime && structure.date === null) {
    if (lifetime.validFrom > first.start) {
      notes.push(
        `${description.name} did not exist before ${formatLongDate(lifetime.validFrom)}, so earlier periods have no figures under the structure of their time. Ask for today's structure (as now) to see them under today's organisations.`,
      );
    }
    if (lifetime.validTo && lifetime.validTo <= last.start) {
      notes.push(
        `${description.name} closed on ${formatLongDate(lifetime.validTo)}; later periods have no figures under the structure of their time.`,
      );
    }
  }
  if (
    lifetime &&
    structure.date !== null &&
    (lifetime.validFrom > structure.date || (lifetime.validTo !== null && lifetime.validTo <= structure.date))
  ) {
    notes.push(
      `${description.name} did not exist on ${formatLongDate(structure.date)}, the date whose structure was asked for.`,
    );
  }
  return {
    from: options.from,
    to: options.to,
    aggregate: description,
    structure,
    periodType: options.periodType,
    series: metrics.map((metric) => buildSeries(metric, periods, rows, unplacedRows, codeNames, isOpen)),
    notes,
  };
}

export const leagueLevels = ['nhs-trust', 'icb', 'region'] as const;
export type LeagueLevel = (typeof leagueLevels)[number];

export interface LeagueRow {
  odsCode: string;
  name: string;
  kind: string;
  sector: string | null;
  numerator: number | null;
  denominator: number | null;
  value: number;
  rank: number;
  band: number;
}

export interface LeagueTable {
  metric: MetricRecord;
  period: Period;
  label: string;
  level: LeagueLevel;
  structure: RollupResult['structure'];
  rows: LeagueRow[];
  /** Organisations of the level that had no value this period. */
  noValue: Array<{ odsCode: string; name: string; sector: string | null }>;
  quartiles: { lower: number | null; median: number | null; upper: number | null };
  england: number | null;
  targets: MetricTarget[];
}

/** Every organisation of a level (trusts, ICBs or regions) ranked on one metric in one period, with quartile bands. */
export async function getLeagueTable(
  db: Db,
  options: {
    metricCode: string;
    period: IsoDate;
    level: LeagueLevel;
    sector?: string | null;
    structure: StructureMode;
    today: IsoDate;
    periodType: RollupBucket;
  },
): Promise<LeagueTable> {
  await ensurePlacements(db);
  const catalogue = await getMetricCatalogue(db);
  const metric = requireMetric(catalogue, options.metricCode);
  const period = periodContaining(options.periodType, options.period);
  const structure = describeStructure(options.structure, options.today);
  const structureDate = structure.date ?? period.start;
  const kinds = options.level === 'icb' ? ['icb', 'stp'] : [options.level];
  let organisations = await listOrganisationIdsOfKindsAt(db, kinds, structureDate);
  if (options.sector) organisations = organisations.filter((o) => o.sector === options.sector);
  const terms = termsFor(metric, catalogue);
  const base = {
    terms,
    from: periodContaining('month', period.start).start,
    toExclusive: nextPeriod(period).start,
    bucket: options.periodType,
    structureDate: structure.date,
  };
  const rows =
    organisations.length === 0
      ? []
      : await aggregateObservations(db, {
          ...base,
          scope: { kind: 'aggregates', aggregateIds: organisations.map((o) => o.id), groupByAggregate: true },
        });
  const root = await findOrganisationByCode(db, nationalBody.code);
  const national = root
    ? await aggregateObservations(db, {
        ...base,
        scope: { kind: 'aggregates', aggregateIds: [root.id], groupByAggregate: false },
      })
    : [];
  const version = versionFor(metric, period.start);
  const valueOf = (row: RollupRow | undefined) =>
    version && row && row.completeCodeIds.length > 0 && row.numerator !== null
      ? metricValue(
          version.definition,
          row.numerator,
          version.definition.denominator ? row.denominator : null,
        )
      : null;
  const byAggregate = new Map(rows.map((row) => [row.aggregateId, row]));
  const valued = organisations
    .map((o) => ({ organisation: o, row: byAggregate.get(o.id), value: valueOf(byAggregate.get(o.id)) }))
    .filter((entry): entry is typeof entry & { value: number } => entry.value !== null);
  const ranks = competitionRanks(
    valued.map((entry) => entry.value),
    metric.polarity,
  );
  const leagueRows = valued
    .map((entry, index) => ({
      odsCode: entry.organisation.odsCode,
      name: entry.organisation.name,
      kind: entry.organisation.kind,
      sector: entry.organisation.sector,
      numerator: entry.row?.numerator ?? null,
      denominator: version?.definition.denominator ? (entry.row?.denominator ?? null) : null,
      value: entry.value,
      rank: ranks[index] ?? 0,
      band: quartileBand(ranks[index] ?? 0, valued.length),
    }))
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  const withValue = new Set(valued.map((entry) => entry.organisation.id));
  return {
    metric,
    period,
    label: formatPeriod(period),
    level: options.level,
    structure,
    rows: leagueRows,
    noValue: organisations
      .filter((o) => !withValue.has(o.id))
      .map((o) => ({ odsCode: o.odsCode, name: o.name, sector: o.sector }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    quartiles: quartiles(leagueRows.map((row) => row.value)),
    england: valueOf(national[0]),
    targets: targetsFor(metric, period.start),
  };
}
