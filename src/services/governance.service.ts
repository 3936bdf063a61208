import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import {
  closeMembership,
  completeAction as storeCompletion,
  findBodyByCode,
  findInterventionLink,
  findMeeting,
  findMembership,
  findPaperMeetingId,
  findProgrammeByCode,
  findStandardByCode,
  insertAction,
  insertBodyIfMissing,
  insertDecision,
  insertMeeting,
  insertMembership,
  insertPaper,
  isDecisionSuperseded,
  listActions,
  listActionsInContext,
  listBodies,
  listDecisions,
  listInterventionLinks,
  listMeetings,
  listMemberships,
  listPapers,
  listProgrammeChoices,
  listRegionalDirectorsAt,
  listStandardChoices,
  lockDecision,
  lockMeeting,
  publishDecision as storeDecisionPublication,
  publishPaper as storePaperPublication,
  updateMeetingStatus,
  type BodyRecord,
  type DecisionRecord,
  type InterventionLinkRecord,
  type MeetingRecord,
  type OrganisationRef,
} from '../db/governance.repository.js';
import { findOrganisationByCode, findVersionAt } from '../db/organisation.repository.js';
import { statutoryFunctions, type Principal, type StatutoryFunction } from '../domain/access.js';
import { systemActor, type Actor, type AuditEntry } from '../domain/audit.js';
import { conflict, invalidInput, notFound, parseInput, type Problem } from '../domain/errors.js';
import {
  actionInputSchema,
  actionState,
  completeActionInputSchema,
  countActions,
  countByRepresentation,
  daysOverdue,
  decisionInputSchema,
  decisionRefusal,
  endMemberInputSchema,
  meetingInputSchema,
  meetingStatusInputSchema,
  meetingStatusRefusal,
  membersAt,
  memberInputSchema,
  newMeetingStatusRefusal,
  nextMeeting,
  paperInputSchema,
  type ActionCounts,
  type ActionState,
  type BodyKind,
  type MeetingStatus,
  type MemberPosition,
  type RepresentationGroup,
  type Sector,
} from '../domain/governance.js';
import type { IsoDate } from '../domain/iso-date.js';
import { nationalBody, referenceRegions } from '../domain/nhs-england-structure.js';
import { authorise, isAllowed, type PathCache, type RecordFacts } from './access.service.js';

/**
 * The governance bodies: the NHS Executive Group and NHS Assembly (England) and a board per region.
 *
 * Who may see what:
 * - bodies, their membership and their meetings (date, title, status, place) are public;
 * - a paper or a decision (with its actions) is public once published; before that, only people whose
 *   roles allow reading records of the body's scope organisation (England, or the region) as the hierarchy
 *   stood on the meeting's date: national roles for England's bodies; national roles and that region's
 *   directors and teams for a regional board;
 * - a decision's link to an intervention is shown only to people who may read the intervention (its
 *   statutory function granted, a role over its organisation); otherwise the link is left out without a
 *   trace, so a decision never reveals that an intervention of a statutory function exists.
 *
 * Recording — membership, meetings, papers, decisions, actions, publication — is the `govern` action on the
 * body's scope: national directors for England's bodies, a region's director for its board.
 * The command line without `--as` reads as the operator, who holds the database and sees everything.
 */

/** Who asks: a principal (null: the command-line operator, for reads). */
export type Reader = Principal | null;

export interface Governor {
  principal: Principal;
  actor: Actor;
}

function scopeFacts(body: BodyRecord, date: IsoDate): RecordFacts {
  return { organisationId: body.scope.id, date, published: false, statutoryFunction: null, template: null };
}

async function canReadUnpublished(
  ex: Executor,
  reader: Reader,
  body: BodyRecord,
  date: IsoDate,
  cache: PathCache,
): Promise<boolean> {
  if (reader === null) return true;
  return isAllowed(ex, reader, 'read', scopeFacts(body, date), cache);
}

async function canGovern(ex: Executor, reader: Reader, body: BodyRecord, date: IsoDate): Promise<boolean> {
  if (reader === null) return false;
  return isAllowed(ex, reader, 'govern', scopeFacts(body, date));
}

/**
 * Whether the reader may see draft standards: standards are drafts until published, and drafts are seen
 * only by those who may configure England (national directors) and the command-line operator, as in
 * `standard.service.ts` `requireVisibleStandard`.
 */
async function seesDraftStandards(ex: Executor, reader: Reader, today: IsoDate): Promise<boolean> {
  if (reader === null) return true;
  const england = await findOrganisationByCode(ex, nationalBody.code);
  if (!england) return false;
  return isAllowed(ex, reader, 'configure', {
    organisationId: england.id,
    date: today,
    published: false,
    statutoryFunction: null,
    template: null,
  });
}

