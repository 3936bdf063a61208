import type { Executor } from './database.js';
import type { DeclarableKind, DeclarationPosition, PlanAction, Standard } from '../domain/standard.js';
import { declarableKinds, declarationPositions, planFromStored } from '../domain/standard.js';

/** Standards of the comply-or-explain register, boards' declarations and every version of each. */

export interface StandardRecord extends Standard {
  id: number;
  publishedAt: string | null;
  createdAt: string;
  createdBy: string;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

const kindsOf = (value: unknown): DeclarableKind[] =>
  Array.isArray(value) ? declarableKinds.filter((k) => value.includes(k)) : [];

const positionOf = (value: string): DeclarationPosition =>
  declarationPositions.find((p) => p === value) ?? 'explain';

function standardQuery(ex: Executor) {
  return ex
    .selectFrom('standard')
    .select([
      'id',
      'code',
      'title',
      'owner',
      'summary',
      'organisation_kinds',
      'evidence_asked',
      'effective_from',
      'declarations_due',
      'published_at',
      'created_at',
      'created_by',
    ]);
}

type StandardRow = Awaited<ReturnType<ReturnType<typeof standardQuery>['executeTakeFirstOrThrow']>>;

function standardRowToRecord(r: StandardRow): StandardRecord {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    owner: r.owner,
    summary: r.summary,
    organisationKinds: kindsOf(r.organisation_kinds),
    evidenceAsked: r.evidence_asked,
    effectiveFrom: r.effective_from,
    declarationsDue: r.declarations_due,
    publishedAt: iso(r.published_at),
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  };
}

export async function listStandards(ex: Executor): Promise<StandardRecord[]> {
  const rows = await standardQuery(ex).orderBy('effective_from', 'desc').orderBy('code').execute();
  return rows.map(standardRowToRecord);
}

export async function findStandardByCode(
  ex: Executor,
  code: string,
  lock = false,
): Promise<StandardRecord | null> {
  const query = standardQuery(ex).where('code', '=', code);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  return row ? standardRowToRecord(row) : null;
}

