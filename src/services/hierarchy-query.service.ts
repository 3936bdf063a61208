import type { Executor } from '../db/database.js';
import { listHierarchyEvents, type EventFilter } from '../db/hierarchy-event.repository.js';
import {
  findLatestVersion,
  findOrganisationByCode,
  findVersionAt,
  listOrganisationsAt,
  listOrganisationNames,
  listOrganisationsByCodes,
  listParentLinks,
  listPathAt,
  listRoles,
  listRolesAt,
  listSubtreeAt,
  listVersions,
  searchOrganisations,
  type OrganisationRecord,
  type OrganisationSearch,
  type RoleRecord,
  type VersionRecord,
} from '../db/organisation.repository.js';
import {
  listAllSuccessions,
  listSuccessionsBackwardFrom,
  listSuccessionsForwardFrom,
} from '../db/succession.repository.js';
import { invalidInput, notFound } from '../domain/errors.js';
import type { HierarchyEvent, Succession } from '../domain/hierarchy-event.js';
import { addDays, formatLongDate, type IsoDate } from '../domain/iso-date.js';
import type { OrganisationAsAt } from '../domain/organisation.js';
import {
  buildOrganisationTree,
  countByKind,
  type OrganisationTreeNode,
} from '../domain/organisation-tree.js';
import { nationalBody } from '../domain/nhs-england-structure.js';
import {
  indexSuccessionsByPredecessor,
  resolveCurrentSuccessors,
  type SuccessionResolution,
} from '../domain/succession.js';

export type { OrganisationRecord, RoleRecord, VersionRecord } from '../db/organisation.repository.js';

/** The read side of the hierarchy: the tree, paths and histories as at any date, and "as now". */

export const defaultRootCode = nationalBody.code;

async function requireOrganisation(ex: Executor, odsCode: string): Promise<OrganisationRecord> {
  const organisation = await findOrganisationByCode(ex, odsCode);
  if (!organisation)
    throw notFound(`No organisation has ODS code ${odsCode}. Check the code, or search by name.`);
  return organisation;
}

function existsOn(organisation: OrganisationRecord, date: IsoDate): boolean {
  return organisation.validFrom <= date && (organisation.validTo === null || organisation.validTo > date);
}

export interface TreeAt {
  asAt: IsoDate;
  root: OrganisationTreeNode;
  counts: Record<string, number>;
  /** People in named roles on the date (e.g. regional directors), by organisation id. */
  roles: Map<number, RoleRecord[]>;
}

/** The hierarchy under an organisation (England by default) as it stood on the date. */
export async function getTreeAt(
  ex: Executor,
  options: { asAt: IsoDate; rootCode?: string; depth?: number },
): Promise<TreeAt> {
  const rootCode = options.rootCode ?? defaultRootCode;
  const rootOrganisation = await requireOrganisation(ex, rootCode);
  if (!existsOn(rootOrganisation, options.asAt)) {
    throw invalidInput(`${rootCode} did not exist on ${formatLongDate(options.asAt)}.`, [
      { field: 'asAt', message: `Choose a date from ${formatLongDate(rootOrganisation.validFrom)}.` },
    ]);
  }
  const rows = await listSubtreeAt(ex, rootOrganisation.id, options.asAt, options.depth ?? 10);
  const root = buildOrganisationTree(rows, rootOrganisation.id);
  if (!root) throw notFound(`${rootCode} has no details recorded on ${formatLongDate(options.asAt)}.`);
  const roles = new Map<number, RoleRecord[]>();
  for (const role of await listRolesAt(
    ex,
    rows.map((row) => row.id),
    options.asAt,
  )) {
    roles.set(role.organisationId, [...(roles.get(role.organisationId) ?? []), role]);
  }
  return { asAt: options.asAt, root, counts: countByKind(root), roles };
}