async function requireBody(ex: Executor, code: string): Promise<BodyRecord> {
  const body = await findBodyByCode(ex, code);
  if (!body) throw notFound(`There is no governance body "${code}". See "oversight governance bodies".`);
  return body;
}

async function requireBodyById(ex: Executor, id: number): Promise<BodyRecord> {
  const body = (await listBodies(ex)).find((b) => b.id === id);
  if (!body) throw new Error(`governance body ${id} is missing`);
  return body;
}

// The bodies themselves, in every database

const bodyPurposes: Record<BodyKind, (scope: string) => string> = {
  'executive-group': () =>
    'Leads the NHS as one organisation: all national directors and regional directors of NHS England and NHS Improvement, co-chaired by the two chief executives.',
  assembly: () =>
    "A forum drawn from national clinical, patient and staff organisations, the voluntary, community and social enterprise sector, NHS arm's-length bodies, and leaders of ICSs, STPs, trusts, CCGs and local authorities, to oversee progress on the NHS five year forward view and help co-design the NHS 10-year plan.",
  'regional-board': (scope) =>
    `Oversees the NHS in ${scope}: the region's systems, trusts and commissioners, and its part in national programmes.`,
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The code of a region's board: "london-regional-board". */
export const regionalBoardCode = (regionName: string) => `${slug(regionName)}-regional-board`;

/**
 * Adds the bodies a database lacks: the NHS Executive Group and NHS Assembly (scope England) and a board for
 * each region of the reference structure open today (the seven regions). Needs the reference structure;
 * does nothing without it. Stored bodies are never changed.
 */
export async function ensureGovernanceBodies(ex: Executor): Promise<{ added: number }> {
  const england = await findOrganisationByCode(ex, nationalBody.code);
  if (!england) return { added: 0 };
  const wanted: Array<{
    code: string;
    name: string;
    kind: BodyKind;
    scopeOrganisationId: number;
    purpose: string;
  }> = [
    {
      code: 'nhs-executive-group',
      name: 'NHS Executive Group',
      kind: 'executive-group',
      scopeOrganisationId: england.id,
      purpose: bodyPurposes['executive-group']('England'),
    },
    {
      code: 'nhs-assembly',
      name: 'NHS Assembly',
      kind: 'assembly',
      scopeOrganisationId: england.id,
      purpose: bodyPurposes.assembly('England'),
    },
  ];
  for (const region of referenceRegions.filter((r) => r.validTo === null)) {
    const organisation = await findOrganisationByCode(ex, region.code);
    if (!organisation) continue;
    wanted.push({
      code: regionalBoardCode(region.name),
      name: `${region.name} regional board`,
      kind: 'regional-board',
      scopeOrganisationId: organisation.id,
      purpose: bodyPurposes['regional-board'](region.name),
    });
  }
  const added: string[] = [];
  for (const body of wanted) if (await insertBodyIfMissing(ex, body)) added.push(body.code);
  if (added.length > 0)
    await appendAuditEvents(ex, systemActor, [
      {
        action: 'governance.bodies-ensure',
        recordType: 'governance-body',
        recordId: null,
        before: null,
        after: { added },
      },
    ]);
  return { added: added.length };
}

// Views

export interface MeetingSummaryView {
  id: number;
  meetsOn: IsoDate;
  title: string;
  status: MeetingStatus;
  location: string;
}

export interface BodySummaryView {
  code: string;
  name: string;
  kind: BodyKind;
  purpose: string;
  scope: { odsCode: string; name: string };
  membersToday: number;
  nextMeeting: MeetingSummaryView | null;
  /** Actions of the decisions the reader may see. */
  actions: ActionCounts;
}

export interface MemberView {
  /** Null for members drawn from the hierarchy (regional directors), which are changed there. */
  id: number | null;
  personName: string;
  position: MemberPosition;
  organisation: { odsCode: string; name: string } | null;
  sector: Sector | null;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  source: 'recorded' | 'hierarchy';
}

export interface BodyView extends BodySummaryView {
  asAt: IsoDate;
  members: MemberView[];
  representation: RepresentationGroup[];
  meetings: Array<MeetingSummaryView & { papers: number; decisions: number }>;
  canGovern: boolean;
}

const presentMeeting = (m: MeetingRecord): MeetingSummaryView => ({
  id: m.id,
  meetsOn: m.meetsOn,
  title: m.title,
  status: m.status,
  location: m.location,
});

const presentOrganisation = (o: OrganisationRef | null) => (o ? { odsCode: o.odsCode, name: o.name } : null);

/** Members as at a date: those recorded, and the regional directors the hierarchy names for the body. */
async function membersOn(ex: Executor, body: BodyRecord, date: IsoDate): Promise<MemberView[]> {
  const recorded: MemberView[] = (await listMemberships(ex, body.id)).map((m) => ({
    id: m.id,
    personName: m.personName,
    position: m.position,
    organisation: presentOrganisation(m.organisation),
    sector: m.sector,
    validFrom: m.validFrom,
    validTo: m.validTo,
    source: 'recorded',
  }));
  // The Executive Group's regional directors, and each board's own, come from the hierarchy's roles.
  const directors =
    body.kind === 'executive-group'
      ? await listRegionalDirectorsAt(ex, date)
      : body.kind === 'regional-board'
        ? await listRegionalDirectorsAt(ex, date, body.scope.id)
        : [];
  const drawn: MemberView[] = directors.map((d) => ({
    id: null,
    personName: d.personName,
    position: 'member',
    organisation: presentOrganisation(d.region),
    sector: null,
    validFrom: d.validFrom,
    validTo: d.validTo,
    source: 'hierarchy',
  }));
  return membersAt([...recorded, ...drawn], date);
}

/** The actions of decisions the reader may see, per body. */
async function visibleActionsByBody(ex: Executor, reader: Reader, bodies: BodyRecord[], openOnly: boolean) {
  const cache: PathCache = new Map();
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const all = await listActionsInContext(ex, { openOnly });
  const visible = [];
  for (const action of all) {
    const body = byId.get(action.bodyId);
    if (!body) continue;
    if (action.decisionPublished || (await canReadUnpublished(ex, reader, body, action.meetsOn, cache)))
      visible.push({ ...action, body });
  }
  return visible;
}

async function summarise(
  ex: Executor,
  body: BodyRecord,
  actions: Array<{ dueOn: IsoDate; completedOn: IsoDate | null }>,
  today: IsoDate,
): Promise<BodySummaryView> {
  const meetings = await listMeetings(ex, body.id);
  const next = nextMeeting(meetings, today);
  return {
    code: body.code,
    name: body.name,
    kind: body.kind,
    purpose: body.purpose,
    scope: { odsCode: body.scope.odsCode, name: body.scope.name },
    membersToday: (await membersOn(ex, body, today)).length,
    nextMeeting: next ? presentMeeting(next) : null,
    actions: countActions(actions, today),
  };
}

export async function listBodyViews(
  ex: Executor,
  reader: Reader,
  today: IsoDate,
): Promise<BodySummaryView[]> {
  const bodies = await listBodies(ex);
  const actions = await visibleActionsByBody(ex, reader, bodies, false);
  const views: BodySummaryView[] = [];
  for (const body of bodies)
    views.push(
      await summarise(
        ex,
        body,
        actions.filter((a) => a.bodyId === body.id),
        today,
      ),
    );
  return views;
}

export async function getBodyView(
  ex: Executor,
  reader: Reader,
  code: string,
  today: IsoDate,
  asAt: IsoDate = today,
): Promise<BodyView> {
  const body = await requireBody(ex, code);
  const actions = (await visibleActionsByBody(ex, reader, [body], false)).filter((a) => a.bodyId === body.id);
  const summary = await summarise(ex, body, actions, today);
  const members = await membersOn(ex, body, asAt);
  const meetings = await listMeetings(ex, body.id);
  const decisions = await listDecisions(
    ex,
    meetings.map((m) => m.id),
  );
  const cache: PathCache = new Map();
  const meetingViews = [];
  for (const meeting of meetings) {
    const seesAll = await canReadUnpublished(ex, reader, body, meeting.meetsOn, cache);
    const papers = (await listPapers(ex, meeting.id)).filter((p) => seesAll || p.publishedAt !== null);
    meetingViews.push({
      ...presentMeeting(meeting),
      papers: papers.length,
      decisions: decisions.filter((d) => d.meetingId === meeting.id && (seesAll || d.publishedAt !== null))
        .length,
    });
  }
  return {
    ...summary,
    asAt,
    members,
    representation: countByRepresentation(members),
    meetings: meetingViews,
    canGovern: await canGovern(ex, reader, body, today),
  };
}

export interface PaperView {
  id: number;
  title: string;
  author: string;
  summary: string;
  published: boolean;
  publishedAt: string | null;
}

export interface ActionView {
  id: number;
  description: string;
  owner: string;
  dueOn: IsoDate;
  completedOn: IsoDate | null;
  state: ActionState;
  daysOverdue: number;
}

export interface DecisionView {
  id: number;
  text: string;
  published: boolean;
  publishedAt: string | null;
  recordedAt: string;
  recordedBy: string;
  supersedesId: number | null;
  supersededById: number | null;
  programme: { code: string; name: string } | null;
  intervention: { id: number; title: string; kind: string } | null;
  standard: { code: string; title: string } | null;
  actions: ActionView[];
}

export interface LinkChoices {
  programmes: Array<{ code: string; name: string }>;
  standards: Array<{ code: string; title: string }>;
  interventions: Array<{ id: number; title: string }>;
}

export interface MeetingView {
  body: { code: string; name: string; kind: BodyKind; scope: { odsCode: string; name: string } };
  meeting: MeetingSummaryView;
  papers: PaperView[];
  decisions: DecisionView[];
  actions: ActionCounts;
  canGovern: boolean;
  /** What a decision may link to (for those who may record one). */
  choices: LinkChoices | null;
}

const asFunction = (value: string | null): StatutoryFunction | null =>
  (statutoryFunctions as readonly string[]).includes(value ?? '') ? (value as StatutoryFunction) : null;

async function canSeeIntervention(
  ex: Executor,
  reader: Reader,
  intervention: InterventionLinkRecord,
  cache?: PathCache,
): Promise<boolean> {
  if (reader === null) return true;
  const statutoryFunction = asFunction(intervention.statutoryFunction);
  // A tag the policy does not know is a function nobody holds: hidden, never treated as untagged.
  if (intervention.statutoryFunction !== null && statutoryFunction === null) return false;
  return isAllowed(
    ex,
    reader,
    'read',
    {
      organisationId: intervention.organisationId,
      date: intervention.openedOn,
      published: false,
      statutoryFunction,
      template: null,
    },
    cache,
  );
}

async function presentDecision(
  ex: Executor,
  reader: Reader,
  decision: DecisionRecord,
  actions: ActionView[],
  cache: PathCache,
  seesDrafts: boolean,
): Promise<DecisionView> {
  const intervention =
    decision.intervention && (await canSeeIntervention(ex, reader, decision.intervention, cache))
      ? { id: decision.intervention.id, title: decision.intervention.title, kind: decision.intervention.kind }
      : null;
  // A draft standard is shown only to those who may see drafts (`seesDraftStandards`); else left out.
  const standard =
    decision.standard && (decision.standard.published || seesDrafts)
      ? { code: decision.standard.code, title: decision.standard.title }
      : null;
  return {
    id: decision.id,
    text: decision.text,
    published: decision.publishedAt !== null,
    publishedAt: decision.publishedAt?.toISOString() ?? null,
    recordedAt: decision.recordedAt.toISOString(),
    recordedBy: decision.recordedBy,
    supersedesId: decision.supersedesId,
    supersededById: decision.supersededById,
    programme: decision.programme ? { code: decision.programme.code, name: decision.programme.name } : null,
    intervention,
    standard,
    actions,
  };
}

const presentAction = (
  a: { id: number; description: string; owner: string; dueOn: IsoDate; completedOn: IsoDate | null },
  today: IsoDate,
): ActionView => ({
  id: a.id,
  description: a.description,
  owner: a.owner,
  dueOn: a.dueOn,
  completedOn: a.completedOn,
  state: actionState(a, today),
  daysOverdue: daysOverdue(a, today),
});

/** How many interventions a decision form offers, the latest the recorder may see. */
const interventionChoices = 200;

async function linkChoices(ex: Executor, reader: Reader, seesDrafts: boolean): Promise<LinkChoices> {
  const cache: PathCache = new Map();
  const interventions: Array<{ id: number; title: string }> = [];
  // Page through the interventions, latest first, so hidden ones never crowd out those the reader may see.
  let after: InterventionLinkRecord | null = null;
  while (interventions.length < interventionChoices) {
    const page = await listInterventionLinks(ex, interventionChoices, after);
    for (const i of page)
      if (interventions.length < interventionChoices && (await canSeeIntervention(ex, reader, i, cache)))
        interventions.push({ id: i.id, title: i.title });
    if (page.length < interventionChoices) break;
    after = page[page.length - 1] ?? null;
  }
  return {
    programmes: await listProgrammeChoices(ex),
    standards: await listStandardChoices(ex, seesDrafts),
    interventions,
  };
}

async function requireMeetingOfBody(
  ex: Executor,
  bodyCode: string | null,
  meetingId: number,
): Promise<MeetingRecord> {
  const meeting = await findMeeting(ex, meetingId);
  if (!meeting) throw notFound(`There is no meeting ${meetingId}.`);
  if (bodyCode !== null) {
    const body = await requireBody(ex, bodyCode);
    if (body.id !== meeting.bodyId) throw notFound(`There is no meeting ${meetingId} of ${body.name}.`);
  }
  return meeting;
}

/** A meeting with its papers, decisions (with links) and actions, as the reader may see them. */
export async function getMeetingView(
  ex: Executor,
  reader: Reader,
  bodyCode: string | null,
  meetingId: number,
  today: IsoDate,
): Promise<MeetingView> {
  const meeting = await requireMeetingOfBody(ex, bodyCode, meetingId);
  const body = await requireBodyById(ex, meeting.bodyId);
  const cache: PathCache = new Map();
  const seesAll = await canReadUnpublished(ex, reader, body, meeting.meetsOn, cache);
  const papers = (await listPapers(ex, meeting.id))
    .filter((p) => seesAll || p.publishedAt !== null)
    .map((p) => ({
      id: p.id,
      title: p.title,
      author: p.author,
      summary: p.summary,
      published: p.publishedAt !== null,
      publishedAt: p.publishedAt?.toISOString() ?? null,
    }));
  const decisions = (await listDecisions(ex, [meeting.id])).filter((d) => seesAll || d.publishedAt !== null);
  const actions = await listActions(
    ex,
    decisions.map((d) => d.id),
  );
  const seesDrafts = await seesDraftStandards(ex, reader, today);
  const decisionViews: DecisionView[] = [];
  for (const decision of decisions)
    decisionViews.push(
      await presentDecision(
        ex,
        reader,
        decision,
        actions.filter((a) => a.decisionId === decision.id).map((a) => presentAction(a, today)),
        cache,
        seesDrafts,
      ),
    );
  const governs = await canGovern(ex, reader, body, meeting.meetsOn);
  return {
    body: {
      code: body.code,
      name: body.name,
      kind: body.kind,
      scope: { odsCode: body.scope.odsCode, name: body.scope.name },
    },
    meeting: presentMeeting(meeting),
    papers,
    decisions: decisionViews,
    actions: countActions(actions, today),
    canGovern: governs,
    choices: governs ? await linkChoices(ex, reader, seesDrafts) : null,
  };
}

export interface OverdueActionView extends ActionView {
  body: { code: string; name: string };
  meeting: { id: number; title: string; meetsOn: IsoDate };
  decision: { id: number; text: string };
}

/** Actions past their due date and not completed, of the decisions the reader may see; longest overdue first. */
export async function listOverdueActions(
  ex: Executor,
  reader: Reader,
  today: IsoDate,
  bodyCode: string | null = null,
): Promise<OverdueActionView[]> {
  const bodies = bodyCode === null ? await listBodies(ex) : [await requireBody(ex, bodyCode)];
  const actions = await visibleActionsByBody(ex, reader, bodies, true);
  return actions
    .filter((a) => actionState(a, today) === 'overdue')
    .map((a) => ({
      ...presentAction(a, today),
      body: { code: a.body.code, name: a.body.name },
      meeting: { id: a.meetingId, title: a.meetingTitle, meetsOn: a.meetsOn },
      decision: { id: a.decisionId, text: a.decisionText },
    }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.id - b.id);
}

// Changes: each one transaction, authorised, audited

export async function addMember(
  db: Db,
  caller: Governor,
  bodyCode: string,
  input: unknown,
  today: IsoDate,
): Promise<MemberView> {
  const m = parseInput(memberInputSchema, input, 'The membership is not valid: correct the fields listed.');
  return db.transaction().execute(async (trx) => {
    const body = await requireBody(trx, bodyCode);
    await authorise(
      trx,
      caller.principal,
      'govern',
      scopeFacts(body, today),
      `the membership of ${body.name}`,
    );
    let organisation: OrganisationRef | null = null;
    if ('organisation' in m.represents) {
      const found = await findOrganisationByCode(trx, m.represents.organisation);
      const version = found ? await findVersionAt(trx, found.id, m.validFrom) : null;
      if (!found || !version)
        throw invalidInput('The organisation the member represents is not known on that date.', [
          {
            field: 'represents.organisation',
            message: `${m.represents.organisation} is not an organisation open on ${m.validFrom}: check the ODS code, or choose a sector`,
          },
        ]);
      organisation = { id: found.id, odsCode: found.odsCode, name: version.name };
    }
    const sector = 'sector' in m.represents ? m.represents.sector : null;
    const overlapping = (await listMemberships(trx, body.id)).find(
      (other) =>
        other.personName.toLowerCase() === m.personName.toLowerCase() &&
        (other.validTo === null || other.validTo > m.validFrom),
    );
    if (overlapping)
      throw conflict(
        `${m.personName} is already a member of ${body.name} from ${overlapping.validFrom}${overlapping.validTo ? ` to ${overlapping.validTo}` : ''}. End that membership first, or correct the name.`,
      );
    const id = await insertMembership(trx, {
      bodyId: body.id,
      personName: m.personName,
      position: m.position,
      organisationId: organisation?.id ?? null,
      sector,
      validFrom: m.validFrom,
      recordedBy: caller.actor.label,
    });
    const view: MemberView = {
      id,
      personName: m.personName,
      position: m.position,
      organisation: presentOrganisation(organisation),
      sector,
      validFrom: m.validFrom,
      validTo: null,
      source: 'recorded',
    };
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.member-add',
        recordType: 'governance-membership',
        recordId: String(id),
        before: null,
        after: { body: body.code, ...view },
      },
    ]);
    return view;
  });
}

