import type { OrganisationKind } from './organisation.js';

/**
 * Who may do what: roles granted on a scope in the hierarchy, grants for the statutory functions the
 * seeds keep distinct, and the one policy that decides every request. Pure: the caller supplies the
 * record's path in the hierarchy as at the record's own date, so data follows its organisation's
 * parent from the date of a change.
 */

export const roles = [
  'national-director',
  'national-analyst',
  'regional-director',
  'regional-team',
  'icb-lead',
  'trust-board-member',
  'trust-data-submitter',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  'national-director': 'National director',
  'national-analyst': 'National analyst',
  'regional-director': 'Regional director',
  'regional-team': 'Regional team',
  'icb-lead': 'ICB lead',
  'trust-board-member': 'Trust board member',
  'trust-data-submitter': 'Trust data submitter',
};

/** The tier a role is granted at: national roles cover England, the others one region, ICB or organisation. */
export type ScopeTier = 'england' | 'region' | 'icb' | 'organisation';
export const roleScopeTier: Record<Role, ScopeTier> = {
  'national-director': 'england',
  'national-analyst': 'england',
  'regional-director': 'region',
  'regional-team': 'region',
  'icb-lead': 'icb',
  'trust-board-member': 'organisation',
  'trust-data-submitter': 'organisation',
};

/** Which organisation kinds a role's scope may name (England roles name none: the whole country). */
export const scopeKindsForTier: Record<ScopeTier, readonly OrganisationKind[]> = {
  england: [],
  region: ['region'],
  icb: ['icb', 'stp'],
  organisation: ['nhs-trust', 'independent-provider', 'ccg', 'gp-practice'],
};

/**
 * Statutory functions kept distinct by the seeds: records tagged with one are invisible and unwritable
 * without a grant for it, whatever the person's role.
 */
export const statutoryFunctions = [
  'pricing',
  'competition',
  'patient-choice',
  'hsib',
  'tariff-currency',
  'specialised-commissioning',
  'primary-care',
  'eprr',
  'provider-licensing',
] as const;
export type StatutoryFunction = (typeof statutoryFunctions)[number];

export const statutoryFunctionLabels: Record<StatutoryFunction, string> = {
  pricing: 'Pricing (NHS Improvement)',
  competition: 'Competition (NHS Improvement)',
  'patient-choice': 'Patient choice (NHS Improvement)',
  hsib: 'Hosting the Healthcare Safety Investigation Branch (NHS Improvement)',
  'tariff-currency': 'Tariff currency development (NHS England)',
  'specialised-commissioning': 'Specialised commissioning (NHS England)',
  'primary-care': 'Primary care commissioning (NHS England)',
  eprr: 'Emergency preparedness, resilience and response (NHS England)',
  'provider-licensing': 'Provider licence enforcement (NHS Improvement)',
};

/** What a request does to a record. */
export const actions = [
  'read',
  'submit',
  'approve',
  'accept',
  'publish',
  'judge',
  'configure',
  'declare',
  'intervene',
  'contribute',
  'govern',
  'collaborate',
] as const;
export type Action = (typeof actions)[number];

export const actionLabels: Record<Action, string> = {
  read: 'read',
  submit: 'submit or change',
  approve: 'approve, or return for correction,',
  accept: 'accept, lock, or return for correction,',
  publish: 'publish',
  judge: 'record an oversight judgement on',
  configure: 'change',
  declare: 'make a comply-or-explain declaration for',
  intervene: 'record or change an intervention on',
  contribute: 'record a programme contribution for',
  govern: 'record meetings and decisions of',
  collaborate: 'raise, offer, agree or broker mutual aid for',
};

