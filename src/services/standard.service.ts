import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import {
  findOrganisationByCode,
  findOrganisationById,
  findVersionAt,
  listOrganisationsAt,
} from '../db/organisation.repository.js';
import {
  findDeclaration,
  findStandardByCode,
  insertDeclaration,
  insertDeclarationVersion,
  insertStandard,
  listDeclarationsOfOrganisation,
  listDeclarationsOfStandard,
  listDeclarationVersions,
  listPublishedVersions,
  listStandards,
  markDeclarationsPublished,
  markStandardPublished,
  updateDeclaration,
  type DeclarationContentRow,
  type DeclarationRecord,
  type DeclarationVersionRecord,
  type StandardRecord,
} from '../db/standard.repository.js';
import { decide, type Action, type Principal } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import { AppError, conflict, invalidInput, notFound, type Problem, zodProblems } from '../domain/errors.js';
import { formatLongDate, type IsoDate } from '../domain/iso-date.js';
import { nationalBody } from '../domain/nhs-england-structure.js';
import {
  organisationKindLabels,
  type OrganisationAsAt,
  type OrganisationKind,
} from '../domain/organisation.js';
import { ancestorFinder } from '../domain/organisation-tree.js';
import {
  adoptionByArea,
  adoptionOf,
  bodyDueDate,
  declarableKindLabels,
  declarableKinds,
  declarationInboxState,
  overdueBodies,
  parseDeclaration,
  standardInputSchema,
  standardPhase,
  type Adoption,
  type ApplicableBody,
  type AreaAdoption,
  type DeclarableKind,
  type DeclarationInboxState,
  type DeclarationPosition,
  type PlanAction,
  type SeenStatus,
  type Standard,
  type StandardPhase,
} from '../domain/standard.js';

/**
 * Comply or explain: the register of standards (national directors add and publish them), each applicable
 * board's declaration (its own trust board members, or its ICB's leads, for the exact organisation their
 * grant names; a revision appends a version), publication of declarations to the public register, and
 * adoption by England, region and ICB as the hierarchy stands today.
 *
 * Who sees what follows the one policy: a declaration's position is shown to people whose roles cover its
 * organisation, and to everyone once published (the published version); otherwise only the fact that the
 * board has declared is shown, so figures and the overdue list stay true for every viewer. The command
 * line without `--as` acts as the operator, who holds the database and sees everything.
 */

/** Who is asking: a principal (null for the operator at the command line) and the actor for the audit trail. */
export interface StandardCaller {
  principal: Principal | null;
  actor: Actor;
}

export interface StandardView extends Standard {
  status: StandardPhase;
  publishedAt: string | null;
  appliesTo: string[];
}

function presentStandard(s: StandardRecord, today: IsoDate): StandardView {
  const { id: _id, createdAt: _at, createdBy: _by, publishedAt, ...rest } = s;
  return {
    ...rest,
    publishedAt,
    status: standardPhase({ effectiveFrom: s.effectiveFrom, published: publishedAt !== null }, today),
    appliesTo: s.organisationKinds.map((k) => declarableKindLabels[k]),
  };
}

async function englandId(ex: Executor): Promise<number> {
  const england = await findOrganisationByCode(ex, nationalBody.code);
  if (!england) throw new Error('the reference structure has no England');
  return england.id;
}

/** National settings are the `configure` action on England; the operator (no principal) holds the database. */
async function mayConfigure(ex: Executor, principal: Principal | null): Promise<boolean> {
  if (!principal) return true;
  const id = await englandId(ex);
  return decide(principal, 'configure', {
    path: [id],
    published: false,
    statutoryFunction: null,
    template: null,
  }).allowed;
}

async function requireConfiguration(
  ex: Executor,
  principal: Principal | null,
  describe: string,
): Promise<void> {
  if (await mayConfigure(ex, principal)) return;
  if (!principal || principal.kind === 'public')
    throw new AppError('unauthenticated', `Sign in as a national director to change ${describe}.`);
  throw new AppError(
    'forbidden',
    `You cannot change ${describe}: only national directors add and publish comply-or-explain standards.`,
  );
}

