import { sql, type Kysely } from 'kysely';

/**
 * Feeds: published files fetched from a configured address on a schedule. `feed` is the job table:
 * a process claims due feeds with FOR UPDATE SKIP LOCKED, moving `next_run_at` on and taking a lease
 * (`running_until`) in the same statement, so several servers on one PostgreSQL never run a feed twice
 * and a crash does not re-run it at once. `feed_run` logs every run with its outcome; it is append-only
 * (a run is written once, when it has finished).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table feed (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9-]{1,62}$'),
      name text not null check (length(trim(name)) > 0),
      kind text not null check (kind in ('statistics')),
      -- The statistics source (ae, beds, rtt, observations); the layout is recognised from the header.
      source text not null,
      url text not null check (url ~* '^https?://'),
      interval_hours integer not null check (interval_hours between 1 and 8808),
      enabled boolean not null default true,
      next_run_at timestamptz not null,
      running_until timestamptz,
      created_at timestamptz not null default now(),
      created_by text not null
    )
  `.execute(db);
  await sql`create index feed_due_idx on feed (next_run_at) where enabled`.execute(db);
  await sql`
    create table feed_run (
      id integer generated always as identity primary key,
      feed_id integer not null references feed (id),
      started_at timestamptz not null,
      finished_at timestamptz not null,
      outcome text not null check (outcome in ('succeeded', 'unchanged', 'failed')),
      message text not null,
      problems jsonb not null default '[]'::jsonb,
      import_run_id integer references import_run (id),
      sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
      rows_read integer,
      values_inserted integer,
      values_superseded integer,
      quarantined integer,
      run_by text not null,
      check (finished_at >= started_at),
      check (outcome = 'succeeded' or import_run_id is null)
    )
  `.execute(db);
  await sql`create index feed_run_feed_idx on feed_run (feed_id, id)`.execute(db);
  await sql`
    create trigger feed_run_append_only before update or delete on feed_run
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger feed_run_no_truncate before truncate on feed_run
    for each statement execute function refuse_change()
  `.execute(db);
}