export async function endMember(
  db: Db,
  caller: Governor,
  membershipId: number,
  input: unknown,
  today: IsoDate,
): Promise<MemberView> {
  const { validTo } = parseInput(
    endMemberInputSchema,
    input,
    'The end of the membership is not valid: correct the fields listed.',
  );
  return db.transaction().execute(async (trx) => {
    const member = await findMembership(trx, membershipId);
    if (!member) throw notFound(`There is no membership ${membershipId}.`);
    const body = await requireBodyById(trx, member.bodyId);
    await authorise(
      trx,
      caller.principal,
      'govern',
      scopeFacts(body, today),
      `the membership of ${body.name}`,
    );
    if (member.validTo !== null)
      throw conflict(`${member.personName}'s membership of ${body.name} already ended on ${member.validTo}.`);
    if (validTo <= member.validFrom)
      throw invalidInput('The membership cannot end before it starts.', [
        { field: 'validTo', message: `enter a date after ${member.validFrom}, when the membership started` },
      ]);
    await closeMembership(trx, member.id, validTo);
    const before = { ...member, organisation: presentOrganisation(member.organisation) };
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.member-end',
        recordType: 'governance-membership',
        recordId: String(member.id),
        before,
        after: { ...before, validTo },
      },
    ]);
    return {
      id: member.id,
      personName: member.personName,
      position: member.position,
      organisation: presentOrganisation(member.organisation),
      sector: member.sector,
      validFrom: member.validFrom,
      validTo,
      source: 'recorded',
    };
  });
}