/** A standard the caller may see: published ones for everyone, drafts for those who configure standards. */
async function requireVisibleStandard(
  ex: Executor,
  principal: Principal | null,
  code: string,
  lock = false,
): Promise<StandardRecord> {
  const standard = await findStandardByCode(ex, code.trim().toLowerCase(), lock);
  if (!standard || (standard.publishedAt === null && !(await mayConfigure(ex, principal))))
    throw notFound(
      `There is no standard ${code}, or it is not published yet. See "oversight standards list".`,
    );
  return standard;
}

/**
 * Today's hierarchy as the roll-ups need it: every open organisation, each one's path from England (for
 * the access policy), and the bodies each standard applies to with their ICB and region.
 */
interface HierarchyToday {
  byId: Map<number, OrganisationAsAt>;
  regions: OrganisationAsAt[];
  icbs: OrganisationAsAt[];
  bodiesOf(kinds: readonly DeclarableKind[]): ApplicableBody[];
  pathOf(organisationId: number): number[];
  icbOf(organisationId: number): OrganisationAsAt | undefined;
  regionOf(organisationId: number): OrganisationAsAt | undefined;
}

async function hierarchyToday(ex: Executor, today: IsoDate): Promise<HierarchyToday> {
  const rows = await listOrganisationsAt(ex, today);
  const byId = new Map(rows.map((o) => [o.id, o]));
  const find = ancestorFinder(rows);
  const icbOf = (id: number) => {
    const o = byId.get(id);
    if (!o) return undefined;
    return o.kind === 'icb' ? o : find(o.parentId, ['icb', 'stp']);
  };
  const regionOf = (id: number) => {
    const o = byId.get(id);
    return o ? find(o.parentId, ['region']) : undefined;
  };
  const bodies = rows.flatMap((o): ApplicableBody[] => {
    const kind = declarableKinds.find((k) => k === o.kind);
    if (!kind) return [];
    return [
      {
        organisationId: o.id,
        odsCode: o.odsCode,
        name: o.name,
        kind,
        icbId: icbOf(o.id)?.id ?? null,
        regionId: regionOf(o.id)?.id ?? null,
        openedOn: o.validFrom,
      },
    ];
  });
  return {
    byId,
    regions: rows.filter((o) => o.kind === 'region').sort((a, b) => a.name.localeCompare(b.name)),
    icbs: rows.filter((o) => o.kind === 'icb').sort((a, b) => a.name.localeCompare(b.name)),
    bodiesOf: (kinds) => bodies.filter((b) => kinds.includes(b.kind)),
    pathOf(id) {
      const path: number[] = [];
      for (
        let o = byId.get(id);
        o && path.length < 20;
        o = o.parentId === null ? undefined : byId.get(o.parentId)
      )
        path.unshift(o.id);
      return path.length === 0 ? [id] : path;
    },
    icbOf,
    regionOf,
  };
}

/** The one policy applied to a declaration of an organisation placed in today's hierarchy. */
function allowedOn(principal: Principal | null, action: Action, path: number[], published: boolean): boolean {
  if (!principal) return true;
  return decide(principal, action, { path, published, statutoryFunction: null, template: null }).allowed;
}

export interface DeclarationView {
  odsCode: string;
  name: string;
  kind: DeclarableKind;
  icbCode: string | null;
  regionCode: string | null;
  position: DeclarationPosition;
  evidence: string | null;
  explanation: string | null;
  plan: PlanAction[];
  version: number;
  declaredAt: string;
  /** Who made it: shown to people whose roles cover the organisation, not on the public register. */
  declaredBy: string | null;
  /** This version is the one on the public register. */
  published: boolean;
  publishedAt: string | null;
}

interface Seen {
  status: SeenStatus;
  view: DeclarationView | null;
}

/**
 * What one viewer sees of each declaration of a standard: the working version where their roles cover the
 * organisation, the published version where it is published, else only that the board declared.
 */