export async function insertStandard(ex: Executor, standard: Standard, createdBy: string): Promise<number> {
  const row = await ex
    .insertInto('standard')
    .values({
      code: standard.code,
      title: standard.title,
      owner: standard.owner,
      summary: standard.summary,
      organisation_kinds: JSON.stringify(standard.organisationKinds),
      evidence_asked: standard.evidenceAsked,
      effective_from: standard.effectiveFrom,
      declarations_due: standard.declarationsDue,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function markStandardPublished(ex: Executor, id: number, at: Date): Promise<void> {
  await ex.updateTable('standard').set({ published_at: at }).where('id', '=', id).execute();
}

/** A declaration's working (latest) version, and which version, if any, is on the public register. */
export interface DeclarationRecord {
  id: number;
  standardId: number;
  organisationId: number;
  odsCode: string;
  position: DeclarationPosition;
  evidence: string | null;
  explanation: string | null;
  plan: PlanAction[] | null;
  version: number;
  declaredAt: string;
  declaredBy: string;
  publishedAt: string | null;
  publishedVersion: number | null;
}

function declarationQuery(ex: Executor) {
  return ex
    .selectFrom('standard_declaration as d')
    .innerJoin('organisation as o', 'o.id', 'd.organisation_id')
    .select([
      'd.id',
      'd.standard_id',
      'd.organisation_id',
      'o.ods_code',
      'd.position',
      'd.evidence',
      'd.explanation',
      'd.plan',
      'd.version',
      'd.declared_at',
      'd.declared_by',
      'd.published_at',
      'd.published_version',
    ]);
}

type DeclarationRow = Awaited<ReturnType<ReturnType<typeof declarationQuery>['executeTakeFirstOrThrow']>>;

function declarationRowToRecord(r: DeclarationRow): DeclarationRecord {
  return {
    id: r.id,
    standardId: r.standard_id,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    position: positionOf(r.position),
    evidence: r.evidence,
    explanation: r.explanation,
    plan: r.plan === null ? null : planFromStored(r.plan),
    version: r.version,
    declaredAt: new Date(r.declared_at).toISOString(),
    declaredBy: r.declared_by,
    publishedAt: iso(r.published_at),
    publishedVersion: r.published_version,
  };
}

export async function findDeclaration(
  ex: Executor,
  standardId: number,
  organisationId: number,
  lock = false,
): Promise<DeclarationRecord | null> {
  const query = declarationQuery(ex)
    .where('d.standard_id', '=', standardId)
    .where('d.organisation_id', '=', organisationId);
  const row = await (lock ? query.forUpdate('d') : query).executeTakeFirst();
  return row ? declarationRowToRecord(row) : null;
}

export async function listDeclarationsOfStandard(
  ex: Executor,
  standardId: number,
): Promise<DeclarationRecord[]> {
  const rows = await declarationQuery(ex)
    .where('d.standard_id', '=', standardId)
    .orderBy('o.ods_code')
    .execute();
  return rows.map(declarationRowToRecord);
}

export async function listDeclarationsOfOrganisation(
  ex: Executor,
  organisationId: number,
): Promise<DeclarationRecord[]> {
  const rows = await declarationQuery(ex).where('d.organisation_id', '=', organisationId).execute();
  return rows.map(declarationRowToRecord);
}

export interface DeclarationContentRow {
  position: DeclarationPosition;
  evidence: string | null;
  explanation: string | null;
  plan: PlanAction[] | null;
  declaredBy: string;
}

/**
 * Stores the first version of a declaration; returns null when another request stored one first
 * (the unique key decides), so the caller revises that one instead.
 */
export async function insertDeclaration(
  ex: Executor,
  standardId: number,
  organisationId: number,
  content: DeclarationContentRow,
  at: Date,
): Promise<number | null> {
  const row = await ex
    .insertInto('standard_declaration')
    .values({
      standard_id: standardId,
      organisation_id: organisationId,
      position: content.position,
      evidence: content.evidence,
      explanation: content.explanation,
      plan: content.plan === null ? null : JSON.stringify(content.plan),
      declared_at: at,
      declared_by: content.declaredBy,
      version: 1,
    })
    .onConflict((oc) => oc.columns(['standard_id', 'organisation_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function updateDeclaration(
  ex: Executor,
  id: number,
  version: number,
  content: DeclarationContentRow,
  at: Date,
): Promise<void> {
  await ex
    .updateTable('standard_declaration')
    .set({
      position: content.position,
      evidence: content.evidence,
      explanation: content.explanation,
      plan: content.plan === null ? null : JSON.stringify(content.plan),
      declared_at: at,
      declared_by: content.declaredBy,
      version,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertDeclarationVersion(
  ex: Executor,
  declarationId: number,
  version: number,
  content: DeclarationContentRow,
  at: Date,
): Promise<void> {
  await ex
    .insertInto('standard_declaration_version')
    .values({
      declaration_id: declarationId,
      version,
      position: content.position,
      evidence: content.evidence,
      explanation: content.explanation,
      plan: content.plan === null ? null : JSON.stringify(content.plan),
      declared_at: at,
      declared_by: content.declaredBy,
    })
    .execute();
}

export interface DeclarationVersionRecord extends DeclarationContentRow {
  declarationId: number;
  version: number;
  declaredAt: string;
}

function versionRowToRecord(r: {
  declaration_id: number;
  version: number;
  position: string;
  evidence: string | null;
  explanation: string | null;
  plan: unknown;
  declared_at: Date;
  declared_by: string;
}): DeclarationVersionRecord {
  return {
    declarationId: r.declaration_id,
    version: r.version,
    position: positionOf(r.position),
    evidence: r.evidence,
    explanation: r.explanation,
    plan: r.plan === null ? null : planFromStored(r.plan),
    declaredAt: new Date(r.declared_at).toISOString(),
    declaredBy: r.declared_by,
  };
}

/** Every version of one declaration, newest first. */
export async function listDeclarationVersions(
  ex: Executor,
  declarationId: number,
): Promise<DeclarationVersionRecord[]> {
  const rows = await ex
    .selectFrom('standard_declaration_version')
    .selectAll()
    .where('declaration_id', '=', declarationId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(versionRowToRecord);
}

/** The published version of each of the given declarations (the public register's content). */
export async function listPublishedVersions(
  ex: Executor,
  declarationIds: readonly number[],
): Promise<Map<number, DeclarationVersionRecord>> {
  if (declarationIds.length === 0) return new Map();
  const rows = await ex
    .selectFrom('standard_declaration_version as v')
    .innerJoin('standard_declaration as d', (join) =>
      join.onRef('d.id', '=', 'v.declaration_id').onRef('d.published_version', '=', 'v.version'),
    )
    .select([
      'v.declaration_id',
      'v.version',
      'v.position',
      'v.evidence',
      'v.explanation',
      'v.plan',
      'v.declared_at',
      'v.declared_by',
    ])
    .where('v.declaration_id', 'in', [...declarationIds])
    .execute();
  return new Map(rows.map((r) => [r.declaration_id, versionRowToRecord(r)]));
}

/** Puts the current version of each declaration on the public register. */
export async function markDeclarationsPublished(
  ex: Executor,
  declarations: ReadonlyArray<{ id: number; version: number }>,
  at: Date,
): Promise<void> {
  for (const d of declarations)
    await ex
      .updateTable('standard_declaration')
      .set({ published_at: at, published_version: d.version })
      .where('id', '=', d.id)
      .execute();
}

/** One declaration of a bulk load (the demo): its versions, oldest first, and the version published, if any. */
export interface LoadedDeclaration {
  organisationId: number;
  versions: Array<DeclarationContentRow & { at: Date }>;
  publishedVersion: number | null;
  publishedAt: Date | null;
}

/** Stores many declarations of one standard with every version, in two statements (bulk loads only). */
export async function insertDeclarationsInBulk(
  ex: Executor,
  standardId: number,
  declarations: readonly LoadedDeclaration[],
): Promise<number> {
  const rows = declarations.flatMap((d) => {
    const last = d.versions[d.versions.length - 1];
    return last ? [{ d, last }] : [];
  });
  if (rows.length === 0) return 0;
  const inserted = await ex
    .insertInto('standard_declaration')
    .values(
      rows.map(({ d, last }) => ({
        standard_id: standardId,
        organisation_id: d.organisationId,
        position: last.position,
        evidence: last.evidence,
        explanation: last.explanation,
        plan: last.plan === null ? null : JSON.stringify(last.plan),
        declared_at: last.at,
        declared_by: last.declaredBy,
        version: d.versions.length,
        published_version: d.publishedVersion,
        published_at: d.publishedAt,
      })),
    )
    .returning(['id', 'organisation_id'])
    .execute();
  const idOf = new Map(inserted.map((r) => [r.organisation_id, r.id]));
  await ex
    .insertInto('standard_declaration_version')
    .values(
      rows.flatMap(({ d }) =>
        d.versions.map((v, i) => ({
          declaration_id: idOf.get(d.organisationId) ?? 0,
          version: i + 1,
          position: v.position,
          evidence: v.evidence,
          explanation: v.explanation,
          plan: v.plan === null ? null : JSON.stringify(v.plan),
          declared_at: v.at,
          declared_by: v.declaredBy,
        })),
      ),
    )
    .execute();
  return rows.length;
}