export async function scheduleMeeting(
  db: Db,
  caller: Governor,
  bodyCode: string,
  input: unknown,
  today: IsoDate,
): Promise<MeetingSummaryView> {
  const m = parseInput(meetingInputSchema, input, 'The meeting is not valid: correct the fields listed.');
  const status = m.status ?? (m.meetsOn < today ? 'held' : 'scheduled');
  const refusal = newMeetingStatusRefusal(m.meetsOn, status, today);
  if (refusal) throw invalidInput(refusal, [{ field: 'meetsOn', message: refusal }]);
  return db.transaction().execute(async (trx) => {
    const body = await requireBody(trx, bodyCode);
    await authorise(
      trx,
      caller.principal,
      'govern',
      scopeFacts(body, m.meetsOn),
      `the meetings of ${body.name}`,
    );
    const id = await insertMeeting(trx, {
      bodyId: body.id,
      meetsOn: m.meetsOn,
      title: m.title,
      status,
      location: m.location,
      createdBy: caller.actor.label,
    });
    const view: MeetingSummaryView = { id, meetsOn: m.meetsOn, title: m.title, status, location: m.location };
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.meeting-add',
        recordType: 'governance-meeting',
        recordId: String(id),
        before: null,
        after: { body: body.code, ...view },
      },
    ]);
    return view;
  });
}

