import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { todayIsoDate } from '../../domain/iso-date.js';
import {
  addInterventionAction,
  completeInterventionAction,
  exitIntervention,
  getIntervention,
  getSignalChain,
  linkInterventionProgramme,
  listInterventions,
  recordIntervention,
  reviewIntervention,
  type Chain,
  type InterventionDetail,
} from '../../services/intervention.service.js';
import { callerAsOrOperator } from '../actor.js';
import { actAsOption, parseDateOption, parseOdsCode, parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { readJsonFile } from '../input.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

/**
 * The interventions register from the command line. Without `--as` the operator (who holds the database)
 * acts and sees everything; with it, the named account's roles and statutory-function grants decide.
 */

function parseId(value: string): number {
  const id = parsePositiveInteger(value);
  if (id === 0) throw new InvalidArgumentError(`"${value}" is not an intervention number.`);
  return id;
}

function printChain(chain: Chain): void {
  for (const s of chain.signals) printLine(`Signal: ${s.description}`);
  if (chain.segment)
    printLine(
      `Segment: ${chain.segment.segment ?? 'none'} in ${chain.segment.label} (previously ${chain.segment.previousSegment ?? 'none'}, ${chain.segment.direction ?? 'no change recorded'}); drivers: ${chain.segment.drivers.map((d) => d.name).join(', ') || 'none'}`,
    );
  for (const i of chain.interventions)
    printLine(`Intervention ${i.id}: ${i.kindLabel} — ${i.title} (${i.status})`);
  for (const p of chain.programmes) printLine(`Programme: ${p.name} (${p.code})`);
  for (const a of chain.mutualAid)
    printLine(
      `Mutual aid ${a.id}: ${a.quantity} ${a.unit} of ${a.kindLabel} for ${a.requester.name} (${a.status})`,
    );
  for (const note of chain.notes) printLine(`Note: ${note}`);
}

function printIntervention(i: InterventionDetail): void {
  printLine(`Intervention ${i.id}: ${i.kindLabel} — ${i.title}`);
  printLine(`${i.organisation.name} (${i.organisation.odsCode}); owner ${i.owner}; ${i.status}`);
  if (i.statutoryFunctionLabel) printLine(`Statutory function: ${i.statutoryFunctionLabel}`);
  printLine(`Triggered by: ${i.signal.kindLabel}: ${i.signal.summary}`);
  printLine(
    `Opened ${i.openedOn}; next review ${i.nextReview}${i.reviewOverdue ? ' (OVERDUE)' : ''}${i.closedOn ? `; ended ${i.closedOn}: ${i.exitReason ?? ''}` : ''}`,
  );
  printLine(`Exit criteria: ${i.exitCriteria}`);
  if (i.programme) printLine(`Programme: ${i.programme.name} (${i.programme.code})`);
  if (i.actionList.length > 0)
    printTable(
      i.actionList.map((a) => ({
        id: a.id,
        action: a.description,
        owner: a.owner,
        due: a.due,
        done: a.doneOn ?? (a.overdue ? 'OVERDUE' : ''),
      })),
      ['id', 'action', 'owner', 'due', 'done'],
    );
  printChain(i.chain);
}

export function registerInterventionCommands(program: Command): void {
  const interventions = program
    .command('interventions')
    .description(
      'The register of support and regulatory interventions, and the chain from a signal to action',
    );

  interventions
    .command('list')
    .description('Interventions, open ones first (those of a statutory function need its grant with --as)')
    .option('--organisation <code>', 'an organisation: its interventions and those under it', parseOdsCode)
    .option('--programme <code>', 'those that led to a programme')
    .option('--status <status>', 'open or exited', (v: string) => {
      if (v !== 'open' && v !== 'exited') throw new InvalidArgumentError('Use open or exited.');
      return v;
    })
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (options: {
        organisation?: string;
        programme?: string;
        status?: 'open' | 'exited';
        as?: string;
        json?: boolean;
      }) => {
        try {
          await withDatabase('oversight interventions list', async ({ handle }) => {
            const caller = await callerAsOrOperator(handle.db, options.as);
            const list = await listInterventions(handle.db, caller.principal, {
              ...(options.organisation ? { organisation: options.organisation } : {}),
              ...(options.programme ? { programme: options.programme } : {}),
              ...(options.status ? { status: options.status } : {}),
              today: todayIsoDate(),
            });
            if (options.json) return printJson({ interventions: list });
            if (list.length === 0) return printLine('No interventions.');
            printTable(
              list.map((i) => ({
                id: i.id,
                organisation: i.organisation.odsCode,
                kind: i.kindLabel,
                title: i.title,
                signal: i.signal.kindLabel,
                review: `${i.nextReview}${i.reviewOverdue ? ' OVERDUE' : ''}`,
                status: i.status,
                programme: i.programme?.code ?? '',
              })),
              ['id', 'organisation', 'kind', 'title', 'signal', 'review', 'status', 'programme'],
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  interventions
    .command('show <id>')
    .description(
      'One intervention: actions, reviews, and the chain back to its signal and on to its programme',
    )
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight interventions show', async ({ handle }) => {
          const caller = await callerAsOrOperator(handle.db, options.as);
          const found = await getIntervention(handle.db, caller.principal, parseId(id), todayIsoDate());
          if (options.json) return printJson({ intervention: found });
          printIntervention(found);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  interventions
    .command('record <file>')
    .description(
      'Record an intervention from a JSON file: {organisation, kind, title, owner, statutoryFunction, signal: {kind, …}, openedOn, nextReview, exitCriteria, programme, actions: [{description, owner, due}]}',
    )
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { as?: string; json?: boolean }) => {
      try {
        const input = readJsonFile(file);
        await withDatabase('oversight interventions record', async ({ handle }) => {
          const caller = await callerAsOrOperator(handle.db, options.as);
          const recorded = await recordIntervention(handle.db, caller, input, todayIsoDate());
          if (options.json) return printJson({ intervention: recorded });
          printLine(`Recorded intervention ${recorded.id}.`);
          printIntervention(recorded);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  interventions
    .command('review <id>')
    .description('Record a review and set the next review date')
    .requiredOption('--on <date>', 'the date of the review', parseDateOption)
    .requiredOption('--outcome <text>', 'what the review found')
    .requiredOption('--next <date>', 'the next review date', parseDateOption)
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        id: string,
        options: { on: string; outcome: string; next: string; as?: string; json?: boolean },
      ) => {
        try {
          await withDatabase('oversight interventions review', async ({ handle }) => {
            const caller = await callerAsOrOperator(handle.db, options.as);
            const reviewed = await reviewIntervention(
              handle.db,
              caller,
              parseId(id),
              { reviewedOn: options.on, outcome: options.outcome, nextReview: options.next },
              todayIsoDate(),
            );
            if (options.json) return printJson({ intervention: reviewed });
            printLine(
              `Recorded the review of intervention ${reviewed.id}; next review ${reviewed.nextReview}.`,
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  interventions
    .command('action <id>')
    .description('Add an action with an owner and a due date')
    .requiredOption('--description <text>', 'what is to be done')
    .requiredOption('--owner <name>', 'who owns it')
    .requiredOption('--due <date>', 'when it is due', parseDateOption)
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        id: string,
        options: { description: string; owner: string; due: string; as?: string; json?: boolean },
      ) => {
        try {
          await withDatabase('oversight interventions action', async ({ handle }) => {
            const caller = await callerAsOrOperator(handle.db, options.as);
            const changed = await addInterventionAction(
              handle.db,
              caller,
              parseId(id),
              { description: options.description, owner: options.owner, due: options.due },
              todayIsoDate(),
            );
            if (options.json) return printJson({ intervention: changed });
            printLine(`Added the action; intervention ${changed.id} has ${changed.actions.open} open.`);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  interventions
    .command('done <id> <actionId>')
    .description('Mark an action done')
    .option('--on <date>', 'the date it was done (today if left out)', parseDateOption)
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (id: string, actionId: string, options: { on?: string; as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight interventions done', async ({ handle }) => {
          const caller = await callerAsOrOperator(handle.db, options.as);
          const changed = await completeInterventionAction(
            handle.db,
            caller,
            parseId(id),
            parseId(actionId),
            options.on ?? todayIsoDate(),
            todayIsoDate(),
          );
          if (options.json) return printJson({ intervention: changed });
          printLine(
            `Marked action ${actionId} done; ${changed.actions.open} open, ${changed.actions.overdue} overdue.`,
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  interventions
    .command('exit <id>')
    .description('End an intervention, saying how its exit criteria were met')
    .requiredOption('--on <date>', 'the date it ended', parseDateOption)
    .requiredOption('--reason <text>', 'how the exit criteria were met, or why it ended')
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { on: string; reason: string; as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight interventions exit', async ({ handle }) => {
          const caller = await callerAsOrOperator(handle.db, options.as);
          const ended = await exitIntervention(
            handle.db,
            caller,
            parseId(id),
            { closedOn: options.on, reason: options.reason },
            todayIsoDate(),
          );
          if (options.json) return printJson({ intervention: ended });
          printLine(`Intervention ${ended.id} ended on ${ended.closedOn}.`);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  interventions
    .command('link <id> <programme>')
    .description('Link an intervention to the programme it led to ("none" unlinks)')
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (id: string, programme: string, options: { as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight interventions link', async ({ handle }) => {
          const caller = await callerAsOrOperator(handle.db, options.as);
          const changed = await linkInterventionProgramme(
            handle.db,
            caller,
            parseId(id),
            programme === 'none' ? null : programme,
            todayIsoDate(),
          );
          if (options.json) return printJson({ intervention: changed });
          printLine(
            changed.programme
              ? `Intervention ${changed.id} now leads to ${changed.programme.name}.`
              : `Intervention ${changed.id} is linked to no programme.`,
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  interventions
    .command('chain <organisation> <metric> <month>')
    .description(
      "From an organisation's metric signal in a month: the SPC point, the segment that quarter, and the interventions, programmes and mutual aid it led to",
    )
    .option(
      '--methodology <code>',
      'the oversight methodology (by default the one for the kind of organisation)',
    )
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        organisation: string,
        metric: string,
        month: string,
        options: { methodology?: string; as?: string; json?: boolean },
      ) => {
        try {
          const period = parseDateOption(month);
          await withDatabase('oversight interventions chain', async ({ handle }) => {
            const caller = await callerAsOrOperator(handle.db, options.as);
            const chain = await getSignalChain(handle.db, caller.principal, {
              organisation: parseOdsCode(organisation),
              metric,
              period,
              ...(options.methodology ? { methodology: options.methodology } : {}),
              today: todayIsoDate(),
            });
            if (options.json) return printJson({ chain });
            printChain(chain);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );
}
