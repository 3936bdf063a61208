import { operatorActor } from '../actor.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { toCsv } from '../../domain/csv-export.js';
import { invalidInput } from '../../domain/errors.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import { metricDomainLabels, parseMetricList, polarityLabels } from '../../domain/metric.js';
import { getDashboard } from '../../services/dashboard.service.js';
import { getMetricCatalogue } from '../../services/metric-catalogue.service.js';
import { getMemberFigures } from '../../services/member-figures.service.js';
import { getDatasetNotice } from '../../services/dataset.service.js';
import { getPerformanceReport } from '../../services/performance-report.service.js';
import { renderReportPdf } from '../../services/report-pdf.js';
import { flattenMetricSpc, getMetricSpc } from '../../services/spc.service.js';
import { createPeerGroup, getPeerGroups } from '../../services/peer-group.service.js';
import {
  getLeagueTable,
  leagueLevels,
  rollupMetrics,
  type LeagueLevel,
  type StructureMode,
} from '../../services/rollup.service.js';
import { parseDateOption, parseOdsCode, parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { checkOutputFile, writeFileAtomically } from '../file-output.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

const bucketTypes = ['month', 'quarter', 'financial-year'] as const;
type Bucket = (typeof bucketTypes)[number];

function parseBucket(value: string): Bucket {
  const found = bucketTypes.find((b) => b === value);
  if (!found)
    throw new InvalidArgumentError(`"${value}" is not a period type: use month, quarter or financial-year.`);
  return found;
}

function parseLevel(value: string): LeagueLevel {
  const found = leagueLevels.find((l) => l === value);
  if (!found) throw new InvalidArgumentError(`"${value}" is not a level: use ${leagueLevels.join(', ')}.`);
  return found;
}

function structureFrom(options: { asAt?: string; asNow?: boolean }): StructureMode {
  if (options.asAt && options.asNow) throw invalidInput('Choose --as-at or --as-now, not both.');
  if (options.asNow) return { kind: 'as-now' };
  if (options.asAt) return { kind: 'as-at', date: options.asAt };
  return { kind: 'as-at-period' };
}

const format = (value: number | null, unit: string) =>
  value === null ? null : unit === '%' ? `${value.toFixed(1)}%` : Math.round(value).toLocaleString('en-GB');

export function registerMetricCommands(program: Command): void {
  program
    .command('metrics')
    .description('The metric catalogue: what each metric measures, its definition versions and targets')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight metrics', async ({ handle }) => {
          const catalogue = await getMetricCatalogue(handle.db);
          if (options.json) return printJson({ items: catalogue.items, metrics: catalogue.metrics });
          printTable(
            catalogue.metrics.map((m) => ({
              code: m.code,
              name: m.name,
              unit: m.unit,
              domain: metricDomainLabels[m.domain],
              direction: polarityLabels[m.polarity],
              versions: m.versions.length,
            })),
            ['code', 'name', 'unit', 'domain', 'direction', 'versions'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  program
    .command('metric')
    .description(
      'A metric for an organisation or aggregate (ICB, region, England) or a peer group, over a range of periods',
    )
    .argument('<code>', 'metric code (see "oversight metrics")')
    .option('--org <code>', 'ODS code of the organisation or aggregate (default England, X24)', parseOdsCode)
    .option('--peer-group <code>', 'a peer group instead of an organisation')
    .option('--from <date>', 'first period (default: 23 months before the last)', parseDateOption)
    .option('--to <date>', 'last period (default: the latest month with figures)', parseDateOption)
    .option('--period <type>', 'month, quarter or financial-year (default month)', parseBucket)
    .option('--as-at <date>', 'every period under the hierarchy of this date', parseDateOption)
    .option('--as-now', "every period under today's hierarchy, following successors")
    .option('--csv', 'print CSV')
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        options: {
          org?: string;
          peerGroup?: string;
          from?: string;
          to?: string;
          period?: Bucket;
          asAt?: string;
          asNow?: boolean;
          csv?: boolean;
          json?: boolean;
        },
      ) => {
        try {
          await withDatabase('oversight metric', async ({ handle }) => {
            if (options.org && options.peerGroup)
              throw invalidInput('Choose --org or --peer-group, not both.');
            const result = await rollupMetrics(handle.db, {
              metricCodes: [code],
              aggregate: options.peerGroup
                ? { kind: 'peer-group', code: options.peerGroup }
                : { kind: 'organisation', odsCode: options.org ?? 'X24' },
              ...(options.from ? { from: options.from } : {}),
              ...(options.to ? { to: options.to } : {}),
              periodType: options.period ?? 'month',
              structure: structureFrom(options),
              today: todayIsoDate(),
            });
            if (options.json) return printJson(result);
            const series = result.series[0];
            if (!series) return;
            const rows = series.points.map((p) => ({
              period: p.label,
              value: format(p.value, series.metric.unit),
              numerator: p.numerator,
              denominator: p.denominator,
              reported: `${p.coverage.reported} of ${p.coverage.expected}`,
              'not reported':
                p.coverage.notReported.slice(0, 6).join(' ') +
                (p.coverage.notReported.length > 6 ? ' …' : ''),
              ...(p.unplaced ? { unplaced: p.unplaced.numerator } : {}),
            }));
            if (options.csv) {
              process.stdout.write(
                toCsv(
                  [
                    'period_start',
                    'period',
                    'value',
                    'numerator',
                    'denominator',
                    'reported',
                    'expected',
                    'not_reported',
                    'definition_version',
                  ],
                  series.points.map((p) => [
                    p.period.start,
                    p.label,
                    p.value,
                    p.numerator,
                    p.denominator,
                    p.coverage.reported,
                    p.coverage.expected,
                    p.coverage.notReported.join(' '),
                    p.definitionVersion,
                  ]),
                ),
              );
              return;
            }
            printLine(
              `${series.metric.name} — ${result.aggregate.name} (${result.aggregate.code}). ${result.structure.description}.`,
            );
            if (series.metric.caveat) printLine(`Note: ${series.metric.caveat}`);
            for (const note of result.notes) printLine(`Note: ${note}`);
            printTable(rows, Object.keys(rows[0] ?? { period: '' }));
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  program
    .command('dashboard')
    .description(
      'Every metric (or those named) for one organisation or aggregate: the latest month and a year before, from the pre-computed roll-ups',
    )
    .argument('[org]', 'ODS code (default England, X24)', parseOdsCode)
    .option('--metrics <codes>', 'comma-separated metric codes (default all)')
    .option('--from <date>', 'first month (default: 35 months before the last)', parseDateOption)
    .option('--to <date>', 'last month (default: the latest month with figures)', parseDateOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        org: string | undefined,
        options: { metrics?: string; from?: string; to?: string; json?: boolean },
      ) => {
        try {
          await withDatabase('oversight dashboard', async ({ handle }) => {
            const dashboard = await getDashboard(handle.db, {
              aggregateCode: org ?? 'X24',
              metricCodes: options.metrics === undefined ? 'all' : parseMetricList(options.metrics),
              ...(options.from ? { from: options.from } : {}),
              ...(options.to ? { to: options.to } : {}),
              today: todayIsoDate(),
            });
            if (options.json) return printJson(dashboard);
            printLine(
              `${dashboard.aggregate.name} (${dashboard.aggregate.code}), each month under the structure of its time.`,
            );
            const rows = dashboard.series.flatMap(({ metric, points }) => {
              const latestIndex = points.findLastIndex((p) => p.value !== null);
              const latest = points[latestIndex];
              if (!latest) return [];
              const yearBefore = points[latestIndex - 12];
              return [
                {
                  metric: metric.code,
                  month: latest.label,
                  value: format(latest.value, metric.unit),
                  'a year before': yearBefore ? format(yearBefore.value, metric.unit) : null,
                  reported: latest.reported,
                },
              ];
            });
            if (rows.length === 0) {
              printLine('No figures in this range.');
              return;
            }
            printTable(rows, ['metric', 'month', 'value', 'a year before', 'reported']);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  program
    .command('report')
    .description(
      'The integrated performance report: every metric with its latest value, target, limits and icons, concerns and fails first',
    )
    .argument('<org>', 'ODS code of the organisation, ICB or region', parseOdsCode)
    .option(
      '--until <date>',
      'the latest month with figures on or before this date (default today)',
      parseDateOption,
    )
    .option('--pdf <file>', 'write the board-ready PDF to this file (A4 landscape) and print its path')
    .option('--json', 'print one JSON document')
    .action(async (org: string, options: { until?: string; pdf?: string; json?: boolean }) => {
      try {
        // Refuse a path that cannot be written before the report is computed.
        const pdfFile = options.pdf ? checkOutputFile(options.pdf, '--pdf', `ipr-${org}.pdf`) : null;
        await withDatabase('oversight report', async ({ handle }) => {
          const report = await getPerformanceReport(handle.db, {
            viewer: null,
            odsCode: org,
            until: options.until ?? todayIsoDate(),
            today: todayIsoDate(),
          });
          if (pdfFile) {
            const pdf = await renderReportPdf(report, {
              notice: await getDatasetNotice(handle.db),
              generatedOn: todayIsoDate(),
            });
            await writeFileAtomically(pdfFile, pdf);
            return options.json ? printJson({ file: pdfFile, bytes: pdf.length }) : printLine(pdfFile);
          }
          if (options.json) return printJson(report);
          printLine(
            `Integrated performance report: ${report.organisation.name} (${report.organisation.code})`,
          );
          const icon = (v: string | null) => v?.replace('_cause', '').replace('_', ' ') ?? '–';
          for (const section of report.sections) {
            printLine(`\n${metricDomainLabels[section.domain]}`);
            printTable(
              section.rows.map((row) => ({
                metric: row.metric.code,
                month: row.label,
                value: format(row.value, row.metric.unit),
                target: row.target ? format(row.target.value, row.metric.unit) : null,
                mean: row.mean === null ? null : format(row.mean, row.metric.unit),
                limits:
                  row.lpl === null || row.upl === null
                    ? null
                    : `${format(row.lpl, row.metric.unit)} to ${format(row.upl, row.metric.unit)}`,
                variation: icon(row.variation),
                assurance: row.assurance ?? '–',
              })),
              ['metric', 'month', 'value', 'target', 'mean', 'limits', 'variation', 'assurance'],
            );
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  program
    .command('spc')
    .description(
      'Making Data Count SPC for a metric: process limits, special causes, variation and assurance icons, in words',
    )
    .argument('<metric>', 'metric code (see "oversight metrics")')
    .option('--org <code>', 'organisation or aggregate (default England, X24)', parseOdsCode)
    .option('--from <date>', 'first month (default: 23 months before the last)', parseDateOption)
    .option('--to <date>', 'last month (default: the latest with figures)', parseDateOption)
    .option('--rebase <dates>', 'recalculate the limits from these dates (comma-separated)')
    .option('--fix-after <n>', 'fix the limits after this many points', parsePositiveInteger)
    .option('--run-length <n>', 'points in a trend or shift: 7 (default) or 6', parsePositiveInteger)
    .option(
      '--two-in-three <rule>',
      'between-limits (default, NHSRplotthedots) or beyond-two-sigma (MDC since 2023)',
    )
    .option('--no-screen', 'keep every moving range (the MDC Excel tool) instead of screening outliers')
    .option('--json', 'print one JSON document')
    .action(
      async (
        metric: string,
        options: {
          org?: string;
          from?: string;
          to?: string;
          rebase?: string;
          fixAfter?: number;
          runLength?: number;
          twoInThree?: string;
          screen: boolean;
          json?: boolean;
        },
      ) => {
        try {
          if (options.runLength !== undefined && options.runLength !== 6 && options.runLength !== 7)
            throw invalidInput('--run-length must be 6 or 7.');
          if (
            options.twoInThree &&
            options.twoInThree !== 'between-limits' &&
            options.twoInThree !== 'beyond-two-sigma'
          )
            throw invalidInput('--two-in-three must be between-limits or beyond-two-sigma.');
          await withDatabase('oversight spc', async ({ handle }) => {
            const spc = await getMetricSpc(handle.db, {
              metricCode: metric,
              aggregate: { kind: 'organisation', odsCode: options.org ?? 'X24' },
              ...(options.from ? { from: options.from } : {}),
              ...(options.to ? { to: options.to } : {}),
              periodType: 'month',
              structure: { kind: 'as-at-period' },
              today: todayIsoDate(),
              settings: {
                screenOutliers: options.screen,
                runLength: options.runLength === 6 ? 6 : options.runLength === 7 ? 7 : undefined,
                twoInThree:
                  options.twoInThree === 'beyond-two-sigma' || options.twoInThree === 'between-limits'
                    ? options.twoInThree
                    : undefined,
                fixAfterPoints: options.fixAfter,
                rebaseAt: options.rebase
                  ?.split(',')
                  .map((d) => d.trim())
                  .filter(Boolean),
              },
            });
            const presented = flattenMetricSpc(spc);
            const metricRecord = spc.rollup.series[0]?.metric;
            if (options.json) return printJson({ metric: metricRecord, ...presented });
            printLine(`${metricRecord?.name ?? metric}, ${presented.aggregate.name}`);
            printLine(presented.sentence);
            if (presented.points.length === 0) return;
            const unit = metricRecord?.unit ?? '';
            printTable(
              presented.points.map((p) => ({
                month: p.label,
                value: format(p.value, unit),
                mean: format(p.mean, unit),
                lower: format(p.lpl, unit),
                upper: format(p.upl, unit),
                'special cause': p.specialCauseFlag ? p.specialCauseType : '',
                type: p.pointType.replace('special_cause_', '').replace('_', ' '),
              })),
              ['month', 'value', 'mean', 'lower', 'upper', 'special cause', 'type'],
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  program
    .command('members')
    .description(
      'An area beside its members (England and its regions, a region and its ICBs, an ICB and its trusts): the latest month of headline metrics for each',
    )
    .argument('[org]', 'ODS code of the area (default England, X24)', parseOdsCode)
    .option('--as-at <date>', 'structure and latest month as at this date (default today)', parseDateOption)
    .option('--metrics <codes>', 'comma-separated metric codes (default: the headline metrics)')
    .option('--json', 'print one JSON document')
    .action(async (org: string | undefined, options: { asAt?: string; metrics?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight members', async ({ handle }) => {
          const figures = await getMemberFigures(handle.db, {
            odsCode: org ?? 'X24',
            asAt: options.asAt ?? todayIsoDate(),
            ...(options.metrics ? { metricCodes: parseMetricList(options.metrics) } : {}),
            today: todayIsoDate(),
          });
          if (options.json) return printJson(figures);
          if (figures.metrics.length === 0) {
            printLine('No figures for these metrics in the 12 months to the date.');
            return;
          }
          const row = (r: (typeof figures)['area'], label = r.name) => ({
            organisation: `${label} (${r.odsCode})`,
            ...Object.fromEntries(
              figures.metrics.map((m) => {
                const f = r.figures[m.code];
                return [
                  m.code,
                  f ? `${format(f.value, m.unit)} ${f.label.replace(/^(\w{3})\w* /, '$1 ')}` : null,
                ];
              }),
            ),
          });
          printTable(
            [...figures.members.map((m) => row(m)), row(figures.area, `${figures.area.name}, all members`)],
            ['organisation', ...figures.metrics.map((m) => m.code)],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  program
    .command('league')
    .description('Every trust, ICB or region ranked on a metric for one period, with quartile bands')
    .argument('<metric>', 'metric code')
    .requiredOption('--period <date>', 'the period (any date in it)', parseDateOption)
    .option('--level <level>', `${leagueLevels.join(', ')} (default nhs-trust)`, parseLevel)
    .option(
      '--sector <sector>',
      'NHS trusts of one sector only (acute, mental-health, community, ambulance, specialist)',
    )
    .option('--period-type <type>', 'month, quarter or financial-year (default month)', parseBucket)
    .option('--as-at <date>', 'organisations as at this date', parseDateOption)
    .option('--as-now', "today's organisations")
    .option('--csv', 'print CSV')
    .option('--json', 'print one JSON document')
    .action(
      async (
        metric: string,
        options: {
          period: string;
          level?: LeagueLevel;
          sector?: string;
          periodType?: Bucket;
          asAt?: string;
          asNow?: boolean;
          csv?: boolean;
          json?: boolean;
        },
      ) => {
        try {
          await withDatabase('oversight league', async ({ handle }) => {
            const table = await getLeagueTable(handle.db, {
              metricCode: metric,
              period: options.period,
              level: options.level ?? 'nhs-trust',
              sector: options.sector ?? null,
              structure: structureFrom(options),
              today: todayIsoDate(),
              periodType: options.periodType ?? 'month',
            });
            if (options.json) return printJson(table);
            if (options.csv) {
              process.stdout.write(
                toCsv(
                  ['rank', 'ods_code', 'name', 'value', 'numerator', 'denominator', 'quartile_band'],
                  table.rows.map((r) => [
                    r.rank,
                    r.odsCode,
                    r.name,
                    r.value,
                    r.numerator,
                    r.denominator,
                    r.band,
                  ]),
                ),
              );
              return;
            }
            printLine(
              `${table.metric.name}, ${table.label}: England ${format(table.england, table.metric.unit) ?? 'no value'}; median ${format(table.quartiles.median, table.metric.unit) ?? '–'}.`,
            );
            printTable(
              table.rows.map((r) => ({
                rank: r.rank,
                code: r.odsCode,
                name: r.name,
                value: format(r.value, table.metric.unit),
                band: `Q${r.band}`,
              })),
              ['rank', 'code', 'name', 'value', 'band'],
            );
            if (table.noValue.length > 0)
              printLine(`\nNo value this period: ${table.noValue.map((o) => o.odsCode).join(', ')}`);
            printLine(
              'Adjacent ranks are often within random variation: do not over-read small differences.',
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  const peers = program
    .command('peers')
    .description('Peer groups: organisations to compare with, or to roll up together');
  peers
    .command('list')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight peers list', async ({ handle }) => {
          const groups = await getPeerGroups(handle.db);
          if (options.json) return printJson(groups);
          printTable(
            groups.map((g) => ({ code: g.code, name: g.name, members: g.members.length })),
            ['code', 'name', 'members'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  peers
    .command('create')
    .argument('<code>', 'a short code, e.g. large-acute-trusts')
    .requiredOption('--name <name>', 'name')
    .requiredOption('--members <codes>', 'comma-separated ODS codes')
    .option('--description <text>', 'what the group is for')
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        options: { name: string; members: string; description?: string; json?: boolean },
      ) => {
        try {
          await withDatabase('oversight peers create', async ({ handle }) => {
            const members = options.members.split(',').map((m) => parseOdsCode(m));
            const group = await handle.db.transaction().execute((trx) =>
              createPeerGroup(trx, operatorActor(), {
                code,
                name: options.name,
                members,
                ...(options.description ? { description: options.description } : {}),
              }),
            );
            if (options.json) return printJson(group);
            printLine(`Created peer group ${group.code} with ${group.members.length} members.`);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );
}
