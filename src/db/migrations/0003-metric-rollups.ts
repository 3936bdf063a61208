import { sql, type Kysely } from 'kysely';

/**
 * Pre-computed monthly roll-ups of every metric for every aggregate, under the structure of each
 * month: dashboards read these instead of summing millions of observations. Derived data, refreshed
 * for the metrics and months an import touched (rollup_pending), for the aggregates and months a
 * change of placements touched (rollup_placement), and in full when a metric definition changes.
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
  // The placements the cache reflects: comparing them with code_placement says which aggregates and
  // months a change of the hierarchy touched, so a restructure refreshes those cells, not everything.
  await sql`
    create table rollup_placement (
      code_id integer not null,
      aggregate_id integer not null,
      valid_from date not null,
      valid_to date,
      partial boolean not null
    )
  `.execute(db);
  await sql`create index rollup_placement_code_idx on rollup_placement (code_id)`.execute(db);
  // One row: a digest of the metric definitions the cache was built with (any change rebuilds it),
  // and the placement stamp it last compared placements at (equal stamps: nothing to compare).
  await sql`
    create table rollup_state (
      id smallint primary key check (id = 1),
      definitions_digest text not null,
      placement_stamp text not null,
      refreshed_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`insert into rollup_state (id, definitions_digest, placement_stamp) values (1, '', '')`.execute(
    db,
  );
}
