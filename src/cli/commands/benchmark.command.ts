import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { invalidInput } from '../../domain/errors.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import type { Position } from '../../stats/peers.js';
import {
  getBenchmark,
  nearestLimits,
  peerKinds,
  type PeerKind,
  type PeerSpec,
} from '../../services/benchmark.service.js';
import { parseDateOption, parseOdsCode, parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

const bucketTypes = ['month', 'quarter', 'financial-year'] as const;
type Bucket = (typeof bucketTypes)[number];

function parseBucket(value: string): Bucket {
  const found = bucketTypes.find((b) => b === value);
  if (!found)
    throw new InvalidArgumentError(`"${value}" is not a period type: use month, quarter or financial-year.`);
  return found;
}

function parsePeerKind(value: string): PeerKind {
  const found = peerKinds.find((k) => k === value);
  if (!found)
    throw new InvalidArgumentError(`"${value}" is not a peer grouping: use ${peerKinds.join(', ')}.`);
  return found;
}

interface BenchmarkCommandOptions {
  org: string;
  period?: string;
  periodType?: Bucket;
  peers?: PeerKind;
  sizeMetric?: string;
  group?: string;
  attributes?: string;
  k?: number;
  json?: boolean;
}

/** The peer grouping from the options, refusing a grouping without what it needs (exit 2). */
function peerSpecFrom(options: BenchmarkCommandOptions): PeerSpec {
  switch (options.peers ?? 'all') {
    case 'all':
      return { kind: 'all' };
    case 'sector':
      return { kind: 'sector' };
    case 'size':
      if (!options.sizeMetric)
        throw invalidInput('--peers size needs --size-metric, e.g. --size-metric ae_attendances.', [
          { field: 'sizeMetric', message: 'Name the metric that measures size.' },
        ]);
      return { kind: 'size', metric: options.sizeMetric };
    case 'group':
      if (!options.group)
        throw invalidInput('--peers group needs --group <code> (see "oversight peers list").', [
          { field: 'group', message: 'Name the peer group.' },
        ]);
      return { kind: 'group', code: options.group };
    case 'nearest': {
      const attributes = (options.attributes ?? '')
        .split(',')
        .map((code) => code.trim())
        .filter(Boolean);
      if (attributes.length === 0)
        throw invalidInput(
          '--peers nearest needs --attributes, e.g. --attributes ae_attendances,ga_occupancy.',
          [{ field: 'attributes', message: 'List metric codes to measure nearness on.' }],
        );
      return { kind: 'nearest', attributes, k: options.k ?? 5 };
    }
  }
}

const format = (value: number | null, unit: string) =>
  value === null ? null : unit === '%' ? `${value.toFixed(1)}%` : Math.round(value).toLocaleString('en-GB');

/** The change to the best quarter in words: "+7.5%" (an increase), "−120" (a decrease), or "in it". */
function formatDistance(position: Position, unit: string): string | null {
  const distance = position.distanceToBestQuartile;
  if (distance === null) return null;
  if (distance === 0) return 'in the best quarter';
  const formatted = format(Math.abs(distance), unit) ?? '';
  const size = /^0(\.0)?%?$/.test(formatted) ? (unit === '%' ? 'under 0.1%' : 'under 1') : formatted;
  return `${distance > 0 ? '+' : '\u2212'}${size.replace(/%$/, ' percentage points')} to reach it`;
}

function positionRows(label: string, position: Position, unit: string) {
  return {
    among: label,
    median: format(position.median, unit),
    quartiles:
      position.lower === null || position.upper === null
        ? null
        : `${format(position.lower, unit)} to ${format(position.upper, unit)}`,
    rank: position.rank === null ? null : `${position.rank} of ${position.count}`,
    band: position.band === null ? null : `Q${position.band}`,
    'best quarter': formatDistance(position, unit),
  };
}

export function registerBenchmarkCommand(program: Command): void {
  program
    .command('benchmark')
    .description(
      'Where an NHS trust, ICB or region sits on a metric: median, quartiles, rank of N, quarter band and distance to the best quarter, nationally and among peers',
    )
    .argument('<metric>', 'metric code (see "oversight metrics")')
    .requiredOption('--org <code>', 'ODS code of the trust, ICB or region', parseOdsCode)
    .option(
      '--period <date>',
      'any date in the period (default: the latest month with figures)',
      parseDateOption,
    )
    .option('--period-type <type>', 'month, quarter or financial-year (default month)', parseBucket)
    .option('--peers <kind>', `${peerKinds.join(', ')} (default all)`, parsePeerKind)
    .option('--size-metric <code>', 'with --peers size: the metric measuring size, e.g. ae_attendances')
    .option('--group <code>', 'with --peers group: the peer group (see "oversight peers list")')
    .option(
      '--attributes <codes>',
      'with --peers nearest: comma-separated metric codes to measure nearness on',
    )
    .option(
      '--k <n>',
      `with --peers nearest: how many neighbours (default 5, at most ${nearestLimits.maxK})`,
      parsePositiveInteger,
    )
    .option('--json', 'print one JSON document')
    .action(async (metric: string, options: BenchmarkCommandOptions) => {
      try {
        const peers = peerSpecFrom(options);
        await withDatabase('oversight benchmark', async ({ handle }) => {
          const result = await getBenchmark(handle.db, {
            metricCode: metric,
            odsCode: options.org,
            period: options.period,
            periodType: options.periodType ?? 'month',
            peers,
            today: todayIsoDate(),
          });
          if (options.json) return printJson(result);
          const unit = result.metric.unit;
          printLine(
            `${result.metric.name}, ${result.label}: ${result.organisation.name} (${result.organisation.odsCode}) ${format(result.value, unit) ?? 'has no value'}; England ${format(result.england, unit) ?? 'no value'}. ${result.metric.polarity === 'neutral' ? 'Neither higher nor lower is better.' : result.metric.polarity === 'higher-is-better' ? 'Higher is better.' : 'Lower is better.'}`,
          );
          for (const note of result.notes) printLine(`Note: ${note}`);
          printLine();
          printTable(
            [
              positionRows(
                `all ${result.organisation.level === 'icb' ? 'ICBs' : result.organisation.level === 'region' ? 'regions' : 'trusts'}`,
                result.national,
                unit,
              ),
              positionRows('peers', result.peerGroup.position, unit),
            ],
            ['among', 'median', 'quartiles', 'rank', 'band', 'best quarter'],
          );
          printLine(`\nPeers: ${result.peerGroup.description}`);
          printTable(
            result.peerGroup.peers.map((p) => ({
              rank: p.rank,
              code: p.odsCode,
              name: p.subject ? `${p.name} (this one)` : p.name,
              value: format(p.value, unit),
              ...(result.peerGroup.kind === 'size'
                ? { size: format(p.size, result.peerGroup.sizeBand?.metric.unit ?? '') }
                : {}),
              ...(result.peerGroup.kind === 'nearest'
                ? { distance: p.distance === null ? null : p.distance.toFixed(2) }
                : {}),
            })),
            [
              'rank',
              'code',
              'name',
              'value',
              ...(result.peerGroup.kind === 'size' ? ['size'] : []),
              ...(result.peerGroup.kind === 'nearest' ? ['distance'] : []),
            ],
          );
          printLine('Adjacent ranks are often within random variation: do not over-read small differences.');
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
