import { createHash, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Db, Executor } from '../db/database.js';
import { appendAuditEvents } from '../db/audit.repository.js';
import {
  countUsers,
  findLiveSession,
  findMachineToken,
  findUserByEmail,
  findUserById,
  findUserByOidcSubject,
  insertFunctionGrant,
  insertMachineToken,
  insertRoleGrant,
  insertSession,
  insertUser,
  linkOidcSubject,
  lockAccounts,
  listLiveFunctionGrants,
  listLiveRoleGrants,
  listMachineTokens as listMachineTokenRecords,
  listUsers as listUserRecords,
  revokeFunctionGrant as revokeFunctionGrantRow,
  revokeMachineToken as revokeMachineTokenRow,
  revokeRoleGrant as revokeRoleGrantRow,
  revokeSession,
  revokeSessionsOfUser,
  setUserDisabled,
  useMachineToken,
  type MachineTokenRecord,
  type UserRecord,
} from '../db/identity.repository.js';
import {
  findOrganisationByCode,
  findOrganisationById,
  findVersionAt,
} from '../db/organisation.repository.js';
import {
  roleLabels,
  roleScopeTier,
  roles,
  scopeKindsForTier,
  statutoryFunctionLabels,
  statutoryFunctions,
  type Principal,
  type Role,
  type StatutoryFunction,
} from '../domain/access.js';
import { storableText, type Actor } from '../domain/audit.js';
import { AppError, conflict, invalidInput, notFound } from '../domain/errors.js';
import { todayIsoDate } from '../domain/iso-date.js';
import { organisationKindLabels } from '../domain/organisation.js';
import { SignInRefused } from '../domain/sign-in.js';

/**
 * Accounts, sign-in and sessions, role and function grants, and machine tokens. Every change is
 * audited in the transaction that makes it.
 */

/** Sessions last a working day; signing in again starts a new one. */
export const sessionHours = 12;
const minimumPasswordLength = 12;
const tokenPrefix = 'ovs_';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

export function actorOf(principal: Principal, requestId: string | null = null): Actor {
  if (principal.kind === 'user')
    return { kind: 'user', id: String(principal.userId), label: principal.label, requestId };
  if (principal.kind === 'token')
    return { kind: 'token', id: String(principal.tokenId), label: principal.label, requestId };
  return { kind: 'public', id: null, label: 'Public (not signed in)', requestId };
}

export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'public') throw new AppError('unauthenticated', 'Sign in to manage access.');
  if (principal.kind !== 'user' || !principal.isAdmin)
    throw new AppError('forbidden', 'Only administrators can manage users, grants and tokens.');
}

function normaliseEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed))
    throw invalidInput(`"${email}" is not an email address.`, [
      { field: 'email', message: 'Enter an email address in the correct format, like name@nhs.net' },
    ]);
  return trimmed;
}

function checkPassword(password: string, email: string): void {
  const problems: string[] = [];
  if (password.length < minimumPasswordLength)
    problems.push(`Password must be ${minimumPasswordLength} characters or more`);
  else if (new Set(password).size < 4) problems.push('Password must not repeat the same few characters');
  else if (password.toLowerCase().includes(email.split('@')[0] ?? email))
    problems.push('Password must not contain your email name');
  if (problems.length > 0)
    throw invalidInput(
      'Choose a stronger password.',
      problems.map((message) => ({ field: 'password', message })),
    );
}

function requireName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200)
    throw invalidInput('Enter a name of up to 200 characters.', [{ field: 'name', message: 'Enter a name' }]);
  return trimmed;
}

export interface AccountView {
  id: number;
  email: string;
  name: string;
  isAdmin: boolean;
  signsInWith: Array<'password' | 'oidc'>;
  disabled: boolean;
  roles: Array<{
    id: number;
    role: Role;
    roleLabel: string;
    scope: { odsCode: string; name: string } | null;
  }>;
  functions: Array<{ id: number; function: StatutoryFunction; label: string }>;
}

