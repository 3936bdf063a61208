import { z } from 'zod';
import { isIsoDate, type IsoDate } from './iso-date.js';
import { greatCircleKm, type Coordinates } from './postcode-areas.js';

/**
 * Mutual aid and the duty to collaborate. Organisations ask for and offer any capacity — beds, elective
 * capacity, diagnostics, staff, equipment, expertise — and a request is met by one or more matches, each
 * a quantity from one organisation (through its offer, or asked directly) that both sides agree. Matching
 * ranks candidates local first, as the elective process does: the requester's ICB, then its region, then
 * England, each by distance, leaving out organisations under pressure so a struggling trust is not asked
 * to give. Pure: the service loads the candidates.
 */

export const aidKinds = ['beds', 'elective', 'diagnostics', 'staff', 'equipment', 'expertise'] as const;
export type AidKind = (typeof aidKinds)[number];

export const aidKindLabels: Record<AidKind, string> = {
  beds: 'Beds',
  elective: 'Elective capacity',
  diagnostics: 'Diagnostics',
  staff: 'Staff',
  equipment: 'Equipment',
  expertise: 'Expertise (support to develop a capability)',
};

/** What "detail" names for each kind: the bed type, specialty, modality, staff group, equipment or capability. */
export const aidDetailNames: Record<AidKind, string> = {
  beds: 'bed type',
  elective: 'specialty',
  diagnostics: 'diagnostic test',
  staff: 'staff group',
  equipment: 'equipment',
  expertise: 'capability',
};

/** The vocabulary of each kind's detail, with labels. Specialties follow the RTT treatment functions. */
export const aidDetails: Record<AidKind, Readonly<Record<string, string>>> = {
  beds: {
    'general-acute-adult': 'General and acute (adult)',
    'general-acute-paediatric': 'General and acute (paediatric)',
    'adult-critical-care': 'Adult critical care',
    'paediatric-intensive-care': 'Paediatric intensive care',
    'neonatal-intensive-care': 'Neonatal intensive care',
    maternity: 'Maternity',
    'mental-health-adult': 'Adult mental health',
    'mental-health-children': "Children and young people's mental health",
  },
  elective: {
    'trauma-orthopaedics': 'Trauma and orthopaedics',
    'general-surgery': 'General surgery',
    urology: 'Urology',
    ophthalmology: 'Ophthalmology',
    ent: 'Ear, nose and throat',
    gynaecology: 'Gynaecology',
    'oral-surgery': 'Oral surgery',
    'plastic-surgery': 'Plastic surgery',
    cardiothoracic: 'Cardiothoracic surgery',
    neurosurgery: 'Neurosurgery',
    cardiology: 'Cardiology',
    dermatology: 'Dermatology',
    gastroenterology: 'Gastroenterology',
    'paediatric-surgery': 'Paediatric surgery',
  },
  diagnostics: {
    mri: 'Magnetic resonance imaging (MRI)',
    ct: 'Computed tomography (CT)',
    'non-obstetric-ultrasound': 'Non-obstetric ultrasound',
    colonoscopy: 'Colonoscopy',
    gastroscopy: 'Gastroscopy',
    echocardiography: 'Echocardiography',
    dexa: 'DEXA scan',
    audiology: 'Audiology assessment',
    'sleep-studies': 'Sleep studies',
  },
  staff: {
    'registered-nurses': 'Registered nurses',
    'mental-health-nurses': 'Mental health nurses',
    midwives: 'Midwives',
    'consultant-doctors': 'Consultant doctors',
    'resident-doctors': 'Resident doctors',
    'allied-health-professionals': 'Allied health professionals',
    'theatre-staff': 'Theatre staff',
    paramedics: 'Paramedics',
    'healthcare-support-workers': 'Healthcare support workers',
    pharmacists: 'Pharmacists',
  },
  equipment: {
    ventilators: 'Ventilators',
    'infusion-pumps': 'Infusion pumps',
    'dialysis-machines': 'Dialysis machines',
    'mobile-ct-scanner': 'Mobile CT scanner',
    'mobile-mri-scanner': 'Mobile MRI scanner',
    'modular-theatre': 'Modular theatre',
    ambulances: 'Ambulances',
    'pressure-relieving-mattresses': 'Pressure-relieving mattresses',
  },
  expertise: {
    'urgent-care-flow': 'Urgent and emergency care flow',
    'elective-recovery': 'Elective recovery',
    'infection-prevention': 'Infection prevention and control',
    'maternity-safety': 'Maternity safety',
    'financial-recovery': 'Financial recovery',
    'digital-and-data': 'Digital and data',
    'workforce-planning': 'Workforce planning',
    'quality-improvement': 'Quality improvement',
    'leadership-and-governance': 'Leadership and governance',
  },
};