/** The chain from England down to the organisation on the date. */
export async function getPathAt(ex: Executor, odsCode: string, asAt: IsoDate): Promise<OrganisationAsAt[]> {
  const organisation = await requireOrganisation(ex, odsCode);
  if (!existsOn(organisation, asAt)) {
    throw invalidInput(
      `${odsCode} did not exist on ${formatLongDate(asAt)}: it was open from ${formatLongDate(organisation.validFrom)}` +
        (organisation.validTo ? ` until ${formatLongDate(addDays(organisation.validTo, -1))}.` : '.') +
        ' Choose a date in that range, or ask for its path as now.',
      [{ field: 'asAt', message: 'Choose a date when the organisation was open.' }],
    );
  }
  return listPathAt(ex, organisation.id, asAt);
}

export interface CurrentOrganisation {
  organisation: OrganisationAsAt;
  path: OrganisationAsAt[];
}

export interface AsNowResolution {
  odsCode: string;
  today: IsoDate;
  resolution: SuccessionResolution;
  current: CurrentOrganisation[];
}

/** Today's structure applied to a code from any date: its current successor(s) and where they sit now. */
export async function resolveAsNow(ex: Executor, odsCode: string, today: IsoDate): Promise<AsNowResolution> {
  const forward = await listSuccessionsForwardFrom(ex, odsCode);
  const known = await listOrganisationsByCodes(ex, [odsCode, ...forward.map((s) => s.successorCode)]);
  if (!known.has(odsCode) && forward.length === 0) {
    throw notFound(`No organisation or ODS succession has code ${odsCode}.`);
  }
  const resolution = resolveCurrentSuccessors(
    odsCode,
    indexSuccessionsByPredecessor(forward),
    (code) => {
      const organisation = known.get(code);
      return organisation !== undefined && existsOn(organisation, today);
    },
    today,
  );
  const current: CurrentOrganisation[] = [];
  for (const code of resolution.currentCodes) {
    const organisation = known.get(code);
    if (!organisation) continue;
    const path = await listPathAt(ex, organisation.id, today);
    const self = path[path.length - 1];
    if (self) current.push({ organisation: self, path });
  }
  return { odsCode, today, resolution, current };
}

export interface SuccessionHistory {
  predecessors: Succession[];
  successors: Succession[];
  asNow: AsNowResolution;
}

/** An ODS code's predecessors and successors (chains followed both ways) and what it maps to today. */
export async function getSuccessions(
  ex: Executor,
  odsCode: string,
  today: IsoDate,
): Promise<SuccessionHistory> {
  const [predecessors, successors, asNow] = await Promise.all([
    listSuccessionsBackwardFrom(ex, odsCode),
    listSuccessionsForwardFrom(ex, odsCode),
    resolveAsNow(ex, odsCode, today),
  ]);
  return { predecessors, successors, asNow };
}

