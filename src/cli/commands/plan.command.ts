import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { todayIsoDate } from '../../domain/iso-date.js';
import { returnStatusLabels, type ReturnStep } from '../../domain/return-workflow.js';
import { readPlanWorkbook, writePlanWorkbook } from '../../import/plan-workbook.js';
import { principalForEmail } from '../../services/identity.service.js';
import {
  advancePlan,
  createRound,
  getPlan,
  getPlanLayout,
  getPlanVsActual,
  getRoundSummary,
  getSystemPlan,
  listRoundViews,
  savePlan,
  setEnvelope,
  type PlanView,
} from '../../services/planning.service.js';
import { operatorActor, principalAs } from '../actor.js';
import { actAsOption, parseOdsCode, workflowStepOptions } from '../arguments.js';
import { withDatabase } from '../database.js';
import { checkOutputFile, writeFileAtomically } from '../file-output.js';
import { readJsonFile } from '../input.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

/**
 * One planning process from the command line: rounds, envelopes, plans (JSON or the workbook) through the
 * returns' workflow, the system against its envelope, and plan against actual. Changes to plans act as a
 * named account (`--as`); rounds and envelopes are set by the operator, who holds the database.
 */

const money = (n: number) => `£${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(n)}k`;

function printPlan(p: PlanView): void {
  printLine(
    `${p.name} (${p.odsCode}), ${p.round} plan: ${returnStatusLabels[p.status]}${p.statusReason ? ` (${p.statusReason})` : ''}; version ${p.version}`,
  );
  printLine(`Planned surplus (deficit): ${money(p.surplus)}`);
  if (p.impact) printLine(`${p.impact.flagged ? 'WARNING: ' : ''}${p.impact.explanation}`);
  if (p.steps.length > 0) printLine(`You may: ${p.steps.join(', ')}`);
}