async function seeDeclarations(
  ex: Executor,
  principal: Principal | null,
  standard: StandardRecord,
  hierarchy: HierarchyToday,
): Promise<Map<number, Seen>> {
  const declarations = await listDeclarationsOfStandard(ex, standard.id);
  const standardPublished = standard.publishedAt !== null;
  const needPublished: DeclarationRecord[] = [];
  const seen = new Map<number, Seen>();
  for (const d of declarations) {
    if (allowedOn(principal, 'read', hierarchy.pathOf(d.organisationId), false)) {
      seen.set(d.organisationId, { status: statusOf(d.position), view: viewOf(d, d, hierarchy, true) });
    } else if (standardPublished && d.publishedVersion !== null) needPublished.push(d);
    else seen.set(d.organisationId, { status: 'declared', view: null });
  }
  const published = await listPublishedVersions(
    ex,
    needPublished.map((d) => d.id),
  );
  for (const d of needPublished) {
    const version = published.get(d.id);
    seen.set(
      d.organisationId,
      version
        ? { status: statusOf(version.position), view: viewOf(d, version, hierarchy, false) }
        : { status: 'declared', view: null },
    );
  }
  return seen;
}

const statusOf = (position: DeclarationPosition): SeenStatus =>
  position === 'comply' ? 'complies' : 'explains';

function viewOf(
  declaration: DeclarationRecord,
  content: DeclarationRecord | DeclarationVersionRecord,
  hierarchy: HierarchyToday,
  covered: boolean,
): DeclarationView {
  const org = hierarchy.byId.get(declaration.organisationId);
  return {
    odsCode: declaration.odsCode,
    name: org?.name ?? declaration.odsCode,
    kind: declarableKinds.find((k) => k === org?.kind) ?? 'nhs-trust',
    icbCode: hierarchy.icbOf(declaration.organisationId)?.odsCode ?? null,
    regionCode: hierarchy.regionOf(declaration.organisationId)?.odsCode ?? null,
    position: content.position,
    evidence: content.evidence,
    explanation: content.explanation,
    plan: content.plan ?? [],
    version: content.version,
    declaredAt: content.declaredAt,
    declaredBy: covered ? content.declaredBy : null,
    published: declaration.publishedVersion === content.version,
    publishedAt: declaration.publishedVersion === content.version ? declaration.publishedAt : null,
  };
}

export interface StandardSummary extends StandardView {
  adoption: Adoption;
}

/** Every standard the caller may see, newest first, with England's adoption of each. */
export async function listStandardViews(
  ex: Executor,
  principal: Principal | null,
  today: IsoDate,
): Promise<StandardSummary[]> {
  const configure = await mayConfigure(ex, principal);
  const standards = (await listStandards(ex)).filter((s) => s.publishedAt !== null || configure);
  const hierarchy = await hierarchyToday(ex, today);
  const result: StandardSummary[] = [];
  for (const s of standards) {
    const seen = await seeDeclarations(ex, principal, s, hierarchy);
    const status = (id: number) => seen.get(id)?.status ?? 'not-declared';
    result.push({
      ...presentStandard(s, today),
      adoption: adoptionOf(hierarchy.bodiesOf(s.organisationKinds), status, s, today),
    });
  }
  return result;
}

export interface OverdueBody {
  standard: { code: string; title: string };
  due: IsoDate;
  odsCode: string;
  name: string;
  kind: DeclarableKind;
  icbCode: string | null;
  regionCode: string | null;
  daysOverdue: number;
}

export interface IcbAdoption extends AreaAdoption {
  regionCode: string | null;
}

export interface StandardDetail {
  standard: StandardView;
  asAt: IsoDate;
  adoption: { england: Adoption; regions: AreaAdoption[]; icbs: IcbAdoption[] };
  overdue: OverdueBody[];
  /** Declarations whose position the caller may see (published ones for everyone). */
  declarations: DeclarationView[];
  /** Declarations made or revised since they were last published (for those who may publish them). */
  awaitingPublication: number;
  mayPublishDeclarations: boolean;
  mayPublishStandard: boolean;
}

const daysBetween = (from: IsoDate, to: IsoDate) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function overdueOf(
  s: StandardRecord,
  hierarchy: HierarchyToday,
  declared: Set<number>,
  today: IsoDate,
): OverdueBody[] {
  if (s.publishedAt === null || today < s.effectiveFrom) return [];
  return overdueBodies(hierarchy.bodiesOf(s.organisationKinds), (id) => declared.has(id), s, today).map(
    (b) => ({
      standard: { code: s.code, title: s.title },
      due: bodyDueDate(b, s),
      odsCode: b.odsCode,
      name: b.name,
      kind: b.kind,
      icbCode: b.icbId === null ? null : (hierarchy.byId.get(b.icbId)?.odsCode ?? null),
      regionCode: b.regionId === null ? null : (hierarchy.byId.get(b.regionId)?.odsCode ?? null),
      daysOverdue: daysBetween(bodyDueDate(b, s), today),
    }),
  );
}

