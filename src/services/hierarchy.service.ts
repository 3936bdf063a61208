import type { Executor } from '../db/database.js';
import { appendAuditEvents } from '../db/audit.repository.js';
import { insertEventParticipants, insertHierarchyEvent } from '../db/hierarchy-event.repository.js';
import type { Actor } from '../domain/audit.js';
import {
  closeOrganisationRow,
  closeParentLink,
  closeRole,
  closeVersion,
  findFactStartingAfter,
  findLatestRole,
  findOrganisationByCode,
  findOrganisationById,
  findParentLinkAt,
  findVersionAt,
  insertOrganisation,
  insertParentLink,
  insertRole,
  insertVersion,
  listChildLinksFrom,
  listPathAt,
  listRoles,
  type OrganisationRecord,
  type ParentLinkRecord,
  type VersionRecord,
} from '../db/organisation.repository.js';
import { findSuccession, insertSuccession } from '../db/succession.repository.js';
import { conflict, invalidInput, notFound } from '../domain/errors.js';
import type {
  EventParticipantRole,
  HierarchyEventType,
  OrganisationRole,
  Succession,
  SuccessionType,
} from '../domain/hierarchy-event.js';
import { addDays, formatLongDate, isIsoDate, type IsoDate } from '../domain/iso-date.js';
import {
  describeAllowedParents,
  isAllowedParent,
  odsCodePattern,
  organisationKindLabels,
  type OrganisationKind,
  type Provenance,
  type TrustSector,
} from '../domain/organisation.js';

/**
 * The write side of the effective-dated hierarchy. Every change is one append-only event; facts are
 * added, or closed at the event's date, never rewritten. Callers pass a transaction so that a whole
 * import or restructure is stored entirely or not at all.
 */

/** Who is making the change, recorded on every event. */
export interface ChangeContext {
  source: string;
  provenance: Provenance;
  /** Who is making the change, for the audit trail. */
  actor: Actor;
  /**
   * Audit each hierarchy event (true, the default), or leave it to the caller: bulk loads record one
   * audit event for the whole load, and the events themselves are kept in the append-only event log.
   */
  auditEachEvent?: boolean;
}

/** Records a hierarchy event, and an audit event for it unless the caller audits the whole load. */
async function insertAuditedEvent(
  ex: Executor,
  context: ChangeContext,
  event: Parameters<typeof insertHierarchyEvent>[1],
): Promise<number> {
  const eventId = await insertHierarchyEvent(ex, event);
  if (context.auditEachEvent !== false)
    await appendAuditEvents(ex, context.actor, [
      {
        action: `hierarchy.${event.type}`,
        recordType: 'hierarchy-event',
        recordId: String(eventId),
        before: null,
        after: {
          effectiveDate: event.effectiveDate,
          reason: event.reason,
          source: event.source,
          details: event.details,
        },
      },
    ]);
  return eventId;
}

/** A change that may turn out to be unnecessary (the hierarchy already says so): importers rely on this. */
export interface ChangeOutcome {
  changed: boolean;
  eventId: number | null;
}

const unchanged: ChangeOutcome = { changed: false, eventId: null };

export interface NewOrganisation {
  odsCode: string;
  name: string;
  kind: OrganisationKind;
  sector?: TrustSector | null;
  postcode?: string | null;
  /** The parent from the opening date; required for every kind but the national body. */
  parentCode?: string | null;
}

export interface OrganisationChanges {
  name?: string;
  kind?: OrganisationKind;
  sector?: TrustSector | null;
  postcode?: string | null;
}

function requireDate(date: IsoDate, field = 'date'): void {
  if (!isIsoDate(date)) {
    throw invalidInput(`${field} "${date}" is not a real date written YYYY-MM-DD.`, [
      { field, message: `Enter ${field} as a real date, for example 2019-04-01.` },
    ]);
  }
}

function requireReason(reason: string): void {
  if (reason.trim() === '') {
    throw invalidInput('A reason is required for every change to the hierarchy.', [
      {
        field: 'reason',
        message: 'Say why the change was made, for example "Trust merger approved by the board".',
      },
    ]);
  }
}

