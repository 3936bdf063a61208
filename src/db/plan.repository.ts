import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { PlanningRound } from '../domain/planning.js';

/** Planning rounds, plans with their versions, and system envelopes. */

export interface RoundRecord extends PlanningRound {
  id: number;
}

export async function listRounds(ex: Executor): Promise<RoundRecord[]> {
  const rows = await ex.selectFrom('planning_round').selectAll().orderBy('year_start', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    yearStart: r.year_start,
    guidance: r.guidance,
    items: r.items,
    opens: r.opens,
    deadline: r.deadline,
    closes: r.closes,
  }));
}

export async function insertRound(ex: Executor, round: PlanningRound, createdBy: string): Promise<number> {
  const row = await ex
    .insertInto('planning_round')
    .values({
      code: round.code,
      name: round.name,
      year_start: round.yearStart,
      guidance: round.guidance,
      items: JSON.stringify(round.items),
      opens: round.opens,
      deadline: round.deadline,
      closes: round.closes,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PlanRecord {
  id: number;
  roundId: number;
  organisationId: number;
  odsCode: string;
  status: string;
  statusReason: string | null;
  content: unknown;
  version: number;
  acceptedVersion: number | null;
  firstSubmittedAt: string | null;
  submittedAt: string | null;
  updatedAt: string;
  updatedBy: string;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function planQuery(ex: Executor) {
  return ex
    .selectFrom('plan as p')
    .innerJoin('organisation as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.round_id',
      'p.organisation_id',
      'o.ods_code',
      'p.status',
      'p.status_reason',
      'p.content',
      'p.version',
      'p.accepted_version',
      'p.first_submitted_at',
      'p.submitted_at',
      'p.updated_at',
      'p.updated_by',
    ]);
}

type PlanRow = Awaited<ReturnType<ReturnType<typeof planQuery>['executeTakeFirstOrThrow']>>;

function toPlan(r: PlanRow): PlanRecord {
  return {
    id: r.id,
    roundId: r.round_id,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    status: r.status,
    statusReason: r.status_reason,
    content: r.content,
    version: r.version,
    acceptedVersion: r.accepted_version,
    firstSubmittedAt: iso(r.first_submitted_at),
    submittedAt: iso(r.submitted_at),
    updatedAt: new Date(r.updated_at).toISOString(),
    updatedBy: r.updated_by,
  };
}

export async function findPlan(
  ex: Executor,
  roundId: number,
  organisationId: number,
  lock = false,
): Promise<PlanRecord | null> {
  const query = planQuery(ex)
    .where('p.round_id', '=', roundId)
    .where('p.organisation_id', '=', organisationId);
  const row = await (lock ? query.forUpdate('p') : query).executeTakeFirst();
  return row ? toPlan(row) : null;
}

export async function listPlans(
  ex: Executor,
  roundId: number,
  organisationIds?: readonly number[],
): Promise<PlanRecord[]> {
  let query = planQuery(ex).where('p.round_id', '=', roundId);
  if (organisationIds) {
    if (organisationIds.length === 0) return [];
    query = query.where('p.organisation_id', 'in', [...organisationIds]);
  }
  return (await query.orderBy('o.ods_code').execute()).map(toPlan);
}

export async function listPlansOfOrganisation(ex: Executor, organisationId: number): Promise<PlanRecord[]> {
  return (await planQuery(ex).where('p.organisation_id', '=', organisationId).execute()).map(toPlan);
}

export async function insertPlan(
  ex: Executor,
  plan: { roundId: number; organisationId: number; status: string; content: unknown; updatedBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('plan')
    .values({
      round_id: plan.roundId,
      organisation_id: plan.organisationId,
      status: plan.status,
      content: JSON.stringify(plan.content),
      updated_by: plan.updatedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePlan(
  ex: Executor,
  id: number,
  change: {
    status: string;
    updatedBy: string;
    content?: unknown;
    version?: number;
    acceptedVersion?: number;
    statusReason?: string | null;
    submittedNow?: boolean;
  },
): Promise<void> {
  const now = new Date();
  await ex
    .updateTable('plan')
    .set({
      status: change.status,
      ...(change.content !== undefined ? { content: JSON.stringify(change.content) } : {}),
      ...(change.version !== undefined ? { version: change.version } : {}),
      ...(change.acceptedVersion !== undefined ? { accepted_version: change.acceptedVersion } : {}),
      ...(change.statusReason !== undefined ? { status_reason: change.statusReason } : {}),
      ...(change.submittedNow
        ? { submitted_at: now, first_submitted_at: sql<Date>`coalesce(first_submitted_at, ${now})` }
        : {}),
      updated_at: now,
      updated_by: change.updatedBy,
    })
    .where('id', '=', id)
    .execute();
}

export interface PlanVersionRecord {
  planId: number;
  version: number;
  content: unknown;
  reason: string | null;
  sourceFormat: string;
  createdAt: string;
  createdBy: string;
}

export async function insertPlanVersion(
  ex: Executor,
  version: Omit<PlanVersionRecord, 'createdAt'>,
): Promise<void> {
  await ex
    .insertInto('plan_version')
    .values({
      plan_id: version.planId,
      version: version.version,
      content: JSON.stringify(version.content),
      reason: version.reason,
      source_format: version.sourceFormat,
      created_by: version.createdBy,
    })
    .execute();
}

export async function listPlanVersions(
  ex: Executor,
  planIds: readonly number[],
): Promise<PlanVersionRecord[]> {
  if (planIds.length === 0) return [];
  const rows = await ex
    .selectFrom('plan_version')
    .selectAll()
    .where('plan_id', 'in', [...planIds])
    .orderBy('plan_id')
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    planId: r.plan_id,
    version: r.version,
    content: r.content,
    reason: r.reason,
    sourceFormat: r.source_format,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  }));
}

export interface EnvelopeRecord {
  organisationId: number;
  controlTotal: number;
  activity: unknown;
  setAt: string;
  setBy: string;
}

export async function findEnvelope(
  ex: Executor,
  roundId: number,
  organisationId: number,
): Promise<EnvelopeRecord | null> {
  const row = await ex
    .selectFrom('system_envelope')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row
    ? {
        organisationId: row.organisation_id,
        controlTotal: row.control_total,
        activity: row.activity,
        setAt: new Date(row.set_at).toISOString(),
        setBy: row.set_by,
      }
    : null;
}

export async function upsertEnvelope(
  ex: Executor,
  envelope: {
    roundId: number;
    organisationId: number;
    controlTotal: number;
    activity: unknown;
    setBy: string;
  },
): Promise<void> {
  await ex
    .insertInto('system_envelope')
    .values({
      round_id: envelope.roundId,
      organisation_id: envelope.organisationId,
      control_total: envelope.controlTotal,
      activity: JSON.stringify(envelope.activity),
      set_by: envelope.setBy,
    })
    .onConflict((oc) =>
      oc.columns(['round_id', 'organisation_id']).doUpdateSet({
        control_total: envelope.controlTotal,
        activity: JSON.stringify(envelope.activity),
        set_at: new Date(),
        set_by: envelope.setBy,
      }),
    )
    .execute();
}

/**
 * Current values for (code, item) pairs and months (actuals for plan against actual), summed per item and
 * month, with how many pairs reported: only what was planned is compared.
 */
export async function sumActuals(
  ex: Executor,
  key: { pairs: ReadonlyArray<{ odsCode: string; item: string }>; from: string; to: string },
): Promise<Array<{ item: string; month: string; value: number; codes: number }>> {
  if (key.pairs.length === 0) return [];
  const rows = await sql<{ item: string; month: string; value: number; codes: number }>`
    with wanted (ods_code, item) as (values ${sql.join(key.pairs.map((p) => sql`(${p.odsCode}, ${p.item})`))})
    select i.code as item, o.period_start::text as month, sum(o.value)::float8 as value, count(*)::int as codes
    from wanted w
    join reporting_code c on c.ods_code = w.ods_code
    join data_item i on i.code = w.item
    join observation o on o.code_id = c.id and o.item_id = i.id
    where o.is_current and o.period_type = 'M'
      and o.period_start between ${key.from}::date and ${key.to}::date
    group by i.code, o.period_start
    order by i.code, o.period_start
  `.execute(ex);
  return rows.rows;
}
