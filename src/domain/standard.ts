import { z } from 'zod';
import { addDays, isIsoDate, type IsoDate } from './iso-date.js';
import type { Problem } from './errors.js';

/**
 * Comply or explain: a register of best-practice standards, and each applicable board's (an NHS trust's
 * board, an ICB's board for its system) declaration against one — it complies, with evidence, or it
 * explains why not, with a plan of dated actions. Pure: validation and the roll-ups of adoption by
 * England, region and ICB; the service supplies the hierarchy and the declarations.
 */

/** The kinds of organisation whose boards declare: trust boards, and ICB boards for their system. */
export const declarableKinds = ['nhs-trust', 'icb'] as const;
export type DeclarableKind = (typeof declarableKinds)[number];

export const declarableKindLabels: Record<DeclarableKind, string> = {
  'nhs-trust': 'NHS trust boards',
  icb: 'Integrated care boards (ICBs)',
};

export const declarationPositions = ['comply', 'explain'] as const;
export type DeclarationPosition = (typeof declarationPositions)[number];

const standardCodePattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const standardInputSchema = z
  .strictObject({
    code: z
      .string()
      .trim()
      .regex(
        standardCodePattern,
        'Enter a code of 2 to 63 lower-case letters, digits and hyphens, such as well-led-2026',
      ),
    title: z
      .string()
      .trim()
      .min(1, 'Enter the title of the standard')
      .max(200, 'Keep the title to 200 characters'),
    owner: z
      .string()
      .trim()
      .min(1, 'Enter who owns the standard, such as the NHS England national medical director')
      .max(200),
    summary: z.string().trim().max(5_000, 'Keep the summary to 5,000 characters').default(''),
    organisationKinds: z
      .array(z.enum(declarableKinds, 'Choose NHS trust boards (nhs-trust) or ICB boards (icb)'))
      .min(1, 'Choose at least one kind of board the standard applies to')
      .refine((kinds) => new Set(kinds).size === kinds.length, 'Name each kind of board once'),
    evidenceAsked: z.string().trim().min(1, 'Say what evidence a board that complies should give').max(5_000),
    effectiveFrom: z.iso.date('Enter the date the standard takes effect, like 2026-04-01'),
    declarationsDue: z.iso.date('Enter the date declarations are due, like 2026-06-30'),
  })
  .superRefine((s, ctx) => {
    if (s.declarationsDue < s.effectiveFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['declarationsDue'],
        message: 'Declarations cannot be due before the standard takes effect',
      });
  });
export type StandardInput = z.input<typeof standardInputSchema>;

export interface Standard {
  code: string;
  title: string;
  owner: string;
  summary: string;
  organisationKinds: DeclarableKind[];
  evidenceAsked: string;
  effectiveFrom: IsoDate;
  declarationsDue: IsoDate;
}

/** One action of an explain declaration's plan: what will be done, by whom, by when. */
export interface PlanAction {
  description: string;
  owner: string;
  due: IsoDate;
}

export type DeclarationContent =
  | { position: 'comply'; evidence: string; explanation: null; plan: null }
  | { position: 'explain'; evidence: string | null; explanation: string; plan: PlanAction[] };

const maxText = 10_000;
const maxActions = 20;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Checks a declaration as the board made it, gathering every problem with the field it is about
 * (`plan.0.due`), so a form can show them all at once. Explain needs an explanation and a plan of at
 * least one action, each with a description, an owner and a date on or after today.
 */