async function requireOrganisation(ex: Executor, odsCode: string): Promise<OrganisationRecord> {
  const organisation = await findOrganisationByCode(ex, odsCode);
  if (!organisation) {
    throw notFound(`No organisation has ODS code ${odsCode}. Check the code, or import or open it first.`);
  }
  return organisation;
}

function describeLifetime(organisation: OrganisationRecord): string {
  const from = formatLongDate(organisation.validFrom);
  return organisation.validTo
    ? `open from ${from} until ${formatLongDate(addDays(organisation.validTo, -1))}`
    : `open since ${from}`;
}

/** The version in force on the date; the organisation must exist that day. */
async function requireVersionOn(
  ex: Executor,
  organisation: OrganisationRecord,
  date: IsoDate,
): Promise<VersionRecord> {
  const version = await findVersionAt(ex, organisation.id, date);
  if (!version) {
    throw invalidInput(
      `${organisation.odsCode} did not exist on ${formatLongDate(date)} (${describeLifetime(organisation)}).`,
    );
  }
  return version;
}

/** An organisation that can be ended on the date: open the day before, and still open. */
async function requireClosable(
  ex: Executor,
  organisation: OrganisationRecord,
  date: IsoDate,
): Promise<VersionRecord> {
  if (organisation.validTo !== null) {
    throw conflict(`${organisation.odsCode} is already closed (${describeLifetime(organisation)}).`);
  }
  if (organisation.validFrom >= date) {
    throw invalidInput(
      `${organisation.odsCode} cannot end on ${formatLongDate(date)}: it only opened on ${formatLongDate(organisation.validFrom)}.`,
    );
  }
  await requireNoLaterFacts(ex, organisation, date);
  return requireVersionOn(ex, organisation, addDays(date, -1));
}

/** History is appended in date order: a change on a date cannot precede a change already recorded. */
async function requireNoLaterFacts(
  ex: Executor,
  organisation: OrganisationRecord,
  date: IsoDate,
  facts: 'version' | 'parent' | 'both' = 'both',
): Promise<void> {
  const later = await findFactStartingAfter(ex, organisation.id, addDays(date, -1), facts);
  if (later) {
    throw conflict(
      `${organisation.odsCode} already has a change recorded on ${formatLongDate(later)}, on or after ${formatLongDate(date)}. ` +
        'Changes are recorded in date order: record this change with a later date, or not at all.',
    );
  }
}

async function requireParentFor(
  ex: Executor,
  childCode: string,
  childKind: OrganisationKind,
  parentCode: string,
  date: IsoDate,
): Promise<OrganisationRecord> {
  const parent = await requireOrganisation(ex, parentCode);
  const parentVersion = await findVersionAt(ex, parent.id, date);
  if (!parentVersion) {
    throw invalidInput(
      `${childCode} cannot be placed under ${parentCode} on ${formatLongDate(date)}: ${parentCode} did not exist then (${describeLifetime(parent)}).`,
    );
  }
  if (!isAllowedParent(childKind, parentVersion.kind)) {
    throw invalidInput(
      `${childCode} (${organisationKindLabels[childKind]}) cannot be placed under ${parentCode} (${organisationKindLabels[parentVersion.kind]}): its parent must be ${describeAllowedParents(childKind)}.`,
    );
  }
  return parent;
}

function validateNewOrganisation(spec: NewOrganisation): void {
  if (!odsCodePattern.test(spec.odsCode)) {
    throw invalidInput(`"${spec.odsCode}" is not an ODS code: use 2 to 10 capital letters and digits.`, [
      { field: 'odsCode', message: 'Enter an ODS code such as RJZ or QE1.' },
    ]);
  }
  if (spec.name.trim() === '') {
    throw invalidInput(`A name is required for ${spec.odsCode}.`, [
      { field: 'name', message: 'Enter a name.' },
    ]);
  }
  if (spec.kind === 'national-body' && spec.parentCode) {
    throw invalidInput('A national body has no parent.');
  }
  if (spec.kind !== 'national-body' && !spec.parentCode && spec.kind !== 'independent-provider') {
    throw invalidInput(
      `${spec.odsCode} needs a parent: a ${organisationKindLabels[spec.kind]} sits under ${describeAllowedParents(spec.kind)}.`,
      [{ field: 'parentCode', message: 'Enter the ODS code of the parent organisation.' }],
    );
  }
  if (spec.sector && spec.kind !== 'nhs-trust') {
    throw invalidInput(
      `Only NHS trusts have a sector; ${spec.odsCode} is a ${organisationKindLabels[spec.kind]}.`,
    );
  }
}