async function presentAccount(ex: Executor, user: UserRecord, today: string): Promise<AccountView> {
  const grants = await listLiveRoleGrants(ex, user.id);
  const functions = await listLiveFunctionGrants(ex, user.id);
  const roleViews: AccountView['roles'] = [];
  for (const grant of grants) {
    if (!(roles as readonly string[]).includes(grant.role)) continue;
    let scope: { odsCode: string; name: string } | null = null;
    if (grant.scopeOrganisationId !== null) {
      const org = await findOrganisationById(ex, grant.scopeOrganisationId);
      const version = org
        ? await findVersionAt(ex, org.id, org.validTo && org.validTo <= today ? org.validFrom : today)
        : null;
      scope = { odsCode: org?.odsCode ?? '?', name: version?.name ?? org?.odsCode ?? '?' };
    }
    roleViews.push({
      id: grant.id,
      role: grant.role as Role,
      roleLabel: roleLabels[grant.role as Role],
      scope,
    });
  }
  return {
    id: user.id,
    email: user.email,
    name: user.displayName,
    isAdmin: user.isAdmin,
    signsInWith: [
      ...(user.passwordHash ? ['password' as const] : []),
      ...(user.oidcSubject ? ['oidc' as const] : []),
    ],
    disabled: user.disabledAt !== null,
    roles: roleViews,
    functions: functions
      .filter((f) => (statutoryFunctions as readonly string[]).includes(f.statutoryFunction))
      .map((f) => ({
        id: f.id,
        function: f.statutoryFunction as StatutoryFunction,
        label: statutoryFunctionLabels[f.statutoryFunction as StatutoryFunction],
      })),
  };
}

/** The caller as the policy sees them: roles and functions as granted now. */
export async function loadPrincipal(ex: Executor, user: UserRecord): Promise<Principal> {
  const grants = await listLiveRoleGrants(ex, user.id);
  const functions = await listLiveFunctionGrants(ex, user.id);
  return {
    kind: 'user',
    userId: user.id,
    label: `${user.displayName} <${user.email}>`,
    isAdmin: user.isAdmin,
    grants: grants
      .filter((g) => (roles as readonly string[]).includes(g.role))
      .map((g) => ({ role: g.role as Role, scopeOrganisationId: g.scopeOrganisationId })),
    functions: functions
      .map((f) => f.statutoryFunction)
      .filter((f): f is StatutoryFunction => (statutoryFunctions as readonly string[]).includes(f)),
  };
}

/**
 * The person a command-line operator acts as, for changes that the access policy decides (a return is
 * submitted by a trust's submitter and approved by its ICB, whoever types the command): their roles
 * and functions as granted now, and the audit names them and the command line.
 */
export async function principalForEmail(db: Db, email: string): Promise<Principal> {
  const user = await findUserByEmail(db, normaliseEmail(email));
  if (!user) throw notFound(`There is no account for ${email}. See "oversight users list".`);
  if (user.disabledAt !== null) throw new AppError('forbidden', `The account ${email} is disabled.`);
  const principal = await loadPrincipal(db, user);
  return principal.kind === 'user' ? { ...principal, label: `${principal.label} (command line)` } : principal;
}

export async function isSetUpRequired(db: Db): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

export interface NewAccount {
  email: string;
  name: string;
  password?: string | undefined;
  isAdmin?: boolean | undefined;
}

async function createAccount(ex: Executor, actor: Actor, input: NewAccount): Promise<UserRecord> {
  const email = normaliseEmail(input.email);
  const name = requireName(input.name);
  if (input.password !== undefined) checkPassword(input.password, email);
  if (await findUserByEmail(ex, email)) throw conflict(`There is already an account for ${email}.`);
  const user = await insertUser(ex, {
    email,
    displayName: name,
    passwordHash: input.password === undefined ? null : await argonHash(input.password),
    isAdmin: input.isAdmin ?? false,
  });
  await appendAuditEvents(ex, actor, [
    {
      action: 'user.create',
      recordType: 'user',
      recordId: String(user.id),
      before: null,
      after: { email, name, isAdmin: user.isAdmin, password: input.password !== undefined },
    },
  ]);
  return user;
}

/**
 * First run: the first account is an administrator and national director for England. Refused once
 * any account exists, so the set-up page cannot be used to take over a running service.
 */
