import { sql } from 'kysely';
import type { IsoDate } from '../domain/iso-date.js';
import type {
  OrganisationAsAt,
  OrganisationKind,
  OrganisationVersion,
  Provenance,
  TrustSector,
} from '../domain/organisation.js';
import type { OrganisationRole } from '../domain/hierarchy-event.js';
import type { Executor } from './database.js';

/** An organisation's identity row: its code, its lifetime and where it came from. */
export interface OrganisationRecord {
  id: number;
  odsCode: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  provenance: Provenance;
}

export interface VersionRecord extends OrganisationVersion {
  id: number;
  organisationId: number;
}

export interface ParentLinkRecord {
  id: number;
  organisationId: number;
  parentId: number;
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

export interface RoleRecord {
  id: number;
  organisationId: number;
  role: OrganisationRole;
  holderName: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

interface OrganisationRow {
  id: number;
  ods_code: string;
  valid_from: string;
  valid_to: string | null;
  provenance: string;
}

function organisationRowToRecord(row: OrganisationRow): OrganisationRecord {
  return {
    id: row.id,
    odsCode: row.ods_code,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    provenance: row.provenance as Provenance,
  };
}

interface VersionRow {
  id: number;
  organisation_id: number;
  valid_from: string;
  valid_to: string | null;
  name: string;
  kind: string;
  sector: string | null;
  postcode: string | null;
}

function versionRowToRecord(row: VersionRow): VersionRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    name: row.name,
    kind: row.kind as OrganisationKind,
    sector: row.sector as TrustSector | null,
    postcode: row.postcode,
  };
}

function parentRowToRecord(row: {
  id: number;
  organisation_id: number;
  parent_id: number;
  valid_from: string;
  valid_to: string | null;
}): ParentLinkRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    parentId: row.parent_id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

/** True for rows whose [valid_from, valid_to) interval contains the date. */
function validAt(alias: string, date: IsoDate) {
  return sql<boolean>`(${sql.ref(`${alias}.valid_from`)} <= ${date}::date and (${sql.ref(
    `${alias}.valid_to`,
  )} is null or ${sql.ref(`${alias}.valid_to`)} > ${date}::date))`;
}

export async function findOrganisationByCode(
  ex: Executor,
  odsCode: string,
): Promise<OrganisationRecord | null> {
  const row = await ex
    .selectFrom('organisation')
    .select(['id', 'ods_code', 'valid_from', 'valid_to', 'provenance'])
    .where('ods_code', '=', odsCode)
    .executeTakeFirst();
  return row ? organisationRowToRecord(row) : null;
}

