import { sql, type Kysely } from 'kysely';

/**
 * People, sessions, machine tokens, role and function grants, returns (the first records that are not
 * public), and the append-only, hash-chained audit trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table app_user (
      id integer generated always as identity primary key,
      email text not null unique check (email = lower(email)),
      display_name text not null,
      password_hash text,
      is_admin boolean not null default false,
      oidc_issuer text,
      oidc_subject text,
      created_at timestamptz not null default now(),
      disabled_at timestamptz,
      unique (oidc_issuer, oidc_subject)
    )
  `.execute(db);
  // Only a hash of the session token is stored: a copy of the database cannot be used to sign in.
  await sql`
    create table user_session (
      token_hash text primary key,
      user_id integer not null references app_user (id),
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      method text not null check (method in ('password', 'oidc'))
    )
  `.execute(db);
  await sql`create index user_session_user_idx on user_session (user_id)`.execute(db);
  // State of a sign-in in progress at an identity provider (state, nonce and PKCE verifier).
  await sql`
    create table oidc_sign_in (
      state text primary key,
      nonce text not null,
      code_verifier text not null,
      return_to text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table role_grant (
      id integer generated always as identity primary key,
      user_id integer not null references app_user (id),
      role text not null,
      scope_organisation_id integer references organisation (id),
      granted_at timestamptz not null default now(),
      granted_by text not null,
      revoked_at timestamptz
    )
  `.execute(db);
  await sql`create index role_grant_user_idx on role_grant (user_id)`.execute(db);
  await sql`
    create table function_grant (
      id integer generated always as identity primary key,
      user_id integer not null references app_user (id),
      statutory_function text not null,
      granted_at timestamptz not null default now(),
      granted_by text not null,
      revoked_at timestamptz
    )
  `.execute(db);
  await sql`create index function_grant_user_idx on function_grant (user_id)`.execute(db);
  await sql`
    create table machine_token (
      id integer generated always as identity primary key,
      name text not null,
      secret_hash text not null unique,
      organisation_id integer not null references organisation (id),
      templates text[] not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      last_used_at timestamptz,
      revoked_at timestamptz
    )
  `.execute(db);
  // A return: values of data items an organisation submits for a period under a named template.
  await sql`
    create table submission (
      id integer generated always as identity primary key,
      template_code text not null,
      organisation_id integer not null references organisation (id),
      period_start date not null,
      statutory_function text,
      status text not null check (status in ('draft', 'submitted', 'published')),
      item_values jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (template_code, organisation_id, period_start)
    )
  `.execute(db);
  await sql`create index submission_organisation_idx on submission (organisation_id, period_start)`.execute(
    db,
  );

  await sql`
    create table audit_event (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null,
      actor_kind text not null check (actor_kind in ('user', 'token', 'operator', 'public', 'system')),
      actor_id text,
      actor_label text not null,
      action text not null,
      record_type text not null,
      record_id text,
      request_id text,
      before_value jsonb,
      after_value jsonb,
      previous_hash text not null,
      hash text not null unique
    )
  `.execute(db);
  await sql`create index audit_event_record_idx on audit_event (record_type, record_id)`.execute(db);
  await sql`create index audit_event_actor_idx on audit_event (actor_kind, actor_id)`.execute(db);
  // The chain's head: appends lock this row, so concurrent writers chain one after another.
  await sql`
    create table audit_chain_head (
      id integer primary key check (id = 1),
      last_id bigint,
      last_hash text not null
    )
  `.execute(db);
  await sql`insert into audit_chain_head (id, last_id, last_hash) values (1, null, 'genesis')`.execute(db);
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function refuse_change()
  `.execute(db);
}