async function recordEvent(
  ex: Executor,
  context: ChangeContext,
  type: HierarchyEventType,
  date: IsoDate,
  reason: string,
  details: Record<string, unknown>,
  participants: Array<{ organisationId: number; role: EventParticipantRole }>,
): Promise<number> {
  const eventId = await insertAuditedEvent(ex, context, {
    type,
    effectiveDate: date,
    reason: reason.trim(),
    source: context.source,
    details,
  });
  await insertEventParticipants(ex, eventId, participants);
  return eventId;
}

/** Creates the organisation's identity, first version and parent link under an existing event. */
async function createOrganisation(
  ex: Executor,
  context: ChangeContext,
  spec: NewOrganisation,
  date: IsoDate,
  eventId: number,
  parent: OrganisationRecord | null,
  parentFrom: IsoDate = date,
): Promise<number> {
  const organisationId = await insertOrganisation(ex, {
    odsCode: spec.odsCode,
    validFrom: date,
    provenance: context.provenance,
  });
  await insertVersion(ex, {
    organisationId,
    validFrom: date,
    name: spec.name.trim(),
    kind: spec.kind,
    sector: spec.sector ?? null,
    postcode: spec.postcode ?? null,
    eventId,
  });
  if (parent)
    await insertParentLink(ex, { organisationId, parentId: parent.id, validFrom: parentFrom, eventId });
  return organisationId;
}

async function prepareNewOrganisation(
  ex: Executor,
  spec: NewOrganisation,
  date: IsoDate,
): Promise<OrganisationRecord | null> {
  validateNewOrganisation(spec);
  const existing = await findOrganisationByCode(ex, spec.odsCode);
  if (existing) {
    throw conflict(`ODS code ${spec.odsCode} is already in use (${describeLifetime(existing)}).`);
  }
  return spec.parentCode ? requireParentFor(ex, spec.odsCode, spec.kind, spec.parentCode, date) : null;
}

/**
 * Opens a new organisation on the date, under its parent. `parentFrom` places it under the parent
 * from a later date: an imported trust that opened in 1994 joins its system when the system's
 * recorded history starts.
 */
export async function openOrganisation(
  ex: Executor,
  context: ChangeContext,
  input: NewOrganisation & { date: IsoDate; reason: string; parentFrom?: IsoDate },
): Promise<{ organisationId: number; eventId: number }> {
  requireDate(input.date);
  requireReason(input.reason);
  const parentFrom = input.parentFrom ?? input.date;
  requireDate(parentFrom, 'parentFrom');
  if (parentFrom < input.date) throw invalidInput('An organisation cannot have a parent before it opens.');
  const parent = await prepareNewOrganisation(ex, input, parentFrom);
  const eventId = await insertAuditedEvent(ex, context, {
    type: 'open',
    effectiveDate: input.date,
    reason: input.reason.trim(),
    source: context.source,
    details: {
      odsCode: input.odsCode,
      name: input.name.trim(),
      kind: input.kind,
      sector: input.sector ?? null,
      parent: input.parentCode ?? null,
      ...(parentFrom !== input.date ? { parentFrom } : {}),
    },
  });
  const organisationId = await createOrganisation(
    ex,
    context,
    input,
    input.date,
    eventId,
    parent,
    parentFrom,
  );
  await insertEventParticipants(ex, eventId, [
    { organisationId, role: 'subject' },
    ...(parent ? [{ organisationId: parent.id, role: 'new-parent' as const }] : []),
  ]);
  return { organisationId, eventId };
}

