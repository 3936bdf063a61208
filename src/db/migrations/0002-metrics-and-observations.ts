import { sql, type Kysely } from 'kysely';

/**
 * The metric catalogue, the observation store, import runs, the quarantine for unknown codes,
 * peer groups, and code placements (where each reporting code sits in the hierarchy over time).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_item (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,62}$'),
      name text not null check (length(btrim(name)) > 0),
      description text not null,
      unit text not null check (unit in ('count','gbp-thousands','wte','beds','days')),
      temporal_aggregation text not null check (temporal_aggregation in ('sum','mean','last')),
      source text not null,
      recorded_at timestamptz not null default now()
    )
  `.execute(db);

  // Descriptive attributes may be relabelled; how a metric is computed lives in metric_version.
  await sql`
    create table metric (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,62}$'),
      name text not null check (length(btrim(name)) > 0),
      description text not null,
      unit text not null,
      domain text not null check (domain in ('quality','access-and-outcomes','finance-and-use-of-resources','people','leadership-and-capability','operational-performance')),
      polarity text not null check (polarity in ('higher-is-better','lower-is-better','neutral')),
      frequency text not null check (frequency in ('month','quarter','financial-year','week','day')),
      source text not null,
      caveat text,
      recorded_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table metric_version (
      id integer generated always as identity primary key,
      metric_id integer not null references metric (id),
      version integer not null check (version > 0),
      effective_from date not null,
      definition jsonb not null,
      reason text not null check (length(btrim(reason)) > 0),
      recorded_at timestamptz not null default now(),
      unique (metric_id, version),
      unique (metric_id, effective_from)
    )
  `.execute(db);

  await sql`
    create table metric_target (
      id integer generated always as identity primary key,
      metric_id integer not null references metric (id),
      kind text not null check (kind in ('standard','interim','ambition')),
      operator text not null check (operator in ('>=','<=')),
      value double precision not null,
      valid_from date not null,
      valid_to date,
      label text not null,
      recorded_at timestamptz not null default now(),
      check (valid_to is null or valid_to > valid_from)
    )
  `.execute(db);

  await sql`
    create table reporting_code (
      id integer generated always as identity primary key,
      ods_code text not null unique check (ods_code ~ '^[A-Z0-9]{2,10}$')
    )
  `.execute(db);

  await sql`
    create table import_run (
      id integer generated always as identity primary key,
      source text not null,
      file_name text not null,
      sha256 text,
      url text,
      provenance text not null check (provenance in ('published','demo','submission','manual')),
      started_at timestamptz not null,
      finished_at timestamptz not null default now(),
      summary jsonb not null default '{}'::jsonb
    )
  `.execute(db);

  // Tens of millions of rows: narrow columns, one-letter period types, no foreign keys (the importer
  // resolves every id itself), and one partial index that keys the current value.
  await sql`
    create table observation (
      code_id integer not null,
      item_id integer not null,
      period_type char(1) not null check (period_type in ('M','Q','Y','W','D')),
      period_start date not null,
      value double precision not null check (value <> 'NaN'::double precision),
      source_id integer not null,
      is_current boolean not null default true
    )
  `.execute(db);
  // One index keys the current value. It leads with the organisation because every roll-up and
  // league table starts from the organisations placed in an aggregate; a second index (by item and
  // period) would nearly double the cost of loading and was not needed by any query (docs/benchmarks.md).
  await sql`
    create unique index observation_current_key
      on observation (code_id, item_id, period_type, period_start) where is_current
  `.execute(db);
  // Which items have figures, for which months: lets an import choose its fast path and a page find
  // the latest month without scanning tens of millions of rows.
  await sql`
    create table observation_extent (
      item_id integer not null,
      period_type char(1) not null,
      first_period date not null,
      last_period date not null,
      primary key (item_id, period_type)
    )
  `.execute(db);

  // A superseded value stays, marked not current; that is the only change allowed.
  await sql`
    create function allow_only_superseding() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'observations are kept: DELETE is not allowed' using errcode = 'P0001';
      end if;
      if not old.is_current or new.is_current
         or (new.code_id, new.item_id, new.period_type, new.period_start, new.value, new.source_id)
            is distinct from (old.code_id, old.item_id, old.period_type, old.period_start, old.value, old.source_id) then
        raise exception 'observations may only be superseded (is_current set to false)' using errcode = 'P0001';
      end if;
      return new;
    end $$
  `.execute(db);
  await sql`
    create trigger observation_supersede_only before update or delete on observation
    for each row execute function allow_only_superseding()
  `.execute(db);
  await sql`
    create trigger observation_no_truncate before truncate on observation
    for each statement execute function refuse_change()
  `.execute(db);

  await sql`
    create table quarantined_observation (
      id bigint generated always as identity primary key,
      ods_code text not null check (ods_code ~ '^[A-Z0-9]{2,10}$'),
      org_name text,
      item_id integer not null references data_item (id),
      period_type char(1) not null,
      period_start date not null,
      value double precision not null,
      source_id integer not null references import_run (id),
      unique (ods_code, item_id, period_type, period_start)
    )
  `.execute(db);
  await sql`create index quarantined_observation_code_idx on quarantined_observation (ods_code)`.execute(db);

  await sql`
    create table quarantine_resolution (
      id integer generated always as identity primary key,
      ods_code text not null,
      resolution text not null check (resolution in ('successor','independent-provider','existing-organisation')),
      target_code text not null,
      rows_released integer not null,
      reason text not null,
      resolved_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table peer_group (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null,
      description text not null default '',
      recorded_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table peer_group_member (
      peer_group_id integer not null references peer_group (id),
      ods_code text not null,
      primary key (peer_group_id, ods_code)
    )
  `.execute(db);

  // Derived, rebuilt whenever the hierarchy or the set of reporting codes changes: for each code, the
  // organisations whose aggregates it counts towards, over time (itself and its ancestors, or those of
  // its successors when the code is not an organisation on that date).
  await sql`
    create table code_placement (
      code_id integer not null,
      aggregate_id integer not null,
      valid_from date not null,
      valid_to date,
      partial boolean not null,
      via_succession boolean not null
    )
  `.execute(db);
  await sql`create index code_placement_aggregate_idx on code_placement (aggregate_id, code_id, valid_from)`.execute(
    db,
  );
  await sql`create index code_placement_code_idx on code_placement (code_id, valid_from)`.execute(db);
  await sql`
    create table placement_state (
      id smallint primary key check (id = 1),
      stamp text not null,
      refreshed_at timestamptz not null default now()
    )
  `.execute(db);

  for (const table of ['metric_version', 'quarantine_resolution']) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
  }
}
