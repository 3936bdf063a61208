import type {
  EventParticipantRole,
  HierarchyEvent,
  HierarchyEventParticipant,
  HierarchyEventType,
} from '../domain/hierarchy-event.js';
import type { IsoDate } from '../domain/iso-date.js';
import type { Executor } from './database.js';

export async function insertHierarchyEvent(
  ex: Executor,
  input: {
    type: HierarchyEventType;
    effectiveDate: IsoDate;
    reason: string;
    source: string;
    details: Record<string, unknown>;
  },
): Promise<number> {
  const row = await ex
    .insertInto('hierarchy_event')
    .values({
      event_type: input.type,
      effective_date: input.effectiveDate,
      reason: input.reason,
      source: input.source,
      details: JSON.stringify(input.details),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function insertEventParticipants(
  ex: Executor,
  eventId: number,
  participants: Array<{ organisationId: number; role: EventParticipantRole }>,
): Promise<void> {
  const unique = new Map(participants.map((p) => [`${p.organisationId}:${p.role}`, p]));
  if (unique.size === 0) return;
  await ex
    .insertInto('hierarchy_event_participant')
    .values(
      [...unique.values()].map((p) => ({
        event_id: eventId,
        organisation_id: p.organisationId,
        role: p.role,
      })),
    )
    .execute();
}

export interface EventFilter {
  organisationId?: number;
  types?: HierarchyEventType[];
  from?: IsoDate;
  to?: IsoDate;
  limit: number;
  offset: number;
}

/** Events in effective-date order, each with the organisations that took part (named as latest known). */
export async function listHierarchyEvents(
  ex: Executor,
  filter: EventFilter,
): Promise<{ total: number; events: HierarchyEvent[] }> {
  let query = ex.selectFrom('hierarchy_event as e');
  if (filter.organisationId !== undefined) {
    const organisationId = filter.organisationId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('hierarchy_event_participant as ep')
          .select('ep.event_id')
          .whereRef('ep.event_id', '=', 'e.id')
          .where('ep.organisation_id', '=', organisationId),
      ),
    );
  }
  if (filter.types && filter.types.length > 0) query = query.where('e.event_type', 'in', filter.types);
  if (filter.from) query = query.where('e.effective_date', '>=', filter.from);
  if (filter.to) query = query.where('e.effective_date', '<=', filter.to);

  const countRow = await query.select(ex.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'e.id',
      'e.event_type',
      'e.effective_date',
      'e.reason',
      'e.source',
      'e.details',
      'e.recorded_at',
    ])
    .orderBy('e.effective_date')
    .orderBy('e.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();

  const ids = rows.map((row) => Number(row.id));
  const participants = new Map<number, HierarchyEventParticipant[]>();
  if (ids.length > 0) {
    const participantRows = await ex
      .selectFrom('hierarchy_event_participant as ep')
      .innerJoin('organisation as o', 'o.id', 'ep.organisation_id')
      .select([
        'ep.event_id',
        'ep.role',
        'o.ods_code',
        (eb) =>
          eb
            .selectFrom('organisation_version as v')
            .select('v.name')
            .whereRef('v.organisation_id', '=', 'o.id')
            .orderBy('v.valid_from', 'desc')
            .limit(1)
            .as('name'),
      ])
      .where('ep.event_id', 'in', ids)
      .orderBy('ep.event_id')
      .orderBy('o.ods_code')
      .execute();
    for (const row of participantRows) {
      const list = participants.get(Number(row.event_id)) ?? [];
      list.push({
        odsCode: row.ods_code,
        name: row.name ?? row.ods_code,
        role: row.role as EventParticipantRole,
      });
      participants.set(Number(row.event_id), list);
    }
  }

  return {
    total: Number(countRow.total),
    events: rows.map((row) => ({
      id: Number(row.id),
      type: row.event_type as HierarchyEventType,
      effectiveDate: row.effective_date,
      reason: row.reason,
      source: row.source,
      recordedAt: row.recorded_at.toISOString(),
      details: row.details,
      participants: participants.get(Number(row.id)) ?? [],
    })),
  };
}

export async function countHierarchyEvents(ex: Executor): Promise<number> {
  const row = await ex
    .selectFrom('hierarchy_event')
    .select(ex.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
