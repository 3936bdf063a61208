import { sql, type Kysely } from 'kysely';

/**
 * The effective-dated hierarchy. Intervals are half-open [valid_from, valid_to): valid_to is the first
 * day a fact no longer holds, and NULL means it still holds. Facts are append-only: a row may only be
 * closed (valid_to set once, from NULL); events, participants and successions may never change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists btree_gist`.execute(db);

  await sql`
    create function refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op
        using errcode = 'P0001', hint = 'Record a new event instead of changing history.';
    end $$
  `.execute(db);

  // Closing an interval is the only change allowed to a fact row; everything else is refused.
  await sql`
    create function allow_only_closing() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'table % is append-only: DELETE is not allowed', tg_table_name using errcode = 'P0001';
      end if;
      if old.valid_to is not null then
        raise exception 'table % row % is already closed on %', tg_table_name, old.id, old.valid_to
          using errcode = 'P0001';
      end if;
      if new.valid_to is null or (to_jsonb(new) - 'valid_to') <> (to_jsonb(old) - 'valid_to') then
        raise exception 'table % rows may only be closed (valid_to set once)', tg_table_name
          using errcode = 'P0001';
      end if;
      return new;
    end $$
  `.execute(db);

  await sql`
    create table hierarchy_event (
      id bigint generated always as identity primary key,
      event_type text not null check (event_type in
        ('open','close','reparent','revise','merge','absorb','split','succession','role-assigned')),
      effective_date date not null,
      reason text not null check (length(btrim(reason)) > 0),
      source text not null,
      details jsonb not null default '{}'::jsonb,
      recorded_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index hierarchy_event_effective_date_idx on hierarchy_event (effective_date)`.execute(db);

  await sql`
    create table organisation (
      id integer generated always as identity primary key,
      ods_code text not null unique check (ods_code ~ '^[A-Z0-9]{2,10}$'),
      valid_from date not null,
      valid_to date,
      provenance text not null check (provenance in ('reference','ods-import','demo','manual')),
      recorded_at timestamptz not null default now(),
      check (valid_to is null or valid_to > valid_from)
    )
  `.execute(db);

  await sql`
    create table organisation_version (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisation (id),
      valid_from date not null,
      valid_to date,
      name text not null check (length(btrim(name)) > 0),
      kind text not null check (kind in
        ('national-body','region','stp','icb','ccg','nhs-trust','independent-provider','gp-practice')),
      sector text check (sector in ('acute','mental-health','community','ambulance','specialist')),
      postcode text,
      event_id bigint not null references hierarchy_event (id),
      check (valid_to is null or valid_to > valid_from),
      constraint organisation_version_no_overlap
        exclude using gist (organisation_id with =, daterange(valid_from, valid_to) with &&)
    )
  `.execute(db);
  await sql`create index organisation_version_name_idx on organisation_version (lower(name))`.execute(db);
  // The exclusion constraint's GiST index can answer "this organisation on this date" but slowly;
  // a B-tree on (organisation, start) makes as-at lookups and path walks index probes.
  await sql`create index organisation_version_org_idx on organisation_version (organisation_id, valid_from)`.execute(
    db,
  );

  await sql`
    create table organisation_parent (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisation (id),
      parent_id integer not null references organisation (id),
      valid_from date not null,
      valid_to date,
      event_id bigint not null references hierarchy_event (id),
      check (organisation_id <> parent_id),
      check (valid_to is null or valid_to > valid_from),
      constraint organisation_parent_no_overlap
        exclude using gist (organisation_id with =, daterange(valid_from, valid_to) with &&)
    )
  `.execute(db);
  await sql`create index organisation_parent_parent_idx on organisation_parent (parent_id, valid_from)`.execute(
    db,
  );
  await sql`create index organisation_parent_org_idx on organisation_parent (organisation_id, valid_from)`.execute(
    db,
  );

  await sql`
    create table organisation_role (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisation (id),
      role text not null check (role in ('regional-director','chief-executive','chair')),
      holder_name text not null check (length(btrim(holder_name)) > 0),
      valid_from date not null,
      valid_to date,
      event_id bigint not null references hierarchy_event (id),
      check (valid_to is null or valid_to > valid_from),
      constraint organisation_role_no_overlap
        exclude using gist (organisation_id with =, role with =, daterange(valid_from, valid_to) with &&)
    )
  `.execute(db);

  await sql`
    create table hierarchy_event_participant (
      event_id bigint not null references hierarchy_event (id),
      organisation_id integer not null references organisation (id),
      role text not null check (role in
        ('subject','predecessor','successor','old-parent','new-parent','moved-child')),
      primary key (event_id, organisation_id, role)
    )
  `.execute(db);
  await sql`create index hierarchy_event_participant_org_idx on hierarchy_event_participant (organisation_id)`.execute(
    db,
  );

  // Successions are kept by ODS code: the ODS file names many codes (sites, practices, closed trusts)
  // that are not organisations here, and roll-ups still need to follow them.
  await sql`
    create table organisation_succession (
      id integer generated always as identity primary key,
      predecessor_code text not null check (predecessor_code ~ '^[A-Z0-9]{2,10}$'),
      successor_code text not null check (successor_code ~ '^[A-Z0-9]{2,10}$'),
      effective_date date not null,
      succession_type text not null check (succession_type in ('merger','acquisition','split','unclassified')),
      is_split boolean not null,
      source text not null,
      event_id bigint references hierarchy_event (id),
      recorded_at timestamptz not null default now(),
      check (predecessor_code <> successor_code),
      unique (predecessor_code, successor_code, effective_date)
    )
  `.execute(db);
  await sql`create index organisation_succession_successor_idx on organisation_succession (successor_code)`.execute(
    db,
  );

  await sql`
    create table dataset_marker (
      key text primary key,
      details jsonb not null,
      recorded_at timestamptz not null default now()
    )
  `.execute(db);

  for (const table of ['hierarchy_event', 'hierarchy_event_participant', 'organisation_succession']) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
  }
  for (const table of ['organisation', 'organisation_version', 'organisation_parent', 'organisation_role']) {
    await sql`
      create trigger ${sql.raw(`${table}_close_only`)} before update or delete on ${sql.table(table)}
      for each row execute function allow_only_closing()
    `.execute(db);
  }
  for (const table of [
    'hierarchy_event',
    'hierarchy_event_participant',
    'organisation_succession',
    'organisation',
    'organisation_version',
    'organisation_parent',
    'organisation_role',
  ]) {
    await sql`
      create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_change()
    `.execute(db);
  }
}
