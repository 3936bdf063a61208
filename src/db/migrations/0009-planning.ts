import { sql, type Kysely } from 'kysely';

/**
 * One planning process. A round (a financial year) asks organisations of some kinds for monthly
 * trajectories of data items and for the services they agree with each other; each ICB has an envelope.
 * Plans follow the returns' workflow (draft → submitted → approved → accepted → locked, returned for
 * correction), every submission kept as an append-only version.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table planning_round (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null check (length(trim(name)) > 0),
      year_start date not null check (extract(month from year_start) = 4 and extract(day from year_start) = 1),
      guidance text not null default '',
      items jsonb not null,
      opens date not null,
      deadline date not null,
      closes date not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      check (deadline >= opens and closes >= deadline)
    )
  `.execute(db);
  await sql`
    create table plan (
      id integer generated always as identity primary key,
      round_id integer not null references planning_round (id),
      organisation_id integer not null references organisation (id),
      status text not null check (status in ('draft', 'submitted', 'approved', 'accepted', 'locked', 'returned')),
      status_reason text,
      content jsonb not null,
      version integer not null default 0,
      accepted_version integer,
      first_submitted_at timestamptz,
      submitted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (round_id, organisation_id),
      check (status <> 'returned' or length(trim(coalesce(status_reason, ''))) > 0)
    )
  `.execute(db);
  await sql`
    create table plan_version (
      plan_id integer not null references plan (id),
      version integer not null check (version > 0),
      content jsonb not null,
      reason text,
      source_format text not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      primary key (plan_id, version)
    )
  `.execute(db);
  await sql`
    create trigger plan_version_append_only before update or delete on plan_version
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger plan_version_no_truncate before truncate on plan_version
    for each statement execute function refuse_change()
  `.execute(db);
  // The envelope of an ICB for a round; changes are audited (before and after) rather than versioned.
  await sql`
    create table system_envelope (
      round_id integer not null references planning_round (id),
      organisation_id integer not null references organisation (id),
      control_total double precision not null,
      activity jsonb not null default '[]'::jsonb,
      set_at timestamptz not null default now(),
      set_by text not null,
      primary key (round_id, organisation_id)
    )
  `.execute(db);
}