/** Ends every open fact of the organisation on the date (it existed until the day before). */
async function endOrganisation(ex: Executor, organisation: OrganisationRecord, date: IsoDate): Promise<void> {
  const version = await findVersionAt(ex, organisation.id, addDays(date, -1));
  if (version && version.validTo === null) await closeVersion(ex, version.id, date);
  const link = await findParentLinkAt(ex, organisation.id, addDays(date, -1));
  if (link && link.validTo === null) await closeParentLink(ex, link.id, date);
  for (const role of await listRoles(ex, organisation.id)) {
    if (role.validTo === null) await closeRole(ex, role.id, date);
  }
  await closeOrganisationRow(ex, organisation.id, date);
}

async function describeChildren(ex: Executor, links: ParentLinkRecord[]): Promise<string> {
  const codes: string[] = [];
  for (const link of links.slice(0, 5)) {
    const child = await findOrganisationById(ex, link.organisationId);
    if (child) codes.push(child.odsCode);
  }
  return codes.join(', ') + (links.length > 5 ? ` and ${links.length - 5} more` : '');
}

async function requireNoChildren(
  ex: Executor,
  organisation: OrganisationRecord,
  date: IsoDate,
  action: string,
) {
  const children = await listChildLinksFrom(ex, organisation.id, date);
  if (children.length > 0) {
    throw conflict(
      `${organisation.odsCode} cannot be ${action} on ${formatLongDate(date)}: ${children.length} organisation(s) are still under it (${await describeChildren(ex, children)}). ` +
        'Move them to a new parent first.',
    );
  }
}

/** Closes an organisation on the date: it existed until the day before. */
export async function closeOrganisation(
  ex: Executor,
  context: ChangeContext,
  input: { odsCode: string; date: IsoDate; reason: string },
): Promise<number> {
  requireDate(input.date);
  requireReason(input.reason);
  const organisation = await requireOrganisation(ex, input.odsCode);
  await requireClosable(ex, organisation, input.date);
  await requireNoChildren(ex, organisation, input.date, 'closed');
  const eventId = await recordEvent(
    ex,
    context,
    'close',
    input.date,
    input.reason,
    { odsCode: input.odsCode },
    [{ organisationId: organisation.id, role: 'subject' }],
  );
  await endOrganisation(ex, organisation, input.date);
  return eventId;
}

/** Moves an organisation under a new parent from the date; unchanged when it is already there. */
export async function reparentOrganisation(
  ex: Executor,
  context: ChangeContext,
  input: { odsCode: string; parentCode: string; date: IsoDate; reason: string },
): Promise<ChangeOutcome> {
  requireDate(input.date);
  requireReason(input.reason);
  const organisation = await requireOrganisation(ex, input.odsCode);
  const version = await requireVersionOn(ex, organisation, input.date);
  const parent = await requireParentFor(ex, input.odsCode, version.kind, input.parentCode, input.date);
  const current = await findParentLinkAt(ex, organisation.id, input.date);
  if (current?.parentId === parent.id) return unchanged;

  const ancestors = await listPathAt(ex, parent.id, input.date);
  if (ancestors.some((ancestor) => ancestor.id === organisation.id)) {
    throw invalidInput(
      `${input.odsCode} cannot be placed under ${input.parentCode}, which is below it in the hierarchy.`,
    );
  }
  if (current && current.validFrom >= input.date) {
    throw conflict(
      `${input.odsCode} already changed parent on ${formatLongDate(current.validFrom)}; record a change on a later date.`,
    );
  }
  await requireNoLaterFacts(ex, organisation, input.date, 'parent');

  const oldParent = current ? await findOrganisationById(ex, current.parentId) : null;
  const eventId = await recordEvent(
    ex,
    context,
    'reparent',
    input.date,
    input.reason,
    { odsCode: input.odsCode, from: oldParent?.odsCode ?? null, to: input.parentCode },
    [
      { organisationId: organisation.id, role: 'subject' },
      { organisationId: parent.id, role: 'new-parent' },
      ...(oldParent ? [{ organisationId: oldParent.id, role: 'old-parent' as const }] : []),
    ],
  );
  if (current) await closeParentLink(ex, current.id, input.date);
  await insertParentLink(ex, {
    organisationId: organisation.id,
    parentId: parent.id,
    validFrom: input.date,
    eventId,
  });
  return { changed: true, eventId };
}

