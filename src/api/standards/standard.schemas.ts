import { z } from 'zod';
import { declarableKinds, declarationPositions, standardInputSchema } from '../../domain/standard.js';
import { odsCodeParam } from '../organisations/organisation.schemas.js';

/** Shapes of the comply-or-explain API; the service checks declarations fully, so located messages are its own. */

export const standardBodySchema = standardInputSchema;

const standardCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a standard code, such as ftsu-2026');

export const standardParams = z.object({ code: standardCode });
export const declarationParams = standardParams.extend({ org: odsCodeParam });

export const standardQuery = z.object({
  standard: standardCode.optional().describe('Only this standard'),
});

/**
 * A declaration as a board makes it. Loose on purpose: the service checks it against today's date and
 * answers with every problem located (`plan.0.due`), which a schema error here could not.
 */
export const declarationBodySchema = z.object({
  position: z.string().optional().describe('comply or explain'),
  evidence: z.string().max(20_000).nullish().describe('Required to comply: the evidence the board relies on'),
  explanation: z
    .string()
    .max(20_000)
    .nullish()
    .describe('Required to explain: why the board does not comply'),
  plan: z
    .array(
      z.object({
        description: z.string().max(5_000).optional(),
        owner: z.string().max(500).optional(),
        due: z.string().max(20).optional().describe('YYYY-MM-DD, today or later'),
      }),
    )
    .max(50)
    .nullish()
    .describe('Required to explain: at least one action, each with a description, an owner and a date'),
});

export const publishDeclarationsBodySchema = z
  .object({
    organisations: z
      .array(odsCodeParam)
      .max(2_000)
      .optional()
      .describe('Only these organisations (default: every declaration made or revised since last published)'),
  })
  .nullish();

const standardSchema = z.object({
  code: z.string(),
  title: z.string(),
  owner: z.string(),
  summary: z.string(),
  organisationKinds: z.array(z.enum(declarableKinds)),
  appliesTo: z.array(z.string()),
  evidenceAsked: z.string(),
  effectiveFrom: z.string(),
  declarationsDue: z.string(),
  status: z.enum(['draft', 'upcoming', 'in-effect']),
  publishedAt: z.string().nullable(),
});

const adoptionSchema = z.object({
  applicable: z.number().int(),
  complies: z.number().int(),
  explains: z.number().int(),
  declaredUnpublished: z
    .number()
    .int()
    .describe('Declared, but unpublished and outside your roles, so the position is not shown'),
  notDeclared: z.number().int(),
  overdue: z.number().int().describe('Not declared, after declarations were due'),
  declaredPercent: z.number().nullable(),
  compliesPercent: z.number().nullable().describe('Of the applicable bodies whose position you can see'),
});
const areaAdoptionSchema = adoptionSchema.extend({
  area: z.object({ id: z.number().int(), odsCode: z.string(), name: z.string() }),
});

const planActionSchema = z.object({ description: z.string(), owner: z.string(), due: z.string() });

const declarationSchema = z.object({
  odsCode: z.string(),
  name: z.string(),
  kind: z.enum(declarableKinds),
  icbCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  position: z.enum(declarationPositions),
  evidence: z.string().nullable(),
  explanation: z.string().nullable(),
  plan: z.array(planActionSchema),
  version: z.number().int(),
  declaredAt: z.string(),
  declaredBy: z.string().nullable().describe('Shown to people whose roles cover the organisation'),
  published: z.boolean().describe('This version is on the public register'),
  publishedAt: z.string().nullable(),
});

const overdueSchema = z.object({
  standard: z.object({ code: z.string(), title: z.string() }),
  due: z.string(),
  odsCode: z.string(),
  name: z.string(),
  kind: z.enum(declarableKinds),
  icbCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  daysOverdue: z.number().int(),
});

export const standardsResponseSchema = z.object({
  standards: z.array(standardSchema.extend({ adoption: adoptionSchema })),
});
export const standardResponseSchema = z.object({ standard: standardSchema });
export const standardDetailResponseSchema = z.object({
  standard: standardSchema,
  asAt: z.string(),
  adoption: z.object({
    england: adoptionSchema,
    regions: z.array(areaAdoptionSchema),
    icbs: z.array(areaAdoptionSchema.extend({ regionCode: z.string().nullable() })),
  }),
  overdue: z.array(overdueSchema),
  declarations: z.array(declarationSchema),
  awaitingPublication: z.number().int(),
  mayPublishDeclarations: z.boolean(),
  mayPublishStandard: z.boolean(),
});
export const declarationResponseSchema = z.object({
  standard: standardSchema,
  organisation: z.object({ odsCode: z.string(), name: z.string(), kind: z.string() }),
  state: z.enum(['open', 'overdue', 'done']),
  declaration: declarationSchema.nullable(),
  declared: z.boolean(),
  history: z.array(declarationSchema),
  mayDeclare: z.boolean(),
});
export const overdueResponseSchema = z.object({ asAt: z.string(), overdue: z.array(overdueSchema) });
export const registerResponseSchema = z.object({
  entries: z.array(declarationSchema.extend({ standard: z.object({ code: z.string(), title: z.string() }) })),
});
export const publishDeclarationsResponseSchema = z.object({
  standard: z.string(),
  published: z.array(z.string()).describe('ODS codes whose declarations were published'),
});
