import { operatorActor } from '../actor.js';
import type { Command } from 'commander';
import type { Db } from '../../db/database.js';
import {
  hierarchyEventLabels,
  organisationRoles,
  type OrganisationRole,
} from '../../domain/hierarchy-event.js';
import { addDays, formatLongDate, todayIsoDate } from '../../domain/iso-date.js';
import {
  organisationKindLabels,
  trustSectors,
  type OrganisationAsAt,
  type OrganisationKind,
  type TrustSector,
} from '../../domain/organisation.js';
import type { OrganisationTreeNode } from '../../domain/organisation-tree.js';
import { invalidInput } from '../../domain/errors.js';
import {
  absorbOrganisations,
  assignRole,
  closeOrganisation,
  mergeOrganisations,
  openOrganisation,
  reparentOrganisation,
  reviseOrganisation,
  splitOrganisation,
  type ChangeContext,
} from '../../services/hierarchy.service.js';
import {
  getOrganisationProfile,
  getPathAt,
  getSuccessions,
  getTreeAsNow,
  getTreeAt,
  listEvents,
  searchOrganisationsAt,
} from '../../services/hierarchy-query.service.js';
import { collect, parseDateOption, parseKind, parseOdsCode, parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

const cliContext = (): ChangeContext => ({ source: 'cli', provenance: 'manual', actor: operatorActor() });

function describe(organisation: Pick<OrganisationAsAt, 'odsCode' | 'name' | 'kind' | 'sector'>): string {
  const sector = organisation.sector ? `, ${organisation.sector}` : '';
  return `${organisation.odsCode}  ${organisation.name} (${organisationKindLabels[organisation.kind]}${sector})`;
}

function printTree(
  node: OrganisationTreeNode,
  depth: number,
  formerly?: Map<number, OrganisationAsAt[]>,
): void {
  const earlier = formerly?.get(node.organisation.id);
  const suffix = earlier ? `  ← formerly ${earlier.map((o) => o.odsCode).join(', ')}` : '';
  printLine(`${'  '.repeat(depth)}${describe(node.organisation)}${suffix}`);
  for (const child of node.children) printTree(child, depth + 1, formerly);
}

function treeToJson(node: OrganisationTreeNode, formerly?: Map<number, OrganisationAsAt[]>): unknown {
  const { id: _id, parentId: _parentId, ...organisation } = node.organisation;
  const earlier = formerly?.get(node.organisation.id);
  return {
    ...organisation,
    children: node.children.map((child) => treeToJson(child, formerly)),
    ...(earlier ? { formerly: earlier.map(({ id: _i, parentId: _p, ...rest }) => rest) } : {}),
  };
}

function stripIds({ id: _id, parentId: _parentId, ...rest }: OrganisationAsAt) {
  return rest;
}

/** Runs a read-only or writing action against the database, reporting errors the one standard way. */
function action<T extends { json?: boolean }>(
  purpose: string,
  run: (db: Db, options: T, ...args: string[]) => Promise<void>,
) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = command.opts<T>();
    // Commander passes each argument (a variadic one as an array), then the options, then the command.
    const positional = args
      .slice(0, -2)
      .flatMap((arg) => (Array.isArray(arg) ? arg.map(String) : arg === undefined ? [] : [String(arg)]));
    try {
      await withDatabase(purpose, ({ handle }) => run(handle.db, options, ...positional));
    } catch (error) {
      reportError(error, options);
    }
  };
}

