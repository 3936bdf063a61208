import { sql, type Kysely } from 'kysely';

/**
 * Oversight methodologies as versioned data, and the judgements regions record on segments (overrides
 * with a reason and an author, and segment 5). Both append-only: a new version or a new judgement
 * supersedes, nothing is edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oversight_methodology (
      id integer generated always as identity primary key,
      code text not null,
      version integer not null check (version > 0),
      definition jsonb not null,
      recorded_at timestamptz not null default now(),
      recorded_by text not null,
      unique (code, version)
    )
  `.execute(db);
  await sql`
    create table segment_judgement (
      id integer generated always as identity primary key,
      methodology_code text not null,
      period_start date not null,
      organisation_id integer not null references organisation (id),
      -- null withdraws the previous judgement: the computed segment stands again.
      segment integer check (segment between 1 and 5),
      reason text not null check (length(trim(reason)) > 0),
      recorded_at timestamptz not null default now(),
      recorded_by text not null,
      recorded_by_user_id integer references app_user (id)
    )
  `.execute(db);
  await sql`
    create index segment_judgement_lookup_idx on segment_judgement (methodology_code, period_start, organisation_id, id)
  `.execute(db);
  for (const table of ['oversight_methodology', 'segment_judgement']) {
    await sql`
      create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
    await sql`
      create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_change()
    `.execute(db);
  }
}
