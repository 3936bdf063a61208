import { InvalidArgumentError, type Command } from 'commander';
import { invalidInput } from '../../domain/errors.js';
import { formatLongDate, todayIsoDate } from '../../domain/iso-date.js';
import type { Adoption, PlanAction } from '../../domain/standard.js';
import {
  createStandard,
  declare,
  getDeclaration,
  getRegister,
  getStandardDetail,
  listOverdue,
  listStandardViews,
  publishDeclarations,
  publishStandard,
} from '../../services/standard.service.js';
import { callerAs, callerAsOrOperator } from '../actor.js';
import { actAsOption, collect, parseOdsCode } from '../arguments.js';
import { withDatabase } from '../database.js';
import { readJsonFile } from '../input.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

/**
 * Comply or explain from the command line: the register of standards, declarations, adoption, the overdue
 * and the public register. Reads and national changes act as the operator, who holds the database, unless
 * `--as` names an account; a declaration is always a named board member's or ICB lead's (`--as`).
 */

const percent = (value: number | null) => (value === null ? null : `${value.toFixed(1)}%`);

function adoptionRow(label: Record<string, string>, a: Adoption): Record<string, string | number | null> {
  return {
    ...label,
    applicable: a.applicable,
    complies: a.complies,
    explains: a.explains,
    unpublished: a.declaredUnpublished,
    'not declared': a.notDeclared,
    overdue: a.overdue,
    declared: percent(a.declaredPercent),
  };
}
const adoptionColumns = [
  'applicable',
  'complies',
  'explains',
  'unpublished',
  'not declared',
  'overdue',
  'declared',
];

/** "description|owner|YYYY-MM-DD": one action of an explain declaration's plan. */
function parseAction(value: string): PlanAction {
  const [description = '', owner = '', due = '', ...rest] = value.split('|').map((part) => part.trim());
  if (rest.length > 0 || description === '' || owner === '' || due === '')
    throw new InvalidArgumentError(
      `"${value}" is not an action: write "what will be done|who owns it|YYYY-MM-DD", such as "Appoint a guardian|Chief people officer|2026-09-30".`,
    );
  return { description, owner, due };
}

const readAsOption = [
  '--as <email>',
  'see what this account may see (default: the operator, who sees all)',
] as const;