export function parseDeclaration(
  input: unknown,
  today: IsoDate,
): { ok: true; value: DeclarationContent } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const body = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const position = body.position;
  if (position !== 'comply' && position !== 'explain') {
    problems.push({ field: 'position', message: 'Select whether the board complies or explains' });
    return { ok: false, problems };
  }
  const tooLong = (field: string, value: string, what: string) => {
    if (value.length > maxText)
      problems.push({ field, message: `Keep the ${what} to ${maxText.toLocaleString('en-GB')} characters` });
  };
  const evidence = text(body.evidence);
  tooLong('evidence', evidence, 'evidence');
  if (position === 'comply') {
    if (evidence === '')
      problems.push({
        field: 'evidence',
        message: 'Enter the evidence that the board complies with the standard',
      });
    return problems.length > 0
      ? { ok: false, problems }
      : { ok: true, value: { position, evidence, explanation: null, plan: null } };
  }
  const explanation = text(body.explanation);
  if (explanation === '')
    problems.push({ field: 'explanation', message: 'Enter why the board does not comply with the standard' });
  tooLong('explanation', explanation, 'explanation');
  const rows = Array.isArray(body.plan) ? body.plan : [];
  // Rows left wholly blank (a form's spare row) are not actions.
  const actions = rows
    .map((row: unknown, index) => ({
      index,
      row: typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {},
    }))
    .filter(({ row }) => text(row.description) !== '' || text(row.owner) !== '' || text(row.due) !== '');
  if (body.plan !== undefined && body.plan !== null && !Array.isArray(body.plan))
    problems.push({ field: 'plan', message: 'Give the plan as a list of actions' });
  else if (actions.length === 0)
    problems.push({
      field: 'plan',
      message: 'Add at least one action to the plan, with what will be done, who owns it and by when',
    });
  else if (actions.length > maxActions)
    problems.push({ field: 'plan', message: `Keep the plan to ${maxActions} actions` });
  const plan: PlanAction[] = [];
  for (const { index, row } of actions) {
    const n = index + 1;
    const description = text(row.description);
    const owner = text(row.owner);
    const due = text(row.due);
    if (description === '')
      problems.push({ field: `plan.${index}.description`, message: `Enter what action ${n} will do` });
    else if (description.length > 2_000)
      problems.push({ field: `plan.${index}.description`, message: `Keep action ${n} to 2,000 characters` });
    if (owner === '')
      problems.push({
        field: `plan.${index}.owner`,
        message: `Enter who owns action ${n}, such as the chief nurse`,
      });
    else if (owner.length > 200)
      problems.push({
        field: `plan.${index}.owner`,
        message: `Keep the owner of action ${n} to 200 characters`,
      });
    if (due === '')
      problems.push({ field: `plan.${index}.due`, message: `Enter the date action ${n} will be done by` });
    else if (!isIsoDate(due))
      problems.push({
        field: `plan.${index}.due`,
        message: `The date of action ${n} must be a real date, such as 31 March 2027`,
      });
    else if (due < today)
      problems.push({
        field: `plan.${index}.due`,
        message: `The date of action ${n} must be today or in the future`,
      });
    plan.push({ description, owner, due });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { position, evidence: evidence === '' ? null : evidence, explanation, plan } };
}

/** Reads a stored plan (jsonb) back; rows that are not actions are dropped rather than trusted. */
export function planFromStored(value: unknown): PlanAction[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((row: unknown) => {
    if (typeof row !== 'object' || row === null) return [];
    const r = row as Record<string, unknown>;
    return typeof r.description === 'string' && typeof r.owner === 'string' && typeof r.due === 'string'
      ? [{ description: r.description, owner: r.owner, due: r.due }]
      : [];
  });
}

/** Whether a standard asks anything of boards yet, and whether its deadline has passed. */
export type StandardPhase = 'draft' | 'upcoming' | 'in-effect';

export function standardPhase(
  standard: { effectiveFrom: IsoDate; published: boolean },
  today: IsoDate,
): StandardPhase {
  if (!standard.published) return 'draft';
  return today < standard.effectiveFrom ? 'upcoming' : 'in-effect';
}

/** Where a standard stands in a board's inbox: explain counts as done — the standard asks for either. */
export type DeclarationInboxState = 'open' | 'overdue' | 'done';

export function declarationInboxState(
  declared: boolean,
  due: IsoDate,
  today: IsoDate,
): DeclarationInboxState {
  if (declared) return 'done';
  return today > due ? 'overdue' : 'open';
}

/** A board a standard applies to, placed in today's hierarchy. */
export interface ApplicableBody {
  organisationId: number;
  odsCode: string;
  name: string;
  kind: DeclarableKind;
  /** The ICB whose figures count it: its own for an ICB, its parent ICB for a trust. */
  icbId: number | null;
  regionId: number | null;
  /** The date the organisation opened: a board opened after declarations were due has its own due date. */
  openedOn: IsoDate;
}