/** Locks the meeting and authorises `govern` on its body as at its date. */
async function lockForGoverning(trx: Executor, caller: Governor, meetingId: number, what: string) {
  const meeting = await lockMeeting(trx, meetingId);
  if (!meeting) throw notFound(`There is no meeting ${meetingId}.`);
  const body = await requireBodyById(trx, meeting.bodyId);
  await authorise(
    trx,
    caller.principal,
    'govern',
    scopeFacts(body, meeting.meetsOn),
    `${what} of ${body.name}`,
  );
  return { meeting, body };
}

export async function setMeetingStatus(
  db: Db,
  caller: Governor,
  meetingId: number,
  input: unknown,
  today: IsoDate,
): Promise<MeetingSummaryView> {
  const { status } = parseInput(
    meetingStatusInputSchema,
    input,
    'The meeting status is not valid: correct the fields listed.',
  );
  return db.transaction().execute(async (trx) => {
    const { meeting } = await lockForGoverning(trx, caller, meetingId, 'the meetings');
    const refusal = meetingStatusRefusal(meeting, status, today);
    if (refusal) throw conflict(refusal);
    await updateMeetingStatus(trx, meeting.id, status);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.meeting-status',
        recordType: 'governance-meeting',
        recordId: String(meeting.id),
        before: { status: meeting.status },
        after: { status },
      },
    ]);
    return { ...presentMeeting(meeting), status };
  });
}