/** One standard: adoption for England, each region and each ICB (members and itself), the overdue and the declarations. */
export async function getStandardDetail(
  ex: Executor,
  principal: Principal | null,
  code: string,
  today: IsoDate,
): Promise<StandardDetail> {
  const s = await requireVisibleStandard(ex, principal, code);
  const hierarchy = await hierarchyToday(ex, today);
  const seen = await seeDeclarations(ex, principal, s, hierarchy);
  const status = (id: number) => seen.get(id)?.status ?? 'not-declared';
  const bodies = hierarchy.bodiesOf(s.organisationKinds);
  const area = (o: OrganisationAsAt) => ({ id: o.id, odsCode: o.odsCode, name: o.name });
  const due = s;
  const declarations = await listDeclarationsOfStandard(ex, s.id);
  const englandPath = [await englandId(ex)];
  const mayPublish = s.publishedAt !== null && allowedOn(principal, 'publish', englandPath, false);
  return {
    standard: presentStandard(s, today),
    asAt: today,
    adoption: {
      england: adoptionOf(bodies, status, due, today),
      regions: adoptionByArea(hierarchy.regions.map(area), bodies, 'region', status, due, today),
      icbs: adoptionByArea(hierarchy.icbs.map(area), bodies, 'icb', status, due, today).map((row) => ({
        ...row,
        regionCode: hierarchy.regionOf(row.area.id)?.odsCode ?? null,
      })),
    },
    overdue: overdueOf(s, hierarchy, new Set(declarations.map((d) => d.organisationId)), today),
    declarations: [...seen.values()]
      .flatMap((v) => (v.view ? [v.view] : []))
      .sort((a, b) => a.odsCode.localeCompare(b.odsCode)),
    awaitingPublication: mayPublish ? declarations.filter((d) => d.publishedVersion !== d.version).length : 0,
    mayPublishDeclarations: mayPublish,
    mayPublishStandard: s.publishedAt === null && (await mayConfigure(ex, principal)),
  };
}

/** Boards that have not declared against a published standard in effect after its declarations were due. */
export async function listOverdue(
  ex: Executor,
  principal: Principal | null,
  today: IsoDate,
  code?: string,
): Promise<OverdueBody[]> {
  const standards = code
    ? [await requireVisibleStandard(ex, principal, code)]
    : (await listStandards(ex)).filter((s) => s.publishedAt !== null);
  const hierarchy = await hierarchyToday(ex, today);
  const result: OverdueBody[] = [];
  for (const s of standards) {
    const declared = new Set((await listDeclarationsOfStandard(ex, s.id)).map((d) => d.organisationId));
    result.push(...overdueOf(s, hierarchy, declared, today));
  }
  return result;
}

