import { z } from 'zod';
import { statutoryFunctions } from '../../domain/access.js';
import { returnFormats } from '../../domain/return-document.js';
import { returnStatuses, returnSteps } from '../../domain/return-workflow.js';
import { auditEventSchema } from '../access/access.schemas.js';

const locationSchema = z.object({
  file: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  field: z.string().optional(),
});

export const validationMessageSchema = z.object({
  severity: z.enum(['error', 'warning']),
  rule: z.string().describe('required, number, range, integer, outlier, or the code of a cross-item check'),
  item: z.string().nullable(),
  location: locationSchema,
  message: z.string(),
});

export const submissionSchema = z.object({
  id: z.number().int(),
  template: z.string(),
  odsCode: z.string(),
  periodStart: z.string(),
  statutoryFunction: z.enum(statutoryFunctions).nullable(),
  status: z.enum(returnStatuses),
  state: z.string().describe('What the return is waiting for, in words'),
  statusReason: z
    .string()
    .nullable()
    .describe('Why it was returned for correction, or resubmitted; shown to people signed in'),
  published: z.boolean(),
  values: z.record(z.string(), z.number().nullable()),
  explanations: z.record(z.string(), z.string()),
  version: z.number().int().describe('The latest submitted version (0 for a draft never submitted)'),
  acceptedVersion: z.number().int().nullable().describe('The version reporting uses'),
  firstSubmittedAt: z.string().nullable().describe('When it was first submitted (timeliness)'),
  submittedAt: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable().describe('Who last changed it; shown only to people signed in'),
  steps: z.array(z.enum(returnSteps)).describe('The workflow steps you may take now'),
  warnings: z.array(validationMessageSchema).describe('Data-quality warnings of the values saved'),
  replayed: z.boolean().describe('True when this repeats the answer to an earlier request with the same key'),
});
export type SubmissionDto = z.infer<typeof submissionSchema>;

export const submissionBodySchema = z.object({
  template: z.string().min(1).max(60).describe('Template code, e.g. ae-monthly'),
  organisation: z.string().min(1).max(10).describe('ODS code of the organisation the return is for'),
  periodStart: z.string().describe('First day of the period, YYYY-MM-DD'),
  statutoryFunction: z
    .string()
    .nullable()
    .optional()
    .describe(`One of ${statutoryFunctions.join(', ')}`),
  values: z.record(z.string(), z.unknown()).describe('Data item code to value (null leaves it blank)'),
  explanations: z
    .record(z.string(), z.string().max(2000))
    .optional()
    .describe('Explanations of data-quality warnings, by item code or check code'),
  submit: z.boolean().default(true).describe('false keeps the return as a draft'),
  reason: z.string().max(2000).optional().describe('Required to resubmit a locked return'),
  source: z
    .enum(['json', 'web'])
    .default('json')
    .describe('How the values were entered: a system sending JSON, or the web form'),
});
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Makes a retry safe: the same key and body get the first answer; a different body is refused'),
});
export const submissionIdParams = z.object({ id: z.coerce.number().int().positive() });
export const submissionStepParams = z.object({
  id: z.coerce.number().int().positive(),
  step: z.enum(returnSteps),
});
export const submissionStepBodySchema = z
  .object({ reason: z.string().max(2000).optional().describe('Required to return for correction') })
  .nullish();
export const submissionsQuerySchema = z.object({ org: z.string().max(10).optional() });
export const submissionsResponseSchema = z.object({ submissions: z.array(submissionSchema) });
export const submissionHistoryResponseSchema = z.object({ events: z.array(auditEventSchema) });

export const uploadQuerySchema = z.object({
  template: z.string().min(1).max(60).describe('The template the file is a return of'),
  format: z.enum(returnFormats).optional().describe('Read from the file name or content when left out'),
  fileName: z.string().max(200).default('upload').describe('Named in messages about the file'),
  submit: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  reason: z.string().max(2000).optional(),
});
export const exportQuerySchema = z.object({
  format: z.enum(returnFormats).default('csv'),
  version: z.coerce.number().int().positive().optional().describe('A version other than the latest'),
});
export const blankTemplateQuerySchema = z.object({
  format: z.enum(returnFormats).default('xlsx'),
  org: z
    .string()
    .regex(/^[A-Za-z0-9]{2,10}$/, 'must be an ODS code, e.g. RJZ')
    .describe('ODS code of the organisation'),
  period: z.iso
    .date('must be the first day of the period, YYYY-MM-DD')
    .describe('First day of the period, YYYY-MM-DD'),
});

export const submissionVersionsResponseSchema = z.object({
  submission: submissionSchema,
  versions: z.array(
    z.object({
      version: z.number().int(),
      values: z.record(z.string(), z.number().nullable()),
      explanations: z.record(z.string(), z.string()),
      warnings: z.number().int(),
      reason: z.string().nullable(),
      sourceFormat: z.string(),
      createdAt: z.string(),
      createdBy: z.string().nullable(),
      changes: z.array(
        z.object({ item: z.string(), before: z.number().nullable(), after: z.number().nullable() }),
      ),
      reporting: z.boolean().describe('The version reporting uses'),
    }),
  ),
});
