import type { IsoDate } from './iso-date.js';

/**
 * Every change to the hierarchy is one of these append-only events. Facts (organisations, versions,
 * parent links, successions) are only ever added, or closed by setting the end of their interval.
 */
export const hierarchyEventTypes = [
  'open',
  'close',
  'reparent',
  'revise',
  'merge',
  'absorb',
  'split',
  'succession',
  'role-assigned',
] as const;
export type HierarchyEventType = (typeof hierarchyEventTypes)[number];

export const hierarchyEventLabels: Record<HierarchyEventType, string> = {
  open: 'Opened',
  close: 'Closed',
  reparent: 'Moved to a new parent',
  revise: 'Details changed',
  merge: 'Merged into a new organisation',
  absorb: 'Absorbed by another organisation',
  split: 'Split',
  succession: 'Successor recorded',
  'role-assigned': 'Role assigned',
};

/** How an organisation took part in an event. */
export const eventParticipantRoles = [
  'subject',
  'predecessor',
  'successor',
  'old-parent',
  'new-parent',
  'moved-child',
] as const;
export type EventParticipantRole = (typeof eventParticipantRoles)[number];

export interface HierarchyEventParticipant {
  odsCode: string;
  name: string;
  role: EventParticipantRole;
}

export interface HierarchyEvent {
  id: number;
  type: HierarchyEventType;
  effectiveDate: IsoDate;
  reason: string;
  source: string;
  recordedAt: string;
  details: Record<string, unknown>;
  participants: HierarchyEventParticipant[];
}

/** ODS successor types. ODS does not say merger or acquisition; the import derives it where it can. */
export const successionTypes = ['merger', 'acquisition', 'split', 'unclassified'] as const;
export type SuccessionType = (typeof successionTypes)[number];

export interface Succession {
  predecessorCode: string;
  successorCode: string;
  effectiveDate: IsoDate;
  type: SuccessionType;
  isSplit: boolean;
  source: string;
}

/** Named roles held by people on an organisation (e.g. each region's regional director). */
export const organisationRoles = ['regional-director', 'chief-executive', 'chair'] as const;
export type OrganisationRole = (typeof organisationRoles)[number];

export const organisationRoleLabels: Record<OrganisationRole, string> = {
  'regional-director': 'Regional director',
  'chief-executive': 'Chief executive',
  chair: 'Chair',
};