export const aidUnitLabels = {
  beds: 'beds',
  patients: 'patients',
  sessions: 'sessions',
  tests: 'tests',
  wte: 'whole-time equivalent staff',
  items: 'items',
  days: 'days of support',
} as const;
export type AidUnit = keyof typeof aidUnitLabels;

/** The units each kind is counted in (elective capacity in patients or theatre/clinic sessions). */
export const aidUnits: Record<AidKind, readonly AidUnit[]> = {
  beds: ['beds'],
  elective: ['patients', 'sessions'],
  diagnostics: ['tests', 'sessions'],
  staff: ['wte'],
  equipment: ['items'],
  expertise: ['days'],
};

export const aidUrgencies = ['routine', 'urgent', 'critical'] as const;
export type AidUrgency = (typeof aidUrgencies)[number];
export const aidUrgencyLabels: Record<AidUrgency, string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  critical: 'Critical',
};

export function aidDetailLabel(kind: AidKind, detail: string): string {
  return aidDetails[kind][detail] ?? detail;
}

export function isAidKind(value: string): value is AidKind {
  return (aidKinds as readonly string[]).includes(value);
}

/** "12 beds", "1 whole-time equivalent staff". */
export function describeQuantity(quantity: number, unit: string): string {
  const label = (aidUnitLabels as Record<string, string>)[unit] ?? unit;
  return `${new Intl.NumberFormat('en-GB').format(quantity)} ${label}`;
}

// ---------------------------------------------------------------------------------------------------
// Inputs

const odsCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2,10}$/, 'Enter the ODS code of the organisation, like RJ1');
const isoDate = (what: string) =>
  z.string().trim().refine(isIsoDate, `Enter ${what} as a real date, like 2026-04-01`);
const quantity = z
  .number({ error: 'Enter the quantity as a whole number, like 10' })
  .int('Enter the quantity as a whole number, like 10')
  .min(1, 'The quantity must be at least 1')
  .max(100_000, 'The quantity must be 100,000 or fewer');

/** Checks the detail and unit belong to the kind; shared by requests and offers. */
function checkKind(value: { kind: AidKind; detail: string; unit: string }, ctx: z.RefinementCtx): void {
  if (!(value.detail in aidDetails[value.kind]))
    ctx.addIssue({
      code: 'custom',
      path: ['detail'],
      message: `Choose a ${aidDetailNames[value.kind]} from the list for ${aidKindLabels[value.kind].toLowerCase()}: ${Object.keys(aidDetails[value.kind]).join(', ')}`,
    });
  if (!(aidUnits[value.kind] as readonly string[]).includes(value.unit))
    ctx.addIssue({
      code: 'custom',
      path: ['unit'],
      message: `${aidKindLabels[value.kind]} is counted in ${aidUnits[value.kind].join(' or ')}`,
    });
}

const kindFields = {
  kind: z.enum(aidKinds, { error: `Choose what kind of capacity: ${aidKinds.join(', ')}` }),
  detail: z.string().trim().min(1, 'Choose what exactly is needed'),
  unit: z.string().trim().min(1, 'Choose the unit'),
  quantity,
};

/** A request for capacity, raised by (or for) the organisation that needs it. */
export const aidRequestInputSchema = z
  .strictObject({
    /** ODS code of the organisation asking for aid. */
    requester: odsCode,
    ...kindFields,
    neededFrom: isoDate('the date it is needed from'),
    neededTo: isoDate('the date it is needed until'),
    urgency: z.enum(aidUrgencies, { error: 'Choose how urgent it is: routine, urgent or critical' }),
    reason: z
      .string()
      .trim()
      .min(1, 'Enter why the aid is needed')
      .max(2000, 'The reason must be 2,000 characters or fewer'),
    /** The intervention this request supports, if any. */
    interventionId: z.number().int().positive('Enter the number of an intervention').nullish(),
    /** The oversight signal behind the request: a metric of the catalogue and the month it was seen. */
    signal: z
      .strictObject({
        metric: z.string().trim().min(1, 'Enter the metric code, like ga_occupancy'),
        period: isoDate('the month of the signal'),
      })
      .nullish(),
  })
  .superRefine((value, ctx) => {
    checkKind(value, ctx);
    if (isIsoDate(value.neededFrom) && isIsoDate(value.neededTo) && value.neededTo < value.neededFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['neededTo'],
        message: 'The date it is needed until must be the same as or after the date it is needed from',
      });
  });