/** Changes an organisation's details (name, kind, sector, postcode) from the date; unchanged when they already match. */
export async function reviseOrganisation(
  ex: Executor,
  context: ChangeContext,
  input: { odsCode: string; date: IsoDate; reason: string; changes: OrganisationChanges },
): Promise<ChangeOutcome> {
  requireDate(input.date);
  requireReason(input.reason);
  const organisation = await requireOrganisation(ex, input.odsCode);
  const current = await requireVersionOn(ex, organisation, input.date);
  const next = {
    name: input.changes.name?.trim() ?? current.name,
    kind: input.changes.kind ?? current.kind,
    sector: input.changes.sector === undefined ? current.sector : input.changes.sector,
    postcode: input.changes.postcode === undefined ? current.postcode : input.changes.postcode,
  };
  const changedFields = (['name', 'kind', 'sector', 'postcode'] as const).filter(
    (f) => next[f] !== current[f],
  );
  if (changedFields.length === 0) return unchanged;
  if (next.name === '') throw invalidInput(`The new name of ${input.odsCode} is empty.`);
  if (next.sector && next.kind !== 'nhs-trust') {
    throw invalidInput(
      `Only NHS trusts have a sector; ${input.odsCode} would be a ${organisationKindLabels[next.kind]}.`,
    );
  }
  if (current.validFrom >= input.date) {
    throw conflict(
      `${input.odsCode}'s details already changed on ${formatLongDate(current.validFrom)}; record a change on a later date.`,
    );
  }
  await requireNoLaterFacts(ex, organisation, input.date, 'version');

  if (next.kind !== current.kind) {
    const link = await findParentLinkAt(ex, organisation.id, input.date);
    const parent = link ? await findOrganisationById(ex, link.parentId) : null;
    if (parent) await requireParentFor(ex, input.odsCode, next.kind, parent.odsCode, input.date);
  }

  const before = Object.fromEntries(changedFields.map((f) => [f, current[f]]));
  const after = Object.fromEntries(changedFields.map((f) => [f, next[f]]));
  const eventId = await recordEvent(
    ex,
    context,
    'revise',
    input.date,
    input.reason,
    { odsCode: input.odsCode, before, after },
    [{ organisationId: organisation.id, role: 'subject' }],
  );
  await closeVersion(ex, current.id, input.date);
  await insertVersion(ex, { organisationId: organisation.id, validFrom: input.date, ...next, eventId });
  return { changed: true, eventId };
}

/** Moves the children of closing predecessors under their successor, as a merger or acquisition does. */
async function moveChildren(
  ex: Executor,
  predecessor: OrganisationRecord,
  successor: OrganisationRecord,
  date: IsoDate,
  eventId: number,
): Promise<Array<{ organisationId: number; role: EventParticipantRole }>> {
  const successorVersion = await requireVersionOn(ex, successor, date);
  const moved: Array<{ organisationId: number; role: EventParticipantRole }> = [];
  for (const link of await listChildLinksFrom(ex, predecessor.id, date)) {
    const child = await findOrganisationById(ex, link.organisationId);
    if (!child) continue;
    if (link.validFrom >= date) {
      throw conflict(
        `${child.odsCode} moved under ${predecessor.odsCode} on or after ${formatLongDate(date)}; it cannot move again that day.`,
      );
    }
    const childVersion = await requireVersionOn(ex, child, date);
    if (!isAllowedParent(childVersion.kind, successorVersion.kind)) {
      throw conflict(
        `${child.odsCode} (${organisationKindLabels[childVersion.kind]}) is under ${predecessor.odsCode} and cannot move under ${successor.odsCode} (${organisationKindLabels[successorVersion.kind]}). Move it to a new parent first.`,
      );
    }
    await closeParentLink(ex, link.id, date);
    await insertParentLink(ex, {
      organisationId: child.id,
      parentId: successor.id,
      validFrom: date,
      eventId,
    });
    moved.push({ organisationId: child.id, role: 'moved-child' });
  }
  return moved;
}

