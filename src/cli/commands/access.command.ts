import type { Command } from 'commander';
import { roles, statutoryFunctions } from '../../domain/access.js';
import { AppError, invalidInput } from '../../domain/errors.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import { listAuditEventsAsOperator, verifyAuditChain } from '../../services/audit.service.js';
import {
  createMachineToken,
  createUser,
  findAccountByEmail,
  grantFunction,
  grantRole,
  listAccounts,
  listMachineTokens,
  revokeFunction,
  revokeMachineToken,
  revokeRole,
  setAccountDisabled,
  type AccountView,
} from '../../services/identity.service.js';
import { operatorActor } from '../actor.js';
import { parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, printTable, reportError } from '../output.js';
import { startProgress } from '../progress.js';

/** The exit code of `oversight audit verify` when the chain is broken. */
export const brokenChainExitCode = 10;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw invalidInput('Pipe the password in: echo "$PASSWORD" | oversight users create … --password-stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function printAccount(account: AccountView): void {
  printLine(
    `${account.name} <${account.email}>${account.isAdmin ? ' (administrator)' : ''}${account.disabled ? ' [disabled]' : ''}`,
  );
  printLine(
    `  signs in with: ${account.signsInWith.join(', ') || 'nothing yet (set a password or link an identity)'}`,
  );
  for (const role of account.roles)
    printLine(
      `  role ${role.id}: ${role.roleLabel}, ${role.scope ? `${role.scope.odsCode} ${role.scope.name}` : 'England'}`,
    );
  for (const fn of account.functions) printLine(`  function ${fn.id}: ${fn.label}`);
}

