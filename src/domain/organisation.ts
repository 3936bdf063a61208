import type { IsoDate } from './iso-date.js';

/**
 * Kinds of organisation. An integrated care system keeps its ODS code (e.g. QE1) across its forms, so
 * `stp` and `icb` are kinds of the same organisation at different dates (the kind is effective-dated).
 */
export const organisationKinds = [
  'national-body',
  'region',
  'stp',
  'icb',
  'ccg',
  'nhs-trust',
  'independent-provider',
  'gp-practice',
] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const organisationKindLabels: Record<OrganisationKind, string> = {
  'national-body': 'National body',
  region: 'NHS England region',
  stp: 'Sustainability and transformation partnership (STP) or integrated care system (ICS)',
  icb: 'Integrated care board (ICB)',
  ccg: 'Clinical commissioning group (CCG)',
  'nhs-trust': 'NHS trust',
  'independent-provider': 'Independent provider',
  'gp-practice': 'GP practice',
};

/** Sectors of NHS trusts, as NHS England groups them for oversight and benchmarking. */
export const trustSectors = ['acute', 'mental-health', 'community', 'ambulance', 'specialist'] as const;
export type TrustSector = (typeof trustSectors)[number];

export const trustSectorLabels: Record<TrustSector, string> = {
  acute: 'Acute',
  'mental-health': 'Mental health',
  community: 'Community',
  ambulance: 'Ambulance',
  specialist: 'Specialist',
};

/** Where an organisation record came from: public reference facts, an import, the demo generator or a person. */
export const provenances = ['reference', 'ods-import', 'demo', 'manual'] as const;
export type Provenance = (typeof provenances)[number];

/** Levels of the operating model, used to validate parent links and to group the tree. */
export type Tier = 'national' | 'region' | 'system' | 'commissioner' | 'provider' | 'practice';

export const tierOfKind: Record<OrganisationKind, Tier> = {
  'national-body': 'national',
  region: 'region',
  stp: 'system',
  icb: 'system',
  ccg: 'commissioner',
  'nhs-trust': 'provider',
  'independent-provider': 'provider',
  'gp-practice': 'practice',
};

/** Which tiers may be the parent of an organisation of each tier. */
const allowedParentTiers: Record<Tier, readonly Tier[]> = {
  national: [],
  region: ['national'],
  system: ['region'],
  commissioner: ['system'],
  provider: ['system'],
  practice: ['commissioner', 'system'],
};

export function isAllowedParent(childKind: OrganisationKind, parentKind: OrganisationKind): boolean {
  // Independent providers that serve no one system may sit directly under NHS England.
  if (childKind === 'independent-provider' && tierOfKind[parentKind] === 'national') return true;
  return allowedParentTiers[tierOfKind[childKind]].includes(tierOfKind[parentKind]);
}

export function describeAllowedParents(childKind: OrganisationKind): string {
  const kinds = organisationKinds.filter((kind) => isAllowedParent(childKind, kind));
  return kinds.length === 0 ? 'no parent' : kinds.map((kind) => organisationKindLabels[kind]).join(' or ');
}

/** ODS codes: letters and digits, 3 characters for trusts and systems, up to 6 for practices and sites. */
export const odsCodePattern = /^[A-Z0-9]{2,10}$/;

/** An organisation's attributes as they were over one interval of valid time. */
export interface OrganisationVersion {
  validFrom: IsoDate;
  /** First day on which this version no longer applies; null while it still applies. */
  validTo: IsoDate | null;
  name: string;
  kind: OrganisationKind;
  sector: TrustSector | null;
  postcode: string | null;
}

/** An organisation as at one date: the version then in force and its parent then. */
export interface OrganisationAsAt {
  id: number;
  odsCode: string;
  name: string;
  kind: OrganisationKind;
  sector: TrustSector | null;
  postcode: string | null;
  /** Dates the organisation itself existed: validTo is the first day it no longer existed. */
  validFrom: IsoDate;
  validTo: IsoDate | null;
  provenance: Provenance;
  parentId: number | null;
  parentCode: string | null;
}