async function requirePredecessors(
  ex: Executor,
  codes: string[],
  date: IsoDate,
): Promise<OrganisationRecord[]> {
  if (new Set(codes).size !== codes.length) throw invalidInput('A predecessor is listed twice.');
  const predecessors: OrganisationRecord[] = [];
  for (const code of codes) {
    const organisation = await requireOrganisation(ex, code);
    await requireClosable(ex, organisation, date);
    predecessors.push(organisation);
  }
  return predecessors;
}

async function recordSuccessions(
  ex: Executor,
  context: ChangeContext,
  predecessors: OrganisationRecord[],
  successors: OrganisationRecord[],
  date: IsoDate,
  type: SuccessionType,
  eventId: number,
): Promise<void> {
  for (const predecessor of predecessors) {
    for (const successor of successors) {
      await insertSuccession(
        ex,
        {
          predecessorCode: predecessor.odsCode,
          successorCode: successor.odsCode,
          effectiveDate: date,
          type,
          isSplit: successors.length > 1,
          source: context.source,
        },
        eventId,
      );
    }
  }
}

/** A + B → C: the predecessors close and a new organisation opens in their place, taking their children. */
export async function mergeOrganisations(
  ex: Executor,
  context: ChangeContext,
  input: { predecessorCodes: string[]; successor: NewOrganisation; date: IsoDate; reason: string },
): Promise<{ organisationId: number; eventId: number }> {
  requireDate(input.date);
  requireReason(input.reason);
  if (input.predecessorCodes.length < 2) {
    throw invalidInput(
      'A merger needs at least two predecessors; to fold one organisation into another, record an absorption.',
    );
  }
  const predecessors = await requirePredecessors(ex, input.predecessorCodes, input.date);
  const parent = await prepareNewOrganisation(ex, input.successor, input.date);
  const eventId = await insertAuditedEvent(ex, context, {
    type: 'merge',
    effectiveDate: input.date,
    reason: input.reason.trim(),
    source: context.source,
    details: {
      predecessors: input.predecessorCodes,
      successor: input.successor.odsCode,
      name: input.successor.name,
    },
  });
  const organisationId = await createOrganisation(ex, context, input.successor, input.date, eventId, parent);
  const successor = await requireOrganisation(ex, input.successor.odsCode);
  const participants: Array<{ organisationId: number; role: EventParticipantRole }> = [
    { organisationId, role: 'successor' },
    ...(parent ? [{ organisationId: parent.id, role: 'new-parent' as const }] : []),
  ];
  for (const predecessor of predecessors) {
    participants.push({ organisationId: predecessor.id, role: 'predecessor' });
    participants.push(...(await moveChildren(ex, predecessor, successor, input.date, eventId)));
    await endOrganisation(ex, predecessor, input.date);
  }
  await recordSuccessions(ex, context, predecessors, [successor], input.date, 'merger', eventId);
  await insertEventParticipants(ex, eventId, participants);
  return { organisationId, eventId };
}

/** A absorbs B: the predecessors close and an existing organisation takes over, with their children. */
export async function absorbOrganisations(
  ex: Executor,
  context: ChangeContext,
  input: { predecessorCodes: string[]; acquirerCode: string; date: IsoDate; reason: string },
): Promise<number> {
  requireDate(input.date);
  requireReason(input.reason);
  if (input.predecessorCodes.length < 1) throw invalidInput('Name at least one organisation to be absorbed.');
  if (input.predecessorCodes.includes(input.acquirerCode)) {
    throw invalidInput(`${input.acquirerCode} cannot absorb itself.`);
  }
  const predecessors = await requirePredecessors(ex, input.predecessorCodes, input.date);
  const acquirer = await requireOrganisation(ex, input.acquirerCode);
  await requireVersionOn(ex, acquirer, input.date);
  const eventId = await insertAuditedEvent(ex, context, {
    type: 'absorb',
    effectiveDate: input.date,
    reason: input.reason.trim(),
    source: context.source,
    details: { predecessors: input.predecessorCodes, acquirer: input.acquirerCode },
  });
  const participants: Array<{ organisationId: number; role: EventParticipantRole }> = [
    { organisationId: acquirer.id, role: 'successor' },
  ];
  for (const predecessor of predecessors) {
    participants.push({ organisationId: predecessor.id, role: 'predecessor' });
    participants.push(...(await moveChildren(ex, predecessor, acquirer, input.date, eventId)));
    await endOrganisation(ex, predecessor, input.date);
  }
  await recordSuccessions(ex, context, predecessors, [acquirer], input.date, 'acquisition', eventId);
  await insertEventParticipants(ex, eventId, participants);
  return eventId;
}