/** The dates of a standard that say when a board's declaration is due. */
export type StandardDates = Pick<Standard, 'effectiveFrom' | 'declarationsDue'>;

const daysFromTo = (from: IsoDate, to: IsoDate) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * When a body's declaration is due: the standard's date, except for a board that opened after it. Such a
 * board could not have declared in time, so it is not overdue until the same window every board had
 * (declarations due − takes effect) has passed from its own opening: opening date + that window.
 */
export function bodyDueDate(body: Pick<ApplicableBody, 'openedOn'>, dates: StandardDates): IsoDate {
  if (body.openedOn <= dates.declarationsDue) return dates.declarationsDue;
  return addDays(body.openedOn, daysFromTo(dates.effectiveFrom, dates.declarationsDue));
}

/**
 * A body's declaration as one viewer may see it: its position, or only that it declared (an unpublished
 * declaration the viewer's roles do not cover), or nothing.
 */
export type SeenStatus = 'complies' | 'explains' | 'declared' | 'not-declared';

export interface Adoption {
  applicable: number;
  complies: number;
  explains: number;
  /** Declared, but not published and not covered by the viewer's roles: the position is not shown. */
  declaredUnpublished: number;
  notDeclared: number;
  /** Not declared and past the date declarations were due. */
  overdue: number;
  /** Share of applicable bodies that have declared either way, to one decimal place; null when none apply. */
  declaredPercent: number | null;
  /** Share of applicable bodies that declare they comply (of those whose position is seen). */
  compliesPercent: number | null;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

/** Adoption among the given bodies, from each one's status as seen; overdue from each one's due date. */
export function adoptionOf(
  bodies: readonly ApplicableBody[],
  statusOf: (organisationId: number) => SeenStatus,
  due: StandardDates,
  today: IsoDate,
): Adoption {
  const counts = { complies: 0, explains: 0, declared: 0, 'not-declared': 0 };
  let overdue = 0;
  for (const body of bodies) {
    const status = statusOf(body.organisationId);
    counts[status] += 1;
    if (status === 'not-declared' && today > bodyDueDate(body, due)) overdue += 1;
  }
  const applicable = bodies.length;
  const declared = counts.complies + counts.explains + counts.declared;
  return {
    applicable,
    complies: counts.complies,
    explains: counts.explains,
    declaredUnpublished: counts.declared,
    notDeclared: counts['not-declared'],
    overdue,
    declaredPercent: percent(declared, applicable),
    compliesPercent: percent(counts.complies, applicable - counts.declared),
  };
}

export interface AreaRef {
  id: number;
  odsCode: string;
  name: string;
}

export interface AreaAdoption extends Adoption {
  area: AreaRef;
}

/**
 * Adoption in each area (every region, or every ICB, open today), counting the bodies placed in it:
 * an ICB's figures are its member trusts' and its own. Areas with no applicable body are kept, with
 * null percentages, so a table shows every area.
 */
export function adoptionByArea(
  areas: readonly AreaRef[],
  bodies: readonly ApplicableBody[],
  placedIn: 'icb' | 'region',
  statusOf: (organisationId: number) => SeenStatus,
  due: StandardDates,
  today: IsoDate,
): AreaAdoption[] {
  const members = new Map<number, ApplicableBody[]>();
  for (const body of bodies) {
    const areaId = placedIn === 'icb' ? body.icbId : body.regionId;
    if (areaId === null) continue;
    const list = members.get(areaId) ?? [];
    list.push(body);
    members.set(areaId, list);
  }
  return areas.map((area) => ({ area, ...adoptionOf(members.get(area.id) ?? [], statusOf, due, today) }));
}

/** Bodies with no declaration once their declarations were due (`bodyDueDate`), by ODS code: the overdue list. */
export function overdueBodies(
  bodies: readonly ApplicableBody[],
  declared: (organisationId: number) => boolean,
  due: StandardDates,
  today: IsoDate,
): ApplicableBody[] {
  return bodies
    .filter((b) => !declared(b.organisationId) && today > bodyDueDate(b, due))
    .sort((a, b) => a.odsCode.localeCompare(b.odsCode));
}
