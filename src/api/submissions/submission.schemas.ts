import { z } from 'zod';
import { statutoryFunctions } from '../../domain/access.js';
import { auditEventSchema } from '../access/access.schemas.js';

export const submissionSchema = z.object({
  id: z.number().int(),
  template: z.string(),
  odsCode: z.string(),
  periodStart: z.string(),
  statutoryFunction: z.enum(statutoryFunctions).nullable(),
  status: z.enum(['draft', 'submitted', 'published']),
  values: z.record(z.string(), z.number()),
  updatedAt: z.string(),
  updatedBy: z.string().nullable().describe('Who last changed it; shown only to people signed in'),
});
export type SubmissionDto = z.infer<typeof submissionSchema>;

export const submissionBodySchema = z.object({
  template: z.string().min(1).max(60).describe('Template code, e.g. ae-monthly'),
  organisation: z.string().min(1).max(10).describe('ODS code of the organisation the return is for'),
  periodStart: z.string().describe('First day of the month, YYYY-MM-DD'),
  statutoryFunction: z
    .string()
    .nullable()
    .optional()
    .describe(`One of ${statutoryFunctions.join(', ')}`),
  values: z.record(z.string(), z.unknown()).describe('Data item code to value'),
  submit: z.boolean().default(true).describe('false keeps the return as a draft'),
});
export const submissionIdParams = z.object({ id: z.coerce.number().int().positive() });
export const submissionsQuerySchema = z.object({ org: z.string().max(10).optional() });
export const submissionsResponseSchema = z.object({ submissions: z.array(submissionSchema) });
export const submissionHistoryResponseSchema = z.object({ events: z.array(auditEventSchema) });