/** The roles that may take each action on an unpublished record within their scope. */
const rolesFor: Record<Action, readonly Role[]> = {
  read: roles,
  submit: ['trust-data-submitter'],
  // A return is approved by the ICB over the organisation, then accepted and locked by its region
  // (national directors stand in for a region, as they do for judgements).
  approve: ['icb-lead'],
  accept: ['regional-director', 'regional-team', 'national-director'],
  publish: ['national-director', 'national-analyst'],
  // Segment overrides and segment 5 are regional decisions (NOF: the region reviews segment-4 providers).
  judge: ['national-director', 'regional-director'],
  // National settings such as the oversight methodologies, granted on England.
  configure: ['national-director'],
  // Comply or explain is the board's (or the ICB's governing body's) own declaration: see exactScopeActions.
  declare: ['trust-board-member', 'icb-lead'],
  // Support and regulatory interventions are oversight decisions of the region or the centre.
  intervene: ['national-director', 'regional-director', 'regional-team'],
  // Regions' and ICBs' contributions to national programmes (the programme itself is configure).
  contribute: ['national-director', 'regional-director', 'regional-team', 'icb-lead'],
  // Meetings and decisions of the Executive Group and Assembly (England) and of regional boards.
  govern: ['national-director', 'regional-director'],
  // Mutual aid: an organisation's leaders raise and agree aid; regions broker everything in theirs.
  collaborate: ['national-director', 'regional-director', 'regional-team', 'icb-lead', 'trust-board-member'],
};

/**
 * Actions a grant allows only on the organisation it names, not on those beneath it: an ICB lead
 * cannot declare for a trust's board, though their grant covers the trust.
 */
const exactScopeActions: ReadonlySet<Action> = new Set(['declare']);

export interface RoleGrant {
  role: Role;
  /** The organisation the grant covers (with everything under it); null for England. */
  scopeOrganisationId: number | null;
}

/** The caller of a request: a signed-in person, a machine token, or the public. */
export type Principal =
  | {
      kind: 'user';
      userId: number;
      label: string;
      isAdmin: boolean;
      grants: RoleGrant[];
      functions: StatutoryFunction[];
    }
  | { kind: 'token'; tokenId: number; label: string; organisationId: number; templates: string[] }
  | { kind: 'public' };

/** A record as the policy sees it. */
export interface ProtectedRecord {
  /** Organisation ids from England down to the record's organisation, as at the record's date. */
  path: number[];
  published: boolean;
  statutoryFunction: StatutoryFunction | null;
  /** The template a return belongs to (machine tokens are limited to named templates). */
  template: string | null;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const allow: Decision = { allowed: true };

/** The one decision: may this principal take this action on this record? */
export function decide(principal: Principal, action: Action, record: ProtectedRecord): Decision {
  if (action === 'read' && record.published && !record.statutoryFunction) return allow;
  if (principal.kind === 'public') {
    return { allowed: false, reason: 'Sign in to see records that are not published.' };
  }
  if (principal.kind === 'token') {
    const organisationId = record.path[record.path.length - 1];
    if (action !== 'submit') return { allowed: false, reason: 'Machine tokens can only submit returns.' };
    if (record.statutoryFunction)
      return { allowed: false, reason: 'Machine tokens cannot submit records of a statutory function.' };
    if (organisationId !== principal.organisationId)
      return { allowed: false, reason: 'This token is for another organisation.' };
    if (!record.template || !principal.templates.includes(record.template))
      return {
        allowed: false,
        reason: `This token is not for the ${record.template ?? 'unnamed'} template.`,
      };
    return allow;
  }
  if (record.statutoryFunction && !principal.functions.includes(record.statutoryFunction)) {
    return {
      allowed: false,
      reason: `This record belongs to ${statutoryFunctionLabels[record.statutoryFunction]}; only people granted that function may ${actionLabels[action]} it.`,
    };
  }
  const organisationId = record.path[record.path.length - 1];
  const inScope = principal.grants.some(
    (grant) =>
      rolesFor[action].includes(grant.role) &&
      (exactScopeActions.has(action)
        ? grant.scopeOrganisationId === organisationId
        : grant.scopeOrganisationId === null || record.path.includes(grant.scopeOrganisationId)),
  );
  if (inScope) return allow;
  return {
    allowed: false,
    reason: `None of your roles lets you ${actionLabels[action]} this record for this organisation.`,
  };
}