export async function setUpFirstAdministrator(
  db: Db,
  actor: Actor,
  input: NewAccount & { password: string },
): Promise<AccountView> {
  return db.transaction().execute(async (trx) => {
    await lockAccounts(trx);
    if ((await countUsers(trx)) > 0)
      throw conflict('This service is already set up: sign in, or ask an administrator for an account.');
    const user = await createAccount(trx, actor, { ...input, isAdmin: true });
    await insertRoleGrant(trx, {
      userId: user.id,
      role: 'national-director',
      scopeOrganisationId: null,
      grantedBy: 'first-run set-up',
    });
    await appendAuditEvents(trx, actor, [
      {
        action: 'role.grant',
        recordType: 'user',
        recordId: String(user.id),
        before: null,
        after: { role: 'national-director', scope: 'England' },
      },
    ]);
    return presentAccount(trx, user, todayIsoDate());
  });
}

export async function createUser(db: Db, actor: Actor, input: NewAccount): Promise<AccountView> {
  return db.transaction().execute(async (trx) => {
    const user = await createAccount(trx, actor, input);
    return presentAccount(trx, user, todayIsoDate());
  });
}

export async function listAccounts(db: Db, today: string): Promise<AccountView[]> {
  const users = await listUserRecords(db);
  const views: AccountView[] = [];
  for (const user of users) views.push(await presentAccount(db, user, today));
  return views;
}

async function requireUser(ex: Executor, userId: number): Promise<UserRecord> {
  const user = await findUserById(ex, userId);
  if (!user) throw notFound(`There is no user ${userId}.`);
  return user;
}

export async function getAccount(db: Db, userId: number, today: string): Promise<AccountView> {
  return presentAccount(db, await requireUser(db, userId), today);
}

export async function findAccountByEmail(db: Db, email: string): Promise<AccountView> {
  const user = await findUserByEmail(db, normaliseEmail(email));
  if (!user) throw notFound(`There is no account for ${email}.`);
  return presentAccount(db, user, todayIsoDate());
}

export async function setAccountDisabled(db: Db, actor: Actor, userId: number, disabled: boolean) {
  await db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, userId);
    if ((user.disabledAt !== null) === disabled) return;
    await setUserDisabled(trx, userId, disabled);
    if (disabled) await revokeSessionsOfUser(trx, userId);
    await appendAuditEvents(trx, actor, [
      {
        action: disabled ? 'user.disable' : 'user.enable',
        recordType: 'user',
        recordId: String(userId),
        before: { disabled: !disabled },
        after: { disabled },
      },
    ]);
  });
}

/** Grants a role on a scope; the scope must be the kind of organisation the role is for. */
export async function grantRole(
  db: Db,
  actor: Actor,
  input: { userId: number; role: string; scopeCode?: string | undefined },
  today: string,
): Promise<AccountView> {
  if (!(roles as readonly string[]).includes(input.role))
    throw invalidInput(`"${input.role}" is not a role.`, [
      { field: 'role', message: `Choose one of: ${roles.join(', ')}` },
    ]);
  const role = input.role as Role;
  const tier = roleScopeTier[role];
  return db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, input.userId);
    let scopeId: number | null = null;
    let scopeLabel = 'England';
    if (tier === 'england') {
      if (input.scopeCode)
        throw invalidInput(`${roleLabels[role]} covers all of England: leave the scope empty.`, [
          { field: 'scope', message: 'Leave the scope empty for a national role' },
        ]);
    } else {
      const code = (input.scopeCode ?? '').trim().toUpperCase();
      if (!code)
        throw invalidInput(`${roleLabels[role]} needs a scope: the ODS code of a ${tier}.`, [
          {
            field: 'scope',
            message: `Enter the ODS code of the ${tier === 'organisation' ? 'organisation' : tier.toUpperCase()}`,
          },
        ]);
      const org = await findOrganisationByCode(trx, code);
      if (!org) throw notFound(`There is no organisation ${code}.`);
      const version = await findVersionAt(
        trx,
        org.id,
        org.validTo && org.validTo <= today ? org.validFrom : today,
      );
      if (!version || !scopeKindsForTier[tier].includes(version.kind))
        throw invalidInput(
          `${roleLabels[role]} is granted on ${tier === 'organisation' ? 'an organisation' : `a ${tier === 'icb' ? 'ICB' : tier}`}; ${code} is ${version ? organisationKindLabels[version.kind] : 'not open'}.`,
          [{ field: 'scope', message: 'Enter an ODS code of the right kind' }],
        );
      scopeId = org.id;
      scopeLabel = `${code} ${version.name}`;
    }
    await insertRoleGrant(trx, {
      userId: user.id,
      role,
      scopeOrganisationId: scopeId,
      grantedBy: actor.label,
    });
    await appendAuditEvents(trx, actor, [
      {
        action: 'role.grant',
        recordType: 'user',
        recordId: String(user.id),
        before: null,
        after: { role, scope: scopeLabel },
      },
    ]);
    return presentAccount(trx, user, today);
  });
}