/** Adds a standard as a draft (national directors; the operator at the command line); audited. */
export async function createStandard(
  db: Db,
  caller: StandardCaller,
  input: unknown,
  today: IsoDate,
): Promise<StandardView> {
  await requireConfiguration(db, caller.principal, 'the register of standards');
  const parsed = standardInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    throw invalidInput(
      `The standard is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
      problems,
    );
  }
  const standard: Standard = { ...parsed.data };
  return db.transaction().execute(async (trx) => {
    if (await findStandardByCode(trx, standard.code))
      throw conflict(`A standard ${standard.code} already exists. Choose another code.`);
    const id = await insertStandard(trx, standard, caller.actor.label);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'standard.create',
        recordType: 'standard',
        recordId: standard.code,
        before: null,
        after: standard,
      },
    ]);
    return presentStandard(
      {
        ...standard,
        id,
        publishedAt: null,
        createdAt: new Date().toISOString(),
        createdBy: caller.actor.label,
      },
      today,
    );
  });
}

/** Publishes a draft standard: from then it is public, and from its effective date in applicable boards' inboxes. */
export async function publishStandard(
  db: Db,
  caller: StandardCaller,
  code: string,
  today: IsoDate,
): Promise<StandardView> {
  await requireConfiguration(db, caller.principal, `the standard ${code}`);
  return db.transaction().execute(async (trx) => {
    const s = await requireVisibleStandard(trx, caller.principal, code, true);
    if (s.publishedAt !== null)
      throw conflict(
        `The standard ${s.code} was already published on ${formatLongDate(s.publishedAt.slice(0, 10))}.`,
      );
    const at = new Date();
    await markStandardPublished(trx, s.id, at);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'standard.publish',
        recordType: 'standard',
        recordId: s.code,
        before: { publishedAt: null },
        after: { publishedAt: at.toISOString() },
      },
    ]);
    return presentStandard({ ...s, publishedAt: at.toISOString() }, today);
  });
}

export interface DeclarationDetail {
  standard: StandardView;
  organisation: { odsCode: string; name: string; kind: OrganisationKind };
  state: DeclarationInboxState;
  /** The declaration as the caller may see it; null when none is made, or the caller may not see it. */
  declaration: DeclarationView | null;
  /** Whether the board has declared (true even when its unpublished position is not the caller's to see). */
  declared: boolean;
  /** Earlier and current versions, newest first (for people whose roles cover the organisation). */
  history: DeclarationView[];
  mayDeclare: boolean;
}

async function requireApplicable(ex: Executor, s: StandardRecord, odsCode: string, today: IsoDate) {
  const code = odsCode.trim().toUpperCase();
  const org = await findOrganisationByCode(ex, code);
  if (!org) throw notFound(`No organisation has ODS code ${code}. Check the code, or search by name.`);
  const version = await findVersionAt(ex, org.id, today);
  if (!version) throw notFound(`${code} is not open today, so nothing is asked of it.`);
  if (!s.organisationKinds.some((k) => k === version.kind))
    throw invalidInput(
      `${s.title} applies to ${s.organisationKinds.map((k) => declarableKindLabels[k]).join(' and ')}; ${version.name} (${code}) is a ${organisationKindLabels[version.kind]}.`,
      [{ field: 'organisation', message: `Choose an organisation the standard applies to` }],
    );
  return { id: org.id, odsCode: code, name: version.name, kind: version.kind, openedOn: org.validFrom };
}

/** A board's declaration against one standard, with its history for those whose roles cover the board. */
export async function getDeclaration(
  ex: Executor,
  principal: Principal | null,
  code: string,
  odsCode: string,
  today: IsoDate,
): Promise<DeclarationDetail> {
  const s = await requireVisibleStandard(ex, principal, code);
  const org = await requireApplicable(ex, s, odsCode, today);
  const hierarchy = await hierarchyToday(ex, today);
  const path = hierarchy.pathOf(org.id);
  const record = await findDeclaration(ex, s.id, org.id);
  const covered = allowedOn(principal, 'read', path, false);
  let declaration: DeclarationView | null = null;
  let history: DeclarationView[] = [];
  if (record && covered) {
    declaration = viewOf(record, record, hierarchy, true);
    history = (await listDeclarationVersions(ex, record.id)).map((v) => viewOf(record, v, hierarchy, true));
  } else if (record && s.publishedAt !== null && record.publishedVersion !== null) {
    const published = (await listPublishedVersions(ex, [record.id])).get(record.id);
    declaration = published ? viewOf(record, published, hierarchy, false) : null;
  }
  return {
    standard: presentStandard(s, today),
    organisation: { odsCode: org.odsCode, name: org.name, kind: org.kind },
    // A board opened after declarations were due has the same window from its opening (bodyDueDate).
    state: declarationInboxState(record !== null, bodyDueDate(org, s), today),
    declaration,
    declared: record !== null,
    history,
    mayDeclare:
      principal !== null &&
      s.publishedAt !== null &&
      today >= s.effectiveFrom &&
      allowedOn(principal, 'declare', path, false),
  };
}

const sameContent = (a: DeclarationContentRow, b: DeclarationRecord) =>
  a.position === b.position &&
  a.evidence === b.evidence &&
  a.explanation === b.explanation &&
  JSON.stringify(a.plan) === JSON.stringify(b.plan);

/**
 * Makes or revises a board's declaration: comply with evidence, or explain with a plan. Only the board's
 * own members (or the ICB's leads for the ICB) may; a revision appends a version and the working
 * declaration follows it, while the public register keeps the version that was published. Sending the
 * same declaration again changes nothing. One transaction, audited.
 */
export async function declare(
  db: Db,
  caller: { principal: Principal; actor: Actor },
  code: string,
  odsCode: string,
  input: unknown,
  today: IsoDate,
): Promise<DeclarationDetail> {
  await db.transaction().execute(async (trx) => {
    const s = await requireVisibleStandard(trx, caller.principal, code);
    if (s.publishedAt === null)
      throw conflict(`The standard ${s.code} is not published yet, so boards cannot declare against it.`);
    const org = await requireApplicable(trx, s, odsCode, today);
    const hierarchy = await hierarchyToday(trx, today);
    const decision = decide(caller.principal, 'declare', {
      path: hierarchy.pathOf(org.id),
      published: false,
      statutoryFunction: null,
      template: null,
    });
    if (!decision.allowed) {
      if (caller.principal.kind === 'public')
        throw new AppError('unauthenticated', `Sign in to declare against ${s.title} for ${org.name}.`);
      throw new AppError(
        'forbidden',
        `You cannot declare against ${s.title} for ${org.name}: ${decision.reason}`,
      );
    }
    if (today < s.effectiveFrom)
      throw conflict(
        `${s.title} takes effect on ${formatLongDate(s.effectiveFrom)}; declarations open then.`,
      );
    const parsed = parseDeclaration(input, today);
    if (!parsed.ok)
      throw invalidInput(
        `The declaration is not complete: ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'} to fix. Nothing was stored.`,
        parsed.problems,
      );
    const content: DeclarationContentRow = { ...parsed.value, declaredBy: caller.actor.label };
    const at = new Date();
    let existing = await findDeclaration(trx, s.id, org.id, true);
    if (!existing) {
      const id = await insertDeclaration(trx, s.id, org.id, content, at);
      if (id !== null) {
        await insertDeclarationVersion(trx, id, 1, content, at);
        await appendAuditEvents(trx, caller.actor, [
          {
            action: 'standard.declare',
            recordType: 'standard-declaration',
            recordId: `${s.code}/${org.odsCode}`,
            before: null,
            after: { version: 1, ...parsed.value },
          },
        ]);
        return;
      }
      // Another request declared first: revise that declaration instead.
      existing = await findDeclaration(trx, s.id, org.id, true);
      if (!existing) throw new Error('the declaration disappeared while it was being revised');
    }
    if (sameContent(content, existing)) return;
    const version = existing.version + 1;
    await updateDeclaration(trx, existing.id, version, content, at);
    await insertDeclarationVersion(trx, existing.id, version, content, at);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'standard.declare',
        recordType: 'standard-declaration',
        recordId: `${s.code}/${org.odsCode}`,
        before: {
          version: existing.version,
          position: existing.position,
          evidence: existing.evidence,
          explanation: existing.explanation,
          plan: existing.plan,
        },
        after: { version, ...parsed.value },
      },
    ]);
  });
  return getDeclaration(db, caller.principal, code, odsCode, today);
}

