import { sql, type Kysely } from 'kysely';

/**
 * Mutual aid between organisations (issue 10): requests and offers of any capacity (beds, elective
 * capacity, diagnostics, staff, equipment, expertise), matches that allocate part of a request to an
 * organisation (through its offer, or asked directly) with each side's agreement and the quantity
 * delivered, and an append-only history of every step. A request's reason may name an intervention
 * (a real foreign key) or a metric signal (metric code and month, checked against the catalogue).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const kinds = sql.raw(`'beds', 'elective', 'diagnostics', 'staff', 'equipment', 'expertise'`);
  await sql`
    create table aid_request (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisation (id),
      kind text not null check (kind in (${kinds})),
      detail text not null check (length(trim(detail)) > 0),
      unit text not null check (length(trim(unit)) > 0),
      quantity integer not null check (quantity > 0),
      needed_from date not null,
      needed_to date not null,
      urgency text not null check (urgency in ('routine', 'urgent', 'critical')),
      reason text not null check (length(trim(reason)) > 0),
      intervention_id integer references intervention (id),
      signal_metric text,
      signal_period date,
      status text not null check (status in ('requested', 'matched', 'agreed', 'in-progress', 'completed', 'withdrawn')),
      status_reason text,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      check (needed_to >= needed_from),
      check ((signal_metric is null) = (signal_period is null)),
      check (status <> 'withdrawn' or length(trim(coalesce(status_reason, ''))) > 0)
    )
  `.execute(db);
  await sql`create index aid_request_organisation_idx on aid_request (organisation_id)`.execute(db);
  await sql`create index aid_request_intervention_idx on aid_request (intervention_id)`.execute(db);
  await sql`create index aid_request_status_idx on aid_request (status)`.execute(db);
  await sql`
    create table aid_offer (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisation (id),
      kind text not null check (kind in (${kinds})),
      detail text not null check (length(trim(detail)) > 0),
      unit text not null check (length(trim(unit)) > 0),
      quantity integer not null check (quantity > 0),
      available_from date not null,
      available_to date not null,
      notes text not null default '',
      status text not null check (status in ('open', 'withdrawn')),
      status_reason text,
      created_at timestamptz not null default now(),
      created_by text not null,
      check (available_to >= available_from)
    )
  `.execute(db);
  await sql`create index aid_offer_kind_idx on aid_offer (kind, detail) where status = 'open'`.execute(db);
  await sql`
    create table aid_match (
      id integer generated always as identity primary key,
      request_id integer not null references aid_request (id),
      offer_id integer references aid_offer (id),
      provider_id integer not null references organisation (id),
      quantity integer not null check (quantity > 0),
      status text not null check (status in ('proposed', 'agreed', 'in-progress', 'completed', 'withdrawn')),
      requester_agreed_at timestamptz,
      requester_agreed_by text,
      provider_agreed_at timestamptz,
      provider_agreed_by text,
      delivered integer not null default 0 check (delivered >= 0 and delivered <= quantity),
      proposed_at timestamptz not null default now(),
      proposed_by text not null,
      check ((requester_agreed_at is null) = (requester_agreed_by is null)),
      check ((provider_agreed_at is null) = (provider_agreed_by is null)),
      check (status in ('proposed', 'withdrawn') or (requester_agreed_at is not null and provider_agreed_at is not null))
    )
  `.execute(db);
  await sql`create index aid_match_request_idx on aid_match (request_id)`.execute(db);
  await sql`create index aid_match_provider_idx on aid_match (provider_id)`.execute(db);
  await sql`create index aid_match_offer_idx on aid_match (offer_id)`.execute(db);
  await sql`
    create table aid_event (
      id integer generated always as identity primary key,
      request_id integer references aid_request (id),
      offer_id integer references aid_offer (id),
      match_id integer references aid_match (id),
      step text not null,
      from_status text,
      to_status text,
      quantity integer,
      note text,
      occurred_at timestamptz not null default now(),
      actor_label text not null,
      check (request_id is not null or offer_id is not null)
    )
  `.execute(db);
  await sql`create index aid_event_request_idx on aid_event (request_id)`.execute(db);
  await sql`
    create trigger aid_event_append_only before update or delete on aid_event
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger aid_event_no_truncate before truncate on aid_event
    for each statement execute function refuse_change()
  `.execute(db);
}
