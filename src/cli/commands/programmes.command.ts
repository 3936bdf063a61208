import { InvalidArgumentError, type Command } from 'commander';
import { invalidInput } from '../../domain/errors.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import {
  contributionStatusLabels,
  contributionStatuses,
  programmeStageLabels,
  programmeStages,
  reviewDecisionLabels,
  reviewDecisions,
  trajectoryStandingLabels,
} from '../../domain/programme.js';
import { principalForEmail } from '../../services/identity.service.js';
import {
  addMilestone,
  advanceProgramme,
  completeMilestone,
  createProgramme,
  getProgramme,
  listProgrammes,
  recordContribution,
  recordReviewOutcome,
  scheduleReview,
  type ProgrammeCaller,
  type ProgrammeDetail,
} from '../../services/programme.service.js';
import { callerAs } from '../actor.js';
import { actAsOption, parseDateOption, parseOdsCode, parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { readJsonFile } from '../input.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

/**
 * National programmes from the command line. Reading needs no account (programmes are public); every
 * change acts as a named account (`--as`), whose roles decide: national directors run programmes,
 * regions and ICBs record their contributions.
 */

function oneOf<T extends string>(values: readonly T[], what: string) {
  return (value: string): T => {
    const found = values.find((v) => v === value);
    if (!found)
      throw new InvalidArgumentError(`"${value}" is not ${what}. Use one of: ${values.join(', ')}.`);
    return found;
  };
}

const percentOr = (value: number | null, unit: string) =>
  value === null ? '–' : unit === '%' ? `${value.toFixed(1)}%` : Math.round(value).toLocaleString('en-GB');

function printProgramme(p: ProgrammeDetail): void {
  printLine(`${p.name} (${p.code}): ${programmeStageLabels[p.stage]}`);
  printLine(`Sponsor: ${p.sponsor}; national director: ${p.nationalDirector}`);
  printLine(`Scope: ${p.scope}`);
  printLine();
  printLine('Stage history:');
  for (const h of p.history)
    printLine(
      `  ${h.changedAt.slice(0, 10)}  ${h.fromStage ? `${programmeStageLabels[h.fromStage]} → ` : ''}${programmeStageLabels[h.toStage]}: ${h.reason}`,
    );
  for (const m of p.metrics) {
    printLine();
    printLine(
      `${m.metric.name} (${m.metric.code}); trajectory: ${
        m.trajectory.length === 0
          ? 'none'
          : m.trajectory
              .map((t) => `${percentOr(t.value, m.metric.unit)} by ${t.month.slice(0, 7)}`)
              .join(', ')
      }`,
    );
    printTable(
      [{ area: 'England', ...m.england }, ...m.regions.map((r) => ({ area: r.name, ...r }))].map((row) => ({
        area: row.area,
        month: row.month?.slice(0, 7) ?? null,
        value: percentOr(row.value, m.metric.unit),
        trajectory: percentOr(row.trajectory, m.metric.unit),
        gap: percentOr(row.gap, m.metric.unit),
        standing: trajectoryStandingLabels[row.standing],
      })),
      ['area', 'month', 'value', 'trajectory', 'gap', 'standing'],
    );
  }
  printLine();
  printLine('Contributions:');
  if (p.contributions.length === 0) printLine('  none recorded');
  else
    printTable(
      p.contributions.map((c) => ({
        organisation: `${c.organisation.name} (${c.organisation.odsCode})`,
        status: contributionStatusLabels[c.status],
        commitment: c.commitment,
      })),
      ['organisation', 'status', 'commitment'],
    );
  printLine();
  printLine('Milestones:');
  if (p.milestones.length === 0) printLine('  none');
  else
    printTable(
      p.milestones.map((m) => ({
        id: m.id,
        milestone: m.title,
        due: m.due,
        state: m.completedOn ? `completed ${m.completedOn}` : m.overdue ? 'OVERDUE' : 'open',
      })),
      ['id', 'milestone', 'due', 'state'],
    );
  printLine();
  printLine('Reviews:');
  if (p.reviews.length === 0) printLine('  none scheduled');
  else
    printTable(
      p.reviews.map((r) => ({
        id: r.id,
        scheduled: r.scheduledFor,
        state: r.heldOn ? `held ${r.heldOn}` : r.overdue ? 'OVERDUE' : 'scheduled',
        decision: r.decision ? reviewDecisionLabels[r.decision] : null,
        outcome: r.outcome,
      })),
      ['id', 'scheduled', 'state', 'decision', 'outcome'],
    );
}

/** Runs one change as the named account and prints the programme (or JSON). */
async function change(
  purpose: string,
  options: { as: string; json?: boolean },
  work: (db: Parameters<typeof getProgramme>[0], caller: ProgrammeCaller) => Promise<ProgrammeDetail>,
  done: (p: ProgrammeDetail) => string,
): Promise<void> {
  try {
    await withDatabase(purpose, async ({ handle }) => {
      const programme = await work(handle.db, await callerAs(handle.db, options.as));
      if (options.json) return printJson({ programme });
      printLine(done(programme));
    });
  } catch (error) {
    reportError(error, options);
  }
}

export function registerProgrammeCommands(program: Command): void {
  const programmes = program
    .command('programmes')
    .description(
      'National programmes: one lifecycle (proposed, established, in delivery, under review, closed), contributions, milestones, reviews',
    );

  programmes
    .command('list')
    .description('Every national programme with its stage, next review and overdue milestones')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight programmes list', async ({ handle }) => {
          const list = await listProgrammes(handle.db, todayIsoDate());
          if (options.json) return printJson({ programmes: list });
          printTable(
            list.map((p) => ({
              code: p.code,
              name: p.name,
              stage: programmeStageLabels[p.stage],
              'next review': p.nextReview ? `${p.nextReview}${p.reviewOverdue ? ' (overdue)' : ''}` : null,
              'overdue milestones': p.overdueMilestones.length,
            })),
            ['code', 'name', 'stage', 'next review', 'overdue milestones'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  programmes
    .command('show <code>')
    .description('One programme: history, metrics against trajectory, contributions, milestones, reviews')
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight programmes show', async ({ handle }) => {
          const principal = options.as
            ? await principalForEmail(handle.db, options.as)
            : ({ kind: 'public' } as const);
          const programme = await getProgramme(handle.db, principal, code, todayIsoDate());
          if (options.json) return printJson({ programme });
          printProgramme(programme);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  programmes
    .command('create <file>')
    .description(
      'Propose a programme from a JSON file: {code, name, sponsor, nationalDirector, scope, metrics: [{metric, trajectory: [{month: "YYYY-MM", value}]}]}',
    )
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { as: string; json?: boolean }) => {
      try {
        const input = readJsonFile(file);
        await change(
          'oversight programmes create',
          options,
          (db, caller) => createProgramme(db, caller, input, todayIsoDate()),
          (p) => `Proposed ${p.name} (${p.code}).`,
        );
      } catch (error) {
        reportError(error, options);
      }
    });

  programmes
    .command('advance <code>')
    .description('Move a programme to another stage, with the reason')
    .requiredOption(
      '--to <stage>',
      `the stage: ${programmeStages.join(', ')}`,
      oneOf(programmeStages, 'a stage'),
    )
    .requiredOption('--reason <text>', 'why it moves (recorded in its history)')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { to: string; reason: string; as: string; json?: boolean }) =>
      change(
        'oversight programmes advance',
        options,
        (db, caller) =>
          advanceProgramme(db, caller, code, { to: options.to, reason: options.reason }, todayIsoDate()),
        (p) => `${p.name} is now ${programmeStageLabels[p.stage].toLowerCase()}.`,
      ),
    );

  programmes
    .command('contribute <code> <org>')
    .description("Record a region's or ICB's contribution to a programme")
    .requiredOption('--commitment <text>', 'what the region or ICB will contribute')
    .requiredOption(
      '--status <status>',
      `where it stands: ${contributionStatuses.join(', ')}`,
      oneOf(contributionStatuses, 'a contribution status'),
    )
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        org: string,
        options: { commitment: string; status: string; as: string; json?: boolean },
      ) => {
        try {
          const odsCode = parseOdsCode(org);
          await withDatabase('oversight programmes contribute', async ({ handle }) => {
            const contribution = await recordContribution(
              handle.db,
              await callerAs(handle.db, options.as),
              code,
              odsCode,
              { commitment: options.commitment, status: options.status },
              todayIsoDate(),
            );
            if (options.json) return printJson({ contribution });
            printLine(
              `Recorded the contribution of ${contribution.organisation.name} (${contribution.organisation.odsCode}): ${contributionStatusLabels[contribution.status]}.`,
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  programmes
    .command('milestone <code>')
    .description('Add a milestone (--title and --due), or record one completed (--complete <id>)')
    .option('--title <text>', 'the milestone to add')
    .option('--due <date>', 'when it is due (YYYY-MM-DD)', parseDateOption)
    .option(
      '--complete <id>',
      'the id of the milestone completed (see "programmes show")',
      parsePositiveInteger,
    )
    .option('--on <date>', 'the date it was completed (default: today)', parseDateOption)
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        options: { title?: string; due?: string; complete?: number; on?: string; as: string; json?: boolean },
      ) => {
        if (options.complete === undefined && (options.title === undefined || options.due === undefined)) {
          reportError(
            invalidInput('Say which milestone.', [
              {
                field: '--title',
                message: 'Give --title and --due to add a milestone, or --complete <id> to complete one',
              },
            ]),
            options,
          );
          return;
        }
        const today = todayIsoDate();
        await change(
          'oversight programmes milestone',
          options,
          (db, caller) =>
            options.complete !== undefined
              ? completeMilestone(
                  db,
                  caller,
                  code,
                  options.complete,
                  { completedOn: options.on ?? today },
                  today,
                )
              : addMilestone(db, caller, code, { title: options.title, due: options.due }, today),
          (p) =>
            options.complete !== undefined
              ? `Recorded milestone ${options.complete} of ${p.name} as completed.`
              : `Added the milestone to ${p.name}: ${p.milestones.length} milestone(s), ${p.milestones.filter((m) => m.overdue).length} overdue.`,
        );
      },
    );

  programmes
    .command('review <code>')
    .description(
      "Schedule a review (--schedule <date>), or record a held review's outcome (--record <id> --held-on --outcome --decision)",
    )
    .option('--schedule <date>', 'the date of a new review (YYYY-MM-DD)', parseDateOption)
    .option('--record <id>', 'the id of the review held (see "programmes show")', parsePositiveInteger)
    .option('--held-on <date>', 'the date it was held (default: today)', parseDateOption)
    .option('--outcome <text>', 'what the review found')
    .option(
      '--decision <decision>',
      `what it decided: ${reviewDecisions.join(', ')}`,
      oneOf(reviewDecisions, 'a review decision'),
    )
    .option(
      '--next-review <date>',
      'when the programme continues, the date of its next review',
      parseDateOption,
    )
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        options: {
          schedule?: string;
          record?: number;
          heldOn?: string;
          outcome?: string;
          decision?: string;
          nextReview?: string;
          as: string;
          json?: boolean;
        },
      ) => {
        if ((options.schedule === undefined) === (options.record === undefined)) {
          reportError(
            invalidInput('Say whether to schedule a review or record one.', [
              { field: '--schedule', message: 'Give either --schedule <date> or --record <id>' },
            ]),
            options,
          );
          return;
        }
        const today = todayIsoDate();
        await change(
          'oversight programmes review',
          options,
          (db, caller) =>
            options.record !== undefined
              ? recordReviewOutcome(
                  db,
                  caller,
                  code,
                  options.record,
                  {
                    heldOn: options.heldOn ?? today,
                    outcome: options.outcome,
                    decision: options.decision,
                    ...(options.nextReview ? { nextReview: options.nextReview } : {}),
                  },
                  today,
                )
              : scheduleReview(db, caller, code, { scheduledFor: options.schedule }, today),
          (p) =>
            options.record !== undefined
              ? `Recorded the review of ${p.name}: it is now ${programmeStageLabels[p.stage].toLowerCase()}.`
              : `Scheduled a review of ${p.name} on ${options.schedule}.`,
        );
      },
    );
}
