import { sql, type Kysely } from 'kysely';

/**
 * Collection templates: what is asked of which organisations, how often and when, each data item
 * collected once. A template is written as a draft, becomes active from a date and may be retired from a
 * later one; its items never change once it is active (a changed collection is a new template).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table collection_template (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9-]{1,62}$'),
      name text not null check (length(trim(name)) > 0),
      description text not null default '',
      period_type text not null check (period_type in ('month', 'quarter', 'financial-year')),
      organisation_kinds text[] not null check (cardinality(organisation_kinds) > 0),
      opens_after_days integer not null check (opens_after_days >= 0),
      soft_deadline_days integer not null,
      hard_close_days integer not null,
      active_from date,
      retired_from date,
      created_at timestamptz not null default now(),
      created_by text not null,
      check (soft_deadline_days >= opens_after_days and hard_close_days >= soft_deadline_days),
      check (retired_from is null or (active_from is not null and retired_from > active_from))
    )
  `.execute(db);
  await sql`
    create table collection_template_item (
      template_id integer not null references collection_template (id),
      item_code text not null,
      primary key (template_id, item_code)
    )
  `.execute(db);
  await sql`create index collection_template_item_item_idx on collection_template_item (item_code)`.execute(
    db,
  );
}