export async function findOrganisationById(ex: Executor, id: number): Promise<OrganisationRecord | null> {
  const row = await ex
    .selectFrom('organisation')
    .select(['id', 'ods_code', 'valid_from', 'valid_to', 'provenance'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? organisationRowToRecord(row) : null;
}

export async function listOrganisationsByCodes(
  ex: Executor,
  odsCodes: readonly string[],
): Promise<Map<string, OrganisationRecord>> {
  if (odsCodes.length === 0) return new Map();
  const rows = await ex
    .selectFrom('organisation')
    .select(['id', 'ods_code', 'valid_from', 'valid_to', 'provenance'])
    .where('ods_code', 'in', [...new Set(odsCodes)])
    .execute();
  return new Map(rows.map((row) => [row.ods_code, organisationRowToRecord(row)]));
}

/** ODS code and most recent name for each organisation id. */
export async function listOrganisationNames(
  ex: Executor,
  ids: readonly number[],
): Promise<Map<number, { odsCode: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .selectFrom('organisation as o')
    .select([
      'o.id',
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
    .where('o.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, { odsCode: row.ods_code, name: row.name ?? row.ods_code }]));
}

export async function countOrganisationsByProvenance(ex: Executor): Promise<Record<string, number>> {
  const rows = await ex
    .selectFrom('organisation')
    .select(['provenance', ex.fn.countAll<number>().as('count')])
    .groupBy('provenance')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.provenance, Number(row.count)]));
}

export async function insertOrganisation(
  ex: Executor,
  input: { odsCode: string; validFrom: IsoDate; provenance: Provenance },
): Promise<number> {
  const row = await ex
    .insertInto('organisation')
    .values({ ods_code: input.odsCode, valid_from: input.validFrom, provenance: input.provenance })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function closeOrganisationRow(ex: Executor, id: number, validTo: IsoDate): Promise<void> {
  await ex.updateTable('organisation').set({ valid_to: validTo }).where('id', '=', id).execute();
}

const versionColumns = [
  'id',
  'organisation_id',
  'valid_from',
  'valid_to',
  'name',
  'kind',
  'sector',
  'postcode',
] as const;

export async function findVersionAt(
  ex: Executor,
  organisationId: number,
  date: IsoDate,
): Promise<VersionRecord | null> {
  const row = await ex
    .selectFrom('organisation_version as v')
    .select(versionColumns.map((c) => `v.${c}` as const))
    .where('v.organisation_id', '=', organisationId)
    .where(validAt('v', date))
    .executeTakeFirst();
  return row ? versionRowToRecord(row) : null;
}

export async function listVersions(ex: Executor, organisationId: number): Promise<VersionRecord[]> {
  const rows = await ex
    .selectFrom('organisation_version')
    .select(versionColumns)
    .where('organisation_id', '=', organisationId)
    .orderBy('valid_from')
    .execute();
  return rows.map(versionRowToRecord);
}

/** The most recent version of each organisation, for display when a date is not in its lifetime. */
export async function findLatestVersion(ex: Executor, organisationId: number): Promise<VersionRecord | null> {
  const row = await ex
    .selectFrom('organisation_version')
    .select(versionColumns)
    .where('organisation_id', '=', organisationId)
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? versionRowToRecord(row) : null;
}

export async function insertVersion(
  ex: Executor,
  input: Omit<OrganisationVersion, 'validTo'> & { organisationId: number; eventId: number },
): Promise<void> {
  await ex
    .insertInto('organisation_version')
    .values({
      organisation_id: input.organisationId,
      valid_from: input.validFrom,
      name: input.name,
      kind: input.kind,
      sector: input.sector,
      postcode: input.postcode,
      event_id: input.eventId,
    })
    .execute();
}

export async function closeVersion(ex: Executor, versionId: number, validTo: IsoDate): Promise<void> {
  await ex
    .updateTable('organisation_version')
    .set({ valid_to: validTo })
    .where('id', '=', versionId)
    .execute();
}

const parentColumns = ['id', 'organisation_id', 'parent_id', 'valid_from', 'valid_to'] as const;

export async function findParentLinkAt(
  ex: Executor,
  organisationId: number,
  date: IsoDate,
): Promise<ParentLinkRecord | null> {
  const row = await ex
    .selectFrom('organisation_parent as p')
    .select(parentColumns.map((c) => `p.${c}` as const))
    .where('p.organisation_id', '=', organisationId)
    .where(validAt('p', date))
    .executeTakeFirst();
  return row ? parentRowToRecord(row) : null;
}

/** The most recent parent link: the current one, or the last before the organisation closed. */
export async function findLatestParentLink(
  ex: Executor,
  organisationId: number,
): Promise<ParentLinkRecord | null> {
  const row = await ex
    .selectFrom('organisation_parent')
    .select(parentColumns)
    .where('organisation_id', '=', organisationId)
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? parentRowToRecord(row) : null;
}

export async function listParentLinks(ex: Executor, organisationId: number): Promise<ParentLinkRecord[]> {
  const rows = await ex
    .selectFrom('organisation_parent')
    .select(parentColumns)
    .where('organisation_id', '=', organisationId)
    .orderBy('valid_from')
    .execute();
  return rows.map(parentRowToRecord);
}

/** Links to this parent that hold on the date or start after it (children that a closure would orphan). */
export async function listChildLinksFrom(
  ex: Executor,
  parentId: number,
  date: IsoDate,
): Promise<ParentLinkRecord[]> {
  const rows = await ex
    .selectFrom('organisation_parent')
    .select(parentColumns)
    .where('parent_id', '=', parentId)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
    .orderBy('organisation_id')
    .execute();
  return rows.map(parentRowToRecord);
}

export async function insertParentLink(
  ex: Executor,
  input: { organisationId: number; parentId: number; validFrom: IsoDate; eventId: number },
): Promise<void> {
  await ex
    .insertInto('organisation_parent')
    .values({
      organisation_id: input.organisationId,
      parent_id: input.parentId,
      valid_from: input.validFrom,
      event_id: input.eventId,
    })
    .execute();
}

export async function closeParentLink(ex: Executor, linkId: number, validTo: IsoDate): Promise<void> {
  await ex.updateTable('organisation_parent').set({ valid_to: validTo }).where('id', '=', linkId).execute();
}

/**
 * The first date after `date` on which a fact about the organisation starts, if any: history is
 * appended in date order, so a change cannot be recorded before one already recorded.
 */
export async function findFactStartingAfter(
  ex: Executor,
  organisationId: number,
  date: IsoDate,
  facts: 'version' | 'parent' | 'both',
): Promise<IsoDate | null> {
  const versions = sql`select valid_from from organisation_version where organisation_id = ${organisationId} and valid_from > ${date}::date`;
  const parents = sql`select valid_from from organisation_parent where organisation_id = ${organisationId} and valid_from > ${date}::date`;
  const source =
    facts === 'version' ? versions : facts === 'parent' ? parents : sql`${versions} union all ${parents}`;
  const result = await sql<{ first_after: string | null }>`
    select min(valid_from) as first_after from (${source}) later
  `.execute(ex);
  return result.rows[0]?.first_after ?? null;
}

/** The most recent holder of a role on an organisation, whether or not still in post. */
export async function findLatestRole(
  ex: Executor,
  organisationId: number,
  role: OrganisationRole,
): Promise<RoleRecord | null> {
  const row = await ex
    .selectFrom('organisation_role')
    .select(['id', 'organisation_id', 'role', 'holder_name', 'valid_from', 'valid_to'])
    .where('organisation_id', '=', organisationId)
    .where('role', '=', role)
    .orderBy('valid_from', 'desc')
    .executeTakeFirst();
  return row ? roleRowToRecord(row) : null;
}

function roleRowToRecord(row: {
  id: number;
  organisation_id: number;
  role: string;
  holder_name: string;
  valid_from: string;
  valid_to: string | null;
}): RoleRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    role: row.role as OrganisationRole,
    holderName: row.holder_name,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

export async function listRoles(ex: Executor, organisationId: number): Promise<RoleRecord[]> {
  const rows = await ex
    .selectFrom('organisation_role')
    .select(['id', 'organisation_id', 'role', 'holder_name', 'valid_from', 'valid_to'])
    .where('organisation_id', '=', organisationId)
    .orderBy('valid_from')
    .execute();
  return rows.map(roleRowToRecord);
}

/** Role holders in post on the date, for a set of organisations. */
export async function listRolesAt(
  ex: Executor,
  organisationIds: readonly number[],
  date: IsoDate,
): Promise<RoleRecord[]> {
  if (organisationIds.length === 0) return [];
  const rows = await ex
    .selectFrom('organisation_role as r')
    .select(['r.id', 'r.organisation_id', 'r.role', 'r.holder_name', 'r.valid_from', 'r.valid_to'])
    .where('r.organisation_id', 'in', [...new Set(organisationIds)])
    .where(validAt('r', date))
    .execute();
  return rows.map(roleRowToRecord);
}

export async function insertRole(
  ex: Executor,
  input: {
    organisationId: number;
    role: OrganisationRole;
    holderName: string;
    validFrom: IsoDate;
    eventId: number;
  },
): Promise<void> {
  await ex
    .insertInto('organisation_role')
    .values({
      organisation_id: input.organisationId,
      role: input.role,
      holder_name: input.holderName,
      valid_from: input.validFrom,
      event_id: input.eventId,
    })
    .execute();
}

export async function closeRole(ex: Executor, roleId: number, validTo: IsoDate): Promise<void> {
  await ex.updateTable('organisation_role').set({ valid_to: validTo }).where('id', '=', roleId).execute();
}

interface OrganisationAsAtRow {
  id: number;
  ods_code: string;
  valid_from: string;
  valid_to: string | null;
  provenance: string;
  name: string;
  kind: string;
  sector: string | null;
  postcode: string | null;
  parent_id: number | null;
  parent_code: string | null;
}

function organisationAsAtRowToOrganisation(row: OrganisationAsAtRow): OrganisationAsAt {
  return {
    id: row.id,
    odsCode: row.ods_code,
    name: row.name,
    kind: row.kind as OrganisationKind,
    sector: row.sector as TrustSector | null,
    postcode: row.postcode,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    provenance: row.provenance as Provenance,
    parentId: row.parent_id,
    parentCode: row.parent_code,
  };
}

/**
 * The subtree under one organisation as it stood on the date: every organisation whose parent link
 * held on that date, with the version of its details in force then.
 */
export async function listSubtreeAt(
  ex: Executor,
  rootId: number,
  date: IsoDate,
  maxDepth: number,
): Promise<Array<OrganisationAsAt & { depth: number }>> {
  const result = await sql<OrganisationAsAtRow & { depth: number }>`
    with recursive tree (id, parent_id, depth) as (
      select ${rootId}::integer, null::integer, 0
      union all
      select p.organisation_id, p.parent_id, t.depth + 1
      from organisation_parent p
      join tree t on p.parent_id = t.id
      where p.valid_from <= ${date}::date and (p.valid_to is null or p.valid_to > ${date}::date)
        and t.depth < ${maxDepth}
    )
    select t.id, t.parent_id, parent.ods_code as parent_code, t.depth, o.ods_code, o.valid_from, o.valid_to,
           o.provenance, v.name, v.kind, v.sector, v.postcode
    from tree t
    join organisation o on o.id = t.id
    left join organisation parent on parent.id = t.parent_id
    join organisation_version v on v.organisation_id = o.id
      and v.valid_from <= ${date}::date and (v.valid_to is null or v.valid_to > ${date}::date)
    order by t.depth, v.name
  `.execute(ex);
  return result.rows.map((row) => ({ ...organisationAsAtRowToOrganisation(row), depth: row.depth }));
}

/** The organisation and its ancestors on the date, from the root down. */
export async function listPathAt(
  ex: Executor,
  organisationId: number,
  date: IsoDate,
): Promise<OrganisationAsAt[]> {
  const result = await sql<OrganisationAsAtRow & { depth: number }>`
    with recursive up (id, depth) as (
      select ${organisationId}::integer, 0
      union all
      select p.parent_id, u.depth + 1
      from organisation_parent p
      join up u on p.organisation_id = u.id
      where p.valid_from <= ${date}::date and (p.valid_to is null or p.valid_to > ${date}::date)
        and u.depth < 20
    )
    select u.id, u.depth, o.ods_code, o.valid_from, o.valid_to, o.provenance,
           v.name, v.kind, v.sector, v.postcode, p.parent_id, parent.ods_code as parent_code
    from up u
    join organisation o on o.id = u.id
    left join organisation_parent p on p.organisation_id = u.id
      and p.valid_from <= ${date}::date and (p.valid_to is null or p.valid_to > ${date}::date)
    left join organisation parent on parent.id = p.parent_id
    join organisation_version v on v.organisation_id = o.id
      and v.valid_from <= ${date}::date and (v.valid_to is null or v.valid_to > ${date}::date)
    order by u.depth desc
  `.execute(ex);
  return result.rows.map(organisationAsAtRowToOrganisation);
}

export interface OrganisationSearch {
  text?: string;
  kinds?: OrganisationKind[];
  asAt: IsoDate;
  limit: number;
  offset: number;
}

/**
 * Organisations that existed on the date, matched by ODS code (exact or prefix) or by any name they
 * have ever had, shown with their details as at the date. Exact code matches come first.
 */
export async function searchOrganisations(
  ex: Executor,
  search: OrganisationSearch,
): Promise<{ total: number; organisations: OrganisationAsAt[] }> {
  const text = search.text?.trim() ?? '';
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const codePrefix = `${text.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let query = ex
    .selectFrom('organisation as o')
    .innerJoin('organisation_version as v', (join) =>
      join.onRef('v.organisation_id', '=', 'o.id').on(validAt('v', search.asAt)),
    )
    .leftJoin('organisation_parent as p', (join) =>
      join.onRef('p.organisation_id', '=', 'o.id').on(validAt('p', search.asAt)),
    )
    .leftJoin('organisation as parent', 'parent.id', 'p.parent_id');
  if (text !== '') {
    query = query.where((eb) =>
      eb.or([
        eb('o.ods_code', 'like', codePrefix),
        eb.exists(
          eb
            .selectFrom('organisation_version as any_v')
            .select('any_v.id')
            .whereRef('any_v.organisation_id', '=', 'o.id')
            .where(sql<boolean>`lower(any_v.name) like ${pattern}`),
        ),
      ]),
    );
  }
  if (search.kinds && search.kinds.length > 0) query = query.where('v.kind', 'in', search.kinds);

  const countRow = await query.select(ex.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'o.id',
      'o.ods_code',
      'o.valid_from',
      'o.valid_to',
      'o.provenance',
      'v.name',
      'v.kind',
      'v.sector',
      'v.postcode',
      'p.parent_id',
      'parent.ods_code as parent_code',
    ])
    .orderBy(sql`case when o.ods_code = ${text.toUpperCase()} then 0 else 1 end`)
    .orderBy('v.name')
    .limit(search.limit)
    .offset(search.offset)
    .execute();
  return { total: Number(countRow.total), organisations: rows.map(organisationAsAtRowToOrganisation) };
}

/** Every organisation open on the date with its parent then (used to map history onto today's tree). */
export async function listOrganisationsAt(ex: Executor, date: IsoDate): Promise<OrganisationAsAt[]> {
  const rows = await ex
    .selectFrom('organisation as o')
    .innerJoin('organisation_version as v', (join) =>
      join.onRef('v.organisation_id', '=', 'o.id').on(validAt('v', date)),
    )
    .leftJoin('organisation_parent as p', (join) =>
      join.onRef('p.organisation_id', '=', 'o.id').on(validAt('p', date)),
    )
    .leftJoin('organisation as parent', 'parent.id', 'p.parent_id')
    .select([
      'o.id',
      'o.ods_code',
      'o.valid_from',
      'o.valid_to',
      'o.provenance',
      'v.name',
      'v.kind',
      'v.sector',
      'v.postcode',
      'p.parent_id',
      'parent.ods_code as parent_code',
    ])
    .orderBy('o.ods_code')
    .execute();
  return rows.map(organisationAsAtRowToOrganisation);
}

/** Every organisation's ODS code (for classifying the codes in an imported file). */
export async function listAllOrganisationCodes(ex: Executor): Promise<string[]> {
  const rows = await ex.selectFrom('organisation').select('ods_code').execute();
  return rows.map((row) => row.ods_code);
}

/** Organisations of one provenance and kind, with their lifetime and latest sector. */
export async function listOrganisationsWithProvenance(
  ex: Executor,
  provenance: Provenance,
  kind: OrganisationKind,
): Promise<
  Array<{ odsCode: string; sector: TrustSector | null; validFrom: IsoDate; validTo: IsoDate | null }>
> {
  const rows = await ex
    .selectFrom('organisation as o')
    .select([
      'o.ods_code',
      'o.valid_from',
      'o.valid_to',
      (eb) =>
        eb
          .selectFrom('organisation_version as v')
          .select('v.sector')
          .whereRef('v.organisation_id', '=', 'o.id')
          .orderBy('v.valid_from', 'desc')
          .limit(1)
          .as('sector'),
      (eb) =>
        eb
          .selectFrom('organisation_version as v')
          .select('v.kind')
          .whereRef('v.organisation_id', '=', 'o.id')
          .orderBy('v.valid_from', 'desc')
          .limit(1)
          .as('kind'),
    ])
    .where('o.provenance', '=', provenance)
    .orderBy('o.ods_code')
    .execute();
  return rows
    .filter((row) => row.kind === kind)
    .map((row) => ({
      odsCode: row.ods_code,
      sector: row.sector as TrustSector | null,
      validFrom: row.valid_from,
      validTo: row.valid_to,
    }));
}
