import { z } from 'zod';
import { inboxStates, templateInputSchema, templatePeriodTypes } from '../../domain/collection-template.js';
import { isoDateParam, odsCodeParam } from '../organisations/organisation.schemas.js';
import { returnStatuses } from '../../domain/return-workflow.js';
import { templateRulesSchema } from '../../domain/return-validation.js';

export const templateCodeParams = z.object({
  code: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, { message: 'must be a template code, e.g. ae-monthly' }),
});

const templateSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  periodType: z.enum(templatePeriodTypes),
  organisationKinds: z.array(z.string()),
  items: z.array(z.string()),
  schedule: z.object({
    opensAfterDays: z.number().int(),
    softDeadlineDays: z.number().int(),
    hardCloseDays: z.number().int(),
  }),
  rules: templateRulesSchema,
  activeFrom: isoDateParam.nullable(),
  retiredFrom: isoDateParam.nullable(),
  status: z.enum(['draft', 'active', 'retired']),
  current: z
    .object({
      period: isoDateParam,
      label: z.string(),
      opens: isoDateParam,
      deadline: isoDateParam,
      closes: isoDateParam,
    })
    .nullable()
    .describe('The period being collected now, with when it opened, its deadline and its hard close'),
});

export const templateBodySchema = templateInputSchema;
export const templateResponseSchema = z.object({ template: templateSchema });
export const templatesResponseSchema = z.object({ templates: z.array(templateSchema) });
export const templateDateBodySchema = z.object({ from: isoDateParam.describe('The first day it applies') });

export const lineageResponseSchema = z.object({
  items: z.array(
    z.object({
      item: z.string(),
      name: z.string(),
      source: z.string(),
      templates: z.array(
        z.object({ code: z.string(), name: z.string(), status: z.enum(['draft', 'active', 'retired']) }),
      ),
      metrics: z.array(z.string()),
      methodologies: z.array(z.string()),
      reports: z.array(z.string()),
      plans: z.array(z.string()).describe('Planning rounds asking for a trajectory of it'),
      flaggedForRetirement: z.boolean().describe('Collected by an active template, but nothing uses it'),
    }),
  ),
});

export const burdenQuerySchema = z.object({
  year: isoDateParam.optional().describe('Any date in the financial year (default: this year)'),
});
export const burdenParams = z.object({ code: odsCodeParam });
const yearCount = z.object({ label: z.string(), returns: z.number().int(), items: z.number().int() });
export const burdenResponseSchema = z.object({
  organisation: z.object({ odsCode: z.string(), name: z.string(), kind: z.string() }),
  year: z.object({ start: isoDateParam, label: z.string() }),
  templates: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      periodType: z.string(),
      returns: z.number().int(),
      items: z.number().int(),
    }),
  ),
  returns: z.number().int(),
  items: z.number().int(),
  previousYear: yearCount,
  change: z.object({
    returns: z.number().int(),
    items: z.number().int(),
    itemsPercent: z.number().nullable(),
  }),
});

export const inboxResponseSchema = z.object({
  organisation: z.object({ odsCode: z.string(), name: z.string(), kind: z.string() }),
  asAt: isoDateParam,
  items: z.array(
    z.object({
      kind: z
        .enum(['return', 'plan', 'declaration'])
        .describe(
          'A data return, the plan for a planning round (template names the round), or a comply-or-explain declaration (template names the standard)',
        ),
      template: z.object({ code: z.string(), name: z.string() }),
      period: isoDateParam,
      label: z.string(),
      opens: isoDateParam,
      deadline: isoDateParam,
      closes: isoDateParam,
      returnStatus: z
        .enum(returnStatuses)
        .nullable()
        .describe('Where the return stands; null when not started'),
      returnId: z.number().int().nullable(),
      statusReason: z.string().nullable().describe('Why it was returned for correction'),
      state: z
        .enum(inboxStates)
        .describe(
          'returned: handed back for correction; overdue: past the deadline, not yet closed; missed: closed without a return',
        ),
    }),
  ),
  outstanding: z.number().int(),
});

export const coverageQuerySchema = z.object({
  period: isoDateParam
    .optional()
    .describe('Any date in the period (default: the latest period that has ended)'),
});
const coverageGroup = z.object({
  code: z.string(),
  name: z.string(),
  asked: z.number().int(),
  submitted: z.number().int(),
  onTime: z.number().int(),
  complete: z.number().int().describe('Submitted with every item given'),
  accepted: z.number().int().describe('Accepted by the region, so in reporting'),
});
export const coverageResponseSchema = z.object({
  template: z.object({ code: z.string(), name: z.string() }),
  period: z.object({
    start: isoDateParam,
    label: z.string(),
    opens: isoDateParam,
    deadline: isoDateParam,
    closes: isoDateParam,
  }),
  organisations: z.array(
    z.object({
      odsCode: z.string(),
      name: z.string(),
      icbCode: z.string().nullable(),
      regionCode: z.string().nullable(),
      status: z.enum(['not-started', ...returnStatuses]),
      onTime: z.boolean().nullable().describe('First submitted by the deadline; null when never submitted'),
      firstSubmittedAt: z.string().nullable(),
      itemsGiven: z.number().int().nullable(),
      itemsAsked: z.number().int(),
      accepted: z.boolean(),
    }),
  ),
  summary: z.object({
    asked: z.number().int(),
    submitted: z.number().int(),
    onTime: z.number().int(),
    missing: z.number().int(),
    complete: z.number().int(),
    accepted: z.number().int(),
  }),
  byRegion: z.array(coverageGroup),
  byIcb: z.array(coverageGroup),
});
