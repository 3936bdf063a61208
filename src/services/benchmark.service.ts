import type { Db } from '../db/database.js';
import { latestPeriodForItems } from '../db/observation.repository.js';
import { findLatestVersion, findOrganisationByCode, findVersionAt } from '../db/organisation.repository.js';
import { findPeerGroup } from '../db/peer-group.repository.js';
import type { RollupBucket } from '../db/rollup.repository.js';
import { invalidInput, notFound } from '../domain/errors.js';
import type { IsoDate } from '../domain/iso-date.js';
import { trustSectorLabels, type TrustSector } from '../domain/organisation.js';
import { formatPeriod, periodContaining, type Period } from '../domain/period.js';
import { nearestNeighbours, positionAmong, sizeBands, type Position } from '../stats/peers.js';
import { competitionRanks } from '../stats/ranking.js';
import { getMetricCatalogue, type MetricCatalogue, type MetricRecord } from './metric-catalogue.service.js';
import { getLeagueTable, termsFor, type LeagueLevel, type LeagueTable } from './rollup.service.js';

/**
 * Benchmarking: for one metric, organisation and period, where the organisation sits among every
 * organisation of its level (trusts with trusts, ICBs with ICBs, regions with regions) and among a
 * chosen peer group: its sector, its size band, a user-defined group, or its nearest neighbours on
 * chosen metrics. Every figure comes from the league table of the level, so a benchmark never
 * disagrees with the league table it summarises.
 */

export const peerKinds = ['all', 'sector', 'size', 'group', 'nearest'] as const;
export type PeerKind = (typeof peerKinds)[number];

export type PeerSpec =
  | { kind: 'all' }
  | { kind: 'sector' }
  | { kind: 'size'; metric: string }
  | { kind: 'group'; code: string }
  | { kind: 'nearest'; attributes: string[]; k: number };

export interface BenchmarkOptions {
  metricCode: string;
  odsCode: string;
  /** Any date in the period; defaults to the latest month with figures for the metric. */
  period?: IsoDate | undefined;
  periodType: RollupBucket;
  peers: PeerSpec;
  today: IsoDate;
}

/** How many size bands organisations are split into for "peers by size": quarters. */
export const sizeBandCount = 4;
/** Limits on nearest neighbours, so a request stays a comparison rather than a second league table. */
export const nearestLimits = { maxAttributes: 6, maxK: 50 } as const;

export interface BenchmarkPeer {
  odsCode: string;
  name: string;
  value: number | null;
  /** Rank among the peers (the subject included), best first by the metric's direction. */
  rank: number | null;
  /** The organisation benchmarked. */
  subject: boolean;
  /** Nearest neighbours only: the standardised distance from the subject. */
  distance: number | null;
  /** Peers by size only: the organisation's value of the size measure. */
  size: number | null;
}

export interface PeerGroupResult {
  kind: PeerKind;
  /** The group in words, e.g. "Acute NHS trusts". */
  description: string;
  position: Position;
  peers: BenchmarkPeer[];
  sizeBand: {
    metric: { code: string; name: string; unit: string };
    band: number;
    of: number;
    from: number;
    to: number;
  } | null;
  group: { code: string; name: string } | null;
  attributes: Array<{ code: string; name: string; unit: string }>;
}

export interface Benchmark {
  metric: MetricRecord;
  organisation: { odsCode: string; name: string; kind: string; sector: string | null; level: LeagueLevel };
  period: Period;
  label: string;
  value: number | null;
  england: number | null;
  /** Among every organisation of the same level. */
  national: Position;
  peerGroup: PeerGroupResult;
  notes: string[];
}

const levelNames: Record<LeagueLevel, string> = {
  'nhs-trust': 'NHS trusts',
  icb: 'integrated care boards (ICBs)',
  region: 'NHS England regions',
};
const levelNamesCapitalised: Record<LeagueLevel, string> = {
  'nhs-trust': 'NHS trusts',
  icb: 'Integrated care boards (ICBs)',
  region: 'NHS England regions',
};

