import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { invalidInput } from '../../domain/errors.js';
import {
  bodyKindLabels,
  meetingStatusLabels,
  memberPositionLabels,
  sectorLabels,
  sectors,
  type Sector,
} from '../../domain/governance.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import {
  addAction,
  addMember,
  addPaper,
  completeAction,
  endMember,
  getBodyView,
  getMeetingView,
  listBodyViews,
  listOverdueActions,
  publishDecision,
  publishPaper,
  recordDecision,
  scheduleMeeting,
  setMeetingStatus,
} from '../../services/governance.service.js';
import type { Db } from '../../db/database.js';
import { callerAs, principalAs } from '../actor.js';
import { actAsOption, parseDateOption, parseOdsCode } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

/**
 * The governance bodies from the command line. Reads without `--as` are the operator's (who holds the
 * database and sees everything); with `--as` they show what that account may see. Every change acts as the
 * named account, whose roles decide whether it may govern the body.
 */

interface JsonOption {
  json?: boolean;
}
interface AsOption extends JsonOption {
  as?: string;
}

function parseSector(value: string): Sector {
  const sector = sectors.find((s) => s === value);
  if (!sector)
    throw new InvalidArgumentError(`"${value}" is not a sector. Use one of: ${sectors.join(', ')}.`);
  return sector;
}

/** A record's number; used for options (commander reports it) and for arguments (inside the action). */
function parseId(value: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(value.trim()))
    throw invalidInput(`"${value}" is not the number of a record.`, [
      {
        field: 'id',
        message: 'enter the number shown beside the record (e.g. by "oversight governance meeting")',
      },
    ]);
  return Number(value.trim());
}

