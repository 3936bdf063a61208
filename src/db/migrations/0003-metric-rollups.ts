import { sql, type Kysely } from 'kysely';

/**
 * Pre-computed monthly roll-ups of every metric for every aggregate, under the structure of each
 * month: dashboards read these instead of summing millions of observations. Derived data, rebuilt
 * for the months and metrics an import touched (rollup_pending) and in full when placements change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table metric_rollup (
      aggregate_id integer not null,
      metric_id integer not null,
      period_start date not null,
      numerator double precision,
      denominator double precision,
      reported integer not null,
      partial integer not null,
      primary key (aggregate_id, metric_id, period_start)
    )
  `.execute(db);
  await sql`create index metric_rollup_metric_period_idx on metric_rollup (metric_id, period_start)`.execute(
    db,
  );
  await sql`
    create table rollup_pending (
      id integer generated always as identity primary key,
      metric_id integer not null,
      period_from date not null,
      period_to date not null
    )
  `.execute(db);
  await sql`
    create table rollup_state (
      id smallint primary key check (id = 1),
      placement_stamp text not null,
      refreshed_at timestamptz not null default now()
    )
  `.execute(db);
}
