import { z } from 'zod';
import { isIsoDate, type IsoDate } from './iso-date.js';

/**
 * The governance bodies of the single operating model: the NHS Executive Group (national and regional
 * directors, co-chaired by the chief executives of NHS England and NHS Improvement), the NHS Assembly
 * (national clinical, patient and staff organisations, the voluntary sector, arm's-length bodies, and
 * leaders of ICSs, STPs, trusts, CCGs and local authorities) and each region's board. Members over time,
 * meetings, papers, decisions (linked to programmes, interventions and standards) and the actions that
 * follow. Pure: the service supplies the rows.
 */

export const bodyKinds = ['executive-group', 'assembly', 'regional-board'] as const;
export type BodyKind = (typeof bodyKinds)[number];

export const bodyKindLabels: Record<BodyKind, string> = {
  'executive-group': 'Executive group',
  assembly: 'Assembly',
  'regional-board': 'Regional board',
};

export const memberPositions = ['co-chair', 'chair', 'member'] as const;
export type MemberPosition = (typeof memberPositions)[number];

export const memberPositionLabels: Record<MemberPosition, string> = {
  'co-chair': 'Co-chair',
  chair: 'Chair',
  member: 'Member',
};

/** The sectors the seeds name for the NHS Assembly's members. */
export const sectors = [
  'clinical',
  'patient',
  'staff',
  'voluntary-sector',
  'arms-length-body',
  'ics',
  'stp',
  'trust',
  'ccg',
  'local-authority',
] as const;
export type Sector = (typeof sectors)[number];

export const sectorLabels: Record<Sector, string> = {
  clinical: 'National clinical organisations',
  patient: 'National patient organisations',
  staff: 'National staff organisations',
  'voluntary-sector': 'Voluntary, community and social enterprise sector',
  'arms-length-body': "NHS arm's-length bodies",
  ics: 'Integrated care systems (ICSs)',
  stp: 'Sustainability and transformation partnerships (STPs)',
  trust: 'NHS trusts',
  ccg: 'Clinical commissioning groups (CCGs)',
  'local-authority': 'Local authorities',
};

export const meetingStatuses = ['scheduled', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];

export const meetingStatusLabels: Record<MeetingStatus, string> = {
  scheduled: 'Scheduled',
  held: 'Held',
  cancelled: 'Cancelled',
};

/** The location of a meeting held online. */
export const virtualLocation = 'virtual';

// Inputs (the API and the command line parse these once)

const isoDate = (what: string) =>
  z
    .string()
    .trim()
    .refine(isIsoDate, { message: `enter ${what} as a real date, YYYY-MM-DD` });
const text = (what: string, max = 2000) =>
  z.string().trim().min(1, `enter ${what}`).max(max, `${what} must be ${max} characters or fewer`);
const code = (what: string) =>
  z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9-]{1,62}$/,
      `enter the code of the ${what} (lower-case letters, digits, hyphens)`,
    );

/** What a member represents: an organisation of the hierarchy (by ODS code) or a sector. */
export const representsSchema = z.union([
  z.strictObject({
    organisation: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{2,10}$/, 'enter the ODS code of the organisation the member represents'),
  }),
  z.strictObject({
    sector: z.enum(sectors, { message: `choose a sector: ${sectors.join(', ')}` }),
  }),
]);
export type Represents = z.output<typeof representsSchema>;

export const memberInputSchema = z.strictObject({
  personName: text("the member's name", 200),
  position: z.enum(memberPositions, { message: `choose a position: ${memberPositions.join(', ')}` }),
  represents: representsSchema,
  validFrom: isoDate('the date the membership starts'),
});
export type MemberInput = z.output<typeof memberInputSchema>;

export const endMemberInputSchema = z.strictObject({
  validTo: isoDate('the first day the person is no longer a member'),
});

export const meetingInputSchema = z.strictObject({
  meetsOn: isoDate('the date of the meeting'),
  title: text('a title for the meeting', 200),
  location: text(`where the meeting is held (or "${virtualLocation}")`, 200),
  /** Left out: scheduled for a future date, held for a past one (recording a meeting that has happened). */
  status: z.enum(['scheduled', 'held'], { message: 'choose scheduled or held' }).optional(),
});
export type MeetingInput = z.output<typeof meetingInputSchema>;

export const meetingStatusInputSchema = z.strictObject({
  status: z.enum(['held', 'cancelled'], { message: 'choose held or cancelled' }),
});

export const paperInputSchema = z.strictObject({
  title: text('a title for the paper', 300),
  author: text('the author of the paper', 200),
  summary: text('a summary of the paper', 4000),
  publish: z.boolean().default(false),
});
export type PaperInput = z.output<typeof paperInputSchema>;

export const decisionInputSchema = z.strictObject({
  text: text('what was decided', 4000),
  programme: code('programme').optional(),
  intervention: z.number().int('enter the number of the intervention').positive().optional(),
  standard: code('standard').optional(),
  /** The earlier decision this one corrects: decisions are never edited, a new one supersedes. */
  supersedes: z.number().int('enter the number of the decision it supersedes').positive().optional(),
  publish: z.boolean().default(false),
});
export type DecisionInput = z.output<typeof decisionInputSchema>;

export const actionInputSchema = z.strictObject({
  description: text('what is to be done', 2000),
  owner: text('who owns the action', 200),
  dueOn: isoDate('the date the action is due'),
});
export type ActionInput = z.output<typeof actionInputSchema>;

