import { z } from 'zod';
import { addDays, type IsoDate } from './iso-date.js';
import { organisationKinds } from './organisation.js';
import { addMonths, nextPeriod, periodContaining, periodsBetween, type Period } from './period.js';
import { compileTemplateRules, templateRulesSchema, type TemplateRules } from './return-validation.js';

/**
 * Collection templates and the collect-once rule. A template asks organisations of some kinds for data
 * items every period, opening a number of days after the period ends, with a soft deadline shown to
 * submitters and a hard close. While active, no other active template may collect the same item from the
 * same kind of organisation for the same period type: the NHS asks for each number once.
 */

export const templatePeriodTypes = ['month', 'quarter', 'financial-year'] as const;
export type TemplatePeriodType = (typeof templatePeriodTypes)[number];

export const templateInputSchema = z
  .object({
    code: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,62}$/, 'use lower-case letters, digits and hyphens, such as ae-monthly'),
    name: z.string().trim().min(1, 'enter a name').max(200),
    description: z.string().max(2000).default(''),
    periodType: z.enum(templatePeriodTypes),
    organisationKinds: z.array(z.enum(organisationKinds)).min(1, 'name at least one kind of organisation'),
    items: z.array(z.string().min(1)).min(1, 'list at least one data item'),
    /** Days after the period's end: when submission opens, the deadline shown, and the hard close. */
    schedule: z.object({
      opensAfterDays: z.number().int().min(0).max(365),
      softDeadlineDays: z.number().int().min(0).max(730),
      hardCloseDays: z.number().int().min(0).max(730),
    }),
    /** Validation beyond each item's unit: ranges, required items, cross-item checks, outlier warnings. */
    rules: templateRulesSchema.default({ items: {}, checks: [] }),
  })
  .superRefine((t, ctx) => {
    if (t.schedule.softDeadlineDays < t.schedule.opensAfterDays)
      ctx.addIssue({
        code: 'custom',
        path: ['schedule', 'softDeadlineDays'],
        message: 'the deadline cannot come before the collection opens',
      });
    if (t.schedule.hardCloseDays < t.schedule.softDeadlineDays)
      ctx.addIssue({
        code: 'custom',
        path: ['schedule', 'hardCloseDays'],
        message: 'the hard close cannot come before the deadline',
      });
    const seen = new Set<string>();
    t.items.forEach((item, i) => {
      if (seen.has(item))
        ctx.addIssue({ code: 'custom', path: ['items', i], message: `${item} is listed twice` });
      seen.add(item);
    });
    for (const problem of compileTemplateRules(t.rules, t.items).problems)
      ctx.addIssue({ code: 'custom', path: (problem.field ?? 'rules').split('.'), message: problem.message });
  });

export type TemplateInput = z.input<typeof templateInputSchema>;

export interface CollectionTemplate {
  code: string;
  name: string;
  description: string;
  periodType: TemplatePeriodType;
  organisationKinds: string[];
  items: string[];
  schedule: { opensAfterDays: number; softDeadlineDays: number; hardCloseDays: number };
  rules: TemplateRules;
  activeFrom: IsoDate | null;
  retiredFrom: IsoDate | null;
}

export type TemplateStatus = 'draft' | 'active' | 'retired';

export function templateStatus(template: CollectionTemplate, on: IsoDate): TemplateStatus {
  if (template.activeFrom === null || template.activeFrom > on) return 'draft';
  if (template.retiredFrom !== null && template.retiredFrom <= on) return 'retired';
  return 'active';
}

/** Whether two templates are active on some common day ([from, to) intervals; null `to` is open). */
function overlapInTime(a: CollectionTemplate, b: CollectionTemplate): boolean {
  if (a.activeFrom === null || b.activeFrom === null) return false;
  const aEnd = a.retiredFrom ?? '9999-12-31';
  const bEnd = b.retiredFrom ?? '9999-12-31';
  return a.activeFrom < bEnd && b.activeFrom < aEnd;
}

export interface CollectOnceConflict {
  item: string;
  heldBy: { code: string; name: string };
  kinds: string[];
}

/**
 * The items `candidate` would collect a second time: held by another template active at the same time,
 * for an organisation kind both ask and the same period type.
 */
export function collectOnceConflicts(
  candidate: CollectionTemplate,
  others: readonly CollectionTemplate[],
): CollectOnceConflict[] {
  const conflicts: CollectOnceConflict[] = [];
  for (const other of others) {
    if (other.code === candidate.code || other.periodType !== candidate.periodType) continue;
    if (!overlapInTime(candidate, other)) continue;
    const kinds = candidate.organisationKinds.filter((k) => other.organisationKinds.includes(k));
    if (kinds.length === 0) continue;
    for (const item of candidate.items)
      if (other.items.includes(item))
        conflicts.push({ item, heldBy: { code: other.code, name: other.name }, kinds });
  }
  return conflicts;
}

/** When a period's return opens, is due (shown to submitters) and closes. */
export function scheduleFor(
  template: Pick<CollectionTemplate, 'schedule'>,
  period: Period,
): { opens: IsoDate; deadline: IsoDate; closes: IsoDate } {
  const lastDay = addDays(nextPeriod(period).start, -1);
  return {
    opens: addDays(lastDay, template.schedule.opensAfterDays),
    deadline: addDays(lastDay, template.schedule.softDeadlineDays),
    closes: addDays(lastDay, template.schedule.hardCloseDays),
  };
}

/** The periods of a financial year (starting `yearStart`) for which the template asks a return. */
export function periodsAskedInYear(template: CollectionTemplate, yearStart: IsoDate): Period[] {
  const year = periodContaining('financial-year', yearStart);
  const yearEnd = addDays(addMonths(year.start, 12), -1);
  return periodsBetween(template.periodType, year.start, yearEnd).filter(
    (period) => templateStatus(template, period.start) === 'active',
  );
}

/** Where a return asked of an organisation stands in its inbox (returned: handed back for correction). */
export const inboxStates = ['returned', 'overdue', 'open', 'missed', 'done'] as const;
export type InboxState = (typeof inboxStates)[number];