export async function addPaper(
  db: Db,
  caller: Governor,
  meetingId: number,
  input: unknown,
): Promise<PaperView> {
  const p = parseInput(paperInputSchema, input, 'The paper is not valid: correct the fields listed.');
  return db.transaction().execute(async (trx) => {
    const { meeting } = await lockForGoverning(trx, caller, meetingId, 'the papers');
    if (meeting.status === 'cancelled')
      throw conflict('The meeting was cancelled: papers cannot be added to it.');
    const id = await insertPaper(trx, {
      meetingId: meeting.id,
      title: p.title,
      author: p.author,
      summary: p.summary,
      publish: p.publish,
      createdBy: caller.actor.label,
    });
    const view: PaperView = {
      id,
      title: p.title,
      author: p.author,
      summary: p.summary,
      published: p.publish,
      publishedAt: p.publish ? new Date().toISOString() : null,
    };
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.paper-add',
        recordType: 'governance-paper',
        recordId: String(id),
        before: null,
        after: { meeting: meeting.id, ...view, publishedAt: undefined },
      },
    ]);
    return view;
  });
}

export async function publishPaper(
  db: Db,
  caller: Governor,
  paperId: number,
): Promise<{ id: number; published: true }> {
  return db.transaction().execute(async (trx) => {
    const meetingId = await findPaperMeetingId(trx, paperId);
    if (meetingId === null) throw notFound(`There is no paper ${paperId}.`);
    await lockForGoverning(trx, caller, meetingId, 'the papers');
    const paper = (await listPapers(trx, meetingId)).find((p) => p.id === paperId);
    if (paper?.publishedAt) throw conflict(`Paper ${paperId} is already published.`);
    await storePaperPublication(trx, paperId);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.paper-publish',
        recordType: 'governance-paper',
        recordId: String(paperId),
        before: { published: false },
        after: { published: true },
      },
    ]);
    return { id: paperId, published: true };
  });
}