export async function revokeRole(db: Db, actor: Actor, userId: number, grantId: number, today: string) {
  return db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, userId);
    const grant = (await listLiveRoleGrants(trx, userId)).find((g) => g.id === grantId);
    if (!grant || !(await revokeRoleGrantRow(trx, userId, grantId)))
      throw notFound(`User ${userId} has no role grant ${grantId}.`);
    await appendAuditEvents(trx, actor, [
      {
        action: 'role.revoke',
        recordType: 'user',
        recordId: String(userId),
        before: { role: grant.role, scopeOrganisationId: grant.scopeOrganisationId },
        after: null,
      },
    ]);
    return presentAccount(trx, user, today);
  });
}

export async function grantFunction(
  db: Db,
  actor: Actor,
  input: { userId: number; statutoryFunction: string },
  today: string,
): Promise<AccountView> {
  if (!(statutoryFunctions as readonly string[]).includes(input.statutoryFunction))
    throw invalidInput(`"${input.statutoryFunction}" is not a statutory function.`, [
      { field: 'function', message: `Choose one of: ${statutoryFunctions.join(', ')}` },
    ]);
  return db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, input.userId);
    const held = await listLiveFunctionGrants(trx, user.id);
    if (held.some((f) => f.statutoryFunction === input.statutoryFunction))
      throw conflict(`${user.email} already has the ${input.statutoryFunction} function.`);
    await insertFunctionGrant(trx, {
      userId: user.id,
      statutoryFunction: input.statutoryFunction,
      grantedBy: actor.label,
    });
    await appendAuditEvents(trx, actor, [
      {
        action: 'function.grant',
        recordType: 'user',
        recordId: String(user.id),
        before: null,
        after: { function: input.statutoryFunction },
      },
    ]);
    return presentAccount(trx, user, today);
  });
}

export async function revokeFunction(db: Db, actor: Actor, userId: number, grantId: number, today: string) {
  return db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, userId);
    const grant = (await listLiveFunctionGrants(trx, userId)).find((g) => g.id === grantId);
    if (!grant || !(await revokeFunctionGrantRow(trx, userId, grantId)))
      throw notFound(`User ${userId} has no function grant ${grantId}.`);
    await appendAuditEvents(trx, actor, [
      {
        action: 'function.revoke',
        recordType: 'user',
        recordId: String(userId),
        before: { function: grant.statutoryFunction },
        after: null,
      },
    ]);
    return presentAccount(trx, user, today);
  });
}

// Sessions

