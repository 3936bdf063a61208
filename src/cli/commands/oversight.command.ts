import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { todayIsoDate } from '../../domain/iso-date.js';
import {
  addMethodologyVersion,
  getMethodology,
  getSegmentation,
  listMethodologies,
  recordSegmentJudgement,
  type SegmentRow,
} from '../../services/segmentation.service.js';
import { getSystemOversight } from '../../services/system-oversight.service.js';
import { operatorActor } from '../actor.js';
import { parseDateOption, parseOdsCode, parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { readJsonFile } from '../input.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

function parseLevel(value: string): 'nhs-trust' | 'icb' {
  if (value === 'nhs-trust' || value === 'trust') return 'nhs-trust';
  if (value === 'icb') return 'icb';
  throw new InvalidArgumentError(`"${value}" is not a level: use nhs-trust or icb.`);
}

function parseSegment(value: string): number | null {
  if (value === 'none') return null;
  if (!/^[1-5]$/.test(value))
    throw new InvalidArgumentError(`"${value}" is not a segment: use 1 to 5, or none to withdraw.`);
  return Number(value);
}

const score = (value: number | null) => (value === null ? '–' : value.toFixed(2));
const arrow = (row: SegmentRow) =>
  ({
    better: '↑ better',
    worse: '↓ worse',
    same: '= same',
    new: 'new',
    none: '',
    'not-comparable': 'restructured',
  })[row.change?.direction ?? 'none'];

function printRow(row: SegmentRow): void {
  printLine(`${row.name} (${row.odsCode}), ${row.peerGroup}`);
  if (row.segment === null) {
    printLine(`Not segmented: ${row.notSegmented ?? ''}`);
    return;
  }
  printLine(
    `Segment ${row.segment}${row.segmentLabel ? ` — ${row.segmentLabel}` : ''}; average metric score ${score(row.averageScore)}; position ${row.leaguePosition} of ${row.leagueOf}`,
  );
  if (row.provisionalSegment !== row.computedSegment)
    printLine(`Provisional segment ${row.provisionalSegment}, then: ${row.overridesApplied.join('; ')}`);
  if (row.judgement)
    printLine(
      `Regional judgement: segment ${row.judgement.segment} (computed ${row.computedSegment}) — ${row.judgement.reason} (${row.judgement.recordedBy}, ${row.judgement.recordedAt.slice(0, 10)})`,
    );
  printLine('\nMetrics');
  printTable(
    row.metrics.map((m) => ({
      metric: m.code,
      domain: m.domain,
      value: m.value === null ? null : m.unit === '%' ? `${m.value.toFixed(1)}%` : m.value.toFixed(1),
      months: m.months,
      score: score(m.score),
    })),
    ['metric', 'domain', 'value', 'months', 'score'],
  );
  printLine(`\nDomain scores: ${row.domainScores.map((d) => `${d.label} ${score(d.score)}`).join('; ')}`);
  if (row.drivers.length > 0) {
    printLine('\nDrivers (pulling the score down most)');
    printTable(
      row.drivers.map((d) => ({
        metric: d.metric,
        score: score(d.score),
        pull: score(d.pull),
        variation: d.variation ?? '–',
        assurance: d.assurance ?? '–',
      })),
      ['metric', 'score', 'pull', 'variation', 'assurance'],
    );
  }
  if (row.change) printLine(`\nSince the previous quarter: ${row.change.reasons.join(' ') || 'no change.'}`);
}

export function registerOversightCommands(program: Command): void {
  program
    .command('segment')
    .description(
      'Oversight segmentation for a quarter: scores, segments, overrides, judgements, league positions, drivers and change',
    )
    .option('--methodology <code>', 'methodology (see "oversight methodology list")', 'nof-2025-26')
    .option('--version <n>', 'methodology version (default: the latest)', parsePositiveInteger)
    .option('--level <level>', 'nhs-trust (default) or icb', parseLevel)
    .option(
      '--period <date>',
      'any date in the quarter (default: the latest complete quarter)',
      parseDateOption,
    )
    .option(
      '--until <date>',
      'without --period: the latest complete quarter on or before this date',
      parseDateOption,
    )
    .option(
      '--org <code>',
      'one trust in detail, or an ICB, region or England (X24) with its members',
      parseOdsCode,
    )
    .option('--json', 'print one JSON document')
    .action(
      async (options: {
        methodology: string;
        version?: number;
        level?: 'nhs-trust' | 'icb';
        period?: string;
        until?: string;
        org?: string;
        json?: boolean;
      }) => {
        try {
          await withDatabase('oversight segment', async ({ handle }) => {
            const request = {
              methodologyCode: options.methodology,
              ...(options.version ? { version: options.version } : {}),
              ...(options.period ? { period: options.period } : {}),
              ...(options.until ? { until: options.until } : {}),
              today: todayIsoDate(),
              viewer: null,
            };
            if (options.org) {
              const view = await getSystemOversight(handle.db, { ...request, odsCode: options.org });
              if (options.json) return printJson(view);
              printLine(`${view.methodology.name} (v${view.methodology.version}), ${view.period.label}`);
              if (view.own) printRow(view.own);
              else printLine(`${view.area.name} (${view.area.odsCode})`);
              if (view.objectives.length > 0) {
                printLine('\nObjectives (measures with a target)');
                printTable(
                  view.objectives.map((o) => ({
                    metric: o.metric,
                    month: o.label,
                    value: o.unit === '%' ? `${o.value.toFixed(1)}%` : o.value.toFixed(1),
                    target: o.target.label,
                    variation: o.variation ?? '–',
                    assurance: o.assurance ?? '–',
                  })),
                  ['metric', 'month', 'value', 'target', 'variation', 'assurance'],
                );
              }
              if (view.areas.length > 0) {
                printLine('\nMember areas');
                printTable(
                  view.areas.map((a) => ({
                    code: a.odsCode,
                    name: a.name,
                    segment: a.own?.segment ?? null,
                    trusts: a.trusts,
                    '1': a.bySegment['1'] ?? 0,
                    '2': a.bySegment['2'] ?? 0,
                    '3': a.bySegment['3'] ?? 0,
                    '4': a.bySegment['4'] ?? 0,
                    '5': a.bySegment['5'] ?? 0,
                    mean: score(a.meanAverageScore),
                  })),
                  ['code', 'name', 'segment', 'trusts', '1', '2', '3', '4', '5', 'mean'],
                );
              }
              if (view.trusts.length > 0) {
                printLine('\nTrusts');
                printTable(
                  view.trusts.map((t) => ({
                    position: t.leaguePosition,
                    code: t.odsCode,
                    name: t.name,
                    type: t.peerGroup,
                    average: score(t.averageScore),
                    segment: t.segment,
                    change: arrow(t),
                    drivers: t.drivers.map((d) => d.metric).join(', '),
                  })),
                  ['position', 'code', 'name', 'type', 'average', 'segment', 'change', 'drivers'],
                );
              }
              return;
            }
            const result = await getSegmentation(handle.db, {
              ...request,
              ...(options.level ? { level: options.level } : {}),
            });
            if (options.json) return printJson(result);
            printLine(`${result.methodology.name} (v${result.methodology.version}), ${result.period.label}`);
            printLine(
              `Segments: ${Object.entries(result.summary.bySegment)
                .map(([s, n]) => `${s}: ${n}`)
                .join(
                  ', ',
                )}; not segmented: ${result.summary.notSegmented}; mean average score ${score(result.summary.meanAverageScore)}`,
            );
            printTable(
              result.rows.map((row) => ({
                type: row.peerGroup,
                position: row.leaguePosition,
                code: row.odsCode,
                name: row.name,
                average: score(row.averageScore),
                segment: row.segment,
                change: arrow(row),
                drivers: row.drivers.map((d) => d.metric).join(', '),
              })),
              ['type', 'position', 'code', 'name', 'average', 'segment', 'change', 'drivers'],
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  program
    .command('judge <org>')
    .description('Record a regional judgement on a segment (an override, or segment 5), or withdraw one')
    .requiredOption('--segment <n>', 'the segment, 1 to 5, or none to withdraw', parseSegment)
    .requiredOption('--reason <text>', 'why: recorded with your name in the audit trail')
    .requiredOption('--period <date>', 'any date in the quarter', parseDateOption)
    .option('--methodology <code>', 'methodology', 'nof-2025-26')
    .option('--json', 'print one JSON document')
    .action(
      async (
        org: string,
        options: {
          segment: number | null;
          reason: string;
          period: string;
          methodology: string;
          json?: boolean;
        },
      ) => {
        try {
          await withDatabase('oversight judge', async ({ handle }) => {
            const row = await recordSegmentJudgement(
              handle.db,
              { principal: null, actor: operatorActor() },
              {
                methodologyCode: options.methodology,
                period: options.period,
                odsCode: parseOdsCode(org),
                segment: options.segment,
                reason: options.reason,
              },
              todayIsoDate(),
            );
            if (options.json) return printJson(row);
            printRow(row);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  const methodology = program
    .command('methodology')
    .description('Oversight methodologies: versioned data (metrics, scoring, segment rule, overrides)');
  methodology
    .command('list')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight methodology list', async ({ handle }) => {
          const versions = await listMethodologies(handle.db);
          if (options.json) return printJson({ methodologies: versions });
          printTable(
            versions.map((v) => ({
              code: v.methodology.code,
              version: v.methodology.version,
              name: v.methodology.name,
              levels: v.methodology.levels.join(', '),
              rule: v.methodology.segmentRule.kind,
              metrics: v.methodology.metrics.length,
              recorded: `${v.recordedAt.slice(0, 10)} by ${v.recordedBy}`,
            })),
            ['code', 'version', 'name', 'levels', 'rule', 'metrics', 'recorded'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  methodology
    .command('show <code>')
    .description('Print a methodology as JSON (copy it, change it, and add it as the next version)')
    .option('--version <n>', 'a version (default: the latest)', parsePositiveInteger)
    .action(async (code: string, options: { version?: number }) => {
      try {
        await withDatabase('oversight methodology show', async ({ handle }) => {
          printJson(await getMethodology(handle.db, code, options.version));
        });
      } catch (error) {
        reportError(error, { json: true });
      }
    });
  methodology
    .command('add <file>')
    .description('Add a methodology, or the next version of one, from a JSON file')
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const input = readJsonFile(file, 'Start from "oversight methodology show nof-2025-26".');
        await withDatabase('oversight methodology add', async ({ handle }) => {
          const added = await addMethodologyVersion(handle.db, operatorActor(), input);
          if (options.json) return printJson({ methodology: added });
          printLine(`Added ${added.name}: ${added.code} version ${added.version}.`);
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