/**
 * Puts declarations on the public register: every declaration of the standard made or revised since it
 * was last published, or only those of the named organisations. The `publish` action (national directors
 * and analysts) on each declaration's organisation; one transaction, one audit event per declaration.
 */
export async function publishDeclarations(
  db: Db,
  caller: StandardCaller,
  code: string,
  odsCodes: readonly string[] | undefined,
  today: IsoDate,
): Promise<{ standard: string; published: string[] }> {
  return db.transaction().execute(async (trx) => {
    const s = await requireVisibleStandard(trx, caller.principal, code, true);
    if (s.publishedAt === null)
      throw conflict(`Publish the standard ${s.code} itself before publishing declarations against it.`);
    const hierarchy = await hierarchyToday(trx, today);
    const all = await listDeclarationsOfStandard(trx, s.id);
    let chosen = all;
    if (odsCodes !== undefined) {
      const wanted = odsCodes.map((c) => c.trim().toUpperCase());
      const problems: Problem[] = wanted.flatMap((c, i) =>
        all.some((d) => d.odsCode === c)
          ? []
          : [{ field: `organisations.${i}`, message: `${c} has not declared against ${s.code}` }],
      );
      if (problems.length > 0)
        throw invalidInput('Some organisations named have no declaration to publish.', problems);
      chosen = all.filter((d) => wanted.includes(d.odsCode));
    }
    const due = chosen.filter((d) => d.publishedVersion !== d.version);
    if (caller.principal) {
      const principal = caller.principal;
      const refused = due.filter(
        (d) => !allowedOn(principal, 'publish', hierarchy.pathOf(d.organisationId), false),
      );
      if (refused.length > 0) {
        if (principal.kind === 'public')
          throw new AppError('unauthenticated', 'Sign in to publish declarations.');
        throw new AppError(
          'forbidden',
          `You cannot publish the declarations of ${refused.map((d) => d.odsCode).join(', ')}: national directors and analysts publish declarations.`,
        );
      }
    }
    const at = new Date();
    await markDeclarationsPublished(trx, due, at);
    await appendAuditEvents(
      trx,
      caller.actor,
      due.map((d) => ({
        action: 'standard.declaration-publish',
        recordType: 'standard-declaration',
        recordId: `${s.code}/${d.odsCode}`,
        before: { publishedVersion: d.publishedVersion },
        after: { publishedVersion: d.version, publishedAt: at.toISOString() },
      })),
    );
    return { standard: s.code, published: due.map((d) => d.odsCode) };
  });
}