export interface NewSession {
  /** The secret for the cookie: shown to the browser once, stored only as a hash. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  account: AccountView;
}

async function startSession(
  ex: Executor,
  user: UserRecord,
  method: 'password' | 'oidc',
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + sessionHours * 3600_000);
  await insertSession(ex, { tokenHash: sha256(token), userId: user.id, csrfToken, expiresAt, method });
  return {
    token,
    csrfToken,
    expiresAt,
    account: await presentAccount(ex, user, todayIsoDate()),
  };
}

// Verifying against a throwaway hash when there is no such account keeps the timing the same.
let decoyHash: Promise<string> | null = null;

/** Signs in with a local account. The message never says whether the email or the password was wrong. */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string },
  requestId: string | null,
): Promise<NewSession> {
  // Text PostgreSQL cannot store (NUL, lone surrogates) cannot name an account either.
  const email = storableText(input.email.trim().toLowerCase());
  const user = await findUserByEmail(db, email);
  decoyHash ??= argonHash(randomToken());
  const ok = user?.passwordHash
    ? await argonVerify(user.passwordHash, input.password)
    : (await argonVerify(await decoyHash, input.password), false);
  return db
    .transaction()
    .execute(async (trx) => {
      if (!user || !ok || user.disabledAt) {
        await appendAuditEvents(
          trx,
          { kind: 'public', id: null, label: `Sign-in attempt as ${email.slice(0, 200)}`, requestId },
          [
            {
              action: 'session.sign-in-refused',
              recordType: 'user',
              recordId: user ? String(user.id) : null,
              before: null,
              after: {
                reason: !user ? 'no such account' : user.disabledAt ? 'account disabled' : 'wrong password',
              },
            },
          ],
        );
        return null;
      }
      const session = await startSession(trx, user, 'password');
      await appendAuditEvents(
        trx,
        { kind: 'user', id: String(user.id), label: `${user.displayName} <${user.email}>`, requestId },
        [
          {
            action: 'session.sign-in',
            recordType: 'user',
            recordId: String(user.id),
            before: null,
            after: { method: 'password' },
          },
        ],
      );
      return session;
    })
    .then((session) => {
      if (!session)
        throw new AppError('unauthenticated', 'The email address or password is not right.', [
          { field: 'email', message: 'Enter the email address and password of your account' },
        ]);
      return session;
    });
}

/**
 * Signs in someone an identity provider vouched for: the account linked to their subject, else an
 * account an administrator made for their email (linked now), else a new account with no roles.
 */
export async function signInWithIdentityProvider(
  db: Db,
  claims: {
    issuer: string;
    subject: string;
    email: string | null;
    emailVerified: boolean;
    name: string | null;
  },
  requestId: string | null,
): Promise<NewSession> {
  return db.transaction().execute(async (trx) => {
    let user = await findUserByOidcSubject(trx, claims.issuer, claims.subject);
    const actorFor = (u: UserRecord): Actor => ({
      kind: 'user',
      id: String(u.id),
      label: `${u.displayName} <${u.email}>`,
      requestId,
    });
    if (!user) {
      // An email the provider has not verified could be anyone's: it never matches or creates an account.
      if (!claims.email || !claims.emailVerified) throw new SignInRefused('no-verified-email');
      const byEmail = await findUserByEmail(trx, claims.email.toLowerCase());
      if (byEmail && byEmail.oidcSubject) throw new SignInRefused('linked-elsewhere');
      // Administrator accounts are never taken over by matching an email: they sign in with their password.
      if (byEmail?.isAdmin) throw new SignInRefused('administrator');
      if (byEmail) {
        await linkOidcSubject(trx, byEmail.id, claims.issuer, claims.subject);
        user = byEmail;
        await appendAuditEvents(trx, actorFor(user), [
          {
            action: 'user.link-identity',
            recordType: 'user',
            recordId: String(user.id),
            before: null,
            after: { issuer: claims.issuer, subject: claims.subject },
          },
        ]);
      } else {
        user = await createAccount(
          trx,
          { kind: 'system', id: null, label: `Identity provider ${claims.issuer}`, requestId },
          { email: claims.email, name: claims.name ?? claims.email },
        );
        await linkOidcSubject(trx, user.id, claims.issuer, claims.subject);
      }
    }
    if (user.disabledAt) throw new SignInRefused('disabled');
    const session = await startSession(trx, user, 'oidc');
    await appendAuditEvents(trx, actorFor(user), [
      {
        action: 'session.sign-in',
        recordType: 'user',
        recordId: String(user.id),
        before: null,
        after: { method: 'oidc', issuer: claims.issuer },
      },
    ]);
    return session;
  });
}

export interface ResolvedSession {
  principal: Principal & { kind: 'user' };
  csrfToken: string;
  expiresAt: Date;
}

/** The signed-in person behind a session cookie, or null when the session is unknown, ended or expired. */
export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | null> {
  const session = await findLiveSession(db, sha256(token), new Date());
  if (!session) return null;
  const user = await findUserById(db, session.userId);
  if (!user || user.disabledAt) return null;
  const principal = await loadPrincipal(db, user);
  if (principal.kind !== 'user') return null;
  return { principal, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}

export async function signOut(db: Db, token: string, requestId: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const userId = await revokeSession(trx, sha256(token));
    if (userId === null) return;
    const user = await findUserById(trx, userId);
    await appendAuditEvents(
      trx,
      {
        kind: 'user',
        id: String(userId),
        label: user ? `${user.displayName} <${user.email}>` : `user ${userId}`,
        requestId,
      },
      [
        {
          action: 'session.sign-out',
          recordType: 'user',
          recordId: String(userId),
          before: null,
          after: null,
        },
      ],
    );
  });
}

