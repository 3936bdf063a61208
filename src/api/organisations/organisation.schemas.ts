import { z } from 'zod';
import { hierarchyEventTypes, organisationRoles, successionTypes } from '../../domain/hierarchy-event.js';
import { isIsoDate } from '../../domain/iso-date.js';
import { organisationKinds, provenances, trustSectors } from '../../domain/organisation.js';

/** Request and response schemas for the organisation and hierarchy API; OpenAPI is generated from them. */

export const isoDateParam = z
  .string()
  .refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD, for example 2019-04-01' })
  .describe('A date, YYYY-MM-DD');

export const odsCodeParam = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{2,10}$/, { message: 'must be an ODS code: 2 to 10 letters and digits' }))
  .describe('ODS code, e.g. RJZ, QE1 or Y56');

export const metaSchema = z.object({
  demoData: z
    .boolean()
    .describe('True when the figures and organisations shown are generated demonstration data'),
  notice: z.string().nullable(),
});

export const organisationSummarySchema = z.object({
  odsCode: z.string(),
  name: z.string(),
  kind: z.enum(organisationKinds),
  kindLabel: z.string(),
  sector: z.enum(trustSectors).nullable(),
  postcode: z.string().nullable(),
  validFrom: isoDateParam.describe('First day the organisation existed'),
  validTo: isoDateParam.nullable().describe('First day it no longer existed; null while open'),
  provenance: z.enum(provenances),
  parentCode: z.string().nullable(),
});
export type OrganisationSummaryBody = z.infer<typeof organisationSummarySchema>;

export interface OrganisationTreeBody extends OrganisationSummaryBody {
  children: OrganisationTreeBody[];
  formerly?: OrganisationSummaryBody[];
  roles?: Array<{
    role: (typeof organisationRoles)[number];
    roleLabel: string;
    holderName: string;
    validFrom: string;
  }>;
}
export const organisationTreeSchema: z.ZodType<OrganisationTreeBody> = z.lazy(() =>
  organisationSummarySchema.extend({
    children: z.array(organisationTreeSchema),
    formerly: z
      .array(organisationSummarySchema)
      .optional()
      .describe('Organisations of the as-at date that today map to this one (as-now structure only)'),
    roles: z
      .array(
        z.object({
          role: z.enum(organisationRoles),
          roleLabel: z.string(),
          holderName: z.string(),
          validFrom: isoDateParam,
        }),
      )
      .optional()
      .describe('People in named roles on the date, e.g. the regional director'),
  }),
);

export const successionSchema = z.object({
  predecessorCode: z.string(),
  successorCode: z.string(),
  effectiveDate: isoDateParam,
  type: z.enum(successionTypes),
  isSplit: z.boolean(),
  source: z.string(),
});

export const asNowSchema = z.object({
  today: isoDateParam,
  status: z.enum(['current', 'succeeded', 'split', 'unresolved']),
  currentCodes: z.array(z.string()),
  deadEndCodes: z.array(z.string()),
  steps: z.array(successionSchema),
  current: z.array(
    z.object({ organisation: organisationSummarySchema, path: z.array(organisationSummarySchema) }),
  ),
});

export const eventSchema = z.object({
  id: z.number().int(),
  type: z.enum(hierarchyEventTypes),
  typeLabel: z.string(),
  effectiveDate: isoDateParam,
  reason: z.string(),
  source: z.string(),
  recordedAt: z.string(),
  details: z.record(z.string(), z.unknown()),
  participants: z.array(z.object({ odsCode: z.string(), name: z.string(), role: z.string() })),
});

const structureParam = z
  .enum(['as-at', 'as-now'])
  .default('as-at')
  .describe(
    "as-at: the structure on the date; as-now: today's structure, with the date's organisations mapped onto it",
  );

export const searchQuerySchema = z.object({
  q: z
    .string()
    .max(200)
    .optional()
    .describe('ODS code (or its start) or any part of a current or former name'),
  kind: z
    .union([z.enum(organisationKinds), z.array(z.enum(organisationKinds))])
    .optional()
    .transform((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value])),
  asAt: isoDateParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const searchResponseSchema = z.object({
  meta: metaSchema,
  asAt: isoDateParam,
  total: z.number().int(),
  organisations: z.array(organisationSummarySchema),
});

export const codeParamsSchema = z.object({ code: odsCodeParam });
export const asAtQuerySchema = z.object({ asAt: isoDateParam.optional() });

export const profileResponseSchema = z.object({
  meta: metaSchema,
  asAt: isoDateParam,
  existedOnDate: z.boolean(),
  organisation: organisationSummarySchema,
  path: z.array(organisationSummarySchema),
  children: z.array(organisationSummarySchema),
  versions: z.array(
    z.object({
      validFrom: isoDateParam,
      validTo: isoDateParam.nullable(),
      name: z.string(),
      kind: z.enum(organisationKinds),
      kindLabel: z.string(),
      sector: z.enum(trustSectors).nullable(),
      postcode: z.string().nullable(),
    }),
  ),
  parents: z.array(
    z.object({
      parentCode: z.string(),
      parentName: z.string(),
      validFrom: isoDateParam,
      validTo: isoDateParam.nullable(),
    }),
  ),
  roles: z.array(
    z.object({
      role: z.enum(organisationRoles),
      roleLabel: z.string(),
      holderName: z.string(),
      validFrom: isoDateParam,
      validTo: isoDateParam.nullable(),
    }),
  ),
  predecessors: z.array(successionSchema),
  successors: z.array(successionSchema),
});

export const pathQuerySchema = z.object({ asAt: isoDateParam.optional(), structure: structureParam });
export const pathResponseSchema = z.object({
  meta: metaSchema,
  asAt: isoDateParam,
  structure: z.enum(['as-at', 'as-now']),
  path: z.array(organisationSummarySchema).describe('As-at structure: England down to the organisation'),
  asNow: asNowSchema
    .nullable()
    .describe('As-now structure: where the organisation or its successors sit today'),
});

export const pagingQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const eventsResponseSchema = z.object({
  meta: metaSchema,
  total: z.number().int(),
  events: z.array(eventSchema),
});

export const successionsQuerySchema = z.object({ today: isoDateParam.optional() });
export const successionsResponseSchema = z.object({
  meta: metaSchema,
  odsCode: z.string(),
  predecessors: z.array(successionSchema),
  successors: z.array(successionSchema),
  asNow: asNowSchema,
});

export const treeQuerySchema = z.object({
  asAt: isoDateParam.optional(),
  root: odsCodeParam.optional(),
  depth: z.coerce.number().int().min(1).max(10).default(10),
  structure: structureParam,
});
export const treeResponseSchema = z.object({
  meta: metaSchema,
  asAt: isoDateParam,
  structure: z.enum(['as-at', 'as-now']),
  today: isoDateParam,
  counts: z.record(z.string(), z.number().int()),
  root: organisationTreeSchema,
  unmapped: z
    .array(organisationSummarySchema)
    .describe('As-now only: organisations of the as-at date with no successor open today'),
});

export const timelineQuerySchema = pagingQuerySchema.extend({
  from: isoDateParam.optional(),
  to: isoDateParam.optional(),
  type: z
    .union([z.enum(hierarchyEventTypes), z.array(z.enum(hierarchyEventTypes))])
    .optional()
    .transform((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value])),
});