/**
 * Records a decision at a meeting that has happened (a scheduled one becomes held), with its links: each
 * must exist, and an intervention must be one the recorder may see. A correction names the decision it
 * supersedes, of the same body, which keeps its text.
 */
export async function recordDecision(
  db: Db,
  caller: Governor,
  meetingId: number,
  input: unknown,
  today: IsoDate,
): Promise<DecisionView> {
  const d = parseInput(decisionInputSchema, input, 'The decision is not valid: correct the fields listed.');
  return db.transaction().execute(async (trx) => {
    const { meeting, body } = await lockForGoverning(trx, caller, meetingId, 'the decisions');
    const refusal = decisionRefusal(meeting, today);
    if (refusal) throw conflict(refusal);
    const problems: Problem[] = [];
    const programme = d.programme ? await findProgrammeByCode(trx, d.programme) : null;
    if (d.programme && !programme)
      problems.push({
        field: 'programme',
        message: `There is no programme "${d.programme}": choose one from the list of programmes`,
      });
    // A draft standard is refused like a missing one unless the recorder may see drafts.
    const seesDrafts = await seesDraftStandards(trx, caller.principal, today);
    const named = d.standard ? await findStandardByCode(trx, d.standard) : null;
    const standard = named && (named.published || seesDrafts) ? named : null;
    if (d.standard && !standard)
      problems.push({
        field: 'standard',
        message: `There is no published standard "${d.standard}": check its code`,
      });
    let intervention: InterventionLinkRecord | null = null;
    if (d.intervention !== undefined) {
      const found = await findInterventionLink(trx, d.intervention);
      // Refused like a missing one, so the form cannot be used to probe for hidden interventions.
      if (!found || !(await canSeeIntervention(trx, caller.principal, found)))
        problems.push({
          field: 'intervention',
          message: `There is no intervention ${d.intervention}, or you cannot see it: check its number`,
        });
      else intervention = found;
    }
    if (d.supersedes !== undefined) {
      const earlier = await lockDecision(trx, d.supersedes);
      const earlierMeeting = earlier ? await findMeeting(trx, earlier.meetingId) : null;
      if (!earlier || !earlierMeeting || earlierMeeting.bodyId !== body.id)
        problems.push({
          field: 'supersedes',
          message: `There is no decision ${d.supersedes} of ${body.name}: check its number`,
        });
      else if (await isDecisionSuperseded(trx, earlier.id))
        problems.push({
          field: 'supersedes',
          message: `Decision ${d.supersedes} has already been superseded: supersede the later decision instead`,
        });
      else if (earlierMeeting.meetsOn > meeting.meetsOn)
        problems.push({
          field: 'supersedes',
          message: `Decision ${d.supersedes} was taken at a later meeting, on ${earlierMeeting.meetsOn}`,
        });
    }
    if (problems.length > 0)
      throw invalidInput('The decision could not be recorded: correct the fields listed.', problems);
    const id = await insertDecision(trx, {
      meetingId: meeting.id,
      text: d.text,
      programmeId: programme?.id ?? null,
      interventionId: intervention?.id ?? null,
      standardId: standard?.id ?? null,
      supersedesId: d.supersedes ?? null,
      publish: d.publish,
      recordedBy: caller.actor.label,
    });
    const entries: AuditEntry[] = [
      {
        action: 'governance.decision-record',
        recordType: 'governance-decision',
        recordId: String(id),
        before: null,
        after: {
          meeting: meeting.id,
          body: body.code,
          text: d.text,
          programme: d.programme ?? null,
          intervention: d.intervention ?? null,
          standard: d.standard ?? null,
          supersedes: d.supersedes ?? null,
          published: d.publish,
        },
      },
    ];
    if (meeting.status === 'scheduled') {
      await updateMeetingStatus(trx, meeting.id, 'held');
      entries.push({
        action: 'governance.meeting-status',
        recordType: 'governance-meeting',
        recordId: String(meeting.id),
        before: { status: 'scheduled' },
        after: { status: 'held', because: `decision ${id}` },
      });
    }
    await appendAuditEvents(trx, caller.actor, entries);
    const [stored] = await listDecisions(trx, [meeting.id]).then((all) => all.filter((x) => x.id === id));
    if (!stored) throw new Error(`decision ${id} was not stored`);
    return presentDecision(trx, caller.principal, stored, [], new Map(), seesDrafts);
  });
}

