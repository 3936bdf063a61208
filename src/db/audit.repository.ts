import { sql } from 'kysely';
import {
  actorKinds,
  chainAuditEntries,
  type Actor,
  type ActorKind,
  type AuditEntry,
  type ChainedAuditEvent,
} from '../domain/audit.js';
import type { Executor } from './database.js';

export type StoredAuditEvent = ChainedAuditEvent & { id: number };

/**
 * Appends entries to the audit chain inside the caller's transaction. Locking the chain's head row
 * makes concurrent writers chain one after another; the lock is held until the transaction ends.
 */
export async function appendAuditEvents(ex: Executor, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const head = await ex
    .selectFrom('audit_chain_head')
    .select(['last_hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const chained = chainAuditEntries(head.last_hash, actor, new Date().toISOString(), entries);
  const inserted = await ex
    .insertInto('audit_event')
    .values(
      chained.map((event) => ({
        occurred_at: event.occurredAt,
        actor_kind: event.actor.kind,
        actor_id: event.actor.id,
        actor_label: event.actor.label,
        action: event.action,
        record_type: event.recordType,
        record_id: event.recordId,
        request_id: event.actor.requestId ?? null,
        before_value: event.before === null ? null : JSON.stringify(event.before),
        after_value: event.after === null ? null : JSON.stringify(event.after),
        previous_hash: event.previousHash,
        hash: event.hash,
      })),
    )
    .returning('id')
    .execute();
  const last = chained[chained.length - 1];
  await ex
    .updateTable('audit_chain_head')
    .set({ last_id: inserted[inserted.length - 1]?.id ?? null, last_hash: last?.hash ?? head.last_hash })
    .where('id', '=', 1)
    .execute();
}

function toActorKind(value: string): ActorKind {
  return (actorKinds as readonly string[]).includes(value) ? (value as ActorKind) : 'system';
}

const eventColumns = [
  'id',
  'occurred_at',
  'actor_kind',
  'actor_id',
  'actor_label',
  'action',
  'record_type',
  'record_id',
  'request_id',
  'before_value',
  'after_value',
  'previous_hash',
  'hash',
] as const;

function toEvent(row: {
  id: number;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  record_type: string;
  record_id: string | null;
  request_id: string | null;
  before_value: unknown;
  after_value: unknown;
  previous_hash: string;
  hash: string;
}): StoredAuditEvent {
  return {
    id: Number(row.id),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: {
      kind: toActorKind(row.actor_kind),
      id: row.actor_id,
      label: row.actor_label,
      requestId: row.request_id,
    },
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    before: row.before_value ?? null,
    after: row.after_value ?? null,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** Events in chain order after an id, a page at a time (verification reads the whole chain). */
export async function listAuditEventsAfter(ex: Executor, afterId: number, limit: number) {
  const rows = await ex
    .selectFrom('audit_event')
    .select(eventColumns)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

export interface AuditFilter {
  actorKind?: ActorKind;
  actorId?: string;
  recordType?: string;
  recordId?: string;
  /** Only events with a smaller id (paging backwards from the newest). */
  beforeId?: number;
  limit: number;
}

/** The newest events first, filtered by who acted or which record. */
export async function findAuditEvents(ex: Executor, filter: AuditFilter): Promise<StoredAuditEvent[]> {
  let query = ex.selectFrom('audit_event').select(eventColumns);
  if (filter.actorKind) query = query.where('actor_kind', '=', filter.actorKind);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.recordType) query = query.where('record_type', '=', filter.recordType);
  if (filter.recordId !== undefined) query = query.where('record_id', '=', filter.recordId);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toEvent);
}

export async function readAuditChainHead(ex: Executor): Promise<{ lastId: number | null; lastHash: string }> {
  const head = await ex
    .selectFrom('audit_chain_head')
    .select(['last_id', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { lastId: head.last_id === null ? null : Number(head.last_id), lastHash: head.last_hash };
}

export async function countAuditEvents(ex: Executor): Promise<number> {
  const row = await ex
    .selectFrom('audit_event')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