// Machine tokens

const templateCodePattern = /^[a-z0-9][a-z0-9-]{1,59}$/;

export function parseTemplateCodes(value: string | string[], field = 'templates'): string[] {
  const list = (Array.isArray(value) ? value : value.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  if (list.length === 0)
    throw invalidInput('Name at least one template.', [
      { field, message: 'Enter template codes separated by commas' },
    ]);
  const bad = list.find((t) => !templateCodePattern.test(t));
  if (bad)
    throw invalidInput(`"${bad}" is not a template code.`, [
      { field, message: 'Template codes are lower-case letters, digits and hyphens, like ae-monthly' },
    ]);
  return [...new Set(list)];
}

export interface MachineTokenView extends MachineTokenRecord {
  status: 'active' | 'revoked';
}

const presentToken = (t: MachineTokenRecord): MachineTokenView => ({
  ...t,
  status: t.revokedAt ? 'revoked' : 'active',
});

export async function listMachineTokens(db: Db): Promise<MachineTokenView[]> {
  return (await listMachineTokenRecords(db)).map(presentToken);
}

/** Creates a token for one organisation and named templates. The secret is returned once and never stored. */
export async function createMachineToken(
  db: Db,
  actor: Actor,
  input: { name: string; odsCode: string; templates: string | string[] },
): Promise<{ token: string; details: MachineTokenView }> {
  const name = requireName(input.name);
  const templates = parseTemplateCodes(input.templates);
  return db.transaction().execute(async (trx) => {
    const org = await findOrganisationByCode(trx, input.odsCode.trim().toUpperCase());
    if (!org)
      throw invalidInput(`There is no organisation ${input.odsCode}.`, [
        { field: 'organisation', message: 'Enter the ODS code of the organisation that will submit' },
      ]);
    const secret = randomToken();
    const id = await insertMachineToken(trx, {
      name,
      secretHash: sha256(secret),
      organisationId: org.id,
      templates,
      createdBy: actor.label,
    });
    await appendAuditEvents(trx, actor, [
      {
        action: 'token.create',
        recordType: 'machine-token',
        recordId: String(id),
        before: null,
        after: { name, organisation: org.odsCode, templates },
      },
    ]);
    const details = await findMachineToken(trx, id);
    if (!details) throw new Error('token vanished');
    return { token: `${tokenPrefix}${id}_${secret}`, details: presentToken(details) };
  });
}

export async function revokeMachineToken(db: Db, actor: Actor, id: number): Promise<MachineTokenView> {
  return db.transaction().execute(async (trx) => {
    const token = await findMachineToken(trx, id);
    if (!token) throw notFound(`There is no machine token ${id}.`);
    if (!(await revokeMachineTokenRow(trx, id))) throw conflict(`Machine token ${id} is already revoked.`);
    await appendAuditEvents(trx, actor, [
      {
        action: 'token.revoke',
        recordType: 'machine-token',
        recordId: String(id),
        before: { status: 'active' },
        after: { status: 'revoked' },
      },
    ]);
    return presentToken({ ...token, revokedAt: new Date().toISOString() });
  });
}

/** The principal behind a bearer token, or null when the token is unknown or revoked. */
export async function resolveMachineToken(
  db: Db,
  bearer: string,
): Promise<(Principal & { kind: 'token' }) | null> {
  const match = /^ovs_(\d+)_([A-Za-z0-9_-]{20,})$/.exec(bearer.trim());
  if (!match?.[2]) return null;
  const token = await useMachineToken(db, sha256(match[2]));
  if (!token || String(token.id) !== match[1]) return null;
  return {
    kind: 'token',
    tokenId: token.id,
    label: `Machine token "${token.name}" (${token.odsCode})`,
    organisationId: token.organisationId,
    templates: token.templates,
  };
}