function parseIdOption(value: string): number {
  try {
    return parseId(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** Runs one command against the database, printing its error the CLI way. */
function run<O extends JsonOption>(
  purpose: string,
  options: O,
  work: (db: Db) => Promise<void>,
): Promise<void> {
  return withDatabase(`oversight governance ${purpose}`, ({ handle }) => work(handle.db)).catch(
    (error: unknown) => reportError(error, options),
  );
}

export function registerGovernanceCommands(program: Command): void {
  const governance = program
    .command('governance')
    .description(
      'The NHS Executive Group, NHS Assembly and regional boards: members, meetings, decisions, actions',
    );

  governance
    .command('bodies')
    .description('Every body, its members today, next meeting and overdue actions')
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((options: AsOption) =>
      run('bodies', options, async (db) => {
        const bodies = await listBodyViews(db, await principalAs(db, options.as), todayIsoDate());
        if (options.json) return printJson({ bodies });
        printTable(
          bodies.map((b) => ({
            code: b.code,
            name: b.name,
            kind: bodyKindLabels[b.kind],
            members: b.membersToday,
            'next meeting': b.nextMeeting ? `${b.nextMeeting.meetsOn} ${b.nextMeeting.title}` : null,
            overdue: b.actions.overdue,
          })),
          ['code', 'name', 'kind', 'members', 'next meeting', 'overdue'],
        );
      }),
    );

  governance
    .command('show <body>')
    .description('One body: its members as at a date, what they represent, and its meetings')
    .option('--as-at <date>', 'membership as at this date (YYYY-MM-DD; default today)', parseDateOption)
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((code: string, options: AsOption & { asAt?: string }) =>
      run('show', options, async (db) => {
        const today = todayIsoDate();
        const body = await getBodyView(
          db,
          await principalAs(db, options.as),
          code,
          today,
          options.asAt ?? today,
        );
        if (options.json) return printJson({ body });
        printLine(`${body.name} (${bodyKindLabels[body.kind]}, ${body.scope.name}): ${body.purpose}`);
        printLine(`Members as at ${body.asAt}: ${body.members.length}`);
        printTable(
          body.members.map((m) => ({
            id: m.id,
            name: m.personName,
            position: memberPositionLabels[m.position],
            represents: m.sector
              ? sectorLabels[m.sector]
              : m.organisation
                ? `${m.organisation.name} (${m.organisation.odsCode})`
                : null,
            from: m.validFrom,
            source: m.source,
          })),
          ['id', 'name', 'position', 'represents', 'from', 'source'],
        );
        printLine();
        printTable(
          body.meetings.map((m) => ({
            id: m.id,
            date: m.meetsOn,
            title: m.title,
            status: meetingStatusLabels[m.status],
            decisions: m.decisions,
          })),
          ['id', 'date', 'title', 'status', 'decisions'],
        );
      }),
    );

  governance
    .command('meeting <body> <id>')
    .description('One meeting: papers, decisions with their links, and actions')
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((code: string, id: string, options: AsOption) =>
      run('meeting', options, async (db) => {
        const view = await getMeetingView(
          db,
          await principalAs(db, options.as),
          code,
          parseId(id),
          todayIsoDate(),
        );
        if (options.json) return printJson(view);
        const m = view.meeting;
        printLine(
          `${view.body.name}: ${m.title}, ${m.meetsOn} (${meetingStatusLabels[m.status]}, ${m.location})`,
        );
        for (const paper of view.papers)
          printLine(
            `Paper ${paper.id}: ${paper.title}, by ${paper.author}${paper.published ? '' : ' (not published)'}`,
          );
        for (const d of view.decisions) {
          const links = [
            d.programme ? `programme ${d.programme.code}` : null,
            d.intervention ? `intervention ${d.intervention.id}` : null,
            d.standard ? `standard ${d.standard.code}` : null,
          ].filter(Boolean);
          printLine(
            `Decision ${d.id}${d.published ? '' : ' (not published)'}${d.supersededById ? ` (superseded by ${d.supersededById})` : ''}: ${d.text}${links.length ? ` [${links.join(', ')}]` : ''}`,
          );
          for (const a of d.actions)
            printLine(
              `  Action ${a.id}: ${a.description}; owner ${a.owner}; due ${a.dueOn}; ${a.state}${a.completedOn ? ` ${a.completedOn}` : ''}`,
            );
        }
      }),
    );

  governance
    .command('schedule <body>')
    .description('Schedule a meeting (a past date records a meeting already held)')
    .requiredOption('--date <date>', 'the date of the meeting (YYYY-MM-DD)', parseDateOption)
    .requiredOption('--title <text>', 'the title of the meeting')
    .option('--location <place>', 'where it is held', 'virtual')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      (code: string, options: JsonOption & { as: string; date: string; title: string; location: string }) =>
        run('schedule', options, async (db) => {
          const meeting = await scheduleMeeting(
            db,
            await callerAs(db, options.as),
            code,
            {
              meetsOn: options.date,
              title: options.title,
              location: options.location,
            },
            todayIsoDate(),
          );
          if (options.json) return printJson({ meeting });
          printLine(
            `Meeting ${meeting.id}: ${meeting.title} on ${meeting.meetsOn} (${meetingStatusLabels[meeting.status]}).`,
          );
        }),
    );

  governance
    .command('meeting-status <meeting> <status>')
    .description('Record a scheduled meeting as held or cancelled')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((id: string, status: string, options: JsonOption & { as: string }) =>
      run('meeting-status', options, async (db) => {
        const meeting = await setMeetingStatus(
          db,
          await callerAs(db, options.as),
          parseId(id),
          { status },
          todayIsoDate(),
        );
        if (options.json) return printJson({ meeting });
        printLine(`Meeting ${meeting.id} is ${meeting.status}.`);
      }),
    );

  governance
    .command('paper <meeting>')
    .description('Add a paper to a meeting')
    .requiredOption('--title <text>', 'the title of the paper')
    .requiredOption('--author <name>', 'who wrote it')
    .requiredOption('--summary <text>', 'what it says')
    .option('--publish', 'publish it now')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      (
        id: string,
        options: JsonOption & {
          as: string;
          title: string;
          author: string;
          summary: string;
          publish?: boolean;
        },
      ) =>
        run('paper', options, async (db) => {
          const paper = await addPaper(db, await callerAs(db, options.as), parseId(id), {
            title: options.title,
            author: options.author,
            summary: options.summary,
            publish: options.publish ?? false,
          });
          if (options.json) return printJson({ paper });
          printLine(`Paper ${paper.id} added${paper.published ? ' and published' : ''}.`);
        }),
    );

  governance
    .command('decide <meeting>')
    .description('Record a decision, with links to a programme, an intervention or a standard')
    .requiredOption('--text <text>', 'what was decided')
    .option('--programme <code>', 'the programme it concerns')
    .option('--intervention <id>', 'the intervention it concerns', parseIdOption)
    .option('--standard <code>', 'the standard it concerns')
    .option('--supersedes <id>', 'the earlier decision it corrects', parseIdOption)
    .option('--publish', 'publish it now (it can then only be superseded)')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      (
        id: string,
        options: JsonOption & {
          as: string;
          text: string;
          programme?: string;
          intervention?: number;
          standard?: string;
          supersedes?: number;
          publish?: boolean;
        },
      ) =>
        run('decide', options, async (db) => {
          const decision = await recordDecision(
            db,
            await callerAs(db, options.as),
            parseId(id),
            {
              text: options.text,
              ...(options.programme ? { programme: options.programme } : {}),
              ...(options.intervention ? { intervention: options.intervention } : {}),
              ...(options.standard ? { standard: options.standard } : {}),
              ...(options.supersedes ? { supersedes: options.supersedes } : {}),
              publish: options.publish ?? false,
            },
            todayIsoDate(),
          );
          if (options.json) return printJson({ decision });
          printLine(`Decision ${decision.id} recorded${decision.published ? ' and published' : ''}.`);
        }),
    );

  governance
    .command('publish <kind> <id>')
    .description('Publish a decision or a paper: publish decision 12')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((kind: string, id: string, options: JsonOption & { as: string }) =>
      run('publish', options, async (db) => {
        if (kind !== 'decision' && kind !== 'paper')
          throw invalidInput(`"${kind}" cannot be published: use decision or paper.`, [
            { field: 'kind', message: 'enter decision or paper' },
          ]);
        const governor = await callerAs(db, options.as);
        const result =
          kind === 'decision'
            ? await publishDecision(db, governor, parseId(id))
            : await publishPaper(db, governor, parseId(id));
        if (options.json) return printJson(result);
        printLine(`Published ${kind} ${result.id}.`);
      }),
    );

  governance
    .command('action <decision>')
    .description('Add an action to a decision')
    .requiredOption('--description <text>', 'what is to be done')
    .requiredOption('--owner <name>', 'who owns it')
    .requiredOption('--due <date>', 'when it is due (YYYY-MM-DD)', parseDateOption)
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      (id: string, options: JsonOption & { as: string; description: string; owner: string; due: string }) =>
        run('action', options, async (db) => {
          const action = await addAction(
            db,
            await callerAs(db, options.as),
            parseId(id),
            {
              description: options.description,
              owner: options.owner,
              dueOn: options.due,
            },
            todayIsoDate(),
          );
          if (options.json) return printJson({ action });
          printLine(`Action ${action.id} added: ${action.owner}, due ${action.dueOn}.`);
        }),
    );

  governance
    .command('complete <action>')
    .description('Record an action as completed')
    .option('--on <date>', 'the date it was completed (default today)', parseDateOption)
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((id: string, options: JsonOption & { as: string; on?: string }) =>
      run('complete', options, async (db) => {
        const today = todayIsoDate();
        const action = await completeAction(
          db,
          await callerAs(db, options.as),
          parseId(id),
          { completedOn: options.on ?? today },
          today,
        );
        if (options.json) return printJson({ action });
        printLine(`Action ${action.id} completed on ${action.completedOn}.`);
      }),
    );

  governance
    .command('member <body>')
    .description('Add a member, representing an organisation (--organisation) or a sector (--sector)')
    .requiredOption('--name <name>', "the member's name")
    .option('--position <position>', 'co-chair, chair or member', 'member')
    .option('--organisation <ods>', 'the organisation they represent', parseOdsCode)
    .option('--sector <sector>', `the sector they represent: ${sectors.join(', ')}`, parseSector)
    .requiredOption('--from <date>', 'the first day of the membership (YYYY-MM-DD)', parseDateOption)
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      (
        code: string,
        options: JsonOption & {
          as: string;
          name: string;
          position: string;
          organisation?: string;
          sector?: Sector;
          from: string;
        },
      ) =>
        run('member', options, async (db) => {
          if (Boolean(options.organisation) === Boolean(options.sector))
            throw new InvalidArgumentError(
              'Give either --organisation or --sector: what the member represents.',
            );
          const member = await addMember(
            db,
            await callerAs(db, options.as),
            code,
            {
              personName: options.name,
              position: options.position,
              represents: options.organisation
                ? { organisation: options.organisation }
                : { sector: options.sector },
              validFrom: options.from,
            },
            todayIsoDate(),
          );
          if (options.json) return printJson({ member });
          printLine(`Membership ${member.id}: ${member.personName} from ${member.validFrom}.`);
        }),
    );

  governance
    .command('end-member <membership>')
    .description('End a membership from a date (the first day they are no longer a member)')
    .requiredOption('--on <date>', 'the first day they are no longer a member (YYYY-MM-DD)', parseDateOption)
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((id: string, options: JsonOption & { as: string; on: string }) =>
      run('end-member', options, async (db) => {
        const member = await endMember(
          db,
          await callerAs(db, options.as),
          parseId(id),
          { validTo: options.on },
          todayIsoDate(),
        );
        if (options.json) return printJson({ member });
        printLine(`${member.personName} is no longer a member from ${member.validTo}.`);
      }),
    );

  governance
    .command('overdue')
    .description('Actions past their due date and not completed, longest overdue first')
    .option('--body <code>', 'only this body')
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((options: AsOption & { body?: string }) =>
      run('overdue', options, async (db) => {
        const actions = await listOverdueActions(
          db,
          await principalAs(db, options.as),
          todayIsoDate(),
          options.body ?? null,
        );
        if (options.json) return printJson({ actions });
        if (actions.length === 0) return printLine('No action is overdue.');
        printTable(
          actions.map((a) => ({
            id: a.id,
            body: a.body.name,
            action: a.description,
            owner: a.owner,
            due: a.dueOn,
            'days overdue': a.daysOverdue,
          })),
          ['id', 'body', 'action', 'owner', 'due', 'days overdue'],
        );
      }),
    );
}