export function registerPlanCommands(program: Command): void {
  const plan = program
    .command('plan')
    .description('One planning process: rounds, envelopes, plans, system affordability, plan against actual');

  plan
    .command('rounds')
    .description('Every planning round')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight plan rounds', async ({ handle }) => {
          const rounds = await listRoundViews(handle.db, todayIsoDate());
          if (options.json) return printJson({ rounds });
          printTable(
            rounds.map((r) => ({
              code: r.code,
              name: r.name,
              year: r.yearStart,
              status: r.status,
              deadline: r.deadline,
            })),
            ['code', 'name', 'year', 'status', 'deadline'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  plan
    .command('round-create <file>')
    .description(
      'Add a round from a JSON file: {code, name, yearStart, guidance, items: {kind: [items]}, opens, deadline, closes}',
    )
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const input = readJsonFile(file);
        await withDatabase('oversight plan round-create', async ({ handle }) => {
          const round = await createRound(handle.db, operatorActor(), input, todayIsoDate());
          if (options.json) return printJson({ round });
          printLine(
            `Added ${round.name} (${round.code}): opens ${round.opens}, due ${round.deadline}, closes ${round.closes}.`,
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  plan
    .command('envelope <round> <icb>')
    .description(
      "Set an ICB's envelope from a JSON file: {controlTotal, activity: [{item, quantity, unitCost}]}",
    )
    .requiredOption('--file <file>', 'the envelope as JSON (£000s)')
    .option('--json', 'print one JSON document')
    .action(async (round: string, icb: string, options: { file: string; json?: boolean }) => {
      try {
        const input = readJsonFile(options.file);
        await withDatabase('oversight plan envelope', async ({ handle }) => {
          const result = await setEnvelope(
            handle.db,
            { principal: null, actor: operatorActor() },
            round,
            parseOdsCode(icb),
            input,
          );
          if (options.json) return printJson(result);
          printLine(
            `Set the ${result.round} envelope of ${result.icb}: control total ${money(result.envelope.controlTotal)}.`,
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  plan
    .command('template <round> <org>')
    .description('Write the plan workbook to fill in (with the plan so far, for those who may read it)')
    .requiredOption('--out <file>', 'the .xlsx file to write')
    .option(...actAsOption)
    .option('--json', 'print one JSON document (what was written)')
    .action(async (round: string, org: string, options: { out: string; as?: string; json?: boolean }) => {
      try {
        const target = checkOutputFile(options.out, '--out', `plan-${round}.xlsx`);
        await withDatabase('oversight plan template', async ({ handle }) => {
          const principal = await principalAs(handle.db, options.as);
          const layout = await getPlanLayout(handle.db, principal, round, parseOdsCode(org));
          const bytes = await writePlanWorkbook(layout, layout.items, layout.content);
          await writeFileAtomically(target, bytes);
          if (options.json) return printJson({ file: target, bytes: bytes.length });
          printLine(`Wrote ${target}: fill in the months and flows, then "oversight plan submit".`);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  plan
    .command('submit <round> <org> <file>')
    .description('Submit (or save as a draft) a plan from its workbook (.xlsx) or JSON ({values, flows})')
    .requiredOption(...actAsOption)
    .option('--draft', 'save as a draft instead of submitting')
    .option('--reason <text>', 'why a locked plan is being revised')
    .option('--json', 'print one JSON document')
    .action(
      async (
        round: string,
        org: string,
        file: string,
        options: { as: string; draft?: boolean; reason?: string; json?: boolean },
      ) => {
        try {
          const odsCode = parseOdsCode(org);
          const xlsx = extname(file).toLowerCase() === '.xlsx';
          const bytes = readFileSync(file);
          await withDatabase('oversight plan submit', async ({ handle }) => {
            const principal = await principalForEmail(handle.db, options.as);
            let content: unknown;
            if (xlsx) {
              const layout = await getPlanLayout(handle.db, null, round, odsCode);
              content = await readPlanWorkbook(
                bytes,
                { round: layout.round, odsCode: layout.odsCode, items: layout.items.map((i) => i.code) },
                basename(file),
              );
            } else content = readJsonFile(file);
            const saved = await savePlan(
              handle.db,
              principal,
              {
                round,
                odsCode,
                content,
                submit: !options.draft,
                reason: options.reason,
                sourceFormat: xlsx ? 'xlsx' : 'json',
              },
              null,
            );
            if (options.json) return printJson({ plan: saved });
            printPlan(saved);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  const step = (name: ReturnStep, description: string) =>
    workflowStepOptions(plan.command(`${name} <round> <org>`).description(description), name).action(
      async (round: string, org: string, options: { as: string; reason?: string; json?: boolean }) => {
        try {
          await withDatabase(`oversight plan ${name}`, async ({ handle }) => {
            const principal = await principalForEmail(handle.db, options.as);
            const result = await advancePlan(
              handle.db,
              principal,
              round,
              parseOdsCode(org),
              name,
              options.reason,
              null,
            );
            if (options.json) return printJson({ plan: result });
            printPlan(result);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );
  step('approve', "Approve a provider's plan (its ICB)");
  step('accept', 'Accept a plan (its region)');
  step('lock', 'Lock an accepted plan (its region); revisions then need a reason');
  step('return', 'Return a plan for correction, with a reason');

  plan
    .command('show <round> <org>')
    .description('A plan with its versions and the impact of its latest revision')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (round: string, org: string, options: { as: string; json?: boolean }) => {
      try {
        await withDatabase('oversight plan show', async ({ handle }) => {
          const principal = await principalForEmail(handle.db, options.as);
          const result = await getPlan(handle.db, principal, round, parseOdsCode(org));
          if (options.json) return printJson({ plan: result });
          printPlan(result);
          for (const v of result.versions)
            printLine(
              `  version ${v.version}: ${v.createdAt.slice(0, 10)} by ${v.createdBy}, surplus ${money(v.surplus)}${v.reason ? `, because: ${v.reason}` : ''}`,
            );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  plan
    .command('system <round> <icb>')
    .description(
      "An ICB's system plan against its envelope: the gap, its drivers, mismatches and flagged revisions",
    )
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (round: string, icb: string, options: { as: string; json?: boolean }) => {
      try {
        await withDatabase('oversight plan system', async ({ handle }) => {
          const principal = await principalForEmail(handle.db, options.as);
          const s = await getSystemPlan(handle.db, principal, round, parseOdsCode(icb));
          if (options.json) return printJson(s);
          printLine(
            `${s.icb.name} (${s.icb.odsCode}), ${s.round}: planned position ${money(s.position.position)} against a control total of ${money(s.position.controlTotal)}`,
          );
          printLine(
            s.position.affordable
              ? 'Affordable within the envelope.'
              : `Not affordable: a gap of ${money(-s.position.gap)}.`,
          );
          for (const d of s.position.drivers) printLine(`  - ${d.description}`);
          printTable(
            s.members.map((m) => ({
              org: m.odsCode,
              name: m.name,
              status: m.status,
              version: m.version,
              surplus: m.surplus === null ? null : Math.round(m.surplus),
            })),
            ['org', 'name', 'status', 'version', 'surplus'],
          );
          for (const m of s.mismatches)
            printLine(
              `Mismatch: ${m.provider} plans ${money(m.providerPlan?.value ?? 0)} from ${m.commissioner} for ${m.serviceLine}; ${m.commissioner} plans ${money(m.commissionerPlan?.value ?? 0)}`,
            );
          for (const f of s.flaggedRevisions) printLine(`WARNING: ${f.explanation}`);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  plan
    .command('summary <round> <area>')
    .description('The round across a region or England: plans by status and each ICB against its envelope')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (round: string, area: string, options: { as: string; json?: boolean }) => {
      try {
        await withDatabase('oversight plan summary', async ({ handle }) => {
          const principal = await principalForEmail(handle.db, options.as);
          const s = await getRoundSummary(handle.db, principal, round, parseOdsCode(area), todayIsoDate());
          if (options.json) return printJson(s);
          printTable(
            s.systems.map((x) => ({
              icb: x.icb.odsCode,
              name: x.icb.name,
              asked: x.asked,
              submitted: x.asked - (x.byStatus['not-started'] ?? 0) - (x.byStatus.draft ?? 0),
              gap: x.gap === null ? null : Math.round(x.gap),
              flagged: x.flaggedRevisions,
            })),
            ['icb', 'name', 'asked', 'submitted', 'gap', 'flagged'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  plan
    .command('variance <round> <org>')
    .description('Plan against actual, month by month, for an organisation, ICB, region or England')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (round: string, org: string, options: { as: string; json?: boolean }) => {
      try {
        await withDatabase('oversight plan variance', async ({ handle }) => {
          const principal = await principalForEmail(handle.db, options.as);
          const v = await getPlanVsActual(handle.db, principal, round, parseOdsCode(org));
          if (options.json) return printJson(v);
          for (const m of v.metrics) {
            printLine(`${m.name}${m.offTrajectory ? ' (off trajectory)' : ''}`);
            printTable(
              m.series.map((p) => ({
                month: p.month.slice(0, 7),
                plan: p.plan === null ? null : Number(p.plan.toFixed(1)),
                actual: p.actual === null ? null : Number(p.actual.toFixed(1)),
                variance: p.variance === null ? null : Number(p.variance.toFixed(1)),
              })),
              ['month', 'plan', 'actual', 'variance'],
            );
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