function levelOfKind(kind: string): LeagueLevel | null {
  if (kind === 'nhs-trust') return 'nhs-trust';
  if (kind === 'icb' || kind === 'stp') return 'icb';
  if (kind === 'region') return 'region';
  return null;
}

function knownMetric(catalogue: MetricCatalogue, code: string, field: string): MetricRecord {
  const metric = catalogue.metricByCode.get(code);
  if (!metric)
    throw invalidInput(`There is no metric ${code}.`, [
      { field, message: `${code} is not a metric code: see the metric catalogue (oversight metrics).` },
    ]);
  return metric;
}

interface Entry {
  odsCode: string;
  name: string;
  sector: string | null;
  value: number | null;
}

/** Every organisation of the level in the table: those with a value, then those without. */
function entriesOf(table: LeagueTable): Entry[] {
  return [
    ...table.rows.map((r) => ({ odsCode: r.odsCode, name: r.name, sector: r.sector, value: r.value })),
    ...table.noValue.map((r) => ({ odsCode: r.odsCode, name: r.name, sector: r.sector, value: null })),
  ];
}

function valuesByCode(table: LeagueTable): Map<string, number> {
  return new Map(table.rows.map((r) => [r.odsCode, r.value]));
}

/** Peers with their rank among themselves, best first, those without a value last. */
function rankPeers(
  members: Entry[],
  subject: string,
  metric: MetricRecord,
  extra: (code: string) => Pick<BenchmarkPeer, 'distance' | 'size'>,
): { peers: BenchmarkPeer[]; position: Position; subjectValue: number | null } {
  const valued = members.filter((m): m is Entry & { value: number } => m.value !== null);
  const subjectValue = members.find((m) => m.odsCode === subject)?.value ?? null;
  const values = valued.map((m) => m.value);
  const position = positionAmong(values, subjectValue, metric.polarity);
  const ranks = competitionRanks(values, metric.polarity);
  const rankOf = new Map(valued.map((m, i) => [m.odsCode, ranks[i] ?? null]));
  const peers = members
    .map((m) => ({
      odsCode: m.odsCode,
      name: m.name,
      value: m.value,
      rank: rankOf.get(m.odsCode) ?? null,
      subject: m.odsCode === subject,
      ...extra(m.odsCode),
    }))
    .sort(
      (a, b) =>
        (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
        a.name.localeCompare(b.name),
    );
  return { peers, position, subjectValue };
}

/** Where an organisation sits on a metric in a period, nationally and among its chosen peers. */
export async function getBenchmark(db: Db, options: BenchmarkOptions): Promise<Benchmark> {
  const catalogue = await getMetricCatalogue(db);
  const metric = catalogue.metricByCode.get(options.metricCode);
  if (!metric)
    throw notFound(
      `There is no metric ${options.metricCode}. The catalogue has: ${[...catalogue.metricByCode.keys()].join(', ')}.`,
    );
  const organisation = await findOrganisationByCode(db, options.odsCode);
  if (!organisation)
    throw notFound(`No organisation has ODS code ${options.odsCode}. Check the code, or search by name.`);

  const periodDate =
    options.period ??
    (await latestPeriodForItems(
      db,
      termsFor(metric, catalogue).map((t) => t.itemId),
    ));
  if (!periodDate) throw notFound(`There are no figures for ${metric.name} yet, so nothing to benchmark.`);
  const period = periodContaining(options.periodType, periodDate);
  const label = formatPeriod(period);

  const version =
    (await findVersionAt(db, organisation.id, period.start)) ??
    (await findLatestVersion(db, organisation.id));
  const kind = version?.kind ?? 'unknown';
  const level = levelOfKind(kind);
  if (!level)
    throw invalidInput(
      `${version?.name ?? options.odsCode} is not an NHS trust, ICB or region, so has no organisations of its kind to be compared with.`,
      [{ field: 'org', message: 'Choose an NHS trust, an ICB or a region.' }],
    );
  const name = version?.name ?? options.odsCode;
  const sector = version?.sector ?? null;

  const league = (metricCode: string) =>
    getLeagueTable(db, {
      metricCode,
      period: period.start,
      level,
      structure: { kind: 'as-at-period' },
      today: options.today,
      periodType: options.periodType,
    });
  const table = await league(metric.code);
  const everyone = entriesOf(table);
  const value = valuesByCode(table).get(options.odsCode) ?? null;
  const notes: string[] = [];
  if (!everyone.some((e) => e.odsCode === options.odsCode))
    notes.push(`${name} was not open in ${label}, so it has no place among ${levelNames[level]} then.`);
  else if (value === null) notes.push(`${name} has no value of ${metric.name} for ${label}.`);

  const national = positionAmong(
    table.rows.map((r) => r.value),
    value,
    metric.polarity,
  );
  const none = () => ({ distance: null, size: null });
  // The subject is always among its peers, even when a peer list (a user's group) leaves it out.
  const withSubject = (members: Entry[]) =>
    members.some((m) => m.odsCode === options.odsCode)
      ? members
      : [...members, { odsCode: options.odsCode, name, sector, value }];
  const base = { sizeBand: null, group: null, attributes: [] };
  let peerGroup: PeerGroupResult;
  const spec = options.peers;
  switch (spec.kind) {
    case 'all': {
      const ranked = rankPeers(everyone, options.odsCode, metric, none);
      peerGroup = {
        ...base,
        kind: 'all',
        description: `All ${levelNames[level]}`,
        position: ranked.position,
        peers: ranked.peers,
      };
      break;
    }
    case 'sector': {
      if (level !== 'nhs-trust')
        throw invalidInput(`Sectors group NHS trusts; ${name} is not a trust.`, [
          { field: 'peers', message: 'Choose all, size, group or nearest for an ICB or a region.' },
        ]);
      if (!sector)
        throw invalidInput(`${name} has no sector recorded, so it has no sector peers.`, [
          { field: 'peers', message: 'Choose size, group or nearest peers instead.' },
        ]);
      const ranked = rankPeers(
        withSubject(everyone.filter((e) => e.sector === sector)),
        options.odsCode,
        metric,
        none,
      );
      const sectorLabel = trustSectorLabels[sector as TrustSector] ?? sector;
      peerGroup = {
        ...base,
        kind: 'sector',
        description: `${sectorLabel} NHS trusts`,
        position: ranked.position,
        peers: ranked.peers,
      };
      break;
    }
    case 'size': {
      const sizeMetric = knownMetric(catalogue, spec.metric, 'sizeMetric');
      const sizes = await league(sizeMetric.code);
      const sizeRows = sizes.rows;
      const bands = sizeBands(
        sizeRows.map((r) => r.value),
        sizeBandCount,
      );
      const bandOf = new Map(sizeRows.map((r, i) => [r.odsCode, bands[i] ?? 0]));
      const sizeOf = valuesByCode(sizes);
      const band = bandOf.get(options.odsCode);
      if (band === undefined)
        throw invalidInput(
          `${name} has no value of ${sizeMetric.name} for ${label}, so it cannot be placed in a size band.`,
          [{ field: 'sizeMetric', message: 'Choose a size measure the organisation reports.' }],
        );
      const inBand = sizeRows.filter((r) => bandOf.get(r.odsCode) === band);
      const members = inBand.map((r) => {
        const found = everyone.find((e) => e.odsCode === r.odsCode);
        return found ?? { odsCode: r.odsCode, name: r.name, sector: r.sector, value: null };
      });
      const ranked = rankPeers(withSubject(members), options.odsCode, metric, (code) => ({
        distance: null,
        size: sizeOf.get(code) ?? null,
      }));
      const sizeValues = inBand.map((r) => r.value);
      peerGroup = {
        ...base,
        kind: 'size',
        description: `${levelNamesCapitalised[level]} in the same size band of ${sizeMetric.name} (band ${band} of ${sizeBandCount}, 1 the smallest)`,
        position: ranked.position,
        peers: ranked.peers,
        sizeBand: {
          metric: { code: sizeMetric.code, name: sizeMetric.name, unit: sizeMetric.unit },
          band,
          of: sizeBandCount,
          from: Math.min(...sizeValues),
          to: Math.max(...sizeValues),
        },
      };
      break;
    }
    case 'group': {
      const group = await findPeerGroup(db, spec.code);
      if (!group) throw notFound(`There is no peer group ${spec.code}. See the list of peer groups.`);
      const membership = new Set(group.members);
      const members = everyone.filter((e) => membership.has(e.odsCode));
      const left = group.members.filter((code) => !everyone.some((e) => e.odsCode === code));
      if (left.length > 0)
        notes.push(
          `Left out of ${group.name}: ${left.join(', ')} (not ${levelNames[level]} open in ${label}).`,
        );
      if (!membership.has(options.odsCode))
        notes.push(`${name} is not a member of ${group.name}; it is compared with the members.`);
      const ranked = rankPeers(withSubject(members), options.odsCode, metric, none);
      peerGroup = {
        ...base,
        kind: 'group',
        description: `Peer group ${group.name}`,
        position: ranked.position,
        peers: ranked.peers,
        group: { code: group.code, name: group.name },
      };
      break;
    }
    case 'nearest': {
      const codes = [...new Set(spec.attributes)];
      if (codes.length === 0 || codes.length > nearestLimits.maxAttributes)
        throw invalidInput(`Choose between 1 and ${nearestLimits.maxAttributes} attributes.`, [
          { field: 'attributes', message: 'List metric codes to measure nearness on, e.g. ae_attendances.' },
        ]);
      if (!Number.isInteger(spec.k) || spec.k < 1 || spec.k > nearestLimits.maxK)
        throw invalidInput(
          `The number of neighbours must be a whole number from 1 to ${nearestLimits.maxK}.`,
          [{ field: 'k', message: `Enter a number from 1 to ${nearestLimits.maxK}.` }],
        );
      const attributes = codes.map((code) => knownMetric(catalogue, code, 'attributes'));
      const tables: Array<Map<string, number>> = [];
      for (const attribute of attributes) tables.push(valuesByCode(await league(attribute.code)));
      const target = tables.map((t) => t.get(options.odsCode) ?? null);
      const missing = attributes.filter((_, i) => target[i] === null);
      if (missing.length > 0)
        throw invalidInput(
          `${name} has no value of ${missing.map((m) => m.name).join(', ')} for ${label}, so nearness cannot be measured on it.`,
          [{ field: 'attributes', message: 'Choose attributes the organisation reports.' }],
        );
      const result = nearestNeighbours(
        target.map((v) => v ?? Number.NaN),
        everyone
          .filter((e) => e.odsCode !== options.odsCode)
          .map((e) => ({ id: e.odsCode, vector: tables.map((t) => t.get(e.odsCode) ?? null) })),
        spec.k,
      );
      const distanceOf = new Map(result.neighbours.map((n) => [n.id, n.distance]));
      const members = everyone.filter((e) => e.odsCode === options.odsCode || distanceOf.has(e.odsCode));
      const ranked = rankPeers(members, options.odsCode, metric, (code) => ({
        distance: code === options.odsCode ? 0 : (distanceOf.get(code) ?? null),
        size: null,
      }));
      const unused = attributes.filter((_, i) => !result.attributesUsed.includes(i));
      if (unused.length > 0)
        notes.push(
          `${unused.map((a) => a.name).join(', ')}: the same for all ${levelNames[level]} with figures, so not used to measure nearness.`,
        );
      if (result.excluded.length > 0)
        notes.push(
          `${result.excluded.length} ${levelNames[level]} without figures for every attribute were not considered as neighbours.`,
        );
      peerGroup = {
        ...base,
        kind: 'nearest',
        description: `The ${result.neighbours.length} ${levelNames[level]} nearest on ${attributes.map((a) => a.name).join(', ')}`,
        position: ranked.position,
        peers: ranked.peers,
        attributes: attributes.map((a) => ({ code: a.code, name: a.name, unit: a.unit })),
      };
      break;
    }
  }

  return {
    metric,
    organisation: { odsCode: organisation.odsCode, name, kind, sector, level },
    period,
    label,
    value,
    england: table.england,
    national,
    peerGroup,
    notes,
  };
}