export function registerStandardsCommands(program: Command): void {
  const standards = program
    .command('standards')
    .description(
      'Comply or explain: standards, boards’ declarations, adoption, the overdue and the public register',
    );

  standards
    .command('list')
    .description("Every standard, with England's adoption")
    .option(...readAsOption)
    .option('--json', 'print one JSON document')
    .action(async (options: { as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight standards list', async ({ handle }) => {
          const { principal } = await callerAsOrOperator(handle.db, options.as);
          const list = await listStandardViews(handle.db, principal, todayIsoDate());
          if (options.json) return printJson({ standards: list });
          if (list.length === 0)
            return printLine('No standards yet. Add one with "oversight standards create".');
          printTable(
            list.map((s) => ({
              code: s.code,
              title: s.title,
              status: s.status,
              due: s.declarationsDue,
              ...adoptionRow({}, s.adoption),
            })),
            ['code', 'title', 'status', 'due', ...adoptionColumns],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  standards
    .command('show <code>')
    .description('One standard: what it asks, England’s adoption and the declarations you may see')
    .option(...readAsOption)
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight standards show', async ({ handle }) => {
          const { principal } = await callerAsOrOperator(handle.db, options.as);
          const detail = await getStandardDetail(handle.db, principal, code, todayIsoDate());
          if (options.json) return printJson(detail);
          const s = detail.standard;
          printLine(`${s.title} (${s.code}), owned by ${s.owner}: ${s.status}`);
          printLine(`Applies to ${s.appliesTo.join(' and ')}.`);
          printLine(
            `In effect from ${formatLongDate(s.effectiveFrom)}; declarations due ${formatLongDate(s.declarationsDue)}.`,
          );
          printLine(`Evidence asked: ${s.evidenceAsked}`);
          printLine();
          printTable(
            [adoptionRow({ area: 'England' }, detail.adoption.england)],
            ['area', ...adoptionColumns],
          );
          printLine();
          if (detail.declarations.length === 0) printLine('No declarations you may see.');
          else
            printTable(
              detail.declarations.map((d) => ({
                org: d.odsCode,
                name: d.name,
                position: d.position === 'comply' ? 'complies' : 'explains',
                version: d.version,
                published: d.published ? 'yes' : 'no',
                why: d.position === 'explain' ? (d.explanation ?? '') : '',
              })),
              ['org', 'name', 'position', 'version', 'published', 'why'],
            );
          if (detail.awaitingPublication > 0)
            printLine(`${detail.awaitingPublication} declaration(s) not yet on the public register.`);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  standards
    .command('create <file>')
    .description(
      'Add a draft standard from JSON: {code, title, owner, summary, organisationKinds: ["nhs-trust","icb"], evidenceAsked, effectiveFrom, declarationsDue}',
    )
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { as?: string; json?: boolean }) => {
      try {
        const input = readJsonFile(file);
        await withDatabase('oversight standards create', async ({ handle }) => {
          const caller = await callerAsOrOperator(handle.db, options.as);
          const standard = await createStandard(handle.db, caller, input, todayIsoDate());
          if (options.json) return printJson({ standard });
          printLine(
            `Added ${standard.title} (${standard.code}) as a draft: publish it with "oversight standards publish ${standard.code}".`,
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  standards
    .command('publish <code>')
    .description('Publish a draft standard; with --declarations, put declarations on the public register')
    .option('--declarations', 'publish declarations made or revised since last published, not the standard')
    .option('--org <code>', 'with --declarations: only this organisation (repeatable)', collect(parseOdsCode))
    .option(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        options: { declarations?: boolean; org?: string[]; as?: string; json?: boolean },
      ) => {
        try {
          if (options.org && !options.declarations)
            throw invalidInput('--org names whose declarations to publish: add --declarations.', [
              { field: '--org', message: 'Use with --declarations' },
            ]);
          await withDatabase('oversight standards publish', async ({ handle }) => {
            const caller = await callerAsOrOperator(handle.db, options.as);
            if (options.declarations) {
              const result = await publishDeclarations(handle.db, caller, code, options.org, todayIsoDate());
              if (options.json) return printJson(result);
              printLine(
                result.published.length === 0
                  ? 'Nothing new to publish: every declaration is on the public register.'
                  : `Published ${result.published.length} declaration(s): ${result.published.join(', ')}.`,
              );
              return;
            }
            const standard = await publishStandard(handle.db, caller, code, todayIsoDate());
            if (options.json) return printJson({ standard });
            printLine(
              `Published ${standard.title}: boards declare from ${formatLongDate(standard.effectiveFrom)}, due ${formatLongDate(standard.declarationsDue)}.`,
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  standards
    .command('declare <code> <org>')
    .description(
      "Make or revise a board's declaration: --comply --evidence, or --explain --explanation with --action for each step of the plan (or --file JSON)",
    )
    .requiredOption(...actAsOption)
    .option('--comply', 'the board complies (give --evidence)')
    .option('--explain', 'the board does not comply and explains (give --explanation and --action)')
    .option('--evidence <text>', 'the evidence the board relies on')
    .option('--explanation <text>', 'why the board does not comply')
    .option(
      '--action <action>',
      '"what|who|YYYY-MM-DD", one per action of the plan (repeatable)',
      collect(parseAction),
    )
    .option(
      '--file <file>',
      'the declaration as JSON: {position, evidence, explanation, plan: [{description, owner, due}]}',
    )
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        org: string,
        options: {
          as: string;
          comply?: boolean;
          explain?: boolean;
          evidence?: string;
          explanation?: string;
          action?: PlanAction[];
          file?: string;
          json?: boolean;
        },
      ) => {
        try {
          const odsCode = parseOdsCode(org);
          const chosen = [options.comply, options.explain, options.file !== undefined].filter(Boolean).length;
          if (chosen !== 1)
            throw invalidInput('Say how the board declares: --comply, --explain, or --file.', [
              { field: 'position', message: 'Give exactly one of --comply, --explain or --file' },
            ]);
          const input = options.file
            ? readJsonFile(options.file)
            : {
                position: options.comply ? 'comply' : 'explain',
                evidence: options.evidence,
                explanation: options.explanation,
                plan: options.action ?? [],
              };
          await withDatabase('oversight standards declare', async ({ handle }) => {
            const result = await declare(
              handle.db,
              await callerAs(handle.db, options.as),
              code,
              odsCode,
              input,
              todayIsoDate(),
            );
            if (options.json) return printJson(result);
            const d = result.declaration;
            printLine(
              `${result.organisation.name} (${result.organisation.odsCode}) ${d?.position === 'comply' ? 'complies with' : 'explains against'} ${result.standard.title}: version ${d?.version ?? 0}${d?.published ? ', published' : ', not yet published'}.`,
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  standards
    .command('declaration <code> <org>')
    .description("A board's declaration against a standard, with its versions")
    .option(...readAsOption)
    .option('--json', 'print one JSON document')
    .action(async (code: string, org: string, options: { as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight standards declaration', async ({ handle }) => {
          const { principal } = await callerAsOrOperator(handle.db, options.as);
          const result = await getDeclaration(handle.db, principal, code, parseOdsCode(org), todayIsoDate());
          if (options.json) return printJson(result);
          printLine(
            `${result.organisation.name} (${result.organisation.odsCode}), ${result.standard.title}: ${result.state}`,
          );
          const d = result.declaration;
          if (!d) return printLine(result.declared ? 'Declared; not published.' : 'Not declared.');
          printLine(
            d.position === 'comply'
              ? `Complies. Evidence: ${d.evidence ?? ''}`
              : `Explains: ${d.explanation ?? ''}`,
          );
          for (const a of d.plan) printLine(`  - ${a.description} (${a.owner}, by ${formatLongDate(a.due)})`);
          if (result.history.length > 1) printLine(`${result.history.length} versions.`);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  standards
    .command('adoption <code>')
    .description('Adoption of a standard by England, each region and each ICB (its member trusts and itself)')
    .option('--by <level>', 'region or icb (default: both)')
    .option(...readAsOption)
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { by?: string; as?: string; json?: boolean }) => {
      try {
        if (options.by !== undefined && options.by !== 'region' && options.by !== 'icb')
          throw invalidInput(`--by "${options.by}" is not a level: use region or icb.`, [
            { field: '--by', message: 'Use region or icb' },
          ]);
        await withDatabase('oversight standards adoption', async ({ handle }) => {
          const { principal } = await callerAsOrOperator(handle.db, options.as);
          const detail = await getStandardDetail(handle.db, principal, code, todayIsoDate());
          if (options.json)
            return printJson({
              standard: detail.standard.code,
              asAt: detail.asAt,
              adoption: detail.adoption,
            });
          printTable(
            [adoptionRow({ area: 'England', code: 'X24' }, detail.adoption.england)],
            ['area', 'code', ...adoptionColumns],
          );
          if (options.by !== 'icb') {
            printLine();
            printTable(
              detail.adoption.regions.map((r) => adoptionRow({ area: r.area.name, code: r.area.odsCode }, r)),
              ['area', 'code', ...adoptionColumns],
            );
          }
          if (options.by !== 'region') {
            printLine();
            printTable(
              detail.adoption.icbs.map((r) =>
                adoptionRow({ area: r.area.name, code: r.area.odsCode, region: r.regionCode ?? '' }, r),
              ),
              ['area', 'code', 'region', ...adoptionColumns],
            );
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  standards
    .command('overdue')
    .description('Boards that have not declared against a standard in effect after declarations were due')
    .option('--standard <code>', 'only this standard')
    .option(...readAsOption)
    .option('--json', 'print one JSON document')
    .action(async (options: { standard?: string; as?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight standards overdue', async ({ handle }) => {
          const { principal } = await callerAsOrOperator(handle.db, options.as);
          const overdue = await listOverdue(handle.db, principal, todayIsoDate(), options.standard);
          if (options.json) return printJson({ asAt: todayIsoDate(), overdue });
          if (overdue.length === 0) return printLine('No declarations are overdue.');
          printTable(
            overdue.map((o) => ({
              standard: o.standard.code,
              org: o.odsCode,
              name: o.name,
              icb: o.icbCode,
              region: o.regionCode,
              due: o.due,
              'days overdue': o.daysOverdue,
            })),
            ['standard', 'org', 'name', 'icb', 'region', 'due', 'days overdue'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  standards
    .command('register')
    .description('The public register: published declarations of published standards')
    .option('--standard <code>', 'only this standard')
    .option('--json', 'print one JSON document')
    .action(async (options: { standard?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight standards register', async ({ handle }) => {
          const entries = await getRegister(handle.db, todayIsoDate(), options.standard);
          if (options.json) return printJson({ entries });
          if (entries.length === 0) return printLine('No declarations are published yet.');
          printTable(
            entries.map((e) => ({
              standard: e.standard.code,
              org: e.odsCode,
              name: e.name,
              position: e.position === 'comply' ? 'complies' : 'explains',
              published: e.publishedAt ? e.publishedAt.slice(0, 10) : null,
              'explanation or evidence': e.position === 'comply' ? (e.evidence ?? '') : (e.explanation ?? ''),
            })),
            ['standard', 'org', 'name', 'position', 'published', 'explanation or evidence'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