export function registerAccessCommands(program: Command): void {
  const users = program
    .command('users')
    .description('Accounts, roles on the hierarchy and statutory-function grants');

  users
    .command('list')
    .description('Every account with its roles and functions')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight users list', async ({ handle }) => {
          const accounts = await listAccounts(handle.db, todayIsoDate());
          if (options.json) return printJson(accounts);
          printTable(
            accounts.map((a) => ({
              id: a.id,
              email: a.email,
              name: a.name,
              admin: a.isAdmin ? 'yes' : '',
              roles: a.roles.map((r) => `${r.role}@${r.scope?.odsCode ?? 'England'}`).join(' '),
              functions: a.functions.map((f) => f.function).join(' '),
              status: a.disabled ? 'disabled' : 'active',
            })),
            ['id', 'email', 'name', 'admin', 'roles', 'functions', 'status'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  users
    .command('create')
    .description(
      'Create an account (a local password, or none for people who sign in with the identity provider)',
    )
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .requiredOption('--name <name>', 'full name')
    .option('--admin', 'may manage accounts, grants and tokens')
    .option('--password-stdin', 'read a password from standard input (12 characters or more)')
    .option('--json', 'print one JSON document')
    .action(
      async (options: {
        email: string;
        name: string;
        admin?: boolean;
        passwordStdin?: boolean;
        json?: boolean;
      }) => {
        try {
          const password = options.passwordStdin ? await readStdin() : undefined;
          await withDatabase('oversight users create', async ({ handle }) => {
            const account = await createUser(handle.db, operatorActor(), {
              email: options.email,
              name: options.name,
              password,
              isAdmin: options.admin === true,
            });
            if (options.json) return printJson(account);
            printAccount(account);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  users
    .command('grant <email>')
    .description(`Grant a role on a scope. Roles: ${roles.join(', ')}`)
    .requiredOption('--role <role>', 'the role')
    .option('--scope <code>', 'ODS code of the region, ICB or organisation (none for national roles)')
    .option('--json', 'print one JSON document')
    .action(async (email: string, options: { role: string; scope?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight users grant', async ({ handle }) => {
          const account = await findAccountByEmail(handle.db, email);
          const updated = await grantRole(
            handle.db,
            operatorActor(),
            { userId: account.id, role: options.role, scopeCode: options.scope },
            todayIsoDate(),
          );
          if (options.json) return printJson(updated);
          printAccount(updated);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  users
    .command('grant-function <email>')
    .description(`Grant a statutory function. Functions: ${statutoryFunctions.join(', ')}`)
    .requiredOption('--function <function>', 'the statutory function')
    .option('--json', 'print one JSON document')
    .action(async (email: string, options: { function: string; json?: boolean }) => {
      try {
        await withDatabase('oversight users grant-function', async ({ handle }) => {
          const account = await findAccountByEmail(handle.db, email);
          const updated = await grantFunction(
            handle.db,
            operatorActor(),
            { userId: account.id, statutoryFunction: options.function },
            todayIsoDate(),
          );
          if (options.json) return printJson(updated);
          printAccount(updated);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  users
    .command('revoke <email>')
    .description('Revoke a role or function grant (ids are shown by "users list --json" and "users grant")')
    .option('--role <id>', 'role grant id', parsePositiveInteger)
    .option('--function <id>', 'function grant id', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action(async (email: string, options: { role?: number; function?: number; json?: boolean }) => {
      try {
        if ((options.role === undefined) === (options.function === undefined))
          throw invalidInput('Give either --role <id> or --function <id>.');
        await withDatabase('oversight users revoke', async ({ handle }) => {
          const account = await findAccountByEmail(handle.db, email);
          const updated =
            options.role !== undefined
              ? await revokeRole(handle.db, operatorActor(), account.id, options.role, todayIsoDate())
              : await revokeFunction(
                  handle.db,
                  operatorActor(),
                  account.id,
                  options.function ?? 0,
                  todayIsoDate(),
                );
          if (options.json) return printJson(updated);
          printAccount(updated);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(`${name} <email>`)
      .description(disabled ? 'Disable an account and end its sessions' : 'Enable a disabled account')
      .action(async (email: string) => {
        try {
          await withDatabase(`oversight users ${name}`, async ({ handle }) => {
            const account = await findAccountByEmail(handle.db, email);
            await setAccountDisabled(handle.db, operatorActor(), account.id, disabled);
            printLine(`${account.email} is ${disabled ? 'disabled' : 'enabled'}.`);
          });
        } catch (error) {
          reportError(error, {});
        }
      });
  }

  const tokens = program.command('tokens').description('Machine tokens for system-to-system submission');
  tokens
    .command('create')
    .description('Create a token for one organisation and named templates; the secret is printed once')
    .requiredOption('--name <name>', 'what the token is for, e.g. "PAS nightly feed"')
    .requiredOption('--org <code>', 'ODS code of the organisation it submits for')
    .requiredOption('--templates <codes>', 'template codes it may submit, comma-separated')
    .option('--json', 'print one JSON document')
    .action(async (options: { name: string; org: string; templates: string; json?: boolean }) => {
      try {
        await withDatabase('oversight tokens create', async ({ handle }) => {
          const created = await createMachineToken(handle.db, operatorActor(), {
            name: options.name,
            odsCode: options.org,
            templates: options.templates,
          });
          if (options.json) return printJson(created);
          printLine(created.token);
          process.stderr.write(
            `Token ${created.details.id} for ${created.details.odsCode} (${created.details.templates.join(', ')}). ` +
              'Store it now: it is not shown again. Send it as "Authorization: Bearer <token>".\n',
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  tokens
    .command('list')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight tokens list', async ({ handle }) => {
          const list = await listMachineTokens(handle.db);
          if (options.json) return printJson(list);
          printTable(
            list.map((t) => ({
              id: t.id,
              name: t.name,
              org: t.odsCode,
              templates: t.templates.join(' '),
              status: t.status,
              'last used': t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never',
            })),
            ['id', 'name', 'org', 'templates', 'status', 'last used'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  tokens.command('revoke <id>').action(async (id: string) => {
    try {
      const tokenId = parsePositiveInteger(id);
      await withDatabase('oversight tokens revoke', async ({ handle }) => {
        const token = await revokeMachineToken(handle.db, operatorActor(), tokenId);
        printLine(`Token ${token.id} (${token.name}) is revoked.`);
      });
    } catch (error) {
      reportError(error, {});
    }
  });

  const audit = program.command('audit').description('The append-only, hash-chained audit trail');
  audit
    .command('verify')
    .description(
      `Recompute every hash and check every link; exits ${brokenChainExitCode} if the chain is broken`,
    )
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight audit verify', async ({ handle }) => {
          const progress = startProgress('Checking the audit chain', { quiet: options.json === true });
          const result = await verifyAuditChain(handle.db, (done, total) => progress.update(done, total));
          progress.stop();
          if (!result.ok) process.exitCode = brokenChainExitCode;
          if (options.json) return printJson(result);
          if (result.ok)
            printLine(
              `The audit chain is intact: ${result.events} events checked in ${result.durationMs} ms.`,
            );
          else
            printLine(
              `The audit chain is BROKEN at event ${result.problem?.id ?? '?'}: ${result.problem?.message ?? ''}\n` +
                `${result.events} events before it are intact. Treat the audit trail as tampered with and investigate.`,
            );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
  audit
    .command('list')
    .description('Audit events, newest first, by user or by record')
    .option('--user <email>', 'events by this person')
    .option('--record <type:id>', 'events about one record, e.g. submission:12')
    .option('--limit <n>', 'how many (default 50)', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action(async (options: { user?: string; record?: string; limit?: number; json?: boolean }) => {
      try {
        const [recordType, recordId] = options.record ? options.record.split(':', 2) : [];
        if (options.record && (!recordType || !recordId))
          throw new AppError(
            'invalid-input',
            `"${options.record}" is not a record: write type:id, like submission:12.`,
          );
        await withDatabase('oversight audit list', async ({ handle }) => {
          const userId = options.user ? (await findAccountByEmail(handle.db, options.user)).id : undefined;
          const events = await listAuditEventsAsOperator(handle.db, {
            userId,
            recordType,
            recordId,
            limit: options.limit ?? 50,
          });
          if (options.json) return printJson(events);
          printTable(
            events.map((e) => ({
              id: e.id,
              when: e.occurredAt.slice(0, 19).replace('T', ' '),
              who: e.actor.label,
              action: e.action,
              record: e.recordId ? `${e.recordType}:${e.recordId}` : e.recordType,
            })),
            ['id', 'when', 'who', 'action', 'record'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
