import { z } from 'zod';
import {
  actionInputSchema,
  bodyKinds,
  completeActionInputSchema,
  decisionInputSchema,
  endMemberInputSchema,
  meetingInputSchema,
  meetingStatuses,
  meetingStatusInputSchema,
  memberInputSchema,
  memberPositions,
  paperInputSchema,
  sectors,
} from '../../domain/governance.js';
import { isoDateParam } from '../organisations/organisation.schemas.js';

/** Request and response schemas of the governance API; OpenAPI is generated from them. */

export const memberBodySchema = memberInputSchema;
export const endMemberBodySchema = endMemberInputSchema;
export const meetingBodySchema = meetingInputSchema;
export const meetingStatusBodySchema = meetingStatusInputSchema;
export const paperBodySchema = paperInputSchema;
export const decisionBodySchema = decisionInputSchema;
export const actionBodySchema = actionInputSchema;
export const completeActionBodySchema = completeActionInputSchema;

export const bodyParams = z.object({
  body: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be the code of a body, e.g. nhs-executive-group'),
});
const idParam = (what: string) =>
  z.coerce.number().int().positive(`must be the number of a ${what}`).describe(`The number of the ${what}`);
export const meetingParams = bodyParams.extend({ meeting: idParam('meeting') });
export const meetingIdParams = z.object({ meeting: idParam('meeting') });
export const paperParams = z.object({ paper: idParam('paper') });
export const decisionParams = z.object({ decision: idParam('decision') });
export const actionParams = z.object({ action: idParam('action') });
export const memberParams = z.object({ member: idParam('membership') });
export const bodyQuerySchema = z.object({
  asAt: isoDateParam.optional().describe('Membership as at this date (default today)'),
});
export const overdueQuerySchema = z.object({
  body: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be the code of a body')
    .optional()
    .describe('Only this body'),
});

const organisationRef = z.object({ odsCode: z.string(), name: z.string() });
const actionCountsSchema = z.object({
  open: z.number().int(),
  overdue: z.number().int(),
  completed: z.number().int(),
  completedLate: z.number().int().describe('Completed after their due date'),
});
const meetingSummarySchema = z.object({
  id: z.number().int(),
  meetsOn: z.string(),
  title: z.string(),
  status: z.enum(meetingStatuses),
  location: z.string().describe('A place, or "virtual"'),
});
const bodySummarySchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(bodyKinds),
  purpose: z.string(),
  scope: organisationRef,
  membersToday: z.number().int(),
  nextMeeting: meetingSummarySchema.nullable(),
  actions: actionCountsSchema.describe('Actions of the decisions you may see'),
});
export const bodiesResponseSchema = z.object({
  bodies: z.array(bodySummarySchema),
  overdueActions: z.number().int().describe('Overdue actions of the decisions you may see, over all bodies'),
});

const memberSchema = z.object({
  id: z
    .number()
    .int()
    .nullable()
    .describe('Null for a member drawn from the hierarchy (a regional director)'),
  personName: z.string(),
  position: z.enum(memberPositions),
  organisation: organisationRef.nullable(),
  sector: z.enum(sectors).nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  source: z.enum(['recorded', 'hierarchy']),
});
export const memberResponseSchema = z.object({ member: memberSchema });

export const bodyResponseSchema = z.object({
  body: bodySummarySchema.extend({
    asAt: z.string(),
    members: z.array(memberSchema),
    representation: z.array(z.object({ key: z.string(), label: z.string(), count: z.number().int() })),
    meetings: z.array(
      meetingSummarySchema.extend({
        papers: z.number().int().describe('Papers you may see'),
        decisions: z.number().int().describe('Decisions you may see'),
      }),
    ),
    canGovern: z.boolean().describe('Whether you may record meetings, decisions and membership'),
  }),
});

const actionSchema = z.object({
  id: z.number().int(),
  description: z.string(),
  owner: z.string(),
  dueOn: z.string(),
  completedOn: z.string().nullable(),
  state: z.enum(['open', 'overdue', 'completed']),
  daysOverdue: z.number().int(),
});
const paperSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  author: z.string(),
  summary: z.string(),
  published: z.boolean(),
  publishedAt: z.string().nullable(),
});
const decisionSchema = z.object({
  id: z.number().int(),
  text: z.string(),
  published: z.boolean(),
  publishedAt: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  supersedesId: z.number().int().nullable(),
  supersededById: z.number().int().nullable(),
  programme: z.object({ code: z.string(), name: z.string() }).nullable(),
  intervention: z
    .object({ id: z.number().int(), title: z.string(), kind: z.string() })
    .nullable()
    .describe('Left out when you may not see the intervention'),
  standard: z.object({ code: z.string(), title: z.string() }).nullable(),
  actions: z.array(actionSchema),
});

export const meetingResponseSchema = z.object({
  body: z.object({ code: z.string(), name: z.string(), kind: z.enum(bodyKinds), scope: organisationRef }),
  meeting: meetingSummarySchema,
  papers: z.array(paperSchema),
  decisions: z.array(decisionSchema),
  actions: actionCountsSchema,
  canGovern: z.boolean(),
  choices: z
    .object({
      programmes: z.array(z.object({ code: z.string(), name: z.string() })),
      standards: z.array(z.object({ code: z.string(), title: z.string() })),
      interventions: z.array(z.object({ id: z.number().int(), title: z.string() })),
    })
    .nullable()
    .describe('What a decision may link to; only for those who may record one'),
});

export const meetingCreatedResponseSchema = z.object({ meeting: meetingSummarySchema });
export const paperResponseSchema = z.object({ paper: paperSchema });
export const decisionResponseSchema = z.object({ decision: decisionSchema });
export const actionResponseSchema = z.object({ action: actionSchema });
export const publishedResponseSchema = z.object({ id: z.number().int(), published: z.literal(true) });
export const overdueResponseSchema = z.object({
  actions: z.array(
    actionSchema.extend({
      body: z.object({ code: z.string(), name: z.string() }),
      meeting: z.object({ id: z.number().int(), title: z.string(), meetsOn: z.string() }),
      decision: z.object({ id: z.number().int(), text: z.string() }),
    }),
  ),
});