export type SplitSuccessor = { newOrganisation: NewOrganisation } | { existingCode: string };

/** A → B + C: the organisation closes and two or more successors (new or existing) take over its work. */
export async function splitOrganisation(
  ex: Executor,
  context: ChangeContext,
  input: { odsCode: string; successors: SplitSuccessor[]; date: IsoDate; reason: string },
): Promise<number> {
  requireDate(input.date);
  requireReason(input.reason);
  if (input.successors.length < 2) throw invalidInput('A split needs at least two successors.');
  const [predecessor] = await requirePredecessors(ex, [input.odsCode], input.date);
  if (!predecessor) throw notFound(`No organisation has ODS code ${input.odsCode}.`);
  await requireNoChildren(ex, predecessor, input.date, 'split');
  const predecessorLink = await findParentLinkAt(ex, predecessor.id, addDays(input.date, -1));
  const predecessorParent = predecessorLink ? await findOrganisationById(ex, predecessorLink.parentId) : null;

  const successorCodes = input.successors.map((s) =>
    'existingCode' in s ? s.existingCode : s.newOrganisation.odsCode,
  );
  if (new Set(successorCodes).size !== successorCodes.length)
    throw invalidInput('A successor is listed twice.');
  const eventId = await insertAuditedEvent(ex, context, {
    type: 'split',
    effectiveDate: input.date,
    reason: input.reason.trim(),
    source: context.source,
    details: { predecessor: input.odsCode, successors: successorCodes },
  });
  const successors: OrganisationRecord[] = [];
  for (const successor of input.successors) {
    if ('existingCode' in successor) {
      const existing = await requireOrganisation(ex, successor.existingCode);
      await requireVersionOn(ex, existing, input.date);
      successors.push(existing);
    } else {
      const spec = {
        ...successor.newOrganisation,
        parentCode: successor.newOrganisation.parentCode ?? predecessorParent?.odsCode ?? null,
      };
      const parent = await prepareNewOrganisation(ex, spec, input.date);
      await createOrganisation(ex, context, spec, input.date, eventId, parent);
      successors.push(await requireOrganisation(ex, spec.odsCode));
    }
  }
  await endOrganisation(ex, predecessor, input.date);
  await recordSuccessions(ex, context, [predecessor], successors, input.date, 'split', eventId);
  await insertEventParticipants(ex, eventId, [
    { organisationId: predecessor.id, role: 'predecessor' },
    ...successors.map((s) => ({ organisationId: s.id, role: 'successor' as const })),
  ]);
  return eventId;
}

/**
 * Records one row of the ODS successor file. When the predecessor is an organisation here and still
 * open, it closes on the succession date and its children move to a single successor that is open
 * here. When that cannot be done (its children would have no parent: the successor is not known here,
 * or the succession is a split), the succession is kept by code and reported as pending, and the
 * predecessor stays open; importing the file again once the successors exist applies it.
 */