export async function publishDecision(
  db: Db,
  caller: Governor,
  decisionId: number,
): Promise<{ id: number; published: true }> {
  return db.transaction().execute(async (trx) => {
    const decision = await lockDecision(trx, decisionId);
    if (!decision) throw notFound(`There is no decision ${decisionId}.`);
    await lockForGoverning(trx, caller, decision.meetingId, 'the decisions');
    if (decision.published)
      throw conflict(
        `Decision ${decisionId} is already published; correct it with a new decision that supersedes it.`,
      );
    await storeDecisionPublication(trx, decisionId);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.decision-publish',
        recordType: 'governance-decision',
        recordId: String(decisionId),
        before: { published: false },
        after: { published: true },
      },
    ]);
    return { id: decisionId, published: true };
  });
}

export async function addAction(
  db: Db,
  caller: Governor,
  decisionId: number,
  input: unknown,
  today: IsoDate,
): Promise<ActionView> {
  const a = parseInput(actionInputSchema, input, 'The action is not valid: correct the fields listed.');
  return db.transaction().execute(async (trx) => {
    const decision = await lockDecision(trx, decisionId);
    if (!decision) throw notFound(`There is no decision ${decisionId}.`);
    const { meeting } = await lockForGoverning(trx, caller, decision.meetingId, 'the actions');
    if (await isDecisionSuperseded(trx, decision.id))
      throw conflict(
        `Decision ${decisionId} has been superseded: add the action to the decision that superseded it.`,
      );
    if (a.dueOn < meeting.meetsOn)
      throw invalidInput('The action is due before the meeting that decided it.', [
        {
          field: 'dueOn',
          message: `enter a due date on or after ${meeting.meetsOn}, the date of the meeting`,
        },
      ]);
    const id = await insertAction(trx, {
      decisionId: decision.id,
      description: a.description,
      owner: a.owner,
      dueOn: a.dueOn,
      createdBy: caller.actor.label,
    });
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.action-add',
        recordType: 'governance-action',
        recordId: String(id),
        before: null,
        after: { decision: decision.id, ...a },
      },
    ]);
    return presentAction({ id, ...a, completedOn: null }, today);
  });
}

export async function completeAction(
  db: Db,
  caller: Governor,
  actionId: number,
  input: unknown,
  today: IsoDate,
): Promise<ActionView> {
  const { completedOn } = parseInput(
    completeActionInputSchema,
    input,
    'The completion is not valid: correct the fields listed.',
  );
  return db.transaction().execute(async (trx) => {
    const [action] = await listActionsInContext(trx, { actionId, forUpdate: true });
    if (!action) throw notFound(`There is no action ${actionId}.`);
    await lockForGoverning(trx, caller, action.meetingId, 'the actions');
    if (action.completedOn !== null)
      throw conflict(`Action ${actionId} was already completed on ${action.completedOn}.`);
    const problems: Problem[] = [];
    if (completedOn > today)
      problems.push({ field: 'completedOn', message: `enter a date on or before today (${today})` });
    if (completedOn < action.meetsOn)
      problems.push({
        field: 'completedOn',
        message: `enter a date on or after ${action.meetsOn}, the date of the meeting that set the action`,
      });
    if (problems.length > 0) throw invalidInput('The completion date is not possible.', problems);
    await storeCompletion(trx, action.id, completedOn, caller.actor.label);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'governance.action-complete',
        recordType: 'governance-action',
        recordId: String(action.id),
        before: { completedOn: null },
        after: { completedOn },
      },
    ]);
    return presentAction({ ...action, completedOn }, today);
  });
}
