import { sql } from 'kysely';
import type { Executor } from './database.js';

/** People, their sessions and grants, machine tokens, and sign-ins in progress at an identity provider. */

export interface UserRecord {
  id: number;
  email: string;
  displayName: string;
  passwordHash: string | null;
  isAdmin: boolean;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  createdAt: string;
  disabledAt: string | null;
}

const userColumns = [
  'id',
  'email',
  'display_name',
  'password_hash',
  'is_admin',
  'oidc_issuer',
  'oidc_subject',
  'created_at',
  'disabled_at',
] as const;

function toUser(row: {
  id: number;
  email: string;
  display_name: string;
  password_hash: string | null;
  is_admin: boolean;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  created_at: Date;
  disabled_at: Date | null;
}): UserRecord {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    isAdmin: row.is_admin,
    oidcIssuer: row.oidc_issuer,
    oidcSubject: row.oidc_subject,
    createdAt: new Date(row.created_at).toISOString(),
    disabledAt: row.disabled_at ? new Date(row.disabled_at).toISOString() : null,
  };
}

export async function countUsers(ex: Executor): Promise<number> {
  const row = await ex
    .selectFrom('app_user')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Serialises first-run set-up: two browsers cannot both create the first administrator. */
export async function lockAccounts(ex: Executor): Promise<void> {
  await sql`lock table app_user in exclusive mode`.execute(ex);
}

export async function insertUser(
  ex: Executor,
  user: { email: string; displayName: string; passwordHash: string | null; isAdmin: boolean },
): Promise<UserRecord> {
  const row = await ex
    .insertInto('app_user')
    .values({
      email: user.email,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      is_admin: user.isAdmin,
      oidc_issuer: null,
      oidc_subject: null,
    })
    .returning(userColumns)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function findUserById(ex: Executor, id: number): Promise<UserRecord | null> {
  const row = await ex.selectFrom('app_user').select(userColumns).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserByEmail(ex: Executor, email: string): Promise<UserRecord | null> {
  const row = await ex
    .selectFrom('app_user')
    .select(userColumns)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserByOidcSubject(
  ex: Executor,
  issuer: string,
  subject: string,
): Promise<UserRecord | null> {
  const row = await ex
    .selectFrom('app_user')
    .select(userColumns)
    .where('oidc_issuer', '=', issuer)
    .where('oidc_subject', '=', subject)
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function linkOidcSubject(ex: Executor, userId: number, issuer: string, subject: string) {
  await ex
    .updateTable('app_user')
    .set({ oidc_issuer: issuer, oidc_subject: subject })
    .where('id', '=', userId)
    .execute();
}

export async function setUserPassword(ex: Executor, userId: number, passwordHash: string): Promise<void> {
  await ex.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function setUserDisabled(ex: Executor, userId: number, disabled: boolean): Promise<void> {
  await ex
    .updateTable('app_user')
    .set({ disabled_at: disabled ? new Date() : null })
    .where('id', '=', userId)
    .execute();
}

export async function listUsers(ex: Executor): Promise<UserRecord[]> {
  const rows = await ex.selectFrom('app_user').select(userColumns).orderBy('email').execute();
  return rows.map(toUser);
}

// Sessions

export interface SessionRecord {
  userId: number;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  method: string;
}

export async function insertSession(
  ex: Executor,
  session: { tokenHash: string; userId: number; csrfToken: string; expiresAt: Date; method: string },
): Promise<void> {
  await ex
    .insertInto('user_session')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
      method: session.method,
    })
    .execute();
}

/** A live session: not revoked, not expired. */
export async function findLiveSession(
  ex: Executor,
  tokenHash: string,
  now: Date,
): Promise<SessionRecord | null> {
  const row = await ex
    .selectFrom('user_session')
    .select(['user_id', 'csrf_token', 'expires_at', 'last_seen_at', 'method'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row
    ? {
        userId: row.user_id,
        csrfToken: row.csrf_token,
        expiresAt: new Date(row.expires_at),
        lastSeenAt: new Date(row.last_seen_at),
        method: row.method,
      }
    : null;
}

export async function touchSession(ex: Executor, tokenHash: string, now: Date, expiresAt: Date) {
  await ex
    .updateTable('user_session')
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function revokeSession(ex: Executor, tokenHash: string): Promise<number | null> {
  const row = await ex
    .updateTable('user_session')
    .set({ revoked_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

export async function revokeSessionsOfUser(ex: Executor, userId: number): Promise<void> {
  await ex
    .updateTable('user_session')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

// Sign-ins in progress at an identity provider

export async function insertOidcSignIn(
  ex: Executor,
  attempt: { state: string; nonce: string; codeVerifier: string; returnTo: string },
): Promise<void> {
  // Sign-ins abandoned at the provider are cleared as new ones start.
  await ex
    .deleteFrom('oidc_sign_in')
    .where('created_at', '<', new Date(Date.now() - 3600_000))
    .execute();
  await ex
    .insertInto('oidc_sign_in')
    .values({
      state: attempt.state,
      nonce: attempt.nonce,
      code_verifier: attempt.codeVerifier,
      return_to: attempt.returnTo,
    })
    .execute();
}

/** Takes (reads and removes) a sign-in in progress: a state can be used once, within ten minutes. */
export async function takeOidcSignIn(
  ex: Executor,
  state: string,
  notBefore: Date,
): Promise<{ nonce: string; codeVerifier: string; returnTo: string } | null> {
  const row = await ex
    .deleteFrom('oidc_sign_in')
    .where('state', '=', state)
    .returning(['nonce', 'code_verifier', 'return_to', 'created_at'])
    .executeTakeFirst();
  await ex.deleteFrom('oidc_sign_in').where('created_at', '<', notBefore).execute();
  if (!row || new Date(row.created_at) < notBefore) return null;
  return { nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to };
}

// Grants

export interface RoleGrantRecord {
  id: number;
  userId: number;
  role: string;
  scopeOrganisationId: number | null;
  grantedAt: string;
  grantedBy: string;
}

export async function insertRoleGrant(
  ex: Executor,
  grant: { userId: number; role: string; scopeOrganisationId: number | null; grantedBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('role_grant')
    .values({
      user_id: grant.userId,
      role: grant.role,
      scope_organisation_id: grant.scopeOrganisationId,
      granted_by: grant.grantedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listLiveRoleGrants(ex: Executor, userId: number): Promise<RoleGrantRecord[]> {
  const rows = await ex
    .selectFrom('role_grant')
    .select(['id', 'user_id', 'role', 'scope_organisation_id', 'granted_at', 'granted_by'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    role: r.role,
    scopeOrganisationId: r.scope_organisation_id,
    grantedAt: new Date(r.granted_at).toISOString(),
    grantedBy: r.granted_by,
  }));
}

export async function revokeRoleGrant(ex: Executor, userId: number, grantId: number): Promise<boolean> {
  const row = await ex
    .updateTable('role_grant')
    .set({ revoked_at: new Date() })
    .where('id', '=', grantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

export interface FunctionGrantRecord {
  id: number;
  statutoryFunction: string;
  grantedAt: string;
  grantedBy: string;
}

export async function insertFunctionGrant(
  ex: Executor,
  grant: { userId: number; statutoryFunction: string; grantedBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('function_grant')
    .values({
      user_id: grant.userId,
      statutory_function: grant.statutoryFunction,
      granted_by: grant.grantedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listLiveFunctionGrants(ex: Executor, userId: number): Promise<FunctionGrantRecord[]> {
  const rows = await ex
    .selectFrom('function_grant')
    .select(['id', 'statutory_function', 'granted_at', 'granted_by'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    statutoryFunction: r.statutory_function,
    grantedAt: new Date(r.granted_at).toISOString(),
    grantedBy: r.granted_by,
  }));
}

export async function revokeFunctionGrant(ex: Executor, userId: number, grantId: number): Promise<boolean> {
  const row = await ex
    .updateTable('function_grant')
    .set({ revoked_at: new Date() })
    .where('id', '=', grantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

// Machine tokens

export interface MachineTokenRecord {
  id: number;
  name: string;
  organisationId: number;
  odsCode: string;
  templates: string[];
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function tokenQuery(ex: Executor) {
  return ex
    .selectFrom('machine_token as t')
    .innerJoin('organisation as o', 'o.id', 't.organisation_id')
    .select([
      't.id',
      't.name',
      't.organisation_id',
      'o.ods_code',
      't.templates',
      't.created_at',
      't.created_by',
      't.last_used_at',
      't.revoked_at',
    ]);
}

function toToken(r: {
  id: number;
  name: string;
  organisation_id: number;
  ods_code: string;
  templates: string[];
  created_at: Date;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): MachineTokenRecord {
  return {
    id: r.id,
    name: r.name,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    templates: r.templates,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  };
}

export async function insertMachineToken(
  ex: Executor,
  token: { name: string; secretHash: string; organisationId: number; templates: string[]; createdBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('machine_token')
    .values({
      name: token.name,
      secret_hash: token.secretHash,
      organisation_id: token.organisationId,
      templates: token.templates,
      created_by: token.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listMachineTokens(ex: Executor): Promise<MachineTokenRecord[]> {
  return (await tokenQuery(ex).orderBy('t.id').execute()).map(toToken);
}

export async function findMachineToken(ex: Executor, id: number): Promise<MachineTokenRecord | null> {
  const row = await tokenQuery(ex).where('t.id', '=', id).executeTakeFirst();
  return row ? toToken(row) : null;
}

/** A live token by the hash of its secret; records its use. */
export async function useMachineToken(ex: Executor, secretHash: string): Promise<MachineTokenRecord | null> {
  const row = await ex
    .updateTable('machine_token')
    .set({ last_used_at: new Date() })
    .where('secret_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row ? findMachineToken(ex, row.id) : null;
}

export async function revokeMachineToken(ex: Executor, id: number): Promise<boolean> {
  const row = await ex
    .updateTable('machine_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}
