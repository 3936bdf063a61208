import { sql, type Kysely } from 'kysely';

/**
 * Comply or explain: a register of best-practice standards, and each applicable board's or governing
 * body's declaration against one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table standard (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      title text not null check (length(trim(title)) > 0),
      owner text not null check (length(trim(owner)) > 0),
      summary text not null default '',
      organisation_kinds jsonb not null,
      evidence_asked text not null check (length(trim(evidence_asked)) > 0),
      effective_from date not null,
      declarations_due date not null,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      created_by text not null,
      check (declarations_due >= effective_from)
    )
  `.execute(db);
  await sql`
    create table standard_declaration (
      id integer generated always as identity primary key,
      standard_id integer not null references standard (id),
      organisation_id integer not null references organisation (id),
      position text not null check (position in ('comply', 'explain')),
      evidence text,
      explanation text,
      plan jsonb,
      declared_at timestamptz not null default now(),
      declared_by text not null,
      published_at timestamptz,
      version integer not null default 1 check (version >= 1),
      published_version integer check (published_version is null or published_version <= version),
      unique (standard_id, organisation_id),
      check (position <> 'comply' or length(trim(coalesce(evidence, ''))) > 0),
      check (position <> 'explain' or (length(trim(coalesce(explanation, ''))) > 0 and plan is not null))
    )
  `.execute(db);
  // Every version of a declaration, kept: a revision supersedes, never overwrites, and the public register
  // shows the version that was published even after the board revises it.
  await sql`
    create table standard_declaration_version (
      declaration_id integer not null references standard_declaration (id),
      version integer not null check (version >= 1),
      position text not null check (position in ('comply', 'explain')),
      evidence text,
      explanation text,
      plan jsonb,
      declared_at timestamptz not null default now(),
      declared_by text not null,
      primary key (declaration_id, version)
    )
  `.execute(db);
  await sql`
    create trigger standard_declaration_version_append_only before update or delete
    on standard_declaration_version for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger standard_declaration_version_no_truncate before truncate on standard_declaration_version
    for each statement execute function refuse_change()
  `.execute(db);
  await sql`create index standard_declaration_organisation on standard_declaration (organisation_id)`.execute(
    db,
  );
}