export type AidRequestInput = z.output<typeof aidRequestInputSchema>;

/** An offer of capacity an organisation can spare. */
export const aidOfferInputSchema = z
  .strictObject({
    /** ODS code of the organisation offering. */
    provider: odsCode,
    ...kindFields,
    availableFrom: isoDate('the date it is available from'),
    availableTo: isoDate('the date it is available until'),
    notes: z.string().trim().max(2000, 'Notes must be 2,000 characters or fewer').default(''),
  })
  .superRefine((value, ctx) => {
    checkKind(value, ctx);
    if (
      isIsoDate(value.availableFrom) &&
      isIsoDate(value.availableTo) &&
      value.availableTo < value.availableFrom
    )
      ctx.addIssue({
        code: 'custom',
        path: ['availableTo'],
        message: 'The date it is available until must be the same as or after the date it is available from',
      });
  });
export type AidOfferInput = z.output<typeof aidOfferInputSchema>;

/** A proposal: part of a request from one organisation, through its offer or asked directly. */
export const aidProposalInputSchema = z
  .strictObject({
    offerId: z.number().int().positive().nullish(),
    provider: odsCode.nullish(),
    quantity,
  })
  .superRefine((value, ctx) => {
    if (!value.offerId && !value.provider)
      ctx.addIssue({
        code: 'custom',
        path: ['provider'],
        message: 'Choose an offer, or the organisation being asked to help',
      });
  });
export type AidProposalInput = z.output<typeof aidProposalInputSchema>;

// ---------------------------------------------------------------------------------------------------
// Lifecycle