export interface RegisterEntry extends DeclarationView {
  standard: { code: string; title: string };
}

/** The public register: the published version of every published declaration of every published standard. */
export async function getRegister(ex: Executor, today: IsoDate, code?: string): Promise<RegisterEntry[]> {
  const standards = code
    ? [await requireVisibleStandard(ex, { kind: 'public' }, code)]
    : (await listStandards(ex)).filter((s) => s.publishedAt !== null);
  const hierarchy = await hierarchyToday(ex, today);
  const entries: RegisterEntry[] = [];
  for (const s of standards) {
    const published = (await listDeclarationsOfStandard(ex, s.id)).filter((d) => d.publishedVersion !== null);
    const versions = await listPublishedVersions(
      ex,
      published.map((d) => d.id),
    );
    for (const d of published) {
      const version = versions.get(d.id);
      if (version)
        entries.push({ standard: { code: s.code, title: s.title }, ...viewOf(d, version, hierarchy, false) });
    }
  }
  return entries.sort(
    (a, b) => a.standard.code.localeCompare(b.standard.code) || a.odsCode.localeCompare(b.odsCode),
  );
}

/** What a board's inbox shows for each published standard in effect that applies to it. */
export interface DeclarationInboxEntry {
  standard: { code: string; title: string };
  effectiveFrom: IsoDate;
  due: IsoDate;
  state: DeclarationInboxState;
  position: DeclarationPosition | null;
}

/** For the organisation's inbox (the caller has already been allowed to read it). */
export async function listDeclarationsAsked(
  ex: Executor,
  organisationId: number,
  kind: OrganisationKind,
  today: IsoDate,
): Promise<DeclarationInboxEntry[]> {
  const standards = (await listStandards(ex)).filter(
    (s) => s.publishedAt !== null && s.effectiveFrom <= today && s.organisationKinds.some((k) => k === kind),
  );
  if (standards.length === 0) return [];
  const made = new Map(
    (await listDeclarationsOfOrganisation(ex, organisationId)).map((d) => [d.standardId, d]),
  );
  const openedOn = (await findOrganisationById(ex, organisationId))?.validFrom ?? '0001-01-01';
  return standards.map((s) => {
    const d = made.get(s.id);
    return {
      standard: { code: s.code, title: s.title },
      effectiveFrom: s.effectiveFrom,
      due: bodyDueDate({ openedOn }, s),
      state: declarationInboxState(d !== undefined, bodyDueDate({ openedOn }, s), today),
      position: d?.position ?? null,
    };
  });
}
