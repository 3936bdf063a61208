import type { Command } from 'commander';
import { todayIsoDate } from '../../domain/iso-date.js';
import {
  activateTemplate,
  createTemplate,
  getBurden,
  getInbox,
  getLineage,
  getTemplateCoverage,
  getTemplateView,
  listTemplateViews,
  retireTemplate,
  type TemplateView,
} from '../../services/template.service.js';
import { operatorActor } from '../actor.js';
import { parseDateOption, parseOdsCode } from '../arguments.js';
import { withDatabase } from '../database.js';
import { readJsonFile } from '../input.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

function printTemplate(t: TemplateView): void {
  printLine(
    `${t.name} (${t.code}): ${t.status}${t.activeFrom ? ` from ${t.activeFrom}` : ''}${t.retiredFrom ? `, retired from ${t.retiredFrom}` : ''}`,
  );
  printLine(
    `Asked of: ${t.organisationKinds.join(', ')}; every ${t.periodType}; ${t.items.length} items: ${t.items.join(', ')}`,
  );
  printLine(
    `Schedule: opens ${t.schedule.opensAfterDays} days after the period ends, due after ${t.schedule.softDeadlineDays}, closes after ${t.schedule.hardCloseDays}`,
  );
  if (t.current)
    printLine(
      `Collecting ${t.current.label}: opened ${t.current.opens}, due ${t.current.deadline}, closes ${t.current.closes}`,
    );
}