export interface ParentHistoryEntry {
  parentCode: string;
  parentName: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

export interface OrganisationProfile {
  organisation: OrganisationRecord;
  asAt: IsoDate;
  /** Whether the organisation existed on the as-at date; if not, details are its last known. */
  existedOnDate: boolean;
  details: VersionRecord;
  path: OrganisationAsAt[];
  children: OrganisationAsAt[];
  versions: VersionRecord[];
  parents: ParentHistoryEntry[];
  roles: RoleRecord[];
  predecessors: Succession[];
  successors: Succession[];
}

/** Everything about one organisation: details and place as at the date, and its whole history. */
export async function getOrganisationProfile(
  ex: Executor,
  odsCode: string,
  asAt: IsoDate,
): Promise<OrganisationProfile> {
  const organisation = await requireOrganisation(ex, odsCode);
  const existedOnDate = existsOn(organisation, asAt);
  // When the organisation did not exist on the date, show it as on its last day (or first, if not yet open).
  const shownDate = existedOnDate
    ? asAt
    : asAt < organisation.validFrom
      ? organisation.validFrom
      : addDays(organisation.validTo ?? asAt, -1);
  const details =
    (await findVersionAt(ex, organisation.id, shownDate)) ?? (await findLatestVersion(ex, organisation.id));
  if (!details) throw notFound(`${odsCode} has no recorded details.`);

  const [path, subtree, versions, links, roles, predecessors, successors] = await Promise.all([
    listPathAt(ex, organisation.id, shownDate),
    existedOnDate ? listSubtreeAt(ex, organisation.id, asAt, 1) : Promise.resolve([]),
    listVersions(ex, organisation.id),
    listParentLinks(ex, organisation.id),
    listRoles(ex, organisation.id),
    listSuccessionsBackwardFrom(ex, odsCode),
    listSuccessionsForwardFrom(ex, odsCode),
  ]);
  const parentCodes = await listOrganisationNames(
    ex,
    links.map((link) => link.parentId),
  );
  return {
    organisation,
    asAt,
    existedOnDate,
    details,
    path,
    children: subtree.filter((row) => row.id !== organisation.id),
    versions,
    parents: links.map((link) => {
      const parent = parentCodes.get(link.parentId);
      return {
        parentCode: parent?.odsCode ?? String(link.parentId),
        parentName: parent?.name ?? 'Unknown',
        validFrom: link.validFrom,
        validTo: link.validTo,
      };
    }),
    roles,
    predecessors,
    successors,
  };
}

export async function searchOrganisationsAt(
  ex: Executor,
  search: OrganisationSearch,
): Promise<{ total: number; organisations: OrganisationAsAt[] }> {
  return searchOrganisations(ex, search);
}

export async function listEvents(
  ex: Executor,
  filter: Omit<EventFilter, 'organisationId'> & { odsCode?: string },
): Promise<{ total: number; events: HierarchyEvent[] }> {
  const { odsCode, ...rest } = filter;
  if (odsCode === undefined) return listHierarchyEvents(ex, rest);
  const organisation = await requireOrganisation(ex, odsCode);
  return listHierarchyEvents(ex, { ...rest, organisationId: organisation.id });
}

export interface TreeAsNow {
  asAt: IsoDate;
  today: IsoDate;
  tree: TreeAt;
  /** For each organisation in today's tree, the organisations of the as-at date that now map to it. */
  formerly: Map<number, OrganisationAsAt[]>;
  /** Organisations of the as-at date that map to nothing open today. */
  unmapped: OrganisationAsAt[];
}

/**
 * Today's structure applied to history: today's tree, with every organisation that existed on the
 * as-at date placed under the organisation(s) that succeed it today.
 */
export async function getTreeAsNow(
  ex: Executor,
  options: { asAt: IsoDate; today: IsoDate; rootCode?: string; depth?: number },
): Promise<TreeAsNow> {
  const tree = await getTreeAt(ex, {
    asAt: options.today,
    ...(options.rootCode ? { rootCode: options.rootCode } : {}),
    ...(options.depth ? { depth: options.depth } : {}),
  });
  const [then, now, successions] = await Promise.all([
    listOrganisationsAt(ex, options.asAt),
    listOrganisationsAt(ex, options.today),
    listAllSuccessions(ex),
  ]);
  const openToday = new Map(now.map((organisation) => [organisation.odsCode, organisation]));
  const index = indexSuccessionsByPredecessor(successions);
  const formerly = new Map<number, OrganisationAsAt[]>();
  const unmapped: OrganisationAsAt[] = [];
  for (const organisation of then) {
    const resolution = resolveCurrentSuccessors(
      organisation.odsCode,
      index,
      (code) => openToday.has(code),
      options.today,
    );
    if (resolution.status === 'current') continue;
    if (resolution.currentCodes.length === 0) {
      unmapped.push(organisation);
      continue;
    }
    for (const code of resolution.currentCodes) {
      const target = openToday.get(code);
      if (!target) continue;
      const list = formerly.get(target.id) ?? [];
      list.push(organisation);
      formerly.set(target.id, list);
    }
  }
  return { asAt: options.asAt, today: options.today, tree, formerly, unmapped };
}