export const completeActionInputSchema = z.strictObject({
  completedOn: isoDate('the date the action was completed'),
});

// Rules

/** Half-open validity, as everywhere in the hierarchy: valid_from <= date < valid_to. */
export function isValidAt(interval: { validFrom: IsoDate; validTo: IsoDate | null }, date: IsoDate): boolean {
  return interval.validFrom <= date && (interval.validTo === null || date < interval.validTo);
}

/** The members in post on a date: chairs first, then by name. */
export function membersAt<
  T extends { validFrom: IsoDate; validTo: IsoDate | null; position: MemberPosition; personName: string },
>(members: readonly T[], date: IsoDate): T[] {
  const rank: Record<MemberPosition, number> = { 'co-chair': 0, chair: 0, member: 1 };
  return members
    .filter((m) => isValidAt(m, date))
    .sort((a, b) => rank[a.position] - rank[b.position] || a.personName.localeCompare(b.personName));
}

/** Who a member speaks for, as one grouping key: a sector, or the kind of organisation they come from. */
export interface RepresentationGroup {
  key: string;
  label: string;
  count: number;
}

/**
 * How many members come from each sector (or, for organisations of the hierarchy, each organisation),
 * largest first. Counts only: the seeds set no quorum, so none is judged.
 */
export function countByRepresentation(
  members: ReadonlyArray<{ sector: Sector | null; organisation: { odsCode: string; name: string } | null }>,
): RepresentationGroup[] {
  const groups = new Map<string, RepresentationGroup>();
  for (const member of members) {
    const key = member.sector
      ? `sector:${member.sector}`
      : member.organisation
        ? `organisation:${member.organisation.odsCode}`
        : 'unknown';
    const label = member.sector
      ? sectorLabels[member.sector]
      : member.organisation
        ? `${member.organisation.name} (${member.organisation.odsCode})`
        : 'Not known';
    const group = groups.get(key) ?? { key, label, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

export type ActionState = 'open' | 'overdue' | 'completed';

/** An action is overdue when it is not completed and its due date has passed (due today is not yet late). */
export function actionState(
  action: { dueOn: IsoDate; completedOn: IsoDate | null },
  today: IsoDate,
): ActionState {
  if (action.completedOn !== null) return 'completed';
  return action.dueOn < today ? 'overdue' : 'open';
}

export interface ActionCounts {
  open: number;
  overdue: number;
  completed: number;
  /** Completed after their due date. */
  completedLate: number;
}

export function countActions(
  actions: ReadonlyArray<{ dueOn: IsoDate; completedOn: IsoDate | null }>,
  today: IsoDate,
): ActionCounts {
  const counts: ActionCounts = { open: 0, overdue: 0, completed: 0, completedLate: 0 };
  for (const action of actions) {
    const state = actionState(action, today);
    counts[state] += 1;
    if (state === 'completed' && action.completedOn !== null && action.completedOn > action.dueOn)
      counts.completedLate += 1;
  }
  return counts;
}

/** Whole days an action is past its due date (0 when not overdue). */
export function daysOverdue(action: { dueOn: IsoDate; completedOn: IsoDate | null }, today: IsoDate): number {
  if (actionState(action, today) !== 'overdue') return 0;
  return Math.round(
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${action.dueOn}T00:00:00Z`)) / 86_400_000,
  );
}

/** The next meeting still to happen: the earliest scheduled on or after today. */
export function nextMeeting<T extends { meetsOn: IsoDate; status: MeetingStatus }>(
  meetings: readonly T[],
  today: IsoDate,
): T | null {
  return (
    [...meetings]
      .filter((m) => m.status === 'scheduled' && m.meetsOn >= today)
      .sort((a, b) => a.meetsOn.localeCompare(b.meetsOn))[0] ?? null
  );
}

/**
 * Why a meeting's status cannot move as asked, or null when it can: a scheduled meeting is held (on or
 * after its date) or cancelled; held and cancelled are final.
 */
export function meetingStatusRefusal(
  meeting: { meetsOn: IsoDate; status: MeetingStatus },
  to: 'held' | 'cancelled',
  today: IsoDate,
): string | null {
  if (meeting.status !== 'scheduled')
    return `The meeting is already ${meeting.status}; a ${meeting.status} meeting does not change status.`;
  if (to === 'held' && meeting.meetsOn > today)
    return `The meeting is on ${meeting.meetsOn}: it cannot be recorded as held before that date.`;
  return null;
}

/**
 * Why a decision cannot be recorded at a meeting, or null when it can: decisions are taken at meetings
 * that have happened (on or before today) and were not cancelled.
 */
export function newMeetingStatusRefusal(
  meetsOn: IsoDate,
  status: 'scheduled' | 'held',
  today: IsoDate,
): string | null {
  if (status === 'held' && meetsOn > today)
    return `A meeting on ${meetsOn} has not happened yet: schedule it instead.`;
  if (status === 'scheduled' && meetsOn < today)
    return `A meeting on ${meetsOn} is in the past: record it as held, or give a date from today on.`;
  return null;
}

export function decisionRefusal(
  meeting: { meetsOn: IsoDate; status: MeetingStatus },
  today: IsoDate,
): string | null {
  if (meeting.status === 'cancelled') return 'The meeting was cancelled: no decision can be recorded at it.';
  if (meeting.meetsOn > today)
    return `The meeting is on ${meeting.meetsOn}: record its decisions on or after that date.`;
  return null;
}