export async function recordSuccession(
  ex: Executor,
  context: ChangeContext,
  succession: Succession,
  reason: string,
): Promise<ChangeOutcome & { pending?: string }> {
  requireDate(succession.effectiveDate, 'effective_date');
  const stored = (await findSuccession(ex, succession)) !== null;
  const predecessor = await findOrganisationByCode(ex, succession.predecessorCode);
  const successor = await findOrganisationByCode(ex, succession.successorCode);
  if (!predecessor) {
    if (stored) return unchanged;
    await insertSuccession(ex, succession, null);
    return { changed: true, eventId: null };
  }
  const closesNow = predecessor.validTo === null && predecessor.validFrom < succession.effectiveDate;
  if (!closesNow && stored) return unchanged;

  const successorOpen =
    successor !== null && (await findVersionAt(ex, successor.id, succession.effectiveDate)) !== null;
  if (closesNow) {
    const children = await listChildLinksFrom(ex, predecessor.id, succession.effectiveDate);
    if (children.length > 0 && (!successorOpen || succession.isSplit)) {
      if (!stored) await insertSuccession(ex, succession, null);
      return {
        changed: !stored,
        eventId: null,
        pending:
          `${succession.predecessorCode} still has ${children.length} organisation(s) under it (${await describeChildren(ex, children)}), and ` +
          (succession.isSplit
            ? `its work is split between several successors, so they cannot all move to ${succession.successorCode}.`
            : `its successor ${succession.successorCode} is not an organisation here.`) +
          ' Open the successor(s) and move those organisations, then import the successor file again.',
      };
    }
    await requireNoLaterFacts(ex, predecessor, succession.effectiveDate);
  }

  const type: HierarchyEventType = !closesNow
    ? 'succession'
    : succession.isSplit
      ? 'split'
      : succession.type === 'merger'
        ? 'merge'
        : succession.type === 'acquisition'
          ? 'absorb'
          : 'close';
  const eventId = await insertAuditedEvent(ex, context, {
    type,
    effectiveDate: succession.effectiveDate,
    reason,
    source: context.source,
    details: {
      predecessor: succession.predecessorCode,
      successor: succession.successorCode,
      successionType: succession.type,
      split: succession.isSplit,
      ...(closesNow ? {} : { predecessorClosed: predecessor.validTo }),
    },
  });
  const participants: Array<{ organisationId: number; role: EventParticipantRole }> = [
    { organisationId: predecessor.id, role: 'predecessor' },
    ...(successor ? [{ organisationId: successor.id, role: 'successor' as const }] : []),
  ];
  if (closesNow) {
    if (successor && successorOpen) {
      participants.push(
        ...(await moveChildren(ex, predecessor, successor, succession.effectiveDate, eventId)),
      );
    }
    await endOrganisation(ex, predecessor, succession.effectiveDate);
  }
  if (!stored) await insertSuccession(ex, succession, eventId);
  await insertEventParticipants(ex, eventId, participants);
  return { changed: true, eventId };
}

/** Puts a named person in a role on an organisation from the date (e.g. a region's regional director). */
export async function assignRole(
  ex: Executor,
  context: ChangeContext,
  input: { odsCode: string; role: OrganisationRole; holderName: string; date: IsoDate; reason: string },
): Promise<ChangeOutcome> {
  requireDate(input.date);
  requireReason(input.reason);
  const holderName = input.holderName.trim();
  if (holderName === '')
    throw invalidInput('Enter the name of the person who holds the role.', [
      { field: 'holderName', message: 'Enter a name.' },
    ]);
  const organisation = await requireOrganisation(ex, input.odsCode);
  const version = await requireVersionOn(ex, organisation, input.date);
  if (input.role === 'regional-director' && version.kind !== 'region') {
    throw invalidInput(
      `Only regions have a regional director; ${input.odsCode} is a ${organisationKindLabels[version.kind]}.`,
    );
  }
  const latest = await findLatestRole(ex, organisation.id, input.role);
  if (latest && latest.validTo === null && latest.holderName === holderName) return unchanged;
  if (latest && latest.validFrom >= input.date) {
    throw conflict(
      `The ${input.role} of ${input.odsCode} already changed on ${formatLongDate(latest.validFrom)}.`,
    );
  }
  const eventId = await recordEvent(
    ex,
    context,
    'role-assigned',
    input.date,
    input.reason,
    {
      odsCode: input.odsCode,
      role: input.role,
      holder: holderName,
      previousHolder: latest?.validTo === null ? latest.holderName : null,
    },
    [{ organisationId: organisation.id, role: 'subject' }],
  );
  if (latest && latest.validTo === null) await closeRole(ex, latest.id, input.date);
  await insertRole(ex, {
    organisationId: organisation.id,
    role: input.role,
    holderName,
    validFrom: input.date,
    eventId,
  });
  return { changed: true, eventId };
}
