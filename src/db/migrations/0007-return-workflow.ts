import { sql, type Kysely } from 'kysely';

/**
 * Returns as a workflow with versions. A return moves draft → submitted → approved (by its ICB) →
 * accepted (by its region) → locked, and may be returned for correction at any step with a reason.
 * Every submission is kept as a numbered version (append-only) with the warnings its submitter explained;
 * reporting uses the last accepted version. Publication is a separate fact from the workflow state.
 * Templates gain their validation rules; retries of a submission with the same idempotency key are
 * answered from the first attempt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table collection_template add column rules jsonb not null default '{}'::jsonb`.execute(db);

  await sql`alter table submission drop constraint submission_status_check`.execute(db);
  await sql`
    alter table submission
      add column published_at timestamptz,
      add column published_version integer,
      add column version integer not null default 0,
      add column accepted_version integer,
      add column first_submitted_at timestamptz,
      add column submitted_at timestamptz,
      add column status_reason text,
      add column explanations jsonb not null default '{}'::jsonb
  `.execute(db);
  // Returns published under the earlier two-state workflow were submitted and then published nationally; their
  // values never went into the observation store, so no version is marked as the one reporting uses.
  await sql`
    update submission set published_at = updated_at, published_version = 1, status = 'locked', version = 1,
      first_submitted_at = created_at, submitted_at = updated_at
    where status = 'published'
  `.execute(db);
  await sql`
    update submission set version = 1, first_submitted_at = created_at, submitted_at = updated_at
    where status = 'submitted'
  `.execute(db);
  await sql`
    alter table submission add constraint submission_status_check
      check (status in ('draft', 'submitted', 'approved', 'accepted', 'locked', 'returned'))
  `.execute(db);
  await sql`
    alter table submission add constraint submission_reason_check
      check (status <> 'returned' or length(trim(coalesce(status_reason, ''))) > 0)
  `.execute(db);

  await sql`
    create table submission_version (
      submission_id integer not null references submission (id),
      version integer not null check (version > 0),
      item_values jsonb not null,
      explanations jsonb not null default '{}'::jsonb,
      warnings jsonb not null default '[]'::jsonb,
      reason text,
      source_format text not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      primary key (submission_id, version)
    )
  `.execute(db);
  await sql`
    insert into submission_version (submission_id, version, item_values, source_format, created_at, created_by)
    select id, 1, item_values, 'json', updated_at, updated_by from submission where version = 1
  `.execute(db);
  await sql`
    create trigger submission_version_append_only before update or delete on submission_version
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger submission_version_no_truncate before truncate on submission_version
    for each statement execute function refuse_change()
  `.execute(db);

  // One row per (caller, key): a retry with the same body is answered from the return, a different body refused.
  await sql`
    create table submission_request (
      caller text not null,
      idempotency_key text not null check (length(idempotency_key) between 1 and 200),
      request_sha256 text not null,
      submission_id integer not null references submission (id),
      created_at timestamptz not null default now(),
      primary key (caller, idempotency_key)
    )
  `.execute(db);
  await sql`create index submission_template_period_idx on submission (template_code, period_start)`.execute(
    db,
  );
}