export const aidRequestStatuses = [
  'requested',
  'matched',
  'agreed',
  'in-progress',
  'completed',
  'withdrawn',
] as const;
export type AidRequestStatus = (typeof aidRequestStatuses)[number];
export const aidRequestStatusLabels: Record<AidRequestStatus, string> = {
  requested: 'Requested',
  matched: 'Matched',
  agreed: 'Agreed',
  'in-progress': 'In progress',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

export const aidMatchStatuses = ['proposed', 'agreed', 'in-progress', 'completed', 'withdrawn'] as const;
export type AidMatchStatus = (typeof aidMatchStatuses)[number];
export const aidMatchStatusLabels: Record<AidMatchStatus, string> = {
  proposed: 'Proposed',
  agreed: 'Agreed by both',
  'in-progress': 'In progress',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

/** Matches that still count against the request and the offer. */
export const liveMatchStatuses: readonly AidMatchStatus[] = [
  'proposed',
  'agreed',
  'in-progress',
  'completed',
];

export const aidSteps = ['propose', 'agree', 'start', 'deliver', 'complete', 'withdraw'] as const;
export type AidStep = (typeof aidSteps)[number];

const stepAllowedFrom: Record<AidStep, readonly AidRequestStatus[]> = {
  propose: ['requested', 'matched', 'agreed'],
  agree: ['matched', 'agreed'],
  start: ['agreed'],
  deliver: ['in-progress'],
  complete: ['in-progress'],
  withdraw: ['requested', 'matched', 'agreed', 'in-progress'],
};

const stepWhy: Record<AidStep, string> = {
  propose: 'Matches can be proposed until the aid starts',
  agree: 'Only a proposed match can be agreed, before the aid starts',
  start: 'Aid starts once at least one match is agreed by both organisations',
  deliver: 'Deliveries are recorded while the aid is in progress',
  complete: 'Only aid in progress can be completed',
  withdraw: 'Completed or withdrawn requests cannot be withdrawn',
};

/** Null when the step may be taken from the status, else why not (a sentence for a 409). */
export function checkAidStep(status: AidRequestStatus, step: AidStep): string | null {
  if (stepAllowedFrom[step].includes(status)) return null;
  return `This request is ${aidRequestStatusLabels[status].toLowerCase()}. ${stepWhy[step]}.`;
}

/** Before the aid starts, a request's status follows its matches: none, proposed, or agreed by both. */
export function statusFromMatches(
  current: AidRequestStatus,
  matches: ReadonlyArray<{ status: AidMatchStatus }>,
): AidRequestStatus {
  if (!['requested', 'matched', 'agreed'].includes(current)) return current;
  if (matches.some((m) => m.status === 'agreed')) return 'agreed';
  if (matches.some((m) => m.status === 'proposed')) return 'matched';
  return 'requested';
}

/** How much of a request is still to find: its quantity less every live match. */
export function remainingNeed(
  requestQuantity: number,
  matches: ReadonlyArray<{ status: AidMatchStatus; quantity: number }>,
): number {
  const allocated = matches
    .filter((m) => liveMatchStatuses.includes(m.status))
    .reduce((sum, m) => sum + m.quantity, 0);
  return Math.max(0, requestQuantity - allocated);
}

// ---------------------------------------------------------------------------------------------------
// Matching

/** At or above this general and acute bed occupancy (%) an organisation is not asked to give. */
export const excludeAtOccupancy = 95;
/** At or above this occupancy (%, the planning ambition is 92 %) it is ranked after others in its tier. */
export const strainedAtOccupancy = 92;
/** Oversight segments 4 and 5 (recovery support) are not asked to give. */
export const excludeFromSegment = 4;

export const aidTiers = ['icb', 'region', 'national'] as const;
export type AidTier = (typeof aidTiers)[number];
export const aidTierLabels: Record<AidTier, string> = {
  icb: 'Same ICB',
  region: 'Same region',
  national: 'National',
};

/** An organisation as matching sees it (loaded in one query). */
export interface AidCandidateOrganisation {
  id: number;
  odsCode: string;
  name: string;
  sector: string | null;
  icbId: number | null;
  regionId: number | null;
  location: Coordinates | null;
  /** Latest general and acute bed occupancy, %, and its month; null when not reported lately. */
  occupancy: { value: number; period: IsoDate } | null;
  /** The standing segment from a regional judgement, when one is recorded; null otherwise. */
  segment: number | null;
}

export interface AidOpenOffer {
  id: number;
  organisationId: number;
  kind: AidKind;
  detail: string;
  unit: string;
  /** What is left of the offer after its live matches. */
  remaining: number;
  availableFrom: IsoDate;
  availableTo: IsoDate;
}

export interface AidNeed {
  organisationId: number;
  kind: AidKind;
  detail: string;
  unit: string;
  /** Still to find. */
  remaining: number;
  neededFrom: IsoDate;
  neededTo: IsoDate;
}

export type PressureLevel = 'none' | 'strained' | 'excluded' | 'unknown';

export interface AidPressure {
  level: PressureLevel;
  occupancy: number | null;
  occupancyPeriod: IsoDate | null;
  segment: number | null;
  /** Why the organisation is excluded or ranked lower; null when it is not under pressure. */
  reason: string | null;
}

export interface AidCandidate {
  organisation: { id: number; odsCode: string; name: string };
  tier: AidTier;
  distanceKm: number | null;
  pressure: AidPressure;
  /** The organisation's matching offer, with what is left of it; null for an organisation asked directly. */
  offer: { id: number; remaining: number; availableFrom: IsoDate; availableTo: IsoDate } | null;
  /** Why it is not a candidate (pressure, or it does not provide this kind of care); null when it is. */
  excluded: string | null;
  /** What to propose from it: the offer's remainder or the whole need, whichever is smaller. */
  suggestedQuantity: number;
}

export interface AidMatching {
  /** Offers that fit, best first; excluded offers are in `excluded`. */
  offers: AidCandidate[];
  /** Organisations that could be asked (no fitting offer), best first, up to the limit. */
  organisations: AidCandidate[];
  /** Candidates left out, with why, nearest tiers first. */
  excluded: AidCandidate[];
  /** A split of the need across the ranked offers (partial fulfilment), and what they leave unmet. */
  allocation: Array<{ offerId: number; organisationId: number; quantity: number }>;
  shortfall: number;
  /** The nearest tier whose offers meet the need ("local first"); national when none does. */
  escalation: AidTier;
}

/** Sectors that provide each kind (or detail); absent means any sector. */
const providingSectors: Partial<Record<AidKind, Readonly<Record<string, readonly string[]>>>> = {
  beds: {
    'mental-health-adult': ['mental-health'],
    'mental-health-children': ['mental-health'],
    '*': ['acute', 'specialist'],
  },
  elective: { '*': ['acute', 'specialist'] },
  diagnostics: { '*': ['acute', 'specialist', 'community'] },
  staff: { paramedics: ['ambulance'], 'mental-health-nurses': ['mental-health'] },
  equipment: { ambulances: ['ambulance'] },
};

const sectorNames: Record<string, string> = {
  acute: 'an acute trust',
  'mental-health': 'a mental health trust',
  community: 'a community trust',
  ambulance: 'an ambulance trust',
  specialist: 'a specialist trust',
};

/** Null when an organisation of this sector can provide the kind and detail; else why not. */
export function capabilityGap(sector: string | null, kind: AidKind, detail: string): string | null {
  if (!sector) return null;
  const rules = providingSectors[kind];
  const sectors = rules?.[detail] ?? rules?.['*'];
  if (!sectors || sectors.includes(sector)) return null;
  return `${sectorNames[sector] ?? `a ${sector} trust`} does not usually provide ${aidDetailLabel(kind, detail).toLowerCase()}`.replace(
    /^./,
    (c) => c.toUpperCase(),
  );
}

/** How pressed an organisation is, against the stated thresholds. */
export function assessPressure(
  candidate: Pick<AidCandidateOrganisation, 'occupancy' | 'segment'>,
): AidPressure {
  const occupancy = candidate.occupancy?.value ?? null;
  const base = {
    occupancy,
    occupancyPeriod: candidate.occupancy?.period ?? null,
    segment: candidate.segment,
  };
  const rounded = occupancy === null ? '' : `${occupancy.toFixed(1)}%`;
  if (candidate.segment !== null && candidate.segment >= excludeFromSegment)
    return {
      ...base,
      level: 'excluded',
      reason: `In oversight segment ${candidate.segment}: organisations in segment ${excludeFromSegment} or ${excludeFromSegment + 1} are not asked to give`,
    };
  if (occupancy !== null && occupancy >= excludeAtOccupancy)
    return {
      ...base,
      level: 'excluded',
      reason: `General and acute bed occupancy ${rounded}, at or above ${excludeAtOccupancy}%`,
    };
  if (occupancy !== null && occupancy >= strainedAtOccupancy)
    return {
      ...base,
      level: 'strained',
      reason: `General and acute bed occupancy ${rounded}, above the ${strainedAtOccupancy}% ambition: ranked after others`,
    };
  return { ...base, level: occupancy === null ? 'unknown' : 'none', reason: null };
}

function tierOf(requester: AidCandidateOrganisation, other: AidCandidateOrganisation): AidTier {
  if (requester.icbId !== null && other.icbId === requester.icbId) return 'icb';
  if (requester.regionId !== null && other.regionId === requester.regionId) return 'region';
  return 'national';
}

const tierRank: Record<AidTier, number> = { icb: 0, region: 1, national: 2 };
const pressureRank: Record<PressureLevel, number> = { none: 0, unknown: 0, strained: 1, excluded: 2 };

function overlaps(aFrom: IsoDate, aTo: IsoDate, bFrom: IsoDate, bTo: IsoDate): boolean {
  return aFrom <= bTo && bFrom <= aTo;
}

/** Distance, unknown last. */
function byDistance(a: AidCandidate, b: AidCandidate): number {
  if (a.distanceKm === null || b.distanceKm === null)
    return (a.distanceKm === null ? 1 : 0) - (b.distanceKm === null ? 1 : 0);
  return a.distanceKm - b.distanceKm;
}

/**
 * Ranks the candidates for a need: offers that fit its kind, detail, unit and dates, then organisations
 * that could be asked. Both go tier by tier (same ICB, same region, England); within a tier an offer that
 * covers the whole need comes first, then the nearest, and an organisation under strain comes after those
 * that are not. Organisations under pressure, and those that do not provide this kind of care, are left out
 * with why. The ranked offers are then split across the need, best first, so two offers can meet it together.
 */
export function rankAidCandidates(
  need: AidNeed,
  organisations: readonly AidCandidateOrganisation[],
  offers: readonly AidOpenOffer[],
  options: { limit?: number } = {},
): AidMatching {
  const limit = options.limit ?? 20;
  const byId = new Map(organisations.map((o) => [o.id, o]));
  const requester = byId.get(need.organisationId);
  if (!requester)
    throw new Error(`the requesting organisation ${need.organisationId} is not a candidate row`);
  const describe = (org: AidCandidateOrganisation) => {
    const pressure = assessPressure(org);
    return {
      organisation: { id: org.id, odsCode: org.odsCode, name: org.name },
      tier: tierOf(requester, org),
      distanceKm:
        requester.location && org.location
          ? Math.round(greatCircleKm(requester.location, org.location))
          : null,
      pressure,
    };
  };

  const offerCandidates: AidCandidate[] = [];
  const offering = new Set<number>();
  for (const offer of offers) {
    if (offer.organisationId === need.organisationId || offer.remaining <= 0) continue;
    if (offer.kind !== need.kind || offer.detail !== need.detail || offer.unit !== need.unit) continue;
    if (!overlaps(offer.availableFrom, offer.availableTo, need.neededFrom, need.neededTo)) continue;
    const org = byId.get(offer.organisationId);
    if (!org) continue;
    offering.add(org.id);
    const described = describe(org);
    offerCandidates.push({
      ...described,
      offer: {
        id: offer.id,
        remaining: offer.remaining,
        availableFrom: offer.availableFrom,
        availableTo: offer.availableTo,
      },
      excluded: described.pressure.level === 'excluded' ? described.pressure.reason : null,
      suggestedQuantity: Math.min(offer.remaining, need.remaining),
    });
  }
  const covers = (c: AidCandidate) => ((c.offer?.remaining ?? 0) >= need.remaining ? 0 : 1);
  offerCandidates.sort(
    (a, b) =>
      tierRank[a.tier] - tierRank[b.tier] ||
      pressureRank[a.pressure.level] - pressureRank[b.pressure.level] ||
      covers(a) - covers(b) ||
      byDistance(a, b) ||
      (b.offer?.remaining ?? 0) - (a.offer?.remaining ?? 0) ||
      (a.offer?.id ?? 0) - (b.offer?.id ?? 0),
  );

  const organisationCandidates: AidCandidate[] = [];
  for (const org of organisations) {
    if (org.id === need.organisationId || offering.has(org.id)) continue;
    const described = describe(org);
    const gap = capabilityGap(org.sector, need.kind, need.detail);
    organisationCandidates.push({
      ...described,
      offer: null,
      excluded: gap ?? (described.pressure.level === 'excluded' ? described.pressure.reason : null),
      suggestedQuantity: need.remaining,
    });
  }
  organisationCandidates.sort(
    (a, b) =>
      tierRank[a.tier] - tierRank[b.tier] ||
      pressureRank[a.pressure.level] - pressureRank[b.pressure.level] ||
      byDistance(a, b) ||
      (a.pressure.occupancy ?? 100) - (b.pressure.occupancy ?? 100) ||
      a.organisation.odsCode.localeCompare(b.organisation.odsCode),
  );

  const eligibleOffers = offerCandidates.filter((c) => !c.excluded);
  const allocation: AidMatching['allocation'] = [];
  let left = need.remaining;
  for (const candidate of eligibleOffers) {
    if (left <= 0 || !candidate.offer) break;
    const quantity = Math.min(left, candidate.offer.remaining);
    allocation.push({ offerId: candidate.offer.id, organisationId: candidate.organisation.id, quantity });
    left -= quantity;
  }
  let escalation: AidTier = 'national';
  for (const tier of aidTiers) {
    const within = eligibleOffers
      .filter((c) => tierRank[c.tier] <= tierRank[tier])
      .reduce((sum, c) => sum + (c.offer?.remaining ?? 0), 0);
    if (need.remaining > 0 && within >= need.remaining) {
      escalation = tier;
      break;
    }
  }
  // Pressure exclusions matter most close by: every one in the ICB and region is shown, then up to the limit.
  const excludedOrganisations = organisationCandidates.filter((c) => c.excluded);
  const excluded = [
    ...offerCandidates.filter((c) => c.excluded),
    ...excludedOrganisations.filter(
      (c, i) => (c.tier !== 'national' && c.pressure.level === 'excluded') || i < limit,
    ),
  ];
  return {
    offers: eligibleOffers,
    organisations: organisationCandidates.filter((c) => !c.excluded).slice(0, limit),
    excluded,
    allocation,
    shortfall: left,
    escalation,
  };
}