export function registerTemplateCommands(program: Command): void {
  const templates = program
    .command('templates')
    .description('Collection templates: what is asked of whom and when, each data item collected once');
  templates
    .command('list')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight templates list', async ({ handle }) => {
          const list = await listTemplateViews(handle.db, todayIsoDate());
          if (options.json) return printJson({ templates: list });
          printTable(
            list.map((t) => ({
              code: t.code,
              name: t.name,
              status: t.status,
              every: t.periodType,
              kinds: t.organisationKinds.join(', '),
              items: t.items.length,
              due: t.current ? `${t.current.label}: ${t.current.deadline}` : null,
            })),
            ['code', 'name', 'status', 'every', 'kinds', 'items', 'due'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  templates
    .command('show <code>')
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { json?: boolean }) => {
      try {
        await withDatabase('oversight templates show', async ({ handle }) => {
          const t = await getTemplateView(handle.db, code, todayIsoDate());
          if (options.json) return printJson({ template: t });
          printTemplate(t);
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  templates
    .command('create <file>')
    .description(
      'Add a template as a draft from a JSON file (code, name, periodType, organisationKinds, items, schedule)',
    )
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const input = readJsonFile(file);
        await withDatabase('oversight templates create', async ({ handle }) => {
          const t = await createTemplate(handle.db, operatorActor(), input, todayIsoDate());
          if (options.json) return printJson({ template: t });
          printTemplate(t);
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  templates
    .command('coverage <code>')
    .description('Who has and has not made the return for a period, and who made it by the deadline')
    .option(
      '--period <date>',
      'any date in the period (default: the latest period that has ended)',
      parseDateOption,
    )
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { period?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight templates coverage', async ({ handle }) => {
          const c = await getTemplateCoverage(handle.db, null, code, options.period, todayIsoDate());
          if (options.json) return printJson(c);
          printLine(
            `${c.template.name}, ${c.period.label} (due ${c.period.deadline}): ${c.summary.submitted} of ${c.summary.asked} submitted, ${c.summary.onTime} by the deadline, ${c.summary.missing} missing`,
          );
          printTable(
            c.byRegion.map((g) => ({
              region: g.code,
              name: g.name,
              asked: g.asked,
              submitted: g.submitted,
              on_time: g.onTime,
            })),
            ['region', 'name', 'asked', 'submitted', 'on_time'],
          );
          const missing = c.organisations.filter((o) => o.onTime === null);
          if (missing.length > 0) {
            printLine('\nNot submitted');
            printTable(
              missing.map((o) => ({ code: o.odsCode, name: o.name, icb: o.icbCode, status: o.status })),
              ['code', 'name', 'icb', 'status'],
            );
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  for (const [name, act, what] of [
    [
      'activate',
      activateTemplate,
      'Start collecting a draft template from a date (refused if an item is already collected)',
    ],
    ['retire', retireTemplate, 'Stop collecting a template from a date'],
  ] as const) {
    templates
      .command(`${name} <code>`)
      .description(what)
      .requiredOption('--from <date>', 'the first day it applies', parseDateOption)
      .option('--json', 'print one JSON document')
      .action(async (code: string, options: { from: string; json?: boolean }) => {
        try {
          await withDatabase(`oversight templates ${name}`, async ({ handle }) => {
            const t = await act(handle.db, operatorActor(), code, options.from, todayIsoDate());
            if (options.json) return printJson({ template: t });
            printTemplate(t);
          });
        } catch (error) {
          reportError(error, options);
        }
      });
  }

  program
    .command('lineage')
    .description(
      'For every data item: the templates that collect it and the metrics, methodologies and reports that use it',
    )
    .option('--flagged', 'only items collected but used by nothing (candidates to stop collecting)')
    .option('--json', 'print one JSON document')
    .action(async (options: { flagged?: boolean; json?: boolean }) => {
      try {
        await withDatabase('oversight lineage', async ({ handle }) => {
          const items = (await getLineage(handle.db, todayIsoDate())).filter(
            (i) => !options.flagged || i.flaggedForRetirement,
          );
          if (options.json) return printJson({ items });
          printTable(
            items.map((i) => ({
              item: i.item,
              collected_by: i.templates.map((t) => `${t.code} (${t.status})`).join(', ') || null,
              metrics: i.metrics.join(', ') || null,
              methodologies: i.methodologies.join(', ') || null,
              flagged: i.flaggedForRetirement ? 'unused: retire?' : null,
            })),
            ['item', 'collected_by', 'metrics', 'methodologies', 'flagged'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  program
    .command('inbox')
    .description(
      'Everything asked of an organisation: its returns for the latest periods, with deadlines and status',
    )
    .argument('<org>', 'ODS code', parseOdsCode)
    .option('--json', 'print one JSON document')
    .action(async (org: string, options: { json?: boolean }) => {
      try {
        await withDatabase('oversight inbox', async ({ handle }) => {
          const inbox = await getInbox(
            handle.db,
            { principal: null, actor: operatorActor() },
            org,
            todayIsoDate(),
          );
          if (options.json) return printJson(inbox);
          printLine(
            `${inbox.organisation.name} (${inbox.organisation.odsCode}): ${inbox.outstanding} returns outstanding`,
          );
          printTable(
            inbox.items.map((i) => ({
              template: i.template.code,
              period: i.label,
              due: i.deadline,
              closes: i.closes,
              return: i.returnStatus ?? 'not started',
              state: i.state,
            })),
            ['template', 'period', 'due', 'closes', 'return', 'state'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  program
    .command('burden')
    .description(
      'How many returns and data items are asked of an organisation in a financial year, against the year before',
    )
    .argument('<org>', 'ODS code', parseOdsCode)
    .option('--year <date>', 'any date in the financial year (default: this year)', parseDateOption)
    .option('--json', 'print one JSON document')
    .action(async (org: string, options: { year?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight burden', async ({ handle }) => {
          const burden = await getBurden(handle.db, org, options.year ?? todayIsoDate());
          if (options.json) return printJson(burden);
          printLine(
            `${burden.organisation.name} (${burden.organisation.odsCode}), ${burden.year.label}: ${burden.returns} returns, ${burden.items} data items (${burden.previousYear.label}: ${burden.previousYear.returns} returns, ${burden.previousYear.items} items; change ${burden.change.items >= 0 ? '+' : ''}${burden.change.items} items${burden.change.itemsPercent === null ? '' : `, ${burden.change.itemsPercent}%`})`,
          );
          printTable(
            burden.templates.map((t) => ({
              template: t.code,
              name: t.name,
              every: t.periodType,
              returns: t.returns,
              items: t.items,
            })),
            ['template', 'name', 'every', 'returns', 'items'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