export function registerOrgsCommands(program: Command): void {
  const orgs = program.command('orgs').description('Organisations and the effective-dated hierarchy');

  orgs
    .command('tree')
    .description(
      "The hierarchy as at a date (default today), or today's structure with that date's organisations mapped onto it",
    )
    .option('--as-at <date>', 'the date to show', parseDateOption)
    .option('--root <code>', 'start from this organisation (default England, X24)', parseOdsCode)
    .option('--depth <n>', 'levels to show', parsePositiveInteger)
    .option(
      '--as-now',
      "show today's structure, with the as-at date's organisations under their current successors",
    )
    .option('--json', 'print one JSON document')
    .action(
      action<{ asAt?: string; root?: string; depth?: number; asNow?: boolean; json?: boolean }>(
        'oversight orgs tree',
        async (db, options) => {
          const asAt = options.asAt ?? todayIsoDate();
          const base = {
            ...(options.root ? { rootCode: options.root } : {}),
            ...(options.depth ? { depth: options.depth } : {}),
          };
          if (options.asNow) {
            const result = await getTreeAsNow(db, { ...base, asAt, today: todayIsoDate() });
            if (options.json) {
              return printJson({
                asAt,
                structure: 'as-now',
                counts: result.tree.counts,
                root: treeToJson(result.tree.root, result.formerly),
                unmapped: result.unmapped.map(stripIds),
              });
            }
            printLine(
              `Today's structure, with organisations of ${formatLongDate(asAt)} under their successors:`,
            );
            printTree(result.tree.root, 0, result.formerly);
            if (result.unmapped.length > 0)
              printLine(`\nNo current successor: ${result.unmapped.map((o) => o.odsCode).join(', ')}`);
            return;
          }
          const tree = await getTreeAt(db, { ...base, asAt });
          if (options.json)
            return printJson({ asAt, structure: 'as-at', counts: tree.counts, root: treeToJson(tree.root) });
          printLine(`The hierarchy as at ${formatLongDate(asAt)}:`);
          printTree(tree.root, 0);
        },
      ),
    );

  orgs
    .command('show')
    .description('An organisation: its details and place as at a date, and its whole history')
    .argument('<code>', 'ODS code', parseOdsCode)
    .option('--as-at <date>', 'the date to show (default today)', parseDateOption)
    .option('--json', 'print one JSON document')
    .action(
      action<{ asAt?: string; json?: boolean }>('oversight orgs show', async (db, options, code) => {
        const profile = await getOrganisationProfile(db, code ?? '', options.asAt ?? todayIsoDate());
        if (options.json) {
          return printJson({
            ...profile,
            path: profile.path.map(stripIds),
            children: profile.children.map(stripIds),
          });
        }
        const { organisation, details } = profile;
        printLine(`${organisation.odsCode}  ${details.name}`);
        printLine(
          `Kind:        ${organisationKindLabels[details.kind]}${details.sector ? ` (${details.sector})` : ''}`,
        );
        printLine(
          `Open:        ${formatLongDate(organisation.validFrom)}${organisation.validTo ? ` to ${formatLongDate(addDays(organisation.validTo, -1))}` : ''}`,
        );
        printLine(
          `Source:      ${organisation.provenance}${organisation.provenance === 'demo' ? ' (generated demonstration data)' : ''}`,
        );
        printLine(
          `Path on ${formatLongDate(profile.existedOnDate ? profile.asAt : details.validFrom)}: ${profile.path.map((o) => o.odsCode).join(' > ')}`,
        );
        if (!profile.existedOnDate)
          printLine(`(It did not exist on ${formatLongDate(profile.asAt)}; shown as it last was.)`);
        for (const role of profile.roles.filter((r) => r.validTo === null))
          printLine(`${role.role}: ${role.holderName} since ${formatLongDate(role.validFrom)}`);
        if (profile.children.length > 0)
          printLine(`Under it on that date: ${profile.children.length} organisation(s)`);
        printLine('\nHistory of its details:');
        printTable(
          profile.versions.map((v) => ({ from: v.validFrom, to: v.validTo, name: v.name, kind: v.kind })),
          ['from', 'to', 'name', 'kind'],
        );
        printLine('\nParents:');
        printTable(
          profile.parents.map((p) => ({
            from: p.validFrom,
            to: p.validTo,
            parent: p.parentCode,
            name: p.parentName,
          })),
          ['from', 'to', 'parent', 'name'],
        );
        if (profile.predecessors.length + profile.successors.length > 0) {
          printLine('\nSuccessions:');
          printTable(
            [...profile.predecessors, ...profile.successors].map((s) => ({
              date: s.effectiveDate,
              predecessor: s.predecessorCode,
              successor: s.successorCode,
              type: s.type,
            })),
            ['date', 'predecessor', 'successor', 'type'],
          );
        }
      }),
    );

  orgs
    .command('search')
    .description('Find organisations by ODS code or by any current or former name')
    .argument('<text>', 'code or part of a name')
    .option('--kind <kind>', 'only this kind (repeatable)', collect(parseKind))
    .option('--as-at <date>', 'organisations open on this date (default today)', parseDateOption)
    .option('--limit <n>', 'at most this many', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action(
      action<{ kind?: OrganisationKind[]; asAt?: string; limit?: number; json?: boolean }>(
        'oversight orgs search',
        async (db, options, text) => {
          const asAt = options.asAt ?? todayIsoDate();
          const result = await searchOrganisationsAt(db, {
            text: text ?? '',
            asAt,
            limit: options.limit ?? 50,
            offset: 0,
            ...(options.kind ? { kinds: options.kind } : {}),
          });
          if (options.json)
            return printJson({
              asAt,
              total: result.total,
              organisations: result.organisations.map(stripIds),
            });
          printTable(
            result.organisations.map((o) => ({
              code: o.odsCode,
              name: o.name,
              kind: o.kind,
              parent: o.parentCode,
            })),
            ['code', 'name', 'kind', 'parent'],
          );
          printLine(`\n${result.total} organisation(s) open on ${formatLongDate(asAt)} match "${text}".`);
        },
      ),
    );

  orgs
    .command('path')
    .description(
      'England down to an organisation as at a date; with --as-now, where it (or its successors) sit today',
    )
    .argument('<code>', 'ODS code', parseOdsCode)
    .option('--as-at <date>', 'the date (default today)', parseDateOption)
    .option('--as-now', "follow successors to today's organisations")
    .option('--json', 'print one JSON document')
    .action(
      action<{ asAt?: string; asNow?: boolean; json?: boolean }>(
        'oversight orgs path',
        async (db, options, code) => {
          if (options.asNow) {
            const history = await getSuccessions(db, code ?? '', todayIsoDate());
            const current = history.asNow.current.map((c) => c.path.map(stripIds));
            if (options.json)
              return printJson({
                odsCode: code,
                status: history.asNow.resolution.status,
                current,
                steps: history.asNow.resolution.steps,
              });
            printLine(`${code} as now: ${history.asNow.resolution.status}`);
            for (const path of current) printLine(`  ${path.map((o) => o.odsCode).join(' > ')}`);
            if (history.asNow.resolution.deadEndCodes.length > 0)
              printLine(`  no current successor for: ${history.asNow.resolution.deadEndCodes.join(', ')}`);
            return;
          }
          const asAt = options.asAt ?? todayIsoDate();
          const path = await getPathAt(db, code ?? '', asAt);
          if (options.json) return printJson({ asAt, path: path.map(stripIds) });
          path.forEach((o, depth) => printLine(`${'  '.repeat(depth)}${describe(o)}`));
        },
      ),
    );

  orgs
    .command('events')
    .description('Hierarchy events, for one organisation or all')
    .argument('[code]', 'ODS code', parseOdsCode)
    .option('--from <date>', 'on or after', parseDateOption)
    .option('--to <date>', 'on or before', parseDateOption)
    .option('--limit <n>', 'at most this many (default 200)', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action(
      action<{ from?: string; to?: string; limit?: number; json?: boolean }>(
        'oversight orgs events',
        async (db, options, code) => {
          const result = await listEvents(db, {
            limit: options.limit ?? 200,
            offset: 0,
            ...(code ? { odsCode: code } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
          });
          if (options.json) return printJson(result);
          printTable(
            result.events.map((e) => ({
              date: e.effectiveDate,
              event: hierarchyEventLabels[e.type],
              organisations: e.participants
                .map((p) => `${p.odsCode}${p.role === 'subject' ? '' : ` (${p.role})`}`)
                .join(', '),
              reason: e.reason,
            })),
            ['date', 'event', 'organisations', 'reason'],
          );
          printLine(`\n${result.events.length} of ${result.total} event(s).`);
        },
      ),
    );

  orgs
    .command('successors')
    .description('Predecessors and successors of an ODS code (chains followed), and what it maps to today')
    .argument('<code>', 'ODS code', parseOdsCode)
    .option('--json', 'print one JSON document')
    .action(
      action<{ json?: boolean }>('oversight orgs successors', async (db, options, code) => {
        const history = await getSuccessions(db, code ?? '', todayIsoDate());
        if (options.json) {
          return printJson({
            ...history,
            asNow: {
              ...history.asNow,
              current: history.asNow.current.map((c) => ({
                organisation: stripIds(c.organisation),
                path: c.path.map(stripIds),
              })),
            },
          });
        }
        printTable(
          [...history.predecessors, ...history.successors].map((s) => ({
            date: s.effectiveDate,
            predecessor: s.predecessorCode,
            successor: s.successorCode,
            type: s.type,
            split: s.isSplit ? 'yes' : 'no',
          })),
          ['date', 'predecessor', 'successor', 'type', 'split'],
        );
        printLine(
          `\nToday ${code} maps to: ${history.asNow.resolution.currentCodes.join(', ') || 'no open organisation'} (${history.asNow.resolution.status}).`,
        );
      }),
    );

  registerChangeCommands(orgs);
}

interface ChangeOptions {
  date: string;
  reason: string;
  json?: boolean;
}

function requireSector(value: string | undefined): TrustSector | null {
  if (value === undefined) return null;
  const sector = trustSectors.find((s) => s === value);
  if (!sector) throw invalidInput(`"${value}" is not a sector. Use one of: ${trustSectors.join(', ')}.`);
  return sector;
}

/** Commands that record hierarchy events; each needs an effective date and a reason. */
function registerChangeCommands(orgs: Command): void {
  const withChangeOptions = (command: Command) =>
    command
      .requiredOption('--date <date>', 'effective date (YYYY-MM-DD)', parseDateOption)
      .requiredOption('--reason <text>', 'why the change was made (recorded with the event)')
      .option('--json', 'print one JSON document');
  const done = (options: { json?: boolean }, result: Record<string, unknown>, message: string) =>
    options.json ? printJson(result) : printLine(message);

  withChangeOptions(
    orgs
      .command('open')
      .description('Open a new organisation under its parent')
      .argument('<code>', 'new ODS code', parseOdsCode)
      .requiredOption('--name <name>', 'name')
      .requiredOption('--kind <kind>', 'kind of organisation', parseKind)
      .option('--parent <code>', 'parent organisation', parseOdsCode)
      .option('--sector <sector>', `NHS trusts only: ${trustSectors.join(', ')}`)
      .option('--postcode <postcode>', 'postcode'),
  ).action(
    action<
      ChangeOptions & {
        name: string;
        kind: OrganisationKind;
        parent?: string;
        sector?: string;
        postcode?: string;
      }
    >('oversight orgs open', async (db, options, code) => {
      const result = await db.transaction().execute((trx) =>
        openOrganisation(trx, cliContext(), {
          odsCode: code ?? '',
          name: options.name,
          kind: options.kind,
          sector: requireSector(options.sector),
          postcode: options.postcode ?? null,
          parentCode: options.parent ?? null,
          date: options.date,
          reason: options.reason,
        }),
      );
      done(options, result, `Opened ${code} on ${formatLongDate(options.date)}.`);
    }),
  );

  withChangeOptions(
    orgs
      .command('close')
      .description('Close an organisation (it existed until the day before the date)')
      .argument('<code>', 'ODS code', parseOdsCode),
  ).action(
    action<ChangeOptions>('oversight orgs close', async (db, options, code) => {
      const eventId = await db.transaction().execute((trx) =>
        closeOrganisation(trx, cliContext(), {
          odsCode: code ?? '',
          date: options.date,
          reason: options.reason,
        }),
      );
      done(options, { eventId }, `Closed ${code} from ${formatLongDate(options.date)}.`);
    }),
  );

  withChangeOptions(
    orgs
      .command('move')
      .description('Move an organisation under a new parent from the date')
      .argument('<code>', 'ODS code', parseOdsCode)
      .requiredOption('--parent <code>', 'new parent', parseOdsCode),
  ).action(
    action<ChangeOptions & { parent: string }>('oversight orgs move', async (db, options, code) => {
      const outcome = await db.transaction().execute((trx) =>
        reparentOrganisation(trx, cliContext(), {
          odsCode: code ?? '',
          parentCode: options.parent,
          date: options.date,
          reason: options.reason,
        }),
      );
      done(
        options,
        { ...outcome },
        outcome.changed
          ? `Moved ${code} under ${options.parent} from ${formatLongDate(options.date)}.`
          : `${code} is already under ${options.parent}; nothing recorded.`,
      );
    }),
  );

  withChangeOptions(
    orgs
      .command('rename')
      .description("Change an organisation's name (and optionally kind, sector or postcode) from the date")
      .argument('<code>', 'ODS code', parseOdsCode)
      .option('--name <name>', 'new name')
      .option('--kind <kind>', 'new kind', parseKind)
      .option('--sector <sector>', 'new sector (NHS trusts)')
      .option('--postcode <postcode>', 'new postcode'),
  ).action(
    action<ChangeOptions & { name?: string; kind?: OrganisationKind; sector?: string; postcode?: string }>(
      'oversight orgs rename',
      async (db, options, code) => {
        const outcome = await db.transaction().execute((trx) =>
          reviseOrganisation(trx, cliContext(), {
            odsCode: code ?? '',
            date: options.date,
            reason: options.reason,
            changes: {
              ...(options.name ? { name: options.name } : {}),
              ...(options.kind ? { kind: options.kind } : {}),
              ...(options.sector ? { sector: requireSector(options.sector) } : {}),
              ...(options.postcode ? { postcode: options.postcode } : {}),
            },
          }),
        );
        done(
          options,
          { ...outcome },
          outcome.changed
            ? `Recorded the new details of ${code} from ${formatLongDate(options.date)}.`
            : `${code} already has those details; nothing recorded.`,
        );
      },
    ),
  );

  withChangeOptions(
    orgs
      .command('merge')
      .description('Merge two or more organisations into a new one (A + B → C)')
      .argument('<predecessors...>', 'ODS codes of the merging organisations')
      .requiredOption('--into <code>', 'ODS code of the new organisation', parseOdsCode)
      .requiredOption('--name <name>', 'name of the new organisation')
      .option(
        '--kind <kind>',
        'kind of the new organisation (default: that of the first predecessor)',
        parseKind,
      )
      .option('--sector <sector>', 'sector of the new organisation (NHS trusts)')
      .requiredOption('--parent <code>', 'parent of the new organisation', parseOdsCode),
  ).action(
    action<
      ChangeOptions & { into: string; name: string; kind?: OrganisationKind; sector?: string; parent: string }
    >('oversight orgs merge', async (db, options, ...predecessors) => {
      const codes = predecessors.map(parseOdsCode);
      const result = await db.transaction().execute(async (trx) => {
        const kind =
          options.kind ??
          (await getOrganisationProfile(trx, codes[0] ?? '', addDays(options.date, -1))).details.kind;
        return mergeOrganisations(trx, cliContext(), {
          predecessorCodes: codes,
          successor: {
            odsCode: options.into,
            name: options.name,
            kind,
            sector: requireSector(options.sector),
            parentCode: options.parent,
          },
          date: options.date,
          reason: options.reason,
        });
      });
      done(
        options,
        result,
        `Merged ${codes.join(' + ')} into ${options.into} on ${formatLongDate(options.date)}.`,
      );
    }),
  );

  withChangeOptions(
    orgs
      .command('absorb')
      .description('An existing organisation absorbs one or more others (A absorbs B)')
      .argument('<acquirer>', 'ODS code of the organisation that takes over', parseOdsCode)
      .argument('<absorbed...>', 'ODS codes of the organisations it absorbs'),
  ).action(
    action<ChangeOptions>('oversight orgs absorb', async (db, options, acquirer, ...absorbed) => {
      const codes = absorbed.map(parseOdsCode);
      const eventId = await db.transaction().execute((trx) =>
        absorbOrganisations(trx, cliContext(), {
          predecessorCodes: codes,
          acquirerCode: acquirer ?? '',
          date: options.date,
          reason: options.reason,
        }),
      );
      done(
        options,
        { eventId },
        `${acquirer} absorbed ${codes.join(', ')} on ${formatLongDate(options.date)}.`,
      );
    }),
  );

  withChangeOptions(
    orgs
      .command('split')
      .description(
        'Split an organisation between two or more existing successors (open new ones first with "orgs open")',
      )
      .argument('<code>', 'ODS code of the organisation that splits', parseOdsCode)
      .argument('<successors...>', 'ODS codes of its successors'),
  ).action(
    action<ChangeOptions>('oversight orgs split', async (db, options, code, ...successors) => {
      const codes = successors.map(parseOdsCode);
      const eventId = await db.transaction().execute((trx) =>
        splitOrganisation(trx, cliContext(), {
          odsCode: code ?? '',
          successors: codes.map((existingCode) => ({ existingCode })),
          date: options.date,
          reason: options.reason,
        }),
      );
      done(
        options,
        { eventId },
        `Split ${code} between ${codes.join(', ')} on ${formatLongDate(options.date)}.`,
      );
    }),
  );

  withChangeOptions(
    orgs
      .command('assign-role')
      .description(
        "Name the person in a role on an organisation from the date (e.g. a region's regional director)",
      )
      .argument('<code>', 'ODS code', parseOdsCode)
      .argument('<role>', `role: ${organisationRoles.join(', ')}`)
      .argument('<name>', "the person's name"),
  ).action(
    action<ChangeOptions>('oversight orgs assign-role', async (db, options, code, role, name) => {
      const known = organisationRoles.find((r) => r === role);
      if (!known) throw invalidInput(`"${role}" is not a role. Use one of: ${organisationRoles.join(', ')}.`);
      const outcome = await db.transaction().execute((trx) =>
        assignRole(trx, cliContext(), {
          odsCode: code ?? '',
          role: known as OrganisationRole,
          holderName: name ?? '',
          date: options.date,
          reason: options.reason,
        }),
      );
      done(
        options,
        { ...outcome },
        outcome.changed
          ? `${name} is ${known} of ${code} from ${formatLongDate(options.date)}.`
          : `${name} already holds that role; nothing recorded.`,
      );
    }),
  );
}
