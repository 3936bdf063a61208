import { sql, type Kysely } from 'kysely';

/**
 * Governance bodies: the NHS Executive Group, the NHS Assembly and the regional boards. Membership is kept
 * over time (closed, never deleted); meetings have papers and decisions, decisions have actions. A decision
 * is never edited once recorded — only published, once — and is corrected by a later decision that
 * supersedes it; an action is only ever completed, once. Links from a decision to a programme, an
 * intervention or a standard are real foreign keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Allows only the named columns to be set, once, from null; every other change, and deletion, is refused.
  await sql`
    create function allow_only_setting_once() returns trigger language plpgsql as $$
    declare
      col text;
      old_rest jsonb := to_jsonb(old);
      new_rest jsonb := to_jsonb(new);
    begin
      if tg_op = 'DELETE' then
        raise exception 'table % is append-only: DELETE is not allowed', tg_table_name using errcode = 'P0001';
      end if;
      foreach col in array tg_argv loop
        if (old_rest -> col) <> 'null'::jsonb and (old_rest -> col) is distinct from (new_rest -> col) then
          raise exception 'table % row %: % is already set', tg_table_name, old.id, col using errcode = 'P0001';
        end if;
        old_rest := old_rest - col;
        new_rest := new_rest - col;
      end loop;
      if old_rest <> new_rest then
        raise exception 'table % rows may only have % set once', tg_table_name, array_to_string(tg_argv, ', ')
          using errcode = 'P0001';
      end if;
      return new;
    end $$
  `.execute(db);

  await sql`
    create table governance_body (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null check (length(trim(name)) > 0),
      kind text not null check (kind in ('executive-group', 'assembly', 'regional-board')),
      scope_organisation_id integer not null references organisation (id),
      purpose text not null check (length(trim(purpose)) > 0),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table governance_membership (
      id integer generated always as identity primary key,
      body_id integer not null references governance_body (id),
      person_name text not null check (length(trim(person_name)) > 0),
      position text not null check (position in ('co-chair', 'chair', 'member')),
      organisation_id integer references organisation (id),
      sector text check (sector in (
        'clinical', 'patient', 'staff', 'voluntary-sector', 'arms-length-body', 'ics', 'stp', 'trust',
        'ccg', 'local-authority'
      )),
      valid_from date not null,
      valid_to date,
      recorded_at timestamptz not null default now(),
      recorded_by text not null,
      check ((organisation_id is null) <> (sector is null)),
      check (valid_to is null or valid_to > valid_from)
    )
  `.execute(db);
  await sql`create index governance_membership_body_idx on governance_membership (body_id)`.execute(db);
  await sql`
    create trigger governance_membership_only_closing before update or delete on governance_membership
    for each row execute function allow_only_closing()
  `.execute(db);

  await sql`
    create table governance_meeting (
      id integer generated always as identity primary key,
      body_id integer not null references governance_body (id),
      meets_on date not null,
      title text not null check (length(trim(title)) > 0),
      status text not null check (status in ('scheduled', 'held', 'cancelled')),
      location text not null check (length(trim(location)) > 0),
      created_at timestamptz not null default now(),
      created_by text not null
    )
  `.execute(db);
  await sql`create index governance_meeting_body_idx on governance_meeting (body_id, meets_on)`.execute(db);

  await sql`
    create table governance_paper (
      id integer generated always as identity primary key,
      meeting_id integer not null references governance_meeting (id),
      title text not null check (length(trim(title)) > 0),
      author text not null check (length(trim(author)) > 0),
      summary text not null check (length(trim(summary)) > 0),
      published_at timestamptz,
      created_at timestamptz not null default now(),
      created_by text not null
    )
  `.execute(db);
  await sql`create index governance_paper_meeting_idx on governance_paper (meeting_id)`.execute(db);

  await sql`
    create table governance_decision (
      id integer generated always as identity primary key,
      meeting_id integer not null references governance_meeting (id),
      text text not null check (length(trim(text)) > 0),
      programme_id integer references programme (id),
      intervention_id integer references intervention (id),
      standard_id integer references standard (id),
      supersedes_id integer unique references governance_decision (id),
      published_at timestamptz,
      recorded_at timestamptz not null default now(),
      recorded_by text not null,
      check (supersedes_id is null or supersedes_id <> id)
    )
  `.execute(db);
  await sql`create index governance_decision_meeting_idx on governance_decision (meeting_id)`.execute(db);

  await sql`
    create table governance_action (
      id integer generated always as identity primary key,
      decision_id integer not null references governance_decision (id),
      description text not null check (length(trim(description)) > 0),
      owner text not null check (length(trim(owner)) > 0),
      due_on date not null,
      completed_on date,
      completed_by text,
      created_at timestamptz not null default now(),
      created_by text not null,
      check ((completed_on is null) = (completed_by is null))
    )
  `.execute(db);
  await sql`create index governance_action_decision_idx on governance_action (decision_id)`.execute(db);

  // Papers and decisions are only ever published; actions only ever completed.
  for (const [table, columns] of [
    ['governance_paper', ['published_at']],
    ['governance_decision', ['published_at']],
    ['governance_action', ['completed_on', 'completed_by']],
  ] as const) {
    await sql`
      create trigger ${sql.raw(`${table}_set_once`)} before update or delete on ${sql.table(table)}
      for each row execute function allow_only_setting_once(${sql.raw(columns.map((c) => `'${c}'`).join(', '))})
    `.execute(db);
  }
  for (const table of [
    'governance_membership',
    'governance_paper',
    'governance_decision',
    'governance_action',
  ]) {
    await sql`
      create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_change()
    `.execute(db);
  }
}
