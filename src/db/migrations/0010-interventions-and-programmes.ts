import { sql, type Kysely } from 'kysely';

/**
 * National programmes and the one register of support and regulatory interventions. A programme moves
 * through one lifecycle (proposed → established → in delivery → under review → closed), each move kept;
 * regions and ICBs record contributions, and milestones and reviews are dated. An intervention names the
 * organisation, the signal that triggered it (kept as it was seen), its owner, its statutory function
 * (records of a function are invisible without a grant for it), actions, reviews and exit criteria, and
 * the programme it led to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table programme (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null check (length(trim(name)) > 0),
      sponsor text not null check (length(trim(sponsor)) > 0),
      national_director text not null check (length(trim(national_director)) > 0),
      scope text not null check (length(trim(scope)) > 0),
      stage text not null check (stage in ('proposed', 'established', 'in-delivery', 'under-review', 'closed')),
      metrics jsonb not null default '[]'::jsonb,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table programme_stage_change (
      id integer generated always as identity primary key,
      programme_id integer not null references programme (id),
      from_stage text,
      to_stage text not null,
      reason text not null check (length(trim(reason)) > 0),
      changed_at timestamptz not null default now(),
      changed_by text not null
    )
  `.execute(db);
  await sql`
    create table programme_contribution (
      id integer generated always as identity primary key,
      programme_id integer not null references programme (id),
      organisation_id integer not null references organisation (id),
      commitment text not null check (length(trim(commitment)) > 0),
      status text not null check (status in ('planned', 'on-track', 'at-risk', 'off-track', 'delivered')),
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (programme_id, organisation_id)
    )
  `.execute(db);
  await sql`
    create table programme_milestone (
      id integer generated always as identity primary key,
      programme_id integer not null references programme (id),
      title text not null check (length(trim(title)) > 0),
      due date not null,
      completed_on date,
      completed_by text,
      created_by text not null,
      check ((completed_on is null) = (completed_by is null))
    )
  `.execute(db);
  await sql`
    create table programme_review (
      id integer generated always as identity primary key,
      programme_id integer not null references programme (id),
      scheduled_for date not null,
      held_on date,
      outcome text,
      decision text check (decision in ('continue', 'change', 'close')),
      scheduled_by text not null,
      recorded_by text,
      check (
        (held_on is null) = (outcome is null) and (held_on is null) = (decision is null)
        and (held_on is null) = (recorded_by is null)
      )
    )
  `.execute(db);
  await sql`
    create table intervention (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisation (id),
      kind text not null check (kind in (
        'enhanced-oversight', 'intensive-support', 'enforcement-undertakings', 'special-measures',
        'improvement-support', 'licence-conditions'
      )),
      title text not null check (length(trim(title)) > 0),
      owner text not null check (length(trim(owner)) > 0),
      statutory_function text,
      signal_kind text not null check (signal_kind in ('spc-special-cause', 'segment-change', 'plan-gap', 'missed-standard')),
      signal jsonb not null,
      opened_on date not null,
      next_review date not null,
      exit_criteria text not null check (length(trim(exit_criteria)) > 0),
      programme_id integer references programme (id),
      status text not null check (status in ('open', 'exited')),
      closed_on date,
      exit_reason text,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      check ((status = 'exited') = (closed_on is not null)),
      check (status = 'open' or length(trim(coalesce(exit_reason, ''))) > 0),
      check (closed_on is null or closed_on >= opened_on),
      check (next_review >= opened_on)
    )
  `.execute(db);
  await sql`create index intervention_organisation_idx on intervention (organisation_id)`.execute(db);
  await sql`create index intervention_programme_idx on intervention (programme_id)`.execute(db);
  await sql`
    create table intervention_action (
      id integer generated always as identity primary key,
      intervention_id integer not null references intervention (id),
      description text not null check (length(trim(description)) > 0),
      owner text not null check (length(trim(owner)) > 0),
      due date not null,
      done_on date
    )
  `.execute(db);
  await sql`
    create table intervention_review (
      id integer generated always as identity primary key,
      intervention_id integer not null references intervention (id),
      reviewed_on date not null,
      outcome text not null check (length(trim(outcome)) > 0),
      next_review date,
      recorded_by text not null
    )
  `.execute(db);
  for (const table of ['programme_stage_change', 'intervention_review']) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_change()
    `.execute(db);
  }
}
